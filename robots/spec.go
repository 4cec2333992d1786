package robots

import (
	"errors"
	"fmt"
	"math"
	"unsafe"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Spec is the immutable description of one robot arm, as written in a config.
type Spec struct {
	// ID names the arm uniquely in its line ("arm-screen").
	ID string `mapstructure:"id"`
	// Speed is the arm's top speed in metres per second.
	Speed float64 `mapstructure:"speed"`
	// Accel is its acceleration (and deceleration) in metres per second squared.
	Accel float64 `mapstructure:"accel"`
	// Grip and Release are the gripper's close and open times.
	Grip    sim.Time `mapstructure:"grip"`
	Release sim.Time `mapstructure:"release"`
	// MTBF is the busy time between failures; zero means the arm never fails.
	MTBF sim.Dist `mapstructure:"mtbf"`
	// MTTR is the repair time after a failure.
	MTTR sim.Dist `mapstructure:"mttr"`
	// Wear, when set, makes the arm wear out with use (see Wear).
	Wear *Wear `mapstructure:"wear"`
}

// Footprint returns about how many bytes an arm built from s takes with up
// to waiting requests queued (one per server of the stations it serves):
// for estimates of a run's memory before it starts.
func (s *Spec) Footprint(waiting int64) int64 {
	n := int64(unsafe.Sizeof(Arm{})) + sim.StreamBytes + 2*waiting*int64(unsafe.Sizeof(request{}))
	if s.Wear != nil {
		n += int64(unsafe.Sizeof(wearState{})) + 2*sim.StreamBytes
	}
	return n
}

// Validate checks the arm on its own. It returns every problem, joined; each
// message starts with the field it is about.
func (s *Spec) Validate() error {
	var errs []error
	bad := func(field, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", field, fmt.Sprintf(format, a...)))
	}
	if s.ID == "" {
		bad("id", "missing")
	}
	if !(s.Speed > 0) || math.IsInf(s.Speed, 0) {
		bad("speed", "%v: must be a positive speed in m/s", s.Speed)
	}
	if !(s.Accel > 0) || math.IsInf(s.Accel, 0) {
		bad("accel", "%v: must be a positive acceleration in m/s^2", s.Accel)
	}
	for _, t := range []struct {
		field string
		t     sim.Time
	}{{"grip", s.Grip}, {"release", s.Release}, {"mtbf", s.MTBF.Longest()}, {"mttr", s.MTTR.Longest()}} {
		if t.t < 0 {
			bad(t.field, "%v is negative", t.t)
		} else if t.t > sim.MaxSpan {
			bad(t.field, "%v is %v", t.t, sim.ErrTooLong)
		}
	}
	if !s.MTBF.IsZero() {
		if s.MTBF.Mean() <= 0 {
			bad("mtbf", "mean must be positive")
		}
		if s.MTTR.Mean() <= 0 {
			bad("mttr", "missing or zero: an arm that fails must take time to repair")
		}
	} else if !s.MTTR.IsZero() && s.Wear == nil {
		bad("mttr", "set without mtbf")
	}
	s.validateWear(bad)
	return errors.Join(errs...)
}
