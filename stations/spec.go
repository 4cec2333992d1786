package stations

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Inf is the Capacity of an unbounded buffer.
const Inf Capacity = -1

// Upper bounds of a station's spec, so that no config can ask for more
// memory than a machine has by a slip of the keyboard (servers: 2e9).
const (
	// MaxServers is the most parallel machines a station may have.
	MaxServers = 10_000
	// MaxCapacity is the largest finite capacity of a buffer or a
	// conveyor, in units.
	MaxCapacity = 1_000_000
)

// CheckCapacity returns an error unless c is a capacity a buffer may
// have: Inf, or 0 to MaxCapacity.
func CheckCapacity(c Capacity) error {
	switch {
	case c < Inf:
		return fmt.Errorf("capacity %d is negative", int(c))
	case c > MaxCapacity:
		return fmt.Errorf("capacity %d: at most %d (write inf for an unbounded buffer)", int(c), MaxCapacity)
	}
	return nil
}

// Capacity is the number of units a buffer holds, or Inf. In configs it is
// an integer or the word "inf".
type Capacity int

// String returns "inf" or the number.
func (c Capacity) String() string {
	if c == Inf {
		return "inf"
	}
	return strconv.Itoa(int(c))
}

// UnmarshalText parses an integer or "inf".
func (c *Capacity) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "inf" {
		*c = Inf
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("capacity %q is neither an integer nor inf", s)
	}
	if n < 0 {
		return fmt.Errorf("capacity %d is negative", n)
	}
	*c = Capacity(n)
	return nil
}

// MarshalText writes "inf" or the number.
func (c Capacity) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// Spec is the immutable description of one station, as written in a config.
// Stations of a line are listed in flow order.
type Spec struct {
	// ID names the station uniquely in its line ("printer").
	ID string `mapstructure:"id"`
	// Name is an optional human description.
	Name string `mapstructure:"name"`
	// Servers is the number of identical parallel machines (default 1).
	Servers int `mapstructure:"servers"`
	// Buffer is the capacity of the input buffer in front of the station
	// (0: no buffer, the upstream machine hands over directly; Inf: unbounded).
	Buffer Capacity `mapstructure:"buffer"`
	// Cycle is the processing time of one unit on one server.
	Cycle sim.Dist `mapstructure:"cycle"`
	// MTBF is the busy time between failures of a server; zero means it never fails.
	MTBF sim.Dist `mapstructure:"mtbf"`
	// MTTR is the repair time after a failure.
	MTTR sim.Dist `mapstructure:"mttr"`
	// Maintenance is planned downtime on a calendar; zero Every means none.
	Maintenance MaintenancePlan `mapstructure:"maintenance"`
	// DefectRate is the probability that a unit processed here gains a defect.
	DefectRate float64 `mapstructure:"defect_rate"`
	// Inspect, when set, makes the station an inspection: it checks each
	// unit after processing it.
	Inspect *Inspect `mapstructure:"inspect"`
	// Conveyor, when set, makes the station a conveyor (a reflow oven): many
	// units inside at once, each for the dwell time, entering at least Pitch apart.
	Conveyor *Conveyor `mapstructure:"conveyor"`
	// Arm, when set, names the robot arm that loads and unloads the station.
	Arm *ArmUse `mapstructure:"arm"`
	// Wear, when set, makes the station's machines wear (see Wear).
	Wear *Wear `mapstructure:"wear"`
}

// MaintenancePlan is planned downtime: every Every, starting at Start, the
// station stops for Duration. Work in progress is paused and resumed.
type MaintenancePlan struct {
	Every    sim.Time `mapstructure:"every"`
	Duration sim.Time `mapstructure:"duration"`
	Start    sim.Time `mapstructure:"start"`
}

