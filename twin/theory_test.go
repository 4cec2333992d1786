package twin_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/experiment"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// replicate parses yaml through the public config format and runs reps
// replications, returning one Stat per KPI picked by f.
func replicate(t *testing.T, yaml string, reps int, dur, warm sim.Time, f func(*twin.Result) float64) *experiment.Stat {
	t.Helper()
	spec, err := configs.Parse("theory.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	var s experiment.Stat
	for i := range reps {
		r, err := twin.Run(spec, twin.Options{Duration: dur, Warmup: warm, Seed: uint64(1000 + i)})
		if err != nil {
			t.Fatal(err)
		}
		s.Add(f(r))
	}
	return &s
}

// heavy skips a long statistical test in -short mode (the race run).
func heavy(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("long statistical test; runs without -short")
	}
}

func flowTime(r *twin.Result) float64 { return r.MeanFlowTimeS }

// within checks that theory lies inside the replications' 95% confidence interval.
func within(t *testing.T, what string, s *experiment.Stat, theory float64) {
	t.Helper()
	t.Logf("%s: %.3f ± %.3f (theory %.3f, n=%d)", what, s.Mean(), s.CI95(), theory, s.N())
	if s.CI95() <= 0 || math.Abs(s.Mean()-theory) > s.CI95() {
		t.Errorf("%s = %.3f ± %.3f does not cover theory %.3f", what, s.Mean(), s.CI95(), theory)
	}
	if s.CI95() > 0.05*theory {
		t.Errorf("%s: CI half-width %.3f is over 5%% of %.3f: the test is too weak", what, s.CI95(), theory)
	}
}

// M/M/1: mean time in system 1/(mu - lambda).
func TestTheoryMM1(t *testing.T) {
	heavy(t)
	const lambda, mu = 1.0 / 10, 1.0 / 8
	s := replicate(t, `
source: {interarrival: exp(10s)}
stations:
  - {id: m, buffer: inf, cycle: exp(8s)}
`, 20, 1500*sim.Hour, 20*sim.Hour, flowTime)
	within(t, "M/M/1 flow time", s, 1/(mu-lambda))
}

// Two M/M/1 stations in tandem (a Jackson network): the times add up.
func TestTheoryTandem(t *testing.T) {
	heavy(t)
	const lambda, mu1, mu2 = 1.0 / 10, 1.0 / 7, 1.0 / 8
	s := replicate(t, `
source: {interarrival: exp(10s)}
stations:
  - {id: a, buffer: inf, cycle: exp(7s)}
  - {id: b, buffer: inf, cycle: exp(8s)}
`, 20, 1500*sim.Hour, 20*sim.Hour, flowTime)
	within(t, "tandem flow time", s, 1/(mu1-lambda)+1/(mu2-lambda))
}

// erlangC is the probability that an arrival waits in an M/M/c queue.
func erlangC(c int, a float64) float64 {
	sum, term := 0.0, 1.0
	for k := 0; k < c; k++ {
		if k > 0 {
			term *= a / float64(k)
		}
		sum += term
	}
	last := term * a / float64(c) / (1 - a/float64(c))
	return last / (sum + last)
}

// M/M/c through servers: W = C(c, a) / (c mu - lambda) + 1/mu.
func TestTheoryMMc(t *testing.T) {
	heavy(t)
	const c, lambda, mu = 3, 1.0 / 10, 1.0 / 25
	s := replicate(t, `
source: {interarrival: exp(10s)}
stations:
  - {id: testers, servers: 3, buffer: inf, cycle: exp(25s)}
`, 20, 1500*sim.Hour, 20*sim.Hour, flowTime)
	w := erlangC(c, lambda/mu)/(c*mu-lambda) + 1/mu
	within(t, "M/M/3 flow time", s, w)
}

