package sim_test

import (
	"fmt"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// benchHold runs the classic hold model: n events pending; each step pops
// the earliest and schedules one after an exponential delay.
func benchHold(b *testing.B, n int) {
	e := sim.NewEngine(n)
	h := &holder{d: sim.ExpDist(sec), rng: sim.NewStream(1, "hold")}
	for range n {
		e.Schedule(h.d.Sample(h.rng), h, 0)
	}
	b.ReportAllocs()
	n0 := e.Events()
	for b.Loop() {
		e.Step()
	}
	if e.Pending() != n {
		b.Fatalf("Pending = %d, want %d", e.Pending(), n)
	}
	b.ReportMetric(float64(e.Events()-n0)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkEngineHoldModel is the hold model with 1000 pending events.
func BenchmarkEngineHoldModel(b *testing.B) { benchHold(b, 1000) }

// BenchmarkEngineHoldModelSize shows how the cost grows with the queue.
func BenchmarkEngineHoldModelSize(b *testing.B) {
	for _, n := range []int{10, 100_000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) { benchHold(b, n) })
	}
}

// BenchmarkEngineScheduleCancel measures an event that also schedules and
// cancels a timeout, as a station with a failure clock does.
func BenchmarkEngineScheduleCancel(b *testing.B) {
	e := sim.NewEngine(1000)
	for i := range 1000 {
		e.Schedule(sim.Time(i), &churner{every: sim.Time(i+1) * sim.Millisecond}, 0)
	}
	for range 10000 { // let the queue reach its working size
		e.Step()
	}
	b.ReportAllocs()
	n0 := e.Events()
	for b.Loop() {
		e.Step()
	}
	b.ReportMetric(float64(e.Events()-n0)/b.Elapsed().Seconds(), "events/s")
}
