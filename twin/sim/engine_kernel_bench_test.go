package sim_test

import (
	"fmt"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// tableHolder is the hold model's handler with the random numbers taken out:
// it cycles through exponential delays drawn once, up front, so a benchmark
// of it measures the kernel alone.
type tableHolder struct {
	delays []sim.Time // length a power of two
	i      int
}

func newTableHolder() *tableHolder {
	h := &holder{d: sim.ExpDist(sec), rng: sim.NewStream(1, "hold")}
	t := &tableHolder{delays: make([]sim.Time, 1<<16)}
	for i := range t.delays {
		t.delays[i] = h.d.Sample(h.rng)
	}
	return t
}

func (h *tableHolder) next() sim.Time {
	d := h.delays[h.i&(len(h.delays)-1)]
	h.i++
	return d
}

func (h *tableHolder) Handle(e *sim.Engine, _ int64) { e.Schedule(h.next(), h, 0) }

// BenchmarkEngineHoldModelKernel is the hold model with precomputed delays:
// the kernel's own cost per event, without the cost of drawing a random delay.
func BenchmarkEngineHoldModelKernel(b *testing.B) {
	for _, n := range []int{10, 1000, 100_000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			e := sim.NewEngine(n)
			h := newTableHolder()
			for range n {
				e.Schedule(h.next(), h, 0)
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
		})
	}
}

// BenchmarkEngineHoldModelRun is the kernel-only hold model driven by
// RunUntil rather than Step, in slices of simulated time, the way a line is
// run.
func BenchmarkEngineHoldModelRun(b *testing.B) {
	const n = 1000
	e := sim.NewEngine(n)
	h := newTableHolder()
	for range n {
		e.Schedule(h.next(), h, 0)
	}
	b.ReportAllocs()
	n0 := e.Events()
	for b.Loop() {
		e.RunUntil(e.Now() + sec) // about n events
	}
	b.ReportMetric(float64(e.Events()-n0)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(e.Events()-n0), "ns/event")
}

// BenchmarkExpSampleFloor is the random part of the hold model's handler on
// its own: one exponential draw (PCG, ExpFloat64, conversion to Time). The
// hold model benchmarks cost at least this much per event more than the
// kernel benchmarks.
func BenchmarkExpSampleFloor(b *testing.B) {
	h := &holder{d: sim.ExpDist(sec), rng: sim.NewStream(1, "hold")}
	var sum sim.Time
	for b.Loop() {
		sum += h.d.Sample(h.rng)
	}
	if sum < 0 {
		b.Fatal("negative sum")
	}
}
