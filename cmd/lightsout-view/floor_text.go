package main

import (
	"math"
	"strconv"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
)

// drawFloorText writes the floor's labels: copy headers, station ids,
// buffer counts, defect counts, dock counters and arm ids. Sizes follow
// the zoom (up to a cap); each label is cut to its own box, so labels
// never run into each other.
func (g *Game) drawFloorText(dst *ebiten.Image) {
	ls, is := floorTextSize(labelSize, g.cam.Zoom), floorTextSize(infoSize, g.cam.Zoom)
	z := g.cam.Zoom
	snap := &g.sess.Snap
	f := g.fonts
	for _, b := range g.floor.Blocks {
		h := g.wr(b.Header)
		h = Rect{h.X + 10*z, h.Y, h.W - 20*z, h.H}
		f.DrawIn(dst, "LINE "+strconv.Itoa(b.Line+1), h, ls, true, colTextDim, Start)
		f.DrawIn(dst, g.copySummary(b.Line), h, is, false, colTextFade, End)
	}
	for i := range g.floor.Stations {
		sb := &g.floor.Stations[i]
		if !g.visible(sb.Slot) || i >= len(snap.Stations) {
			continue
		}
		ss := &snap.Stations[i]
		bottleneck := g.overlays[OverlayBottleneck] && ss.Index == snap.Line.Bottleneck
		col := colText
		if bottleneck {
			col = colBottleneck
		}
		if x, _, ok := g.labelPlace(sb, ss); ok {
			bold := g.labelBold(sb, ss)
			f.Draw(dst, f.Fit(ss.ID, ls, bold, g.labelRoom(sb)), x, g.wr(sb.Label).Center().Y, ls, bold, col, Middle, Middle)
		}
		full := ss.Capacity != stations.Inf && ss.Buffer >= int(ss.Capacity) && ss.Buffer > 0
		bc := colTextDim
		if full {
			bc = colTrayFull
		}
		f.DrawIn(dst, strconv.Itoa(ss.Buffer)+"/"+capText(ss.Capacity), g.wr(sb.InfoTray), is, full, bc, Middle)
		if g.overlays[OverlayDefects] {
			g.defectText(dst, sb, &ss.Counts, is)
		}
		g.stationTagText(dst, i)
	}
	for c := range g.floor.Docks {
		g.dockText(dst, c, ls, is)
	}
	for j := range g.floor.Arms {
		a := &g.floor.Arms[j]
		if j >= len(snap.Arms) {
			break
		}
		st := &snap.Arms[j]
		col, label := colTextDim, a.ID
		if st.Phase == robots.Down || st.Broken {
			col, label = colArmDown, a.ID+" DOWN"
		}
		if mk := g.twinArm(j); mk != nil && mk.Stale {
			col, label = colStale, a.ID+" STALE"
		}
		f.DrawIn(dst, label, g.wr(a.Label), is, st.Broken, col, Middle)
	}
	g.drawTwinFloorText(dst)
}

// camera size of an inspection's camera icon, in world units, and the gap
// between it and the label.
const camW, camH, camGap = 14.0, 10.0, 4.0

// labelRoom returns the screen width a station's id may take: its label
// band, less the camera of an inspection.
func (g *Game) labelRoom(sb *StationBox) float64 {
	w := g.wr(sb.Label).W
	if sb.Inspects {
		w -= (camW + camGap) * g.cam.Zoom
	}
	return w
}

// labelPlace returns where a station's id is centred on the screen (over
// its box, moved as little as needed to stay in its band) and, for an
// inspection, the screen rectangle of its camera, just before the id; ok
// is false when the text is too small to draw.
func (g *Game) labelPlace(sb *StationBox, ss *twin.StationState) (x float64, cam Rect, ok bool) {
	z := g.cam.Zoom
	size := floorTextSize(labelSize, z)
	if size < minTextSize {
		return 0, Rect{}, false
	}
	bold := g.labelBold(sb, ss)
	w := g.fonts.Width(g.fonts.Fit(ss.ID, size, bold, g.labelRoom(sb)), size, bold)
	band := g.wr(sb.Label)
	lead := 0.0 // room before the text
	if sb.Inspects {
		lead = (camW + camGap) * z
	}
	left := g.ws(sb.Box.Center()).X - (w+lead)/2
	left = math.Min(math.Max(left, band.X), band.X+band.W-w-lead)
	cam = Rect{left, band.Y + (band.H-camH*z)/2 + z, camW * z, camH * z}
	return left + lead + w/2, cam, true
}

