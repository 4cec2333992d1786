package autopilot

import (
	"math"
	"slices"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Life is an estimate of a machine's remaining useful life from the
// history of one condition sensor.
//
// The method is a robust trend fit, a lagged form of the Theil–Sen
// estimator. With n readings in time order, the slope is a quantile (the
// median by default) of the n/2 slopes between reading i and reading
// i+n/2: every slope spans about half the history, so noise weighs little
// on it, and a few wild readings cannot drag the quantile. The level is
// the median of the readings carried along that slope to the latest
// reading's time, and the line is extrapolated from there to now, so late
// readings and gaps in the readings need nothing special. The remaining
// life is the time the fitted line takes from today's level to the
// sensor's limit: 0 when the level is already past it, Forever when the
// readings do not move towards it.
type Life struct {
	// OK is false when there were too few readings to fit (the rest is
	// then zero, RUL Forever).
	OK bool
	// RUL is the remaining useful life from the observation's time.
	RUL sim.Time
	// Level is the fitted reading now, Slope the fitted change per hour.
	Level, Slope float64
	// Readings is the number of readings fitted, Age the time since the
	// latest of them.
	Readings int
	Age      sim.Time
}

// EstimateLife fits readings (in time order) of a sensor whose limit is
// limit (rising: readings grow with wear) and returns the remaining life
// from now, using quantile q of the lagged slopes (0.5: the median; more
// is more cautious). At least minReadings readings (and 2) are needed. It
// allocates its scratch space; policies keep theirs.
func EstimateLife(now sim.Time, readings []Reading, limit float64, rising bool, q float64, minReadings int) Life {
	var f fitter
	at := make([]sim.Time, len(readings))
	v := make([]float64, len(readings))
	for i, r := range readings {
		at[i], v[i] = r.At, r.Value
	}
	if !rising {
		q = 1 - q
	}
	return f.fit(at, v, q, minReadings).life(now, limit, rising)
}

// trend is a fitted line: Level at time At, Slope per hour, from n
// readings (n 0: no fit).
type trend struct {
	at           sim.Time
	level, slope float64
	n            int
}

// life returns the remaining life from now the trend gives for a sensor
// whose limit is limit.
func (t trend) life(now sim.Time, limit float64, rising bool) Life {
	if t.n == 0 || math.IsNaN(limit) || math.IsInf(limit, 0) {
		return Life{RUL: sim.Forever} // nothing to fit, or no limit to reach
	}
	level := t.level + t.slope*(now-t.at).Hours()
	l := Life{OK: true, Level: level, Slope: t.slope, Readings: t.n, Age: max(now-t.at, 0)}
	gap, rate := limit-level, t.slope
	if !rising {
		gap, rate = -gap, -rate
	}
	switch {
	case gap <= 0:
		l.RUL = 0
	case rate <= 0:
		l.RUL = sim.Forever
	default:
		l.RUL = sim.Seconds(gap / rate * 3600)
	}
	return l
}

// fitter holds the scratch space of the fit, so that fitting allocates
// nothing once it has grown to the window.
type fitter struct {
	slopes, levels []float64
}

// fit fits readings v at times at, in time order. q is the quantile of the
// slopes towards wear as the caller counts it: for a falling sensor the
// caller passes 1-q.
func (f *fitter) fit(at []sim.Time, v []float64, q float64, minReadings int) trend {
	n := len(at)
	if n < max(minReadings, 2) {
		return trend{}
	}
	lag := n / 2
	s := f.slopes[:0]
	for i := 0; i+lag < n; i++ {
		if dt := (at[i+lag] - at[i]).Hours(); dt > 0 {
			s = append(s, (v[i+lag]-v[i])/dt)
		}
	}
	f.slopes = s
	if len(s) == 0 {
		return trend{}
	}
	slope := quantile(s, q)
	ref := at[n-1]
	lv := f.levels[:0]
	for i := range n {
		lv = append(lv, v[i]+slope*(ref-at[i]).Hours())
	}
	f.levels = lv
	return trend{at: ref, level: quantile(lv, 0.5), slope: slope, n: n}
}

// quantile sorts xs and returns its quantile q (linear between ranks).
func quantile(xs []float64, q float64) float64 {
	slices.Sort(xs)
	pos := q * float64(len(xs)-1)
	i := int(math.Floor(pos))
	if i >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	fr := pos - float64(i)
	return xs[i]*(1-fr) + xs[i+1]*fr
}