// Inspect describes an inspection: a defective unit is caught with
// probability Detect; a caught unit is scrapped or sent back for rework.
type Inspect struct {
	Detect float64 `mapstructure:"detect"`
	// OnFail is "scrap" or "rework:<station id>".
	OnFail string `mapstructure:"on_fail"`
	// MaxRework is the number of rework passes a unit may take before a
	// further failure scraps it (default 2 when OnFail is rework).
	MaxRework int `mapstructure:"max_rework"`
}

// ReworkTarget returns the station id named by OnFail ("" for scrap).
func (in *Inspect) ReworkTarget() string {
	t, ok := strings.CutPrefix(in.OnFail, "rework:")
	if !ok {
		return ""
	}
	return strings.TrimSpace(t)
}

// Conveyor describes a conveyor station such as a reflow oven.
type Conveyor struct {
	// Dwell is the time a unit spends inside.
	Dwell sim.Dist `mapstructure:"dwell"`
	// Pitch is the least time between two units entering.
	Pitch sim.Time `mapstructure:"pitch"`
	// Capacity is the most units inside at once (default: dwell / pitch,
	// rounded up; units that cannot leave at the exit accumulate up to it).
	Capacity int `mapstructure:"capacity"`
}

// ArmUse says which arm serves a station and how far it moves a unit.
type ArmUse struct {
	ID string `mapstructure:"id"`
	// Load and Unload are the move distances in metres: buffer to machine,
	// and machine to the next buffer.
	Load   float64 `mapstructure:"load"`
	Unload float64 `mapstructure:"unload"`
}

// Defaults fills the fields a config may omit.
func (s *Spec) Defaults() {
	if s.Servers == 0 {
		s.Servers = 1
	}
	if s.Inspect != nil && s.Inspect.ReworkTarget() != "" && s.Inspect.MaxRework == 0 {
		s.Inspect.MaxRework = 2
	}
	if c := s.Conveyor; c != nil && c.Capacity == 0 && c.Pitch > 0 {
		m := c.Dwell.MeanTime()
		c.Capacity = int((m + c.Pitch - 1) / c.Pitch)
		if c.Capacity < 1 {
			c.Capacity = 1
		}
	}
	s.wearDefaults()
}

// Validate checks the station on its own (references to other stations and
// arms are checked by the line). It returns every problem, joined; each
// message starts with the field it is about.
func (s *Spec) Validate() error {
	var errs []error
	bad := func(field, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", field, fmt.Sprintf(format, a...)))
	}
	if s.ID == "" {
		bad("id", "missing")
	} else if strings.ContainsAny(s.ID, " /:\t") {
		bad("id", "%q may not contain spaces, '/' or ':'", s.ID)
	}
	if s.Servers < 1 {
		bad("servers", "%d: need at least 1", s.Servers)
	} else if s.Servers > MaxServers {
		bad("servers", "%d: at most %d", s.Servers, MaxServers)
	}
	if s.Buffer < Inf {
		bad("buffer", "%d is negative", int(s.Buffer))
	} else if err := CheckCapacity(s.Buffer); err != nil {
		bad("buffer", "%v", err)
	}
	s.validateSpans(bad)
	if s.Conveyor == nil {
		if s.Cycle.Mean() <= 0 {
			bad("cycle", "missing or zero: every station needs a positive processing time")
		}
	} else {
		s.validateConveyor(bad)
	}
	s.validateDowntime(bad)
	s.validateUse(bad)
	s.validateWear(bad)
	return errors.Join(errs...)
}

