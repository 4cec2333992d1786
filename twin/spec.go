package twin

import (
	"errors"
	"fmt"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Spec is the immutable description of a line, as read from a config file.
type Spec struct {
	// Name and Description say what the line is.
	Name        string `mapstructure:"name"`
	Description string `mapstructure:"description"`
	// Lines is the number of identical, independent copies of the line that
	// run side by side (default 1). Their output adds up.
	Lines int `mapstructure:"lines"`
	// TargetPerHour is the planned good output per hour of all lines
	// together; shown beside the throughput (0: none).
	TargetPerHour float64 `mapstructure:"target_per_hour"`
	// Source feeds raw units into the first station.
	Source Source `mapstructure:"source"`
	// Stations in flow order.
	Stations []stations.Spec `mapstructure:"stations"`
	// Arms are the robot arms that stations name in their arm field.
	Arms []robots.Spec `mapstructure:"arms"`
	// Sensors says how readings differ from the true events.
	Sensors SensorSpec `mapstructure:"sensors"`
	// Run holds defaults for batch runs; flags override them.
	Run RunSpec `mapstructure:"run"`
}

// Source feeds the first station.
type Source struct {
	// Interarrival is the time between raw units; zero means unlimited raw
	// material (the first station is never starved).
	Interarrival sim.Dist `mapstructure:"interarrival"`
}

// SensorSpec describes how sensors turn true events into readings.
type SensorSpec struct {
	// Latency is the delay from an event to its reading.
	Latency sim.Dist `mapstructure:"latency"`
	// Noise is the relative standard deviation of analogue readings
	// (measured cycle times); 0.01 means 1%.
	Noise float64 `mapstructure:"noise"`
	// Dropout is the probability that a reading is lost.
	Dropout float64 `mapstructure:"dropout"`
}

// RunSpec holds batch defaults.
type RunSpec struct {
	Duration     sim.Time `mapstructure:"duration"`
	Warmup       sim.Time `mapstructure:"warmup"`
	Seed         uint64   `mapstructure:"seed"`
	Replications int      `mapstructure:"replications"`
}

// Defaults fills the fields a config may omit.
func (s *Spec) Defaults() {
	if s.Lines == 0 {
		s.Lines = 1
	}
	for i := range s.Stations {
		s.Stations[i].Defaults()
	}
	if s.Run.Duration == 0 {
		s.Run.Duration = 7 * sim.Day
	}
	if s.Run.Replications == 0 {
		s.Run.Replications = 1
	}
}

// Validate checks the whole line and returns every problem joined; each
// message starts with the path of the field it is about
// ("stations[3].buffer: ...").
func (s *Spec) Validate() error {
	var errs []error
	bad := func(field, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", field, fmt.Sprintf(format, a...)))
	}
	if s.Lines < 1 {
		bad("lines", "%d: need at least 1", s.Lines)
	}
	if s.TargetPerHour < 0 {
		bad("target_per_hour", "%v is negative", s.TargetPerHour)
	}
	if len(s.Stations) == 0 {
		bad("stations", "a line needs at least one station")
	}
	arms := map[string]int{}
	for i := range s.Arms {
		a := &s.Arms[i]
		for _, err := range unjoin(a.Validate()) {
			errs = append(errs, fmt.Errorf("arms[%d].%w", i, err))
		}
		if j, dup := arms[a.ID]; dup && a.ID != "" {
			bad(fmt.Sprintf("arms[%d].id", i), "%q already used by arms[%d]", a.ID, j)
		} else {
			arms[a.ID] = i
		}
	}
	ids := map[string]int{}
	for i := range s.Stations {
		st := &s.Stations[i]
		for _, err := range unjoin(st.Validate()) {
			errs = append(errs, fmt.Errorf("stations[%d].%w", i, err))
		}
		if j, dup := ids[st.ID]; dup && st.ID != "" {
			bad(fmt.Sprintf("stations[%d].id", i), "%q already used by stations[%d]", st.ID, j)
		} else {
			ids[st.ID] = i
		}
	}
	for i := range s.Stations {
		st := &s.Stations[i]
		if st.Inspect != nil {
			if t := st.Inspect.ReworkTarget(); t != "" {
				if j, ok := ids[t]; !ok {
					bad(fmt.Sprintf("stations[%d].inspect.on_fail", i), "rework to unknown station %q", t)
				} else if j > i {
					bad(fmt.Sprintf("stations[%d].inspect.on_fail", i), "rework to %q, which is downstream; rework goes back up the line", t)
				}
			}
		}
		if st.Arm != nil && st.Arm.ID != "" {
			if _, ok := arms[st.Arm.ID]; !ok {
				bad(fmt.Sprintf("stations[%d].arm.id", i), "unknown arm %q", st.Arm.ID)
			}
		}
	}
	if !s.Source.Interarrival.IsZero() && s.Source.Interarrival.Mean() <= 0 {
		bad("source.interarrival", "mean must be positive")
	}
	if !(s.Sensors.Noise >= 0) {
		bad("sensors.noise", "%v is negative", s.Sensors.Noise)
	}
	if !(s.Sensors.Dropout >= 0 && s.Sensors.Dropout < 1) {
		bad("sensors.dropout", "%v is not a probability in [0,1)", s.Sensors.Dropout)
	}
	if s.Run.Duration < 0 || s.Run.Warmup < 0 {
		bad("run", "durations must not be negative")
	}
	if s.Run.Duration > 0 && s.Run.Warmup >= s.Run.Duration {
		bad("run.warmup", "%v is not shorter than run.duration (%v)", s.Run.Warmup, s.Run.Duration)
	}
	if s.Run.Replications < 0 {
		bad("run.replications", "%d is negative", s.Run.Replications)
	}
	return errors.Join(errs...)
}

// unjoin splits an error made by errors.Join into its parts.
func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
