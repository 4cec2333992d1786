package autopilot

import (
	"math"
	"slices"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Life is an estimate of a machine's remaining useful life from the
// history of one condition sensor.
//
// The method is a robust trend fit (Theil–Sen): the slope is a quantile
// (the median by default) of the slopes between every pair of readings in
// the history, which a few wild readings cannot drag; the level now is the
// median of the readings carried to now along that slope, so late readings
// are extrapolated and a gap in the readings only widens the spread. The
// remaining life is the time the fitted line takes from that level to the
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

// EstimateLife fits readings (oldest first) of a sensor whose limit is
// limit (rising: readings grow with wear) and returns the remaining life
// from now, using quantile q of the pairwise slopes (0.5: the median;
// more is more cautious). At least minReadings readings at two distinct
// times are needed. It allocates its scratch space; policies keep theirs.
func EstimateLife(now sim.Time, readings []Reading, limit float64, rising bool, q float64, minReadings int) Life {
	var f fitter
	f.grow(len(readings))
	at := make([]sim.Time, len(readings))
	v := make([]float64, len(readings))
	for i, r := range readings {
		at[i], v[i] = r.At, r.Value
	}
	return f.fit(now, at, v, limit, rising, q, minReadings)
}

// fitter holds the scratch space of the fit, so that fitting allocates
// nothing once it has grown to the window.
type fitter struct {
	slopes, levels []float64
}

func (f *fitter) grow(n int) {
	if pairs := n * (n - 1) / 2; cap(f.slopes) < pairs {
		f.slopes = make([]float64, 0, pairs)
	}
	if cap(f.levels) < n {
		f.levels = make([]float64, 0, n)
	}
}

// fit estimates the remaining life from readings v at times at (in any
// order of time; at least two distinct times).
func (f *fitter) fit(now sim.Time, at []sim.Time, v []float64, limit float64, rising bool, q float64, minReadings int) Life {
	n := len(at)
	if n < max(minReadings, 2) {
		return Life{RUL: sim.Forever, Readings: n}
	}
	f.grow(n)
	s := f.slopes[:0]
	latest := at[0]
	for i := range n {
		latest = max(latest, at[i])
		for j := i + 1; j < n; j++ {
			if dt := (at[j] - at[i]).Hours(); dt != 0 {
				s = append(s, (v[j]-v[i])/dt)
			}
		}
	}
	if len(s) == 0 {
		return Life{RUL: sim.Forever, Readings: n}
	}
	slope := quantile(s, q, rising)
	lv := f.levels[:0]
	for i := range n {
		lv = append(lv, v[i]+slope*(now-at[i]).Hours())
	}
	level := quantile(lv, 0.5, true)
	life := Life{OK: true, Level: level, Slope: slope, Readings: n, Age: max(now-latest, 0)}
	gap, rate := limit-level, slope
	if !rising {
		gap, rate = -gap, -rate
	}
	switch {
	case gap <= 0:
		life.RUL = 0
	case rate <= 0:
		life.RUL = sim.Forever
	default:
		life.RUL = sim.Seconds(gap / rate * 3600)
	}
	return life
}

// quantile sorts xs and returns its quantile q towards wear: for a sensor
// that falls with wear, the cautious end is the low one, so q counts from
// the top.
func quantile(xs []float64, q float64, rising bool) float64 {
	slices.Sort(xs)
	if !rising {
		q = 1 - q
	}
	pos := q * float64(len(xs)-1)
	i := int(math.Floor(pos))
	if i >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	fr := pos - float64(i)
	return xs[i]*(1-fr) + xs[i+1]*fr
}
