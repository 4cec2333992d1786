package deviation

import (
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// The per-observation paths allocate nothing when they raise no event.
func TestObserveAllocs(t *testing.T) {
	dist, m := mustModel(t, "normal(4.2s,300ms)")
	det := mustDrift(t, "st1", m, DriftConfig{})
	batched := mustDrift(t, "st2", m, DriftConfig{Batch: 10, Noise: 0.02})
	r := sim.NewStream(1, "allocs")
	cycles := make([]sim.Time, 1000)
	for i := range cycles {
		cycles[i] = dist.Sample(r)
	}
	i := 0
	if a := testing.AllocsPerRun(1000, func() {
		det.Observe(sim.Time(i), cycles[i%len(cycles)])
		batched.Observe(sim.Time(i), cycles[i%len(cycles)])
		i++
	}); a != 0 {
		t.Errorf("Drift.Observe: %v allocs per run", a)
	}
	if det.Events() != 0 || batched.Events() != 0 {
		t.Fatalf("nominal data raised events; the allocation count is meaningless")
	}

	s := NewStaleDetector(10 * sim.Second)
	s.Seen("st1", 0)
	s.Seen("st2", 0)
	buf := make([]Event, 0, 4)
	if a := testing.AllocsPerRun(1000, func() {
		s.Seen("st1", sim.Time(i))
		s.Seen("st2", sim.Time(i))
		buf = s.Check(0, buf[:0])
		i++
	}); a != 0 {
		t.Errorf("StaleDetector.Seen/Check: %v allocs per run", a)
	}

	o := NewOutputBand("line1")
	if a := testing.AllocsPerRun(1000, func() { o.Observe(0, 110, Band{100, 120}) }); a != 0 {
		t.Errorf("OutputBand.Observe: %v allocs per run", a)
	}
}

func BenchmarkDriftObserve(b *testing.B) {
	dist, m := mustModel(b, "exp(6s)")
	det := mustDrift(b, "st1", m, DriftConfig{})
	r := sim.NewStream(1, "bench")
	cycles := make([]sim.Time, 1024)
	for i := range cycles {
		cycles[i] = dist.Sample(r)
	}
	i := 0
	for b.Loop() {
		det.Observe(0, cycles[i&1023])
		i++
	}
}
