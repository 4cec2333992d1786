package twin_test

import (
	"fmt"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// BenchmarkFactoryDay simulates one day of the default phone factory (both
// lines, no trace) per iteration and reports events and phones per second
// of wall time.
func BenchmarkFactoryDay(b *testing.B) {
	spec, err := configs.Embedded(configs.Default)
	if err != nil {
		b.Fatal(err)
	}
	var events uint64
	var phones int64
	seed := uint64(0)
	for b.Loop() {
		seed++
		r, err := twin.Run(spec, twin.Options{Duration: sim.Day, Seed: seed})
		if err != nil {
			b.Fatal(err)
		}
		events += r.Events
		phones += r.Shipped
	}
	s := b.Elapsed().Seconds()
	b.ReportMetric(float64(events)/s, "events/s")
	b.ReportMetric(float64(phones)/s, "phones/s")
	b.ReportMetric(s/float64(b.N)*365, "s/sim-year")
}

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
			opt := twin.BatchOptions{Options: twin.Options{Duration: sim.Day, Seed: 1}, Replications: 4, Workers: w}
			var events uint64
			for b.Loop() {
				r, err := twin.Batch(spec, opt)
				if err != nil {
					b.Fatal(err)
				}
				events += r.Events
			}
			b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
