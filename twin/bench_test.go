package twin_test

import (
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

// BenchmarkFactoryDayCopies is BenchmarkFactoryDay with the factory's
// lines run at once on two goroutines (twin.Options.CopyWorkers): compare
// the two for what running the copies in parallel gains.
func BenchmarkFactoryDayCopies(b *testing.B) {
	spec, err := configs.Embedded(configs.Default)
	if err != nil {
		b.Fatal(err)
	}
	var events uint64
	seed := uint64(0)
	for b.Loop() {
		seed++
		r, err := twin.Run(spec, twin.Options{Duration: sim.Day, Seed: seed, CopyWorkers: 2})
		if err != nil {
			b.Fatal(err)
		}
		events += r.Events
	}
	s := b.Elapsed().Seconds()
	b.ReportMetric(float64(events)/s, "events/s")
	b.ReportMetric(s/float64(b.N)*365, "s/sim-year")
}
