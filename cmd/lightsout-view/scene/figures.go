package scene

import (
	"cmp"
	"math"
	"slices"

	"github.com/lightsout-sim/lightsout/twin"
)

// The figures below are worked out from a snapshot of a line of n
// stations per copy; copy c's stations are snap.Stations[c*n : c*n+n].

// CopyShipped returns the units copy c shipped: what its last station
// handed on, less what that station scrapped.
func CopyShipped(snap *twin.Snapshot, n, c int) int64 {
	last := &snap.Stations[c*n+n-1]
	return last.Counts.Out - last.Counts.Scrapped
}

// CopyScrapped returns the units copy c scrapped.
func CopyScrapped(snap *twin.Snapshot, n, c int) int64 {
	var s int64
	for i := range n {
		s += snap.Stations[c*n+i].Counts.Scrapped
	}
	return s
}

// CopyWIP counts the units in copy c: in buffers, machines and conveyors.
func CopyWIP(snap *twin.Snapshot, n, c int) int {
	w := 0
	for i := range n {
		ss := &snap.Stations[c*n+i]
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

// HeatScale returns the largest count of defects made or caught at one
// station, which the defect heat of every station is relative to.
func HeatScale(snap *twin.Snapshot) float64 {
	m := 0.0
	for i := range snap.Stations {
		c := snap.Stations[i].Counts
		m = math.Max(m, float64(c.Defects+c.Caught))
	}
	return m
}

// StationDefects are one station's defect counts over every copy.
type StationDefects struct {
	ID                  string
	Made, Caught, Scrap int64
}

// WorstStations returns up to k stations with the most defects made or
// caught, summed over the copies, most first (in flow order among equals).
func WorstStations(snap *twin.Snapshot, n, k int) []StationDefects {
	all := make([]StationDefects, n)
	for i := range snap.Stations {
		ss := &snap.Stations[i]
		d := &all[i%n]
		d.ID = ss.ID
		d.Made += ss.Counts.Defects
		d.Caught += ss.Counts.Caught
		d.Scrap += ss.Counts.Scrapped
	}
	all = slices.DeleteFunc(all, func(d StationDefects) bool { return d.Made+d.Caught == 0 })
	slices.SortStableFunc(all, func(a, b StationDefects) int { return cmp.Compare(b.Made+b.Caught, a.Made+a.Caught) })
	return all[:min(k, len(all))]
}
