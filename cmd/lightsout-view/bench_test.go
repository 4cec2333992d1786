package main

import (
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// BenchmarkTickFactory measures one tick of the factory at 100x: run the
// line for 1/60 s x 100 and take a snapshot.
func BenchmarkTickFactory(b *testing.B) {
	g := newTestGame(b, "phone-factory")
	g.runFor(sim.Hour)
	for b.Loop() {
		g.runFor(sim.Time(100 * g.pacer.Tick))
	}
}
