package experiment_test

import (
	"fmt"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/experiment"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// BenchmarkReplications runs the same batch of 4 one-day replications of the
// default factory on 1 and on 2 workers. The ratio of the two ns/op is the
// speed-up of parallel replications (1.8 or more wanted on 2 idle cores).
func BenchmarkReplications(b *testing.B) {
	spec, err := configs.Embedded(configs.Default)
	if err != nil {
		b.Fatal(err)
	}
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			opt := experiment.BatchOptions{Options: twin.Options{Duration: sim.Day, Seed: 1}, Replications: 4, Workers: w}
			var events uint64
			for b.Loop() {
				r, err := experiment.Batch(spec, opt)
				if err != nil {
					b.Fatal(err)
				}
				events += r.Events
			}
			b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
