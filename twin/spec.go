package twin

import (
	"errors"
	"fmt"
	"math"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Upper bounds of a line's spec (see also stations.MaxServers,
// stations.MaxCapacity and sim.MaxSpan), so that no config asks for more
// than a machine has by a slip of the keyboard (lines: 1e9).
const (
	// MaxLines is the most copies of a line a spec may run side by side.
	MaxLines = 1000
	// MaxReplications is the most replications a batch may run, from a
	// config's run.replications or a flag.
	MaxReplications = 100_000
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
	// Crew, when set, is the maintenance crew: every repair and
	// maintenance of a station waits for one of its members. Without it
	// repairs and maintenance need nobody.
	Crew *CrewSpec `mapstructure:"crew"`
	// Autopilot, when set, flies an autopilot policy on the line in
	// simulated runs (batch, sweep, the window): it sees what the line's
	// sensors and states show and acts through its commands.
	Autopilot *AutopilotSpec `mapstructure:"autopilot"`
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

// CrewSpec describes a maintenance crew of technicians or maintenance
// robots.
type CrewSpec struct {
	// Size is the number of members, per copy of the line (or for the
	// whole factory when Shared).
	Size int `mapstructure:"size"`
	// Travel is the time a member takes to reach a machine (none when
	// already there).
	Travel sim.Dist `mapstructure:"travel"`
	// Shared makes one crew serve every copy of the line (the factory),
	// rather than one crew per copy.
	Shared bool `mapstructure:"shared"`
}

// AutopilotSpec chooses an autopilot policy (package twin/autopilot) and
// its guard rails. Its names and values are checked where the policies are
// known (package configs, package twin/pilot).
type AutopilotSpec struct {
	// Policy is the policy's name: none, predictive or forecast.
	Policy string `mapstructure:"policy"`
	// Params set policy parameters, each "name=value"
	// ("predictive.lead=6h").
	Params []string `mapstructure:"params"`
	// RecommendOnly logs the decisions without applying them.
	RecommendOnly bool `mapstructure:"recommend_only"`
	// MaxActionsPerHour caps the actions applied in any simulated hour
	// (0: the default).
	MaxActionsPerHour int `mapstructure:"max_actions_per_hour"`
}

// People returns the crew members of all copies of the line together (0
// without a crew).
func (s *Spec) People() int {
	switch {
	case s.Crew == nil:
		return 0
	case s.Crew.Shared:
		return s.Crew.Size
	}
	return s.Crew.Size * s.Lines
}

// HasUpkeep reports whether the line has wear or a crew: whether its
// results carry the upkeep KPIs (Result.Upkeep).
func (s *Spec) HasUpkeep() bool {
	if s.Crew != nil {
		return true
	}
	for i := range s.Stations {
		if s.Stations[i].Wear != nil {
			return true
		}
	}
	return false
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
	for i := range s.Arms {
		s.Arms[i].Defaults()
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
// ("stations[3].buffer: ..."). It checks the upper bounds too (MaxLines,
// MaxReplications, stations.MaxServers, stations.MaxCapacity, sim.MaxSpan)
// and refuses a NaN or an infinity in any number.
func (s *Spec) Validate() error {
	var errs []error
	bad := func(field, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", field, fmt.Sprintf(format, a...)))
	}
	if s.Lines < 1 {
		bad("lines", "%d: need at least 1", s.Lines)
	} else if s.Lines > MaxLines {
		bad("lines", "%d: at most %d", s.Lines, MaxLines)
	}
	if math.IsNaN(s.TargetPerHour) || math.IsInf(s.TargetPerHour, 0) {
		bad("target_per_hour", "%v: want a finite number of units per hour", s.TargetPerHour)
	} else if s.TargetPerHour < 0 {
		bad("target_per_hour", "%v is negative", s.TargetPerHour)
	}
	if len(s.Stations) == 0 {
		bad("stations", "a line needs at least one station")
	}
	errs = append(errs, s.validateMachines(bad)...)
	if !s.Source.Interarrival.IsZero() && s.Source.Interarrival.Mean() <= 0 {
		bad("source.interarrival", "mean must be positive")
	}
	if !(s.Sensors.Noise >= 0) || math.IsInf(s.Sensors.Noise, 0) {
		bad("sensors.noise", "%v: want a relative standard deviation, 0 or more", s.Sensors.Noise)
	}
	if !(s.Sensors.Dropout >= 0 && s.Sensors.Dropout < 1) {
		bad("sensors.dropout", "%v is not a probability in [0,1)", s.Sensors.Dropout)
	}
	s.validateRun(bad)
	s.validateCrew(bad)
	return errors.Join(errs...)
}

// validateCrew checks the crew, through bad.
func (s *Spec) validateCrew(bad func(field, format string, a ...any)) {
	c := s.Crew
	if c == nil {
		return
	}
	if c.Size < 1 {
		bad("crew.size", "%d: need at least 1 (leave crew out for repairs that need nobody)", c.Size)
	} else if c.Size > stations.MaxCrew {
		bad("crew.size", "%d: at most %d", c.Size, stations.MaxCrew)
	}
	if !c.Travel.IsZero() && c.Travel.Mean() < 0 {
		bad("crew.travel", "mean must not be negative")
	}
	if t := c.Travel.Longest(); t > sim.MaxSpan {
		bad("crew.travel", "%v is %v", t, sim.ErrTooLong)
	}
}

// validateMachines checks the arms and the stations, each on its own and
// their references to each other, reporting problems of the line through
// bad and returning those of the arms and stations themselves.
func (s *Spec) validateMachines(bad func(field, format string, a ...any)) []error {
	var errs []error
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
	return errs
}

// validateRun checks the run defaults, and the spans of the line-wide
// distributions, through bad.
func (s *Spec) validateRun(bad func(field, format string, a ...any)) {
	if s.Run.Duration < 0 || s.Run.Warmup < 0 {
		bad("run", "durations must not be negative")
	}
	if s.Run.Duration > 0 && s.Run.Warmup >= s.Run.Duration {
		bad("run.warmup", "%v is not shorter than run.duration (%v)", s.Run.Warmup, s.Run.Duration)
	}
	if s.Run.Replications < 0 {
		bad("run.replications", "%d is negative", s.Run.Replications)
	} else if s.Run.Replications > MaxReplications {
		bad("run.replications", "%d: at most %d", s.Run.Replications, MaxReplications)
	}
	for _, t := range []struct {
		field string
		t     sim.Time
	}{{"source.interarrival", s.Source.Interarrival.Longest()}, {"sensors.latency", s.Sensors.Latency.Longest()},
		{"run.duration", s.Run.Duration}, {"run.warmup", s.Run.Warmup}} {
		if t.t > sim.MaxSpan {
			bad(t.field, "%v is %v", t.t, sim.ErrTooLong)
		}
	}
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
