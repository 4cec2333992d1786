package autopilot

import (
	"fmt"
	"strings"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Observation is what a plant's software can see of the line at one
// moment: the state each machine publishes, its counters, its buffer, its
// condition sensors' readings, the maintenance crew, and, when a forecaster
// runs, the shift forecast and the deviations raised. It holds no true
// health: a policy learns how worn a machine is only from its sensors.
//
// Lines and servers count from 0 here, as in the line's commands. An
// adapter fills one Observation per decision epoch; it may reuse the value
// and its slices between epochs, so a policy must not keep references to
// them after Decide returns.
type Observation struct {
	// Now is the time of the observation on the clock the adapter decides
	// by: simulated time in a run, the mirror's time in the twin.
	Now sim.Time
	// Machines lists every station server and arm of every copy of the
	// line, in a fixed order: by copy, then in flow order, a station's
	// servers in turn, arms after the stations. Adapters keep the order
	// from one epoch to the next.
	Machines []Machine
	// Crews are the maintenance crews; empty when the line has none.
	Crews []Crew
	// Forecast is the latest forecast of the shift, nil when there is none.
	Forecast *ShiftForecast
	// Deviations are those raised since the previous observation, oldest
	// first.
	Deviations []Deviation
}

// MachineKind says whether a Machine is a station server or an arm.
type MachineKind uint8

// The kinds of machine.
const (
	Station MachineKind = iota // one server of a station
	Arm                        // a robot arm
)

// String returns "station" or "arm".
func (k MachineKind) String() string {
	if k == Arm {
		return "arm"
	}
	return "station"
}

// MarshalText writes the kind's name.
func (k MachineKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// State is what a machine publishes it is doing. Adapters map the line's
// phases (or the PackML states a twin hears) onto these.
type State uint8

// The published states of a machine.
const (
	Unknown        State = iota // nothing published yet, or the machine's data is stale
	Working                     // processing a unit
	Starved                     // idle: nothing to work on (an idle arm too)
	Blocked                     // done, but the next buffer is full
	Handling                    // waiting for or being loaded or unloaded by its arm
	Down                        // failed, being repaired
	Maintenance                 // planned maintenance in progress
	Held                        // held by an operator: starts no new unit
	WaitingForCrew              // down or due for maintenance, no crew member free yet
	NumStates      = 9
)

var stateNames = [NumStates]string{"unknown", "working", "starved", "blocked", "handling", "down", "maintenance", "held", "waiting_for_crew"}

// String returns the state's name ("waiting_for_crew").
func (s State) String() string {
	if int(s) < NumStates {
		return stateNames[s]
	}
	return fmt.Sprintf("State(%d)", s)
}

// MarshalText writes the state's name; it fails for a state out of range.
func (s State) MarshalText() ([]byte, error) {
	if int(s) >= NumStates {
		return nil, fmt.Errorf("autopilot state %d out of range", s)
	}
	return []byte(stateNames[s]), nil
}

// ParseState returns the state named s, as String writes it.
func ParseState(s string) (State, error) {
	for i, n := range stateNames {
		if n == s {
			return State(i), nil
		}
	}
	return 0, fmt.Errorf("unknown machine state %q (want %s)", s, strings.Join(stateNames[:], ", "))
}

// UnmarshalText reads a state's name.
func (s *State) UnmarshalText(b []byte) error {
	v, err := ParseState(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Idle reports whether a machine in this state produces nothing for a
// reason of its own neighbours (starved or blocked): the moments when
// maintaining it costs the line least.
func (s State) Idle() bool { return s == Starved || s == Blocked }

// Stopped reports whether the machine is down, in maintenance or waiting
// for the crew: it is already being seen to, or soon will be.
func (s State) Stopped() bool { return s == Down || s == Maintenance || s == WaitingForCrew }

// InfCapacity is the Capacity of an unbounded buffer.
const InfCapacity = -1

// Machine is one station server or one arm as the plant sees it.
type Machine struct {
	// Line is the copy of the line, from 0; ID the station's or arm's id;
	// Server the station's server, from 0 (0 for an arm).
	Line   int
	ID     string
	Kind   MachineKind
	Server int
	// Index is the position in flow order of the station (for an arm: of
	// the station it loads), from 0; -1 when not known.
	Index int
	// State is the state last published, Stale true when the machine's
	// data is stale (its node or device died, or it fell silent).
	State State
	Stale bool
	// Buffer is the number of units waiting in the station's input buffer
	// and Capacity its capacity (InfCapacity: unbounded); 0 for an arm.
	// They belong to the station and repeat for each of its servers.
	Buffer, Capacity int
	// Servers is the station's number of servers (1 for an arm), Speed
	// its relative speed (1 nominal) and DesignCycle the ideal time one
	// server takes per unit at speed 1 (an arm: per unit it handles). The
	// station's ideal rate, Servers x Speed / DesignCycle, finds the line's
	// constraint. A DesignCycle of 0 means not known.
	Servers     int
	Speed       float64
	DesignCycle sim.Time
	// Processed counts the units the machine finished, Failures its
	// failures and Maintained its maintenances so far. A policy reads a
	// change of Failures or Maintained as "the machine was restored".
	Processed, Failures, Maintained int64
	// Sensors are the machine's condition sensors.
	Sensors []Sensor
}

// Ref returns the machine's reference.
func (m *Machine) Ref() MachineRef { return MachineRef{Line: m.Line, ID: m.ID, Server: m.Server} }

// MachineRef names one machine: a copy of the line, a station or arm id and
// a server (0 for an arm).
type MachineRef struct {
	Line   int
	ID     string
	Server int
}

// Sensor is one condition sensor of a machine (vibration, temperature …)
// and the readings it delivered.
type Sensor struct {
	// Name names the sensor on its machine ("vibration").
	Name string
	// Limit is the reading at which the machine is expected to fail (its
	// trip level); Rising says readings grow as the machine wears (else
	// they fall).
	Limit  float64
	Rising bool
	// Readings are the readings received since the previous observation,
	// or at least the latest one, oldest first. A reading may arrive late
	// (its At lies before Now), some never arrive, and readings carry
	// noise; a policy keeps its own history and skips readings it has seen
	// (At not after the last one it kept). Adapters list every sensor of the
	// machine each time, with no readings when none arrived.
	Readings []Reading
}

// Reading is one value of a condition sensor and the time it was measured.
type Reading struct {
	At    sim.Time
	Value float64
}

// Crew is a maintenance crew: the technicians or maintenance robots
// without whom no repair or planned maintenance starts.
type Crew struct {
	// Line is the copy of the line the crew serves, from 0; -1 when it
	// serves every copy.
	Line int
	// Size is the number of members, Busy those at work or travelling.
	Size, Busy int
	// Queue lists the machines waiting for a member, in the order the crew
	// will serve them.
	Queue []MachineRef
}

// Serves reports whether the crew serves copy line of the line.
func (c *Crew) Serves(line int) bool { return c.Line < 0 || c.Line == line }

// Free returns the number of members neither at work nor travelling.
func (c *Crew) Free() int { return max(c.Size-c.Busy, 0) }

// ShiftForecast is a forecast of the current shift's good output.
type ShiftForecast struct {
	// At is when the forecast was made, End the end of the shift.
	At, End sim.Time
	// Target is the good output wanted in the shift; P10, P50 and P90 the
	// forecast's quantiles of the shift's good output.
	Target        float64
	P10, P50, P90 float64
}

// Deviation is a deviation a detector raised: when, on which machine
// (ID empty for the line as a whole), of what kind, why, and its numbers.
type Deviation struct {
	At           sim.Time
	Line         int
	ID           string
	Kind, Reason string
	Value, Limit float64
}
