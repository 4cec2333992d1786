// Package wear holds what the wear models of stations and arms share: the
// condition sensor that reads a machine's health, its validation, and the
// gamma draws of the degradation path. It depends on twin/sim only, so
// that both stations and robots may import it.
package wear

import (
	"fmt"
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
		// The boost is exactly 0 when log(u)/shape is below about -745.1
		// (exp underflows). log(u) <= u-1 - (1-u)²/2, and 1-u is exact, so
		// for 1-u >= 746·shape the quotient is below -745.9 and the boost
		// is 0 without a Log and an Exp: most draws of the tiny shapes
		// of a cycle's wear.
		if 1-u < 746*shape {
			boost = math.Exp(math.Log(u) / shape)
		} else {
			boost = 0
		}
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

// MaxSlowdown bounds a wear block's slowdown: a worn machine at most this
// many times slower again than a new one.
const MaxSlowdown = 10.0

// Path is the part of a wear block that stations and arms share: the
// degradation path and what restores it (see stations.Wear, robots.Wear).
type Path struct {
	Life              sim.Time
	CV, Slowdown      float64
	MTBF              sim.Time
	Replace, Maintain sim.Dist
	Restore, Age      float64
}

// Validate checks p, naming each problem through bad with its field under
// wear. busy names the time that wears the machine ("busy time"), owner
// what carries the block ("station") and machine what is replaced when
// worn out ("machine").
func (p Path) Validate(bad func(field, format string, a ...any), busy, owner, machine string) {
	finite := func(field string, v, lo, hi float64, want string) {
		if !(v >= lo && v <= hi) { // also NaN
			bad(field, "%v: want %s", v, want)
		}
	}
	if p.Life <= 0 {
		bad("wear.life", "missing or zero: the mean %s from new to worn out", busy)
	}
	finite("wear.cv", p.CV, 0, 10, "a coefficient of variation from 0 to 10")
	finite("wear.slowdown", p.Slowdown, 0, MaxSlowdown, fmt.Sprintf("0 to %v (0.2: 20%% slower when worn out)", MaxSlowdown))
	if p.MTBF < 0 {
		bad("wear.mtbf", "%v is negative", p.MTBF)
	}
	if p.Replace.Mean() <= 0 {
		bad("wear.replace", "missing or zero, and the %s has no mttr: a worn-out %s must take time to replace", owner, machine)
	}
	if !p.Maintain.IsZero() && p.Maintain.Mean() <= 0 {
		bad("wear.maintain", "mean must be positive")
	}
	finite("wear.age", p.Age, 0, 1, "0 (new) to 1 (health uniform in [0,1] at the start)")
	finite("wear.restore", p.Restore, math.SmallestNonzeroFloat64, 1, "a health above 0 and at most 1 (default 1)")
	for _, f := range []struct {
		field string
		t     sim.Time
	}{{"wear.life", p.Life}, {"wear.mtbf", p.MTBF}, {"wear.replace", p.Replace.Longest()}, {"wear.maintain", p.Maintain.Longest()}} {
		if f.t > sim.MaxSpan {
			bad(f.field, "%v is %v", f.t, sim.ErrTooLong)
		}
	}
}
