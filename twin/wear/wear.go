// Package wear holds what the wear models of stations and arms share: the
// condition sensor that reads a machine's health, its validation, and the
// gamma draws of the degradation path. It depends on twin/sim only, so
// that both stations and robots may import it.
package wear

import (
	"math"
	"math/rand/v2"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// ConditionSensor is a condition-monitoring sensor on a worn machine (a
// station's server or an arm): every Every it reads
// New + (Worn − New)·(1 − h) for the machine's health h, plus Gaussian
// noise of standard deviation Noise (in the reading's unit) and the line's
// relative sensor noise; the reading arrives after the line's sensor
// latency and may be lost to its dropout.
type ConditionSensor struct {
	// Kind is what is read: vibration (mm/s RMS) or temperature (°C).
	Kind string `mapstructure:"kind"`
	// Every is the sampling period.
	Every sim.Time `mapstructure:"every"`
	// New and Worn are the readings at health 1 and at health 0.
	New  float64 `mapstructure:"new"`
	Worn float64 `mapstructure:"worn"`
	// Noise is the standard deviation of a reading, in its unit.
	Noise float64 `mapstructure:"noise"`
}

// The kinds of condition sensor.
const (
	Vibration   = "vibration"
	Temperature = "temperature"
)

// Reading returns the noiseless reading at health h.
func (c *ConditionSensor) Reading(h float64) float64 { return c.New + (c.Worn-c.New)*(1-h) }

// Validate checks the sensor, naming each problem through bad with its
// field under wear.sensor.
func (c *ConditionSensor) Validate(bad func(field, format string, a ...any)) {
	if c.Kind != Vibration && c.Kind != Temperature {
		bad("wear.sensor.kind", "%q: want %s or %s", c.Kind, Vibration, Temperature)
	}
	if c.Every <= 0 {
		bad("wear.sensor.every", "missing or zero: the sampling period")
	}
	if c.Every > sim.MaxSpan {
		bad("wear.sensor.every", "%v is %v", c.Every, sim.ErrTooLong)
	}
	for _, f := range []struct {
		field string
		v     float64
	}{{"wear.sensor.new", c.New}, {"wear.sensor.worn", c.Worn}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || math.Abs(f.v) > 1e9 {
			bad(f.field, "%v: want a finite reading", f.v)
		}
	}
	if c.New == c.Worn && !math.IsNaN(c.New) {
		bad("wear.sensor.worn", "%v is the reading when new: the sensor would show nothing", c.Worn)
	}
	if !(c.Noise >= 0 && c.Noise <= 1e9) { // also NaN
		bad("wear.sensor.noise", "%v: want a standard deviation, 0 or more", c.Noise)
	}
}

// Increment returns the health a stretch of busy time c takes off a
// machine whose mean life is life with coefficient of variation cv: c/life
// exactly when cv is 0, else a Gamma(c/(life·cv²), cv²) draw from r, so
// that the busy time to wear out has mean about life and coefficient of
// variation about cv. It does not allocate.
func Increment(r *rand.Rand, c, life sim.Time, cv float64) float64 {
	mean := float64(c) / float64(life)
	if cv == 0 {
		return mean
	}
	v := cv * cv
	return Gamma(r, mean/v) * v
}

// Gamma returns a Gamma(shape, 1) draw by Marsaglia and Tsang's method,
// boosted for shape < 1 (0 for a shape of 0 or less). It does not allocate.
func Gamma(r *rand.Rand, shape float64) float64 {
	if shape <= 0 {
		return 0
	}
	boost := 1.0
	if shape < 1 {
		// G(a) = G(a+1)·U^(1/a); in logs, as U^(1/a) underflows for tiny a.
		u := r.Float64()
		for u == 0 {
			u = r.Float64()
		}
		boost = math.Exp(math.Log(u) / shape)
		shape++
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v * boost
		}
	}
}
