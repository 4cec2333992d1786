package ceiling_test

import (
	"math"
	"testing"

	"github.com/lightsout-sim/lightsout/cmd/internal/bench/ceiling"
	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/experiment"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// spec returns the shipped two-machine line, without failures if asked.
func spec(t *testing.T, failures bool) *twin.Spec {
	t.Helper()
	s, err := configs.Embedded("two-machine")
	if err != nil {
		t.Fatal(err)
	}
	if !failures {
		c := *s
		c.Stations = append([]stations.Spec(nil), s.Stations...)
		for i := range c.Stations {
			c.Stations[i].MTBF, c.Stations[i].MTTR = sim.Dist{}, sim.Dist{}
		}
		s = &c
	}
	return s
}

// params returns p without failures if asked.
func params(failures bool) ceiling.Params {
	p := ceiling.TwoMachine()
	if !failures {
		p.MTBF, p.MTTR = [2]sim.Time{}, [2]sim.Time{}
	}
	return p
}

// The ceiling's parameters are the shipped config's, so that it models the
// same line: if the config changes, so must TwoMachine.
func TestTwoMachineIsTheShippedConfig(t *testing.T) {
	s := spec(t, true)
	p := ceiling.TwoMachine()
	if s.Lines != 1 || len(s.Stations) != 2 || !s.Source.Interarrival.IsZero() {
		t.Fatalf("two-machine is no longer one line of two machines fed without limit: %d lines, %d stations", s.Lines, len(s.Stations))
	}
	exp := func(what string, d sim.Dist, mean sim.Time) {
		t.Helper()
		if d.Kind != sim.Exp || d.MeanTime() != mean {
			t.Errorf("%s = %v, the ceiling has exp(%v)", what, d, mean)
		}
	}
	for i, st := range s.Stations {
		exp(st.ID+" cycle", st.Cycle, p.Cycle[i])
		exp(st.ID+" mtbf", st.MTBF, p.MTBF[i])
		exp(st.ID+" mttr", st.MTTR, p.MTTR[i])
		if st.Servers > 1 || st.DefectRate != 0 || st.Inspect != nil || st.Conveyor != nil || st.Arm != nil || st.Wear != nil || st.Maintenance.Every != 0 {
			t.Errorf("station %s has more than the ceiling models", st.ID)
		}
	}
	if got := int(s.Stations[1].Buffer); got != p.Buffer {
		t.Errorf("buffer before m2 = %d, the ceiling has %d", got, p.Buffer)
	}
}

// throughput returns the throughput per hour of reps replications of the
// ceiling and of the engine on the same line.
func throughput(t *testing.T, failures bool, reps int, d, warm sim.Time) (c, e *experiment.Stat) {
	t.Helper()
	s, p := spec(t, failures), params(failures)
	c, e = new(experiment.Stat), new(experiment.Stat)
	for i := range reps {
		seed := uint64(100 + i)
		c.Add(ceiling.Run(p, seed, d, warm).ThroughputPerHour)
		r, err := twin.Run(s, twin.Options{Duration: d, Warmup: warm, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		e.Add(r.ThroughputPerHour)
	}
	return c, e
}

// agree checks that two independent estimates of the same mean differ by
// less than the 95% confidence half-width of their difference, and that
// the test can tell a 3% difference.
func agree(t *testing.T, what string, a, b *experiment.Stat) {
	t.Helper()
	ci := math.Hypot(a.CI95(), b.CI95())
	t.Logf("%s: ceiling %.2f ± %.2f, engine %.2f ± %.2f per hour (n=%d)", what, a.Mean(), a.CI95(), b.Mean(), b.CI95(), a.N())
	if !(ci > 0) || math.Abs(a.Mean()-b.Mean()) > ci {
		t.Errorf("%s: ceiling %.2f and engine %.2f differ by more than %.2f", what, a.Mean(), b.Mean(), ci)
	}
	if ci > 0.03*b.Mean() {
		t.Errorf("%s: the difference's CI %.2f is over 3%% of %.2f: the test is too weak", what, ci, b.Mean())
	}
}

// With failures, the ceiling and the engine give statistically the same
// throughput (the shipped config's run: 100 days after 5 of warm-up).
func TestCeilingAgreesWithEngine(t *testing.T) {
	if testing.Short() {
		t.Skip("statistical comparison over 20 replications of 100 days")
	}
	c, e := throughput(t, true, 20, 100*sim.Day, 5*sim.Day)
	agree(t, "two-machine with failures", c, e)
}

// Without failures, both give the theory's mu (N+2)/(N+3) with N = 10.
func TestCeilingWithoutFailuresMatchesTheory(t *testing.T) {
	reps, d := 20, 20*sim.Day
	if testing.Short() {
		reps = 10
	}
	c, e := throughput(t, false, reps, d, sim.Day)
	agree(t, "two-machine without failures", c, e)
	const theory = 60.0 * 12 / 13
	for _, x := range []struct {
		what string
		s    *experiment.Stat
	}{{"ceiling", c}, {"engine", e}} {
		if math.Abs(x.s.Mean()-theory) > x.s.CI95() {
			t.Errorf("%s: %.2f ± %.2f per hour does not cover the theory's %.2f", x.what, x.s.Mean(), x.s.CI95(), theory)
		}
	}
}

// A run is reproducible from its seed, and different seeds differ.
func TestRunIsReproducible(t *testing.T) {
	p := ceiling.TwoMachine()
	a, b := ceiling.Run(p, 7, 10*sim.Day, sim.Day), ceiling.Run(p, 7, 10*sim.Day, sim.Day)
	if a != b {
		t.Errorf("same seed: %+v then %+v", a, b)
	}
	if c := ceiling.Run(p, 8, 10*sim.Day, sim.Day); c == a {
		t.Errorf("seeds 7 and 8 gave the same run %+v", a)
	}
	if a.Shipped <= 0 || a.Events < uint64(a.Shipped) {
		t.Errorf("run = %+v: nothing shipped, or fewer events than parts", a)
	}
}

// The run does not allocate per event: a ten times longer run allocates
// no more.
func TestRunAllocatesNothingPerEvent(t *testing.T) {
	p := ceiling.TwoMachine()
	short := testing.AllocsPerRun(3, func() { ceiling.Run(p, 1, sim.Day, 0) })
	long := testing.AllocsPerRun(3, func() { ceiling.Run(p, 1, 10*sim.Day, 0) })
	if long > short {
		t.Errorf("a day allocates %v times, ten days %v", short, long)
	}
}

func BenchmarkCeilingTwoMachine(b *testing.B) {
	p := ceiling.TwoMachine()
	var parts int64
	for i := 0; b.Loop(); i++ {
		parts += ceiling.Run(p, uint64(i), 10*sim.Day, 0).Shipped
	}
	b.ReportMetric(float64(parts)/b.Elapsed().Seconds(), "parts/s")
}

func BenchmarkEngineTwoMachine(b *testing.B) {
	s, err := configs.Embedded("two-machine")
	if err != nil {
		b.Fatal(err)
	}
	var parts int64
	for i := 0; b.Loop(); i++ {
		r, err := twin.Run(s, twin.Options{Duration: 10 * sim.Day, Seed: uint64(i)})
		if err != nil {
			b.Fatal(err)
		}
		parts += r.Shipped
	}
	b.ReportMetric(float64(parts)/b.Elapsed().Seconds(), "parts/s")
}
