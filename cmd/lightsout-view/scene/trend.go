package scene

import (
	"math"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// TrendLen is how many condition readings a Trends keeps per server.
const TrendLen = 96

// TrendPoint is one condition reading: when it was taken and its value
// (and, on a local line, the model's health then, NaN in twin mode).
type TrendPoint struct {
	At     sim.Time
	Value  float64
	Health float64
}

// trend is a ring of one server's latest readings.
type trend struct {
	pts  [TrendLen]TrendPoint
	n    int // readings held
	next int // where the next goes
}

// Trends keeps the latest condition readings of every server of every
// worn station, as they arrive in snapshots: the health trend of the
// detail panel. A reading is kept once, when its time first shows. The
// zero value is ready to use.
type Trends struct {
	// by station slot, then server
	slots [][]trend
	now   sim.Time
}

// Observe records the readings of snap that are new since the last one.
// A snapshot earlier than the last (the line was reset) starts afresh.
// model says the snapshot comes from a local line, whose Health is the
// model's truth; in twin mode it is not kept.
func (t *Trends) Observe(snap *twin.Snapshot, model bool) {
	if snap.Now < t.now {
		t.slots = t.slots[:0]
	}
	t.now = snap.Now
	for len(t.slots) < len(snap.Stations)+len(snap.Arms) {
		t.slots = append(t.slots, nil)
	}
	t.observeArms(snap, model)
	for i := range snap.Stations {
		up := snap.Stations[i].Upkeep
		if len(up) == 0 {
			continue
		}
		if len(t.slots[i]) != len(up) {
			t.slots[i] = make([]trend, len(up))
		}
		for k := range up {
			if up[k].ReadingAt < 0 {
				continue
			}
			tr := &t.slots[i][k]
			if tr.n > 0 && tr.pts[(tr.next+TrendLen-1)%TrendLen].At >= up[k].ReadingAt {
				continue
			}
			h := math.NaN()
			if model {
				h = up[k].Health
			}
			tr.pts[tr.next] = TrendPoint{At: up[k].ReadingAt, Value: up[k].Reading, Health: h}
			tr.next = (tr.next + 1) % TrendLen
			tr.n = min(tr.n+1, TrendLen)
		}
	}
}

// Points appends to dst the readings kept of server k of station slot i,
// oldest first.
func (t *Trends) Points(i, k int, dst []TrendPoint) []TrendPoint {
	dst = dst[:0]
	if i < 0 || i >= len(t.slots) || k < 0 || k >= len(t.slots[i]) {
		return dst
	}
	tr := &t.slots[i][k]
	for j := range tr.n {
		dst = append(dst, tr.pts[(tr.next-tr.n+j+TrendLen)%TrendLen])
	}
	return dst
}

// Spark is a sparkline laid out in a rectangle: the points of the
// readings and the level of the sensor's worn and new readings.
type Spark struct {
	Points []Point
	// WornY and NewY are the heights of the Worn and New readings.
	WornY, NewY float64
	// Lo and Hi are the values at the bottom and the top.
	Lo, Hi float64
}

// LaySpark lays the readings pts out in r: time across (the span of the
// readings), the value up, the axis from the lower to the higher of the
// sensor's new and worn readings widened to hold every point. dst is
// reused for the points.
func LaySpark(pts []TrendPoint, newV, wornV float64, r Rect, dst []Point) Spark {
	lo, hi := min(newV, wornV), max(newV, wornV)
	for _, p := range pts {
		lo, hi = min(lo, p.Value), max(hi, p.Value)
	}
	if hi <= lo {
		hi = lo + 1
	}
	y := func(v float64) float64 { return r.Y + r.H - (v-lo)/(hi-lo)*r.H }
	s := Spark{Points: dst[:0], WornY: y(wornV), NewY: y(newV), Lo: lo, Hi: hi}
	if len(pts) == 0 {
		return s
	}
	t0, t1 := pts[0].At, pts[len(pts)-1].At
	for _, p := range pts {
		x := r.X + r.W
		if t1 > t0 {
			x = r.X + float64(p.At-t0)/float64(t1-t0)*r.W
		}
		s.Points = append(s.Points, Point{x, y(p.Value)})
	}
	return s
}

// observeArms records the new readings of the worn arms of snap, arm j as
// slot len(snap.Stations)+j with one server.
func (t *Trends) observeArms(snap *twin.Snapshot, model bool) {
	for j := range snap.Arms {
		a := &snap.Arms[j]
		if !a.Worn || a.Upkeep.ReadingAt < 0 {
			continue
		}
		i := len(snap.Stations) + j
		if len(t.slots[i]) != 1 {
			t.slots[i] = make([]trend, 1)
		}
		tr := &t.slots[i][0]
		if tr.n > 0 && tr.pts[(tr.next+TrendLen-1)%TrendLen].At >= a.Upkeep.ReadingAt {
			continue
		}
		h := math.NaN()
		if model {
			h = a.Upkeep.Health
		}
		tr.pts[tr.next] = TrendPoint{At: a.Upkeep.ReadingAt, Value: a.Upkeep.Reading, Health: h}
		tr.next = (tr.next + 1) % TrendLen
		tr.n = min(tr.n+1, TrendLen)
	}
}

// ArmSlot returns the slot of arm j in a Trends fed snapshots of ns
// station slots.
func ArmSlot(ns, j int) int { return ns + j }
