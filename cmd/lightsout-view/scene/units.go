package scene

import (
	"math"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// maxTray is the most unit places a tray shows; more units show as "+n".
const maxTray = 24

// TrayGrid is the grid of unit places in a buffer's tray. Place 0 is the
// head (the oldest unit, next to the machine); places fill back towards the
// entry, column by column.
type TrayGrid struct {
	Tray         Rect
	Dir          float64
	Rows, Cols   int
	CellW, CellH float64
}

// NewTrayGrid returns the places a tray shows for a buffer of capacity c
// now holding count units: all of a finite capacity (up to maxTray), else
// enough for the units.
func NewTrayGrid(tray Rect, dir float64, c stations.Capacity, count int) TrayGrid {
	v := int(c)
	if c == stations.Inf || c == 0 {
		v = max(8, count)
	}
	v = min(max(v, 1), maxTray)
	rows := 1
	switch {
	case v > 16:
		rows = 3
	case v > 6:
		rows = 2
	}
	cols := (v + rows - 1) / rows
	in := tray.Inset(2)
	return TrayGrid{Tray: tray, Dir: dir, Rows: rows, Cols: cols,
		CellW: in.W / float64(cols), CellH: in.H / float64(rows)}
}

// Places returns the number of places shown.
func (g TrayGrid) Places() int { return g.Rows * g.Cols }

// Unit returns the side of a unit drawn in the tray.
func (g TrayGrid) Unit() float64 { return math.Min(g.CellW, g.CellH) * 0.74 }

// Place returns the centre of place k (0 is the head).
func (g TrayGrid) Place(k int) Point {
	col, row := k/g.Rows, k%g.Rows
	exit := g.Tray.X + g.Tray.W - 2
	if g.Dir < 0 {
		exit = g.Tray.X + 2
	}
	return Point{exit - g.Dir*(float64(col)+0.5)*g.CellW, g.Tray.Y + 2 + (float64(row)+0.5)*g.CellH}
}

// slideTime returns how long a unit takes to slide into its place: a
// quarter of the station's ideal cycle, between 0.1 s and 1.5 s.
func slideTime(idealCycle sim.Time) sim.Time {
	return min(max(idealCycle/4, 100*sim.Millisecond), 1500*sim.Millisecond)
}

// Eased returns the share (0 to 1) of a movement of length dur that began
// at start, done at now, eased in and out; 1 once it is over or if it
// never began (start < 0).
func Eased(now, start, dur sim.Time) float64 {
	if start < 0 || dur <= 0 || now-start >= dur {
		return 1
	}
	t := clamp01(float64(now-start) / float64(dur))
	return t * t * (3 - 2*t)
}

// BufferUnit returns where the k-th oldest unit of a buffer is drawn at
// now: at its place, or on its way there. The newest unit slides in from
// the entry after the entry photo-eye fired (LastIn); in a one-lane tray,
// all units move up a place after the exit photo-eye fired (LastOut). (In
// a tray of several lanes moving up a place is a jump across lanes, which
// reads worse than a snap.)
func BufferUnit(g TrayGrid, ss *twin.StationState, k int, entry Point, now sim.Time) Point {
	dur := slideTime(ss.IdealCycle)
	p := g.Place(k)
	if t := Eased(now, ss.LastOut, dur); t < 1 && k+1 < g.Places() && g.Rows == 1 {
		p = Lerp(g.Place(k+1), p, t)
	}
	if k == ss.Buffer-1 {
		if t := Eased(now, ss.LastIn, dur); t < 1 {
			p = Lerp(entry, g.Place(k), t)
		}
	}
	return p
}

// ConveyorPositions fills pos with the distance from the entry of each
// unit riding a conveyor of the given length, from the exit back (like
// Riding): each at its share of the ride, but never closer than gap to the
// unit ahead, so that units waiting at the exit queue up behind it.
func ConveyorPositions(riding []twin.Riding, length, gap float64, pos []float64) []float64 {
	pos = pos[:0]
	ahead := math.Inf(1)
	for _, r := range riding {
		x := math.Min(clamp01(r.Progress)*length, ahead-gap)
		x = math.Max(x, 0)
		pos = append(pos, x)
		ahead = x
	}
	return pos
}

// ServerUnit returns where the unit of server k of station sb (in a line
// of n stations per copy) is drawn, if it is not in an arm's gripper
// (poses): in the machine, waiting at the tray's exit for the arm to load
// it, or put down where the arm unloads it. ok is false when the server
// has no unit or an arm carries it.
func ServerUnit(f *Floor, n int, poses []ArmPose, sb *StationBox, k int, v stations.ServerView) (p Point, ok bool) {
	if !v.Unit {
		return Point{}, false
	}
	in := sb.Servers[k].Center()
	for j := range poses {
		a := &poses[j]
		if a.Line != sb.Line || a.Station != sb.Index || a.Server != k || a.Loading != (v.Phase == stations.Loading) {
			continue
		}
		switch {
		case a.Carry:
			return Point{}, false
		case a.Loading && a.UnitAt < 1:
			return sb.Head(), true
		case !a.Loading && a.UnitAt >= 1:
			return UnloadPoint(f, sb.Line, n, sb.Index), true
		}
		return in, true
	}
	if v.Phase == stations.Loading {
		return sb.Head(), true // waiting for the arm
	}
	return in, true
}
