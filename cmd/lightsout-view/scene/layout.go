package scene

import (
	"math"

	"github.com/lightsout-sim/lightsout/twin"
)

// The floor's dimensions, in world units (screen pixels at zoom 1). A
// station takes a slot: its input buffer (the tray) then its machine (the
// box), with its label and counts above. A conveyor takes several slots.
const (
	slotW    = 150.0
	dockW    = 124.0
	labelH   = 17.0 // station id
	infoH    = 15.0 // buffer count, defect counts, vision sensor
	boxTop   = labelH + infoH + 3
	boxH     = 60.0
	rowBase  = boxTop + boxH + 10 // a row without arms
	armLane  = 44.0               // room below a row for arm bases
	rowGap   = 14.0
	headerH  = 20.0
	sidePad  = 22.0 // room at a block's sides for the turns between rows
	copyGap  = 16.0
	trayX    = 6.0
	trayW    = 54.0
	trayH    = 26.0
	boxX     = 68.0
	boxW     = 76.0
	boxPad   = 4.0
	servGap  = 3.0
	floorPad = 12.0
)

// The text sizes on the floor at zoom 1 (see FloorTextSize).
const (
	// LabelSize is the size of station ids, line headers and the dock's counts.
	LabelSize = 14.0
	// InfoSize is the size of buffer counts, defect counts, tags and arm ids.
	InfoSize = 12.0
)

// StationBox is where one station of one copy sits on the floor.
type StationBox struct {
	Line, Index int // copy, position in flow order
	ID          string
	Dir         float64
	Conveyor    bool
	Slot        Rect   // the whole slot
	Label       Rect   // the id, centred over the box, within this (with an inspection's camera before it)
	InfoTray    Rect   // above the tray: the buffer count
	InfoBox     Rect   // above the box: defect counts and the vision sensor
	Tray        Rect   // the input buffer
	Box         Rect   // the machine, or the conveyor's body
	Servers     []Rect // one per server, inside Box (one for a conveyor)
	FlowY       float64
	EyeIn       Point // photo-eye at the buffer entry
	EyeOut      Point // photo-eye at the buffer exit
	Inspects    bool
}

// Entry returns the point where units arrive at the station's tray.
func (s *StationBox) Entry() Point { return s.EyeIn }

// Head returns the point just past the tray's exit where a unit taken from
// the buffer waits for the arm to pick it.
func (s *StationBox) Head() Point { return Point{s.EyeOut.X + s.Dir*4, s.FlowY} }

// Hit returns the area a click selects the station in: label, tray and box.
func (s *StationBox) Hit() Rect {
	return Rect{s.Slot.X, s.Slot.Y, s.Slot.W, boxTop + boxH}
}

// DefectsAtStart reports whether the station's defect counts sit at the
// start (left) of the band over its box: they sit at the end units come in
// from.
func (s *StationBox) DefectsAtStart() bool { return s.Dir >= 0 }

// Heat returns the area of a conveyor's heat zones: the box within its
// padding, below the lamp strip.
func (s *StationBox) Heat() Rect {
	return Rect{s.Box.X + boxPad, s.Box.Y + boxPad + 11, s.Box.W - 2*boxPad, s.Box.H - 2*boxPad - 11}
}

// Belt returns the belt of a conveyor, across its heat zones along the
// flow line.
func (s *StationBox) Belt() Rect {
	h := s.Heat()
	return Rect{h.X, s.FlowY - 2, h.W, 18}
}

// Dock is the end of a copy of the line: the shipped counter and the scrap bin.
type Dock struct {
	Line         int
	Label, Ship  Rect
	Scrap        Rect
	Slot         Rect
	Dir          float64
	FlowY, Entry float64 // the flow line, and the x where units arrive
}

// Block is one copy of the line on the floor.
type Block struct {
	Line   int
	Bounds Rect
	Header Rect
	// Track is the flow line through every row and the turns between
	// rows, as a polyline.
	Track []Point
}

// ArmBox is where one arm of one copy stands, and how long its links are.
type ArmBox struct {
	Line, Index int
	ID          string
	Base        Point
	L1, L2      float64
	Stations    []int   // the stations it serves, by flow index
	Elbow       float64 // which way the elbow bends (+1 or -1)
	Label       Rect    // the arm's id, under its base
}

// Floor is the laid-out line: every station, arm, dock and copy, in world
// units. Stations are indexed like a Snapshot's (copy*n + i), arms too.
type Floor struct {
	Bounds   Rect
	Stations []StationBox
	Arms     []ArmBox
	Docks    []Dock
	Blocks   []Block
	Stacked  bool // copies one above the other (else side by side)
	RowCount int  // rows per copy
}

// item is one thing in a row: a station or the dock.
type item struct {
	station int // -1 for the dock
	w       float64
}

