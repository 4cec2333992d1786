package forecast_test

import (
	"context"
	"testing"

	"github.com/lightsout-sim/lightsout/configs/configstest"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/forecast"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// forkAt runs a line with seed to t and returns it with its state.
func forkAt(tb testing.TB, spec *twin.Spec, seed uint64, t sim.Time) (*twin.Line, twin.State) {
	tb.Helper()
	l, err := twin.NewLine(spec, seed, nil)
	if err != nil {
		tb.Fatal(err)
	}
	l.RunUntil(t)
	return l, l.State()
}

// TestRunCoverage is the forecast check of the line model: fork a line at time
// t, forecast the next span, let the "real" line (the original run, which
// the fork never sees) continue, and count how often its good output falls
// in the forecast's P10-P90 band. Nominally 80%; with n trials the count is
// binomial, so for 60 trials 65%-93% is about +-2.7 standard deviations
// (sd = sqrt(0.8*0.2/60) = 5.2%), widened a little because the band comes
// from a finite number of replications. Ties at the band's edges count as
// inside (output is an integer).
func TestRunCoverage(t *testing.T) {
	cases := []struct {
		name           string
		fork, horizon  sim.Time
		trials, reps   int
		lo, hi         float64
		shortTrials    int
		shortReps      int
		shortLo, shrHi float64
	}{
		{"demo-line", 4 * sim.Hour, 8 * sim.Hour, 60, 40, 0.65, 0.93, 20, 20, 0.5, 1},
		{"phone-factory", 4 * sim.Hour, sim.Hour, 30, 20, 0.55, 0.97, 8, 10, 0.25, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			trials, reps, lo, hi := c.trials, c.reps, c.lo, c.hi
			if testing.Short() {
				trials, reps, lo, hi = c.shortTrials, c.shortReps, c.shortLo, c.shrHi
			}
			spec := configstest.Embedded(t, c.name)
			inside := 0
			for j := range trials {
				real, st := forkAt(t, spec, twin.ReplicationSeed(1000, j), c.fork)
				f, err := forecast.Run(context.Background(), spec, st, c.fork+c.horizon, reps, uint64(j), 0)
				if err != nil {
					t.Fatal(err)
				}
				real.ResetStats()
				real.RunUntil(c.fork + c.horizon)
				good := float64(real.Snapshot().Line.Good)
				if good >= f.Good.P10 && good <= f.Good.P90 {
					inside++
				}
			}
			cov := float64(inside) / float64(trials)
			t.Logf("%s: realised good output inside P10-P90 in %d of %d trials (%.0f%%)", c.name, inside, trials, 100*cov)
			if cov < lo || cov > hi {
				t.Errorf("coverage %.0f%%, want %.0f%%-%.0f%%", 100*cov, 100*lo, 100*hi)
			}
		})
	}
}
