package stations_test

import (
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// lastSeen is an Observer that remembers, per station, the times of the
// last Entered, Taken and Inspected calls, and counts the calls a station
// may skip for an Observer that is not Detailed.
type lastSeen struct {
	eng                 *sim.Engine
	detailed            bool
	in, out, check      map[string]sim.Time
	pass                map[string]bool
	skippable, departed int
}

func newLastSeen(eng *sim.Engine, detailed bool) *lastSeen {
	return &lastSeen{eng: eng, detailed: detailed, in: map[string]sim.Time{}, out: map[string]sim.Time{},
		check: map[string]sim.Time{}, pass: map[string]bool{}}
}

func (o *lastSeen) Detailed() bool                          { return o.detailed }
func (o *lastSeen) Created(stations.UnitID, *stations.Unit) {}
func (o *lastSeen) Entered(st *stations.Station, _ stations.UnitID) {
	o.in[st.ID()] = o.eng.Now()
	o.skippable++
}
func (o *lastSeen) Taken(st *stations.Station, _ stations.UnitID) {
	o.out[st.ID()] = o.eng.Now()
	o.skippable++
}
func (o *lastSeen) Processed(*stations.Station, stations.UnitID, sim.Time) { o.skippable++ }
func (o *lastSeen) Inspected(st *stations.Station, _ stations.UnitID, pass bool) {
	o.check[st.ID()], o.pass[st.ID()] = o.eng.Now(), pass
	o.skippable++
}
func (o *lastSeen) PhaseChanged(*stations.Station, int, stations.Phase) { o.skippable++ }
func (o *lastSeen) Departed(*stations.Station, stations.UnitID, *stations.Unit, stations.Departure) {
	o.departed++
}

// runLast runs a three-station line with random cycles, defects and an
// inspection that scraps for d, telling obs.
func runLast(t *testing.T, detailed bool, d sim.Time) (*lastSeen, []*stations.Station) {
	t.Helper()
	eng := sim.NewEngine(16)
	obs := newLastSeen(eng, detailed)
	sts := buildWith(t, eng, []stations.Spec{
		{ID: "A", Cycle: dist(t, "exp(1s)"), DefectRate: 0.2},
		{ID: "B", Cycle: dist(t, "exp(1.2s)"), Buffer: 3},
		{ID: "C", Cycle: dist(t, "exp(0.9s)"), Buffer: 2, Inspect: &stations.Inspect{Detect: 0.9, OnFail: "scrap"}},
	}, obs)
	eng.RunUntil(d)
	return obs, sts
}

// A station keeps the times of its last entry, take and inspection itself:
// the same as a detailed observer sees, and an observer that is not
// detailed gets none of the calls it may skip, nor a different run.
func TestStationKeepsLastTimes(t *testing.T) {
	if _, sts := runLast(t, true, 0); sts[1].LastIn() != -1 || sts[1].LastOut() != -1 {
		t.Errorf("before any unit: LastIn %v, LastOut %v; want -1", sts[1].LastIn(), sts[1].LastOut())
	}
	const d = 10 * sim.Minute
	full, fsts := runLast(t, true, d)
	lean, lsts := runLast(t, false, d)
	if full.skippable == 0 || full.departed == 0 {
		t.Fatalf("the detailed run saw %d skippable calls and %d departures", full.skippable, full.departed)
	}
	if lean.skippable != 0 {
		t.Errorf("an observer that is not detailed got %d calls it may skip", lean.skippable)
	}
	if lean.departed != full.departed {
		t.Errorf("%d departures without detail, %d with", lean.departed, full.departed)
	}
	for i, st := range fsts {
		id := st.ID()
		for _, run := range []struct {
			name string
			st   *stations.Station
		}{{"detailed", st}, {"lean", lsts[i]}} {
			if got, want := run.st.LastIn(), full.in[id]; got != want {
				t.Errorf("%s %s: LastIn %v, want %v", run.name, id, got, want)
			}
			if got, want := run.st.LastOut(), full.out[id]; got != want {
				t.Errorf("%s %s: LastOut %v, want %v", run.name, id, got, want)
			}
			at, pass := run.st.LastCheck()
			want, ok := full.check[id]
			if !ok {
				want = -1
			}
			if at != want || pass != full.pass[id] {
				t.Errorf("%s %s: LastCheck %v %v, want %v %v", run.name, id, at, pass, want, full.pass[id])
			}
		}
	}
	if at, _ := fsts[2].LastCheck(); at <= 0 {
		t.Errorf("C's inspection never ran (LastCheck %v)", at)
	}
}
