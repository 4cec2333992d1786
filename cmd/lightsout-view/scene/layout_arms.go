package scene

import (
	"math"

	"github.com/lightsout-sim/lightsout/twin"
)

// placeArms stands each arm of copy c below the row of the first station
// it serves, centred under the stations it serves in that row, with links
// long enough to reach every point it picks from or places on.
func placeArms(spec *twin.Spec, f *Floor, c int) {
	n, m := len(spec.Stations), len(spec.Arms)
	for j := range spec.Arms {
		a := ArmBox{Line: c, Index: j, ID: spec.Arms[j].ID}
		for i := range spec.Stations {
			if u := spec.Stations[i].Arm; u != nil && u.ID == a.ID {
				a.Stations = append(a.Stations, i)
			}
		}
		if len(a.Stations) == 0 { // an arm no station uses: park it by the dock
			d := f.Docks[c]
			a.Base = Point{d.Slot.X + d.Slot.W/2, d.Slot.Y + rowBase + armLane*0.35}
			a.L1, a.L2, a.Elbow = 30, 30, 1
			a.Label = Rect{a.Base.X - slotW/2 + 4, a.Base.Y + 14, slotW - 8, 13}
			f.Arms[c*m+j] = a
			continue
		}
		first := &f.Stations[c*n+a.Stations[0]]
		sum, k := 0.0, 0
		for _, i := range a.Stations {
			s := &f.Stations[c*n+i]
			if s.FlowY == first.FlowY {
				sum += s.Box.Center().X
				k++
			}
		}
		a.Base = Point{sum / float64(k), first.Slot.Y + rowBase + armLane*0.35}
		a.Elbow = first.Dir
		reach := 0.0
		for _, i := range a.Stations {
			for _, p := range armTargets(f, c, n, i) {
				reach = math.Max(reach, Dist(a.Base, p))
			}
		}
		a.L1 = reach * 0.56
		a.L2 = reach * 0.56
		a.Label = Rect{a.Base.X - slotW/2 + 4, a.Base.Y + 14, slotW - 8, 13}
		f.Arms[c*m+j] = a
	}
}

// armTargets returns every point an arm serving station i picks from or
// places on: the tray's head, each server, and where it unloads.
func armTargets(f *Floor, c, n, i int) []Point {
	s := &f.Stations[c*n+i]
	pts := []Point{s.Head(), UnloadPoint(f, c, n, i)}
	for _, r := range s.Servers {
		pts = append(pts, r.Center())
	}
	return pts
}

// UnloadPoint returns where an arm puts down a unit it takes out of
// station i of copy c: the entry of the next station's tray, or the dock,
// when they are in the same row; otherwise just past the station, on the
// flow line, where the track carries it on.
func UnloadPoint(f *Floor, c, n, i int) Point {
	s := &f.Stations[c*n+i]
	next := Point{-1, -1}
	if i+1 < n {
		next = f.Stations[c*n+i+1].Entry()
	} else {
		d := &f.Docks[c]
		next = Point{d.Entry + d.Dir*10, d.FlowY}
	}
	if next.Y == s.FlowY && math.Abs(next.X-s.Box.Center().X) < 2*slotW {
		return next
	}
	edge := s.Box.X + s.Box.W
	if s.Dir < 0 {
		edge = s.Box.X
	}
	return Point{edge + s.Dir*10, s.FlowY}
}
