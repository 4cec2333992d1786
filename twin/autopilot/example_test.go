package autopilot_test

import (
	"context"
	"fmt"

	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// An adapter's loop: at each epoch the pilot is due, build the observation,
// step the pilot, and apply the actions it returns (here: print them).
func ExamplePilot() {
	pol, err := autopilot.New("predictive", autopilot.DefaultParams(), nil)
	if err != nil {
		panic(err)
	}
	pilot, err := autopilot.NewPilot(pol, autopilot.DefaultGuard())
	if err != nil {
		panic(err)
	}
	press := autopilot.Machine{ID: "press", Kind: autopilot.Station, Index: 0, State: autopilot.Working,
		Servers: 1, Speed: 1, DesignCycle: 40 * sim.Second,
		Sensors: []autopilot.Sensor{{Name: "vibration", Limit: 5, Rising: true}}}
	obs := autopilot.Observation{Machines: []autopilot.Machine{press}}
	vib := &obs.Machines[0].Sensors[0]
	for now := sim.Time(0); now <= 12*sim.Hour; now += 5 * sim.Minute {
		// A reading every 5 minutes, rising 0.3 an hour from 1: the limit
		// is reached after 13h20m.
		vib.Readings = append(vib.Readings[:0], autopilot.Reading{At: now, Value: 1 + 0.3*now.Hours()})
		if !pilot.Due(now) {
			continue
		}
		obs.Now = now
		acts, err := pilot.Step(context.Background(), &obs)
		if err != nil {
			panic(err)
		}
		for _, a := range acts {
			fmt.Printf("%v: %v (%s)\n", now, a, a.Reason)
			for _, n := range a.Numbers[:2] {
				fmt.Printf("  %s = %.0f\n", n.Name, n.Value)
			}
		}
	}
	// Nothing here maintains the press (its Maintained count stays 0), so
	// the policy asks again after predictive.retry (2h).

	// Output:
	// 9h20m: maintain press server 1 on line 1 (remaining useful life at most the lead time)
	//   rul_s = 14400
	//   lead_s = 14400
	// 11h20m: maintain press server 1 on line 1 (remaining useful life at most the lead time)
	//   rul_s = 7200
	//   lead_s = 14400
}
