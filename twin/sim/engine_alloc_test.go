package sim_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// ticker reschedules itself forever.
type ticker struct{ every sim.Time }

func (h *ticker) Handle(e *sim.Engine, _ int64) { e.Schedule(h.every, h, 0) }

// churner reschedules itself and schedules and cancels a decoy event.
type churner struct{ every sim.Time }

func (h *churner) Handle(e *sim.Engine, _ int64) {
	e.Schedule(h.every, h, 0)
	if !e.Cancel(e.Schedule(3*h.every, h, 1)) {
		panic("decoy not cancelled")
	}
}

// holder reschedules itself after an exponential delay (the hold model).
type holder struct {
	d   sim.Dist
	rng *rand.Rand
}

func (h *holder) Handle(e *sim.Engine, _ int64) { e.Schedule(h.d.Sample(h.rng), h, 0) }

// Once the queue has reached its working size, an event costs no allocation.
func TestEngineZeroAllocsPerEvent(t *testing.T) {
	tests := []struct {
		name string
		h    func(i int) sim.Handler
	}{
		{"reschedule", func(i int) sim.Handler { return &ticker{every: sim.Time(i+1) * sim.Millisecond} }},
		{"reschedule and cancel", func(i int) sim.Handler { return &churner{every: sim.Time(i+1) * sim.Millisecond} }},
		{"hold model", func(i int) sim.Handler { return &holder{d: sim.ExpDist(sec), rng: sim.NewStream(1, fmt.Sprint(i))} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e sim.Engine // the zero Engine grows its queue as needed
			for i := range 500 {
				e.Schedule(sim.Time(i), tt.h(i), 0)
			}
			for range 20000 { // warm-up: the queue reaches its working size
				e.Step()
			}
			before := e.Events()
			allocs := testing.AllocsPerRun(10000, func() { e.Step() })
			if ran := e.Events() - before; ran < 10000 {
				t.Fatalf("only %d events ran during the measurement", ran)
			}
			if allocs != 0 {
				t.Errorf("%v allocations per event, want 0", allocs)
			}
		})
	}
}