// labelBold reports whether a station's id is bold: the bottleneck's, or
// the selected station's.
func (g *Game) labelBold(sb *StationBox, ss *twin.StationState) bool {
	n := len(g.sess.Spec.Stations)
	return (g.overlays[OverlayBottleneck] && ss.Index == g.sess.Snap.Line.Bottleneck) ||
		(g.sel.Kind == SelStation && g.sel.Slot == sb.Line*n+sb.Index)
}

// floorTextSize returns the size of floor text of size base at zoom z: it
// grows with the zoom (up to a cap) but shrinks only as its square root
// when zoomed out, so the long lines stay readable; labels are cut to their
// boxes anyway.
func floorTextSize(base, z float64) float64 {
	if z < 1 {
		return base * math.Sqrt(z)
	}
	return math.Min(base*z, base*1.4)
}

// defectText writes a station's defect counts above its box, those not
// zero: ▲ units it made defective, ● defective units its inspection
// caught, × units it scrapped.
func (g *Game) defectText(dst *ebiten.Image, sb *StationBox, c *twin.StationCounts, size float64) {
	s := defectString(c)
	if s == "" {
		return
	}
	g.fonts.DrawIn(dst, s, g.wr(sb.InfoBox), size, true, colDefect, defectAlign(sb))
}

// defectString writes a station's defect counts, those not zero ("▲3 ●5").
func defectString(c *twin.StationCounts) string {
	var s string
	for _, part := range [3]struct {
		mark string
		n    int64
	}{{"▲", c.Defects}, {"●", c.Caught}, {"×", c.Scrapped}} {
		if part.n > 0 {
			if s != "" {
				s += " "
			}
			s += part.mark + thousands(part.n)
		}
	}
	return s
}

// defectAlign is where a station's defect counts sit over its box: at
// the end units come in from.
func defectAlign(sb *StationBox) Align {
	if sb.Dir < 0 {
		return End
	}
	return Start
}

// dockText writes the shipped and scrapped counts of copy c.
func (g *Game) dockText(dst *ebiten.Image, c int, ls, is float64) {
	d := &g.floor.Docks[c]
	f := g.fonts
	f.DrawIn(dst, "out", g.wr(d.Label), ls, false, colTextDim, Middle)
	ship := d.Ship
	f.DrawIn(dst, "shipped", g.wr(Rect{ship.X, ship.Y + 4, ship.W, 14}), is, false, colTextDim, Middle)
	f.DrawIn(dst, thousands(g.copyShipped(c)), g.wr(Rect{ship.X + 2, ship.Y + 20, ship.W - 4, 22}), ls*1.1, true, colText, Middle)
	bin := d.Scrap
	f.DrawIn(dst, "scrap", g.wr(Rect{bin.X - 6, bin.Y - 17, bin.W + 12, 13}), is, false, colTextDim, Middle)
	f.DrawIn(dst, thousands(g.copyScrapped(c)), g.wr(Rect{bin.X, bin.Y + 2, bin.W, 14}), is, true, colText, Middle)
}

// copySummary describes copy c in its header: what it shipped and holds.
func (g *Game) copySummary(c int) string {
	s := "shipped " + thousands(g.copyShipped(c))
	if g.overlays[OverlayWIP] {
		s += "   WIP " + strconv.Itoa(g.copyWIP(c))
	}
	return s
}

// copyWIP counts the units in copy c: in buffers, machines and conveyors.
func (g *Game) copyWIP(c int) int {
	n := len(g.sess.Spec.Stations)
	w := 0
	for i := range n {
		ss := &g.sess.Snap.Stations[c*n+i]
		w += ss.Buffer + ss.Inside
		if !ss.Conveyor {
			for _, v := range ss.Servers {
				if v.Unit {
					w++
				}
			}
		}
	}
	return w
}

// capText writes a buffer capacity: the number, or ∞.
func capText(c stations.Capacity) string {
	if c == stations.Inf {
		return "∞"
	}
	return strconv.Itoa(int(c))
}
