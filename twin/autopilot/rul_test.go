package autopilot

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// line returns n readings every step from t0 of a + b x hours.
func lineReadings(n int, t0, step sim.Time, a, b float64) []Reading {
	rs := make([]Reading, n)
	for i := range rs {
		t := t0 + sim.Time(i)*step
		rs[i] = Reading{At: t, Value: a + b*t.Hours()}
	}
	return rs
}

func TestEstimateLifeExactLine(t *testing.T) {
	// Vibration 1 + 0.5/h measured every 10 minutes for 5 hours: at 5h it
	// reads 3.5, the limit 5 is 3 hours away.
	rs := lineReadings(31, 0, 10*sim.Minute, 1, 0.5)
	now := 5 * sim.Hour
	l := EstimateLife(now, rs, 5, true, 0.5, 8)
	if !l.OK || math.Abs(l.Slope-0.5) > 1e-9 || math.Abs(l.Level-3.5) > 1e-9 || l.RUL != 3*sim.Hour || l.Readings != 31 || l.Age != 0 {
		t.Errorf("got %+v, want slope 0.5, level 3.5, RUL 3h from 31 readings", l)
	}
	// An hour later with no new reading, the line is carried on.
	l = EstimateLife(now+sim.Hour, rs, 5, true, 0.5, 8)
	if l.RUL != 2*sim.Hour || l.Age != sim.Hour {
		t.Errorf("an hour later: RUL %v, age %v; want 2h and 1h", l.RUL, l.Age)
	}
	// A falling sensor (an efficiency from 1 down at 0.05/h, limit 0.6).
	rs = lineReadings(31, 0, 10*sim.Minute, 1, -0.05)
	if l := EstimateLife(now, rs, 0.6, false, 0.5, 8); l.RUL != 3*sim.Hour {
		t.Errorf("falling sensor: RUL %v, want 3h", l.RUL)
	}
	// Past the limit: 0. Flat or moving away: Forever.
	if l := EstimateLife(now, rs, 0.9, false, 0.5, 8); l.RUL != 0 {
		t.Errorf("past the limit: RUL %v, want 0", l.RUL)
	}
	if l := EstimateLife(now, lineReadings(31, 0, 10*sim.Minute, 2, 0), 5, true, 0.5, 8); !l.OK || l.RUL != sim.Forever {
		t.Errorf("flat: %+v, want OK and RUL forever", l)
	}
	if l := EstimateLife(now, lineReadings(31, 0, 10*sim.Minute, 2, -0.1), 5, true, 0.5, 8); l.RUL != sim.Forever {
		t.Errorf("moving away from the limit: RUL %v, want forever", l.RUL)
	}
	// Too few readings: no estimate.
	if l := EstimateLife(now, rs[:7], 0.6, false, 0.5, 8); l.OK || l.RUL != sim.Forever || l.Readings != 0 {
		t.Errorf("7 readings of 8 needed: %+v, want no estimate", l)
	}
}

func TestEstimateLifeIgnoresWildReadings(t *testing.T) {
	rs := lineReadings(40, 0, 10*sim.Minute, 1, 0.5)
	// Five readings in forty are wild: a stuck sensor at 0 and spikes.
	for _, i := range []int{3, 11, 19, 27, 38} {
		rs[i].Value = float64(i%2) * 50
	}
	now := rs[len(rs)-1].At
	want := sim.Seconds((5 - (1 + 0.5*now.Hours())) / 0.5 * 3600)
	l := EstimateLife(now, rs, 5, true, 0.5, 8)
	if math.Abs(l.Slope-0.5) > 0.05 || math.Abs((l.RUL-want).Hours()) > 0.2 {
		t.Errorf("with 5 wild readings: slope %.3f, RUL %v; want about 0.5 and %v", l.Slope, l.RUL, want)
	}
	// Least squares would be dragged far off by the same readings.
	var sx, sy, sxx, sxy float64
	for _, r := range rs {
		x := r.At.Hours()
		sx, sy, sxx, sxy = sx+x, sy+r.Value, sxx+x*x, sxy+x*r.Value
	}
	n := float64(len(rs))
	if ls := (n*sxy - sx*sy) / (n*sxx - sx*sx); math.Abs(ls-0.5) < 0.2 {
		t.Fatalf("the wild readings do not test robustness: least squares slope %.3f", ls)
	}
}

// pathResult is what a policy did on one synthetic wear path.
type pathResult struct {
	maintained sim.Time // when it first asked to maintain, -1 never
	fail       sim.Time
}

// runPath runs a fresh predictive policy with params p on path w, one
// machine alone on its line, deciding every epoch, until it asks for a
// maintenance or the machine fails.
func runPath(t *testing.T, p PredictiveParams, w *wearPath) pathResult {
	t.Helper()
	pol := newPredictive(p)
	obs := Observation{Machines: []Machine{{ID: "press", Kind: Station, Index: 0, State: Working, Servers: 1, Speed: 1,
		DesignCycle: 30 * sim.Second, Sensors: []Sensor{{Name: "vibration", Limit: w.limit(), Rising: true}}}}}
	var acts []Action
	prev := sim.Time(-1)
	for now := sim.Time(0); now < w.fail; now += p.Epoch {
		obs.Now = now
		s := &obs.Machines[0].Sensors[0]
		s.Readings = w.arrived(prev, now, s.Readings[:0])
		prev = now
		var err error
		acts, err = pol.Decide(context.Background(), &obs, acts[:0])
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range acts {
			if a.Kind == Maintain {
				return pathResult{maintained: now, fail: w.fail}
			}
		}
	}
	return pathResult{maintained: -1, fail: w.fail}
}

// TestPredictiveMaintainsBeforeFailure runs the policy on 200 synthetic
// wear paths (lives of 150 to 300 hours, curved paths, noise of 5% of the
// range, 20% of readings lost, up to 10 minutes late): it must maintain
// before the failure in at least 95% of them, and not too early: the
// median life left unused at most 10 hours (the lead is 4), none more
// than a fifth of the machine's life.
func TestPredictiveMaintainsBeforeFailure(t *testing.T) {
	p := DefaultParams().Predictive
	paths := 200
	if testing.Short() {
		paths = 50
	}
	var early []float64
	late := 0
	for i := range paths {
		w := newWearPath(uint64(i), 0.05, 0.2, 10*sim.Minute)
		r := runPath(t, p, w)
		if r.maintained < 0 {
			late++
			continue
		}
		left := (r.fail - r.maintained).Hours()
		early = append(early, left)
		if left > 0.2*r.fail.Hours() {
			t.Errorf("path %d: maintained at %v, %.1fh before the failure at %v: too early", i, r.maintained, left, r.fail)
		}
	}
	slices.Sort(early)
	med := early[len(early)/2]
	t.Logf("%d paths: %d failed first; unused life before maintenance: min %.1fh, median %.1fh, max %.1fh",
		paths, late, early[0], med, early[len(early)-1])
	if float64(late) > 0.05*float64(paths) {
		t.Errorf("%d of %d paths failed before the policy maintained them (want at most 5%%)", late, paths)
	}
	if med > 10 {
		t.Errorf("median unused life %.1fh: want at most 10h", med)
	}
}
