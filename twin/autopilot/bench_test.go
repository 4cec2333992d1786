package autopilot

import (
	"context"
	"strconv"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// BenchmarkPredictiveEpoch measures one epoch of the policy predictive
// through a pilot on three copies of a line of 12 machines, each with a
// new reading of a slowly rising sensor every epoch (a refit each time).
func BenchmarkPredictiveEpoch(b *testing.B) {
	pol, err := New("predictive", DefaultParams(), nil)
	if err != nil {
		b.Fatal(err)
	}
	p, err := NewPilot(pol, DefaultGuard())
	if err != nil {
		b.Fatal(err)
	}
	var obs Observation
	for line := range 3 {
		for i := range 12 {
			obs.Machines = append(obs.Machines, Machine{Line: line, ID: "st" + strconv.Itoa(i), Index: i, State: Working,
				Buffer: 5, Capacity: 20, Servers: 1, Speed: 1, DesignCycle: sim.Time(20+i) * sim.Second,
				Sensors: []Sensor{{Name: "vibration", Limit: 1e9, Rising: true, Readings: make([]Reading, 1)}}})
		}
	}
	now := sim.Time(0)
	for b.Loop() {
		now += pol.Epoch() + 5*sim.Minute // past the spacing: every reading is kept
		obs.Now = now
		for i := range obs.Machines {
			obs.Machines[i].Sensors[0].Readings[0] = Reading{At: now, Value: 1 + now.Hours()*0.01 + float64(i%3)*0.001}
		}
		if acts, err := p.Step(context.Background(), &obs); err != nil || len(acts) != 0 {
			b.Fatal(acts, err)
		}
	}
}
