package deviation

import (
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Counters feeds its detector the mean cycle of each interval: a device
// that keeps to its model raises nothing (and allocates nothing), one 30%
// slower is caught within a few intervals, a commanded speed is allowed
// for, and counters that go back only set a new baseline.
func TestCounters(t *testing.T) {
	m := Model{Mean: 10, SD: 1}
	feed := func(f *Counters, count *int64, total *sim.Time, at sim.Time, dn int64, cycle sim.Time, speed float64) []Event {
		*count += dn
		*total += sim.Time(dn) * cycle
		return f.Observe(at, *count, *total, speed, nil)
	}
	f, err := NewCounters("press", m)
	if err != nil {
		t.Fatal(err)
	}
	var count int64
	var total sim.Time
	allocs := testing.AllocsPerRun(200, func() {
		if evs := feed(f, &count, &total, 0, 6, 10*sim.Second, 1); len(evs) != 0 {
			t.Fatalf("on-model cycles raised %v", evs)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations an observation", allocs)
	}
	// Half the cycle at speed 2 is on the model.
	for range 100 {
		if evs := feed(f, &count, &total, 0, 6, 5*sim.Second, 2); len(evs) != 0 {
			t.Fatalf("cycles at speed 2 raised %v", evs)
		}
	}
	// Counters that go back (a statistics reset) set a baseline only.
	count, total = 0, 0
	if evs := f.Observe(0, 5, 1000*sim.Second, 1, nil); len(evs) != 0 {
		t.Fatalf("a reset raised %v", evs)
	}
	count, total = 5, 1000*sim.Second
	var raised []Event
	for i := range 10 {
		raised = append(raised, feed(f, &count, &total, sim.Time(i)*sim.Minute, 6, 13*sim.Second, 1)...)
		if len(raised) > 0 {
			break
		}
	}
	if len(raised) != 1 || raised[0].Kind != CycleTimeDrift || raised[0].Device != "press" {
		t.Fatalf("30%% slower cycles: %v, want one drift of press", raised)
	}
}
