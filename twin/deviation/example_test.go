package deviation_test

import (
	"fmt"

	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// A station modelled as normal(4.2s,300ms) slows down by 20% after 100 cycles.
func Example() {
	dist, _ := sim.ParseDist("normal(4.2s,300ms)")
	model, _ := deviation.ModelOf(dist)
	det, _ := deviation.NewDrift("line1/st3", model, deviation.DriftConfig{})
	r := sim.NewStream(1, "example")
	var now sim.Time
	for i := range 1000 {
		c := dist.Sample(r)
		if i >= 100 {
			c = c * 6 / 5
		}
		now += c
		if e, ok := det.Observe(now, c); ok {
			fmt.Printf("cycle %d: %s\n", i, e.Reason)
			return
		}
	}
	// Output:
	// cycle 106: cycle time 5.00 s is 19% above the model's 4.20 s (CUSUM 15.2 > 14)
}