// validateConveyor checks a conveyor station, through bad.
func (s *Spec) validateConveyor(bad func(field, format string, a ...any)) {
	c := s.Conveyor
	if !s.Cycle.IsZero() {
		bad("cycle", "a conveyor has dwell and pitch, not cycle")
	}
	if c.Dwell.Mean() <= 0 {
		bad("conveyor.dwell", "missing or zero")
	}
	if c.Pitch <= 0 {
		bad("conveyor.pitch", "missing or zero")
	}
	if c.Capacity < 0 {
		bad("conveyor.capacity", "%d is negative", c.Capacity)
	} else if c.Capacity > MaxCapacity {
		bad("conveyor.capacity", "%d: at most %d (when not set it is dwell / pitch)", c.Capacity, MaxCapacity)
	}
	if s.Servers != 1 {
		bad("servers", "a conveyor has one lane; use conveyor.capacity")
	}
	if s.Arm != nil {
		bad("arm", "a conveyor is not loaded by an arm")
	}
	if !s.MTBF.IsZero() || !s.MTTR.IsZero() {
		bad("mtbf", "conveyor failures are not modelled; give the station before or after it the failures")
	}
	if s.Maintenance.Every > 0 || s.Maintenance.Duration > 0 {
		bad("maintenance", "conveyor maintenance is not modelled")
	}
}

// validateDowntime checks the failures and the maintenance plan, through
// bad.
func (s *Spec) validateDowntime(bad func(field, format string, a ...any)) {
	if !s.MTBF.IsZero() {
		if s.MTBF.Mean() <= 0 {
			bad("mtbf", "mean must be positive")
		}
		if s.MTTR.Mean() <= 0 {
			bad("mttr", "missing or zero: a station that fails must take time to repair")
		}
	} else if !s.MTTR.IsZero() && (s.Wear == nil || s.Wear.MTBF == 0) {
		bad("mttr", "set without mtbf")
	}
	m := s.Maintenance
	if m.Every > 0 || m.Duration > 0 {
		if m.Every <= 0 {
			bad("maintenance.every", "missing or zero")
		}
		if m.Duration <= 0 {
			bad("maintenance.duration", "missing or zero")
		}
		if m.Every > 0 && m.Duration >= m.Every {
			bad("maintenance.duration", "%v is not shorter than every (%v)", m.Duration, m.Every)
		}
	}
}

// validateUse checks the defects, the inspection and the arm, through bad.
func (s *Spec) validateUse(bad func(field, format string, a ...any)) {
	if !(s.DefectRate >= 0 && s.DefectRate <= 1) {
		bad("defect_rate", "%v is not a probability in [0,1]", s.DefectRate)
	}
	if in := s.Inspect; in != nil {
		if !(in.Detect >= 0 && in.Detect <= 1) {
			bad("inspect.detect", "%v is not a probability in [0,1]", in.Detect)
		}
		if in.OnFail != "scrap" && in.ReworkTarget() == "" {
			bad("inspect.on_fail", "%q: want scrap or rework:<station id>", in.OnFail)
		}
		if in.MaxRework < 0 {
			bad("inspect.max_rework", "%d is negative", in.MaxRework)
		}
	}
	if a := s.Arm; a != nil {
		if a.ID == "" {
			bad("arm.id", "missing")
		}
		for _, d := range []struct {
			field string
			m     float64
		}{{"arm.load", a.Load}, {"arm.unload", a.Unload}} {
			if !(d.m >= 0) || math.IsInf(d.m, 0) { // also NaN, which would be no move at all
				bad(d.field, "%v: want a distance in metres, 0 or more", d.m)
			}
		}
	}
}

// validateSpans reports every duration of the station longer than
// sim.MaxSpan (a config's are refused as they are read; a spec built in
// code may still hold one).
func (s *Spec) validateSpans(bad func(field, format string, a ...any)) {
	long := func(field string, t sim.Time) {
		if t > sim.MaxSpan {
			bad(field, "%v is %v", t, sim.ErrTooLong)
		}
	}
	long("cycle", s.Cycle.Longest())
	long("mtbf", s.MTBF.Longest())
	long("mttr", s.MTTR.Longest())
	long("maintenance.every", s.Maintenance.Every)
	long("maintenance.duration", s.Maintenance.Duration)
	long("maintenance.start", s.Maintenance.Start)
	if c := s.Conveyor; c != nil {
		long("conveyor.dwell", c.Dwell.Longest())
		long("conveyor.pitch", c.Pitch)
	}
}