// Lay lays out spec's line for a view of the given size (pixels): it tries
// every number of rows and both arrangements of the copies, and keeps the
// one shown largest. The result does not depend on anything else, so the
// same config always gives the same floor.
func Lay(spec *twin.Spec, viewW, viewH float64) *Floor {
	items := lineItems(spec)
	var best *Floor
	bestScale := -1.0
	for rows := 1; rows <= len(items); rows++ {
		packed := packRows(items, rows)
		if len(packed) != rows {
			continue
		}
		for _, stacked := range []bool{true, false} {
			f := build(spec, packed, stacked)
			s := math.Min(viewW/f.Bounds.W, viewH/f.Bounds.H)
			if s > bestScale*1.0001 {
				best, bestScale = f, s
			}
		}
	}
	return best
}

// lineItems returns the stations and the dock of one copy, with their widths.
func lineItems(spec *twin.Spec) []item {
	items := make([]item, 0, len(spec.Stations)+1)
	for i := range spec.Stations {
		items = append(items, item{station: i, w: slotWidth(spec, i)})
	}
	return append(items, item{station: -1, w: dockW})
}

// slotWidth returns the width of station i's slot: a conveyor gets a slot
// per 24 units it holds (2 to 4), so that an oven looks long and full.
func slotWidth(spec *twin.Spec, i int) float64 {
	c := spec.Stations[i].Conveyor
	if c == nil {
		return slotW
	}
	n := math.Ceil(float64(c.Capacity) / 24)
	return slotW * math.Min(math.Max(n, 2), 4)
}

// packRows splits items into at most rows rows of balanced width, greedily:
// a row closes when the next item would take it past the target width.
func packRows(items []item, rows int) [][]item {
	total, widest := 0.0, 0.0
	for _, it := range items {
		total += it.w
		widest = math.Max(widest, it.w)
	}
	limit := math.Max(total/float64(rows), widest)
	var out [][]item
	var cur []item
	w := 0.0
	for k, it := range items {
		left := len(items) - k
		mustClose := len(out)+1 < rows && left <= rows-len(out)-1 && len(cur) > 0
		if len(cur) > 0 && (w+it.w > limit+1e-6 || mustClose) && len(out)+1 < rows {
			out = append(out, cur)
			cur, w = nil, 0
		}
		cur = append(cur, it)
		w += it.w
	}
	return append(out, cur)
}

// build places the rows of every copy, stacked or side by side.
func build(spec *twin.Spec, rows [][]item, stacked bool) *Floor {
	n, m := len(spec.Stations), len(spec.Arms)
	f := &Floor{
		Stations: make([]StationBox, spec.Lines*n),
		Arms:     make([]ArmBox, spec.Lines*m),
		Docks:    make([]Dock, spec.Lines),
		Stacked:  stacked,
		RowCount: len(rows),
	}
	armRow := armRows(spec, rows)
	origin := Point{floorPad, floorPad}
	for c := range spec.Lines {
		b := placeCopy(spec, f, c, rows, armRow, origin)
		f.Blocks = append(f.Blocks, b)
		f.Bounds = f.Bounds.Union(b.Bounds)
		if stacked {
			origin.Y += b.Bounds.H + copyGap
		} else {
			origin.X += b.Bounds.W + copyGap
		}
	}
	f.Bounds = f.Bounds.Inset(-floorPad)
	return f
}

// armRows reports which rows hold an arm base: the row of the first
// station each arm serves.
func armRows(spec *twin.Spec, rows [][]item) []bool {
	rowOf := make([]int, len(spec.Stations))
	for r, row := range rows {
		for _, it := range row {
			if it.station >= 0 {
				rowOf[it.station] = r
			}
		}
	}
	has := make([]bool, len(rows))
	for _, a := range spec.Arms {
		used := false
		for i, s := range spec.Stations {
			if s.Arm != nil && s.Arm.ID == a.ID {
				has[rowOf[i]], used = true, true
				break
			}
		}
		if !used { // parked by the dock, in the last row
			has[len(rows)-1] = true
		}
	}
	return has
}

// placeCopy lays out copy c with its top-left corner at origin.
func placeCopy(spec *twin.Spec, f *Floor, c int, rows [][]item, armRow []bool, origin Point) Block {
	n := len(spec.Stations)
	width := 0.0
	for _, row := range rows {
		w := 0.0
		for _, it := range row {
			w += it.w
		}
		width = math.Max(width, w)
	}
	b := Block{Line: c}
	left := origin.X + sidePad
	y := origin.Y + headerH
	for r, row := range rows {
		dir := 1.0
		if r%2 == 1 {
			dir = -1
		}
		x := left
		if dir < 0 {
			x = left + width // reversed rows run from the right edge
		}
		flowY := y + boxTop + boxH/2
		if r > 0 { // the turn from the previous row's end
			b.Track = append(b.Track, Point{x + dir*-sidePad*0.5, b.Track[len(b.Track)-1].Y}, Point{x + dir*-sidePad*0.5, flowY})
		}
		b.Track = append(b.Track, Point{x, flowY})
		for _, it := range row {
			sx := x
			if dir < 0 {
				sx = x - it.w
			}
			slot := Rect{sx, y, it.w, rowBase}
			if it.station >= 0 {
				f.Stations[c*n+it.station] = stationBox(spec, c, it.station, slot, dir)
			} else {
				f.Docks[c] = dockBox(c, slot, dir)
			}
			x += dir * it.w
		}
		b.Track = append(b.Track, Point{x, flowY})
		y += rowBase + rowGap
		if armRow[r] {
			y += armLane
		}
	}
	b.Bounds = Rect{origin.X, origin.Y, width + 2*sidePad, y - rowGap - origin.Y}
	b.Header = Rect{origin.X, origin.Y, width + 2*sidePad, headerH}
	placeArms(spec, f, c)
	return b
}

