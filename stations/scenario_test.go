package stations_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// recorder is an Observer that writes what happens as a log, SimPy style.
type recorder struct {
	eng    *sim.Engine
	log    []string
	phases bool
}

func (r *recorder) add(format string, a ...any) {
	r.log = append(r.log, fmt.Sprintf("%v ", r.eng.Now())+fmt.Sprintf(format, a...))
}
func (r *recorder) Created(id stations.UnitID, u *stations.Unit)     { r.add("new u%d", u.Serial) }
func (r *recorder) Entered(st *stations.Station, id stations.UnitID) {}
func (r *recorder) Taken(st *stations.Station, id stations.UnitID)   {}
func (r *recorder) Processed(st *stations.Station, id stations.UnitID, c sim.Time) {
	r.add("%s done", st.ID())
}
func (r *recorder) Inspected(st *stations.Station, id stations.UnitID, pass bool) {
	r.add("%s inspect pass=%v", st.ID(), pass)
}
func (r *recorder) PhaseChanged(st *stations.Station, k int, p stations.Phase) {
	if r.phases {
		r.add("%s[%d] %v", st.ID(), k, p)
	}
}
func (r *recorder) Departed(st *stations.Station, id stations.UnitID, u *stations.Unit, how stations.Departure) {
	r.add("u%d %s", u.Serial, map[stations.Departure]string{stations.Shipped: "shipped", stations.Scrapped: "scrapped"}[how])
}

// build makes a line of stations from specs, unlimited raw material first.
func build(t *testing.T, specs []stations.Spec, phases bool) (*sim.Engine, *recorder, []*stations.Station) {
	t.Helper()
	eng := sim.NewEngine(16)
	rec := &recorder{eng: eng, phases: phases}
	return eng, rec, buildWith(t, eng, specs, rec)
}

// buildWith makes a line of stations from specs on eng, telling obs,
// unlimited raw material first, and starts it.
func buildWith(t *testing.T, eng *sim.Engine, specs []stations.Spec, obs stations.Observer) []*stations.Station {
	t.Helper()
	units := &stations.Units{}
	var sts []*stations.Station
	for i := range specs {
		specs[i].Defaults()
		if err := specs[i].Validate(); err != nil {
			t.Fatal(err)
		}
		sts = append(sts, stations.New(stations.Config{
			Spec: &specs[i], Index: i, Engine: eng, Units: units, Obs: obs,
			Streams: stations.Streams{
				Cycle: sim.NewStream(1, specs[i].ID+"c"), Fail: sim.NewStream(1, specs[i].ID+"f"),
				Quality: sim.NewStream(1, specs[i].ID+"q"),
			},
		}))
	}
	for i := range sts {
		if i+1 < len(sts) {
			sts[i].SetNext(sts[i+1])
		}
	}
	sts[0].SetUnlimited()
	for _, st := range sts {
		st.Start()
	}
	return sts
}

func dist(t *testing.T, s string) sim.Dist {
	t.Helper()
	d, err := sim.ParseDist(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func checkLog(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A fast machine before a slow one with no buffer between them: the fast one
// blocks after each unit until the slow one takes it.
func TestBlockingAfterServiceNoBuffer(t *testing.T) {
	eng, rec, sts := build(t, []stations.Spec{
		{ID: "A", Cycle: dist(t, "1s")},
		{ID: "B", Cycle: dist(t, "3s"), Buffer: 0},
	}, true)
	eng.RunUntil(7 * sim.Second)
	rec.log = rec.log[:15]
	checkLog(t, rec.log, []string{
		"0s new u1",
		"0s A[0] Working",
		"1s A done",
		"1s B[0] Working", // u1 goes straight onto B, A takes u2 at once
		"1s new u2",
		"2s A done",
		"2s A[0] Blocked", // B busy, no buffer: A holds u2
		"4s B done",
		"4s u1 shipped",
		"4s B[0] Starved",
		"4s B[0] Working", // A hands u2 over the moment B is free
		"4s new u3",
		"4s A[0] Working",
		"5s A done",
		"5s A[0] Blocked",
	})
	if got := sts[0].Stats().PhaseTime[stations.Blocked]; got != 4*sim.Second {
		t.Errorf("A blocked for %v, want 4s (2s-4s and 5s-7s)", got)
	}
}