// Two exponential machines with a finite buffer of N between them and
// blocking after service: the units downstream of the first machine (buffer,
// second machine, and a finished unit blocking the first) form a
// birth-death chain on 0..N+2 with p(n) proportional to (mu1/mu2)^n, and
// the throughput is mu2 (1 - p(0)).
func TestTheoryTwoMachinesFiniteBuffer(t *testing.T) {
	heavy(t)
	const mu1, mu2, n = 1.0 / 5, 1.0 / 6, 3
	s := replicate(t, `
stations:
  - {id: m1, cycle: exp(5s)}
  - {id: m2, cycle: exp(6s), buffer: 3}
`, 20, 500*sim.Hour, 10*sim.Hour, func(r *twin.Result) float64 { return r.ThroughputPerHour })
	var sum, p0 float64
	for k := 0; k <= n+2; k++ {
		p := math.Pow(mu1/mu2, float64(k))
		sum += p
		if k == 0 {
			p0 = p
		}
	}
	within(t, "two-machine throughput/h", s, 3600*mu2*(1-p0/sum))
}

// A deterministic line runs at exactly the rate of its slowest station.
func TestTheoryDeterministicLine(t *testing.T) {
	spec, err := configs.Parse("det.yaml", []byte(`
stations:
  - {id: a, cycle: 2s, buffer: 2}
  - {id: b, cycle: const(3s), buffer: 2}
  - {id: c, cycle: 1s, buffer: 2}
`))
	if err != nil {
		t.Fatal(err)
	}
	r, err := twin.Run(spec, twin.Options{Duration: 11 * sim.Hour, Warmup: sim.Hour, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	// 10 h at one unit per 3 s: 12,000 units, give or take the one at the edge.
	if r.Shipped < 11999 || r.Shipped > 12001 {
		t.Errorf("shipped %d in 10 h, want 12000 ± 1", r.Shipped)
	}
	if b := r.Stations[1]; math.Abs(b.Utilization-1) > 1e-3 {
		t.Errorf("bottleneck b utilization %.4f, want 1", b.Utilization)
	}
	if a := r.Stations[0]; math.Abs(a.Blocked-1.0/3) > 1e-3 {
		t.Errorf("a blocked %.4f, want 1/3 (2 s of work per 3 s)", a.Blocked)
	}
	if r.Bottleneck != "b" {
		t.Errorf("bottleneck %q, want b", r.Bottleneck)
	}
	if math.Abs(r.OEE-1) > 1e-3 {
		t.Errorf("OEE %.4f of a lossless line at its design rate, want 1", r.OEE)
	}
}

// Little's law, L = lambda W, holds on every shipped config.
func TestLittlesLawShippedConfigs(t *testing.T) {
	heavy(t)
	for _, name := range configs.Names() {
		t.Run(name, func(t *testing.T) {
			spec, err := configs.Embedded(name)
			if err != nil {
				t.Fatal(err)
			}
			var diff experiment.Stat
			var wip experiment.Stat
			for i := range 5 {
				r, err := twin.Run(spec, twin.Options{Duration: 3 * sim.Day, Warmup: 12 * sim.Hour, Seed: uint64(i + 1)})
				if err != nil {
					t.Fatal(err)
				}
				l := r.Little
				diff.Add(l.WIP - l.DeparturesPerHour/3600*l.FlowTimeS)
				wip.Add(l.WIP)
			}
			t.Logf("L - lambda W = %.4f ± %.4f (L = %.2f)", diff.Mean(), diff.CI95(), wip.Mean())
			// Units in the line at the window's edges make L and lambda W differ
			// by a little: allow that much beyond the interval.
			if math.Abs(diff.Mean()) > diff.CI95()+0.01*wip.Mean() {
				t.Errorf("L - lambda W = %.4f ± %.4f, L = %.3f: Little's law fails", diff.Mean(), diff.CI95(), wip.Mean())
			}
		})
	}
}

func Example() {
	spec, err := configs.Parse("two.yaml", []byte(`
stations:
  - {id: cut, cycle: 2s}
  - {id: pack, cycle: 3s, buffer: 5}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, _ := twin.Run(spec, twin.Options{Duration: 2 * sim.Hour, Warmup: sim.Hour, Seed: 1})
	fmt.Printf("%.0f units/hour, bottleneck %s\n", r.ThroughputPerHour, r.Bottleneck)
	// Output: 1200 units/hour, bottleneck pack
}