// stationBox places station i of copy c in slot, flowing in direction dir.
func stationBox(spec *twin.Spec, c, i int, slot Rect, dir float64) StationBox {
	st := &spec.Stations[i]
	// at mirrors an x offset within the slot for right-to-left rows.
	at := func(off, w float64) float64 {
		if dir > 0 {
			return slot.X + off
		}
		return slot.X + slot.W - off - w
	}
	bw := slot.W - boxX - trayX
	if st.Conveyor == nil {
		bw = boxW
	}
	s := StationBox{
		Line: c, Index: i, ID: st.ID, Dir: dir, Conveyor: st.Conveyor != nil, Slot: slot,
		Label:    Rect{slot.X + 3, slot.Y, slot.W - 6, labelH},
		Tray:     Rect{at(trayX, trayW), slot.Y + boxTop + (boxH-trayH)/2, trayW, trayH},
		Box:      Rect{at(boxX, bw), slot.Y + boxTop, bw, boxH},
		FlowY:    slot.Y + boxTop + boxH/2,
		Inspects: st.Inspect != nil,
	}
	s.InfoTray = Rect{s.Tray.X, slot.Y + labelH, s.Tray.W, infoH}
	s.InfoBox = Rect{s.Box.X, slot.Y + labelH, s.Box.W, infoH}
	entry, exit := s.Tray.X, s.Tray.X+s.Tray.W
	if dir < 0 {
		entry, exit = exit, entry
	}
	s.EyeIn, s.EyeOut = Point{entry, s.FlowY}, Point{exit, s.FlowY}
	servers := st.Servers
	if s.Conveyor || servers < 1 {
		servers = 1
	}
	s.Servers = serverGrid(s.Box.Inset(boxPad), servers, dir)
	if s.Conveyor { // a conveyor's state shows on a lamp strip along its top
		s.Servers = []Rect{{s.Box.X + boxPad, s.Box.Y + boxPad, s.Box.W - 2*boxPad, 8}}
	}
	return s
}

// serverGrid splits r into n sub-boxes in the grid that keeps them
// squarest, numbered in the flow direction, row by row.
func serverGrid(r Rect, n int, dir float64) []Rect {
	bestCols, best := 1, -1.0
	for cols := 1; cols <= n; cols++ {
		rows := (n + cols - 1) / cols
		w := (r.W - float64(cols-1)*servGap) / float64(cols)
		h := (r.H - float64(rows-1)*servGap) / float64(rows)
		fill := float64(n) / float64(cols*rows) // empty cells look like dead servers
		score := math.Min(w, h*1.3) * fill * fill * fill
		if score > best+1e-9 {
			bestCols, best = cols, score
		}
	}
	cols := bestCols
	rows := (n + cols - 1) / cols
	w := (r.W - float64(cols-1)*servGap) / float64(cols)
	h := (r.H - float64(rows-1)*servGap) / float64(rows)
	out := make([]Rect, n)
	for k := range n {
		col, row := k%cols, k/cols
		if dir < 0 {
			col = cols - 1 - col
		}
		out[k] = Rect{r.X + float64(col)*(w+servGap), r.Y + float64(row)*(h+servGap), w, h}
	}
	return out
}

// dockBox places the end of copy c: the shipped counter on the flow line,
// then the scrap bin.
func dockBox(c int, slot Rect, dir float64) Dock {
	const shipW, binW = 64.0, 38.0
	y := slot.Y + boxTop
	d := Dock{
		Line: c, Slot: slot, Dir: dir,
		Label: Rect{slot.X + 3, slot.Y, slot.W - 6, labelH},
		Ship:  Rect{slot.X + 6, y, shipW, boxH},
		Scrap: Rect{slot.X + 6 + shipW + 8, y + 16, binW, boxH - 16},
		FlowY: y + boxH/2,
		Entry: slot.X,
	}
	if dir < 0 {
		d.Ship.X = slot.X + slot.W - 6 - shipW
		d.Scrap.X = d.Ship.X - 8 - binW
		d.Entry = slot.X + slot.W
	}
	return d
}
