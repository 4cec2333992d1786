package twin

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// CommandKind says what a Command does.
type CommandKind uint8

// The commands a person (or a twin host) can give the line.
const (
	BreakStation    CommandKind = iota // break one server of a station until repaired
	RepairStation                      // end a break or a failure of one server now
	BreakArm                           // break an arm until repaired
	RepairArm                          // end a break or a failure of an arm now
	SetBuffer                          // change a station's input buffer capacity
	HoldStation                        // let a station finish its units and start no new ones
	UnholdStation                      // let a held station start units again
	ResetStation                       // repair every broken or down server of a station and unhold it
	SetSpeed                           // change a station's relative speed
	MaintainStation                    // maintain one server of a worn station, or a worn arm (server 0), now (see stations.Station.Maintain, robots.Arm.Maintain)
	DispatchCrew                       // put the crew job of one server (or its station) first in the crew's queue
)

var commandNames = [...]string{"break", "repair", "break-arm", "repair-arm", "set-buffer", "hold", "unhold", "reset", "speed",
	"maintain", "dispatch"}

// String returns the command's name ("break").
func (k CommandKind) String() string {
	if int(k) < len(commandNames) {
		return commandNames[k]
	}
	return fmt.Sprintf("CommandKind(%d)", k)
}

// Command is an intervention on a running line. Commands go through the
// event queue, so a session's commands, with their times, replay exactly.
type Command struct {
	Kind CommandKind
	// Line is the copy of the line, from 0.
	Line int
	// Target is the station or arm id.
	Target string
	// Server is the station server, from 0 (station commands only).
	Server int
	// Capacity is the new buffer capacity (SetBuffer only).
	Capacity stations.Capacity
	// Speed is the new relative speed, 1 being nominal, more than 0 and at
	// most stations.MaxSpeed (SetSpeed only).
	Speed float64
}

// String describes the command ("break printer server 1 on line 1").
func (c Command) String() string {
	var b strings.Builder
	b.WriteString(c.Kind.String())
	b.WriteString(" " + c.Target)
	switch c.Kind {
	case BreakStation, RepairStation, MaintainStation, DispatchCrew:
		fmt.Fprintf(&b, " server %d", c.Server+1)
	case SetBuffer:
		b.WriteString(" to " + c.Capacity.String())
	case SetSpeed:
		b.WriteString(" to " + strconv.FormatFloat(c.Speed, 'g', -1, 64))
	}
	fmt.Fprintf(&b, " on line %d", c.Line+1)
	return b.String()
}

// TimedCommand is a command with the simulated time it was applied, and
// the error it met then, if any ("" when it applied).
type TimedCommand struct {
	At  sim.Time
	Cmd Command
	Err string
}

// commandEvent applies queued commands; it is the Handler for them.
type commandEvent struct{ l *Line }

// Do checks a command and queues it to apply at the current time, after
// the events already due now. It returns an error, and queues nothing, for
// a command that names no station, arm or server of this line, a negative
// capacity, or a speed outside (0, stations.MaxSpeed]. Errors that depend
// on the state when it applies (repairing a machine that is not down) are
// kept in the log (see Log). Holding a held station and unholding or
// resetting a running one are not errors: they change nothing.
func (l *Line) Do(c Command) error {
	if c.Line < 0 || c.Line >= len(l.stations) {
		return fmt.Errorf("%v: no line %d (the config has %d)", c, c.Line+1, len(l.stations))
	}
	if c.Kind == MaintainStation && l.station(c.Line, c.Target) == nil && l.arm(c.Line, c.Target) >= 0 {
		// A worn arm is maintained as a one-server machine.
		a := l.arms[c.Line][l.arm(c.Line, c.Target)]
		switch {
		case c.Server != 0:
			return fmt.Errorf("%v: arm %s has 1 server", c, c.Target)
		case !a.Spec().CanMaintain():
			return fmt.Errorf("%v: arm %s %w", c, c.Target, robots.ErrNoMaintenance)
		}
		l.queue(c)
		return nil
	}
	switch c.Kind {
	case BreakStation, RepairStation, SetBuffer, HoldStation, UnholdStation, ResetStation, SetSpeed,
		MaintainStation, DispatchCrew:
		st := l.station(c.Line, c.Target)
		if st == nil {
			return fmt.Errorf("%v: no station %q", c, c.Target)
		}
		perServer := c.Kind == BreakStation || c.Kind == RepairStation || c.Kind == MaintainStation || c.Kind == DispatchCrew
		if perServer && (c.Server < 0 || c.Server >= st.Servers()) {
			return fmt.Errorf("%v: %s has %d server(s)", c, c.Target, st.Servers())
		}
		if c.Kind == MaintainStation && !st.Spec().CanMaintain() {
			return fmt.Errorf("%v: %s %w", c, c.Target, stations.ErrNoMaintenance)
		}
		if c.Kind == DispatchCrew && st.Crew() == nil {
			return fmt.Errorf("%v: no crew serves %s", c, c.Target)
		}
		if c.Kind == SetBuffer && stations.CheckCapacity(c.Capacity) != nil {
			return fmt.Errorf("%v: capacity must be 0 to %d, or inf", c, stations.MaxCapacity)
		}
		if c.Kind == SetSpeed {
			if err := stations.CheckSpeed(c.Speed); err != nil {
				return fmt.Errorf("%v: %w", c, err)
			}
		}
	case BreakArm, RepairArm:
		if l.arm(c.Line, c.Target) < 0 {
			return fmt.Errorf("%v: no arm %q", c, c.Target)
		}
	default:
		return fmt.Errorf("unknown command kind %d", c.Kind)
	}
	l.queue(c)
	return nil
}

// queue logs a checked command and schedules it now, on its copy's engine.
func (l *Line) queue(c Command) {
	l.log = append(l.log, TimedCommand{At: l.Now(), Cmd: c})
	l.copies[c.Line].eng.Schedule(0, commandEvent{l}, int64(len(l.log)-1))
}

// Handle applies the logged command number arg.
func (h commandEvent) Handle(e *sim.Engine, arg int64) {
	l := h.l
	tc := &l.log[arg]
	c := tc.Cmd
	var err error
	switch c.Kind {
	case BreakStation:
		err = l.station(c.Line, c.Target).Break(c.Server)
	case RepairStation:
		err = l.station(c.Line, c.Target).Repair(c.Server)
	case SetBuffer:
		err = l.station(c.Line, c.Target).SetBuffer(c.Capacity)
	case HoldStation:
		l.station(c.Line, c.Target).Hold()
	case UnholdStation:
		l.station(c.Line, c.Target).Unhold()
	case ResetStation:
		err = l.station(c.Line, c.Target).Reset()
	case SetSpeed:
		if err = stations.CheckSpeed(c.Speed); err == nil {
			l.closeSpeedSegment(c.Line, l.station(c.Line, c.Target).Index())
		}
		err = l.station(c.Line, c.Target).SetSpeed(c.Speed)
	case MaintainStation:
		if st := l.station(c.Line, c.Target); st != nil {
			err = st.Maintain(c.Server)
		} else {
			err = l.arms[c.Line][l.arm(c.Line, c.Target)].Maintain()
		}
	case DispatchCrew:
		err = l.station(c.Line, c.Target).Dispatch(c.Server)
	case BreakArm:
		err = l.arms[c.Line][l.arm(c.Line, c.Target)].Break()
	case RepairArm:
		err = l.arms[c.Line][l.arm(c.Line, c.Target)].Repair()
	}
	if err != nil {
		tc.Err = err.Error()
	}
}

// Log returns the commands given so far, in order, with their times and
// outcomes. The slice is the line's own: do not modify it.
func (l *Line) Log() []TimedCommand { return l.log }

// Replay runs the line to each command's time and gives it, then runs on
// to until: the same line, seed and commands give the same run as the
// session that recorded them.
func (l *Line) Replay(cmds []TimedCommand, until sim.Time) error {
	for _, tc := range cmds {
		if tc.At < l.Now() {
			return fmt.Errorf("replay: command %v at %v is before the line's time %v", tc.Cmd, tc.At, l.Now())
		}
		l.RunUntil(tc.At)
		if err := l.Do(tc.Cmd); err != nil {
			return fmt.Errorf("replay at %v: %w", tc.At, err)
		}
	}
	if until > l.Now() {
		l.RunUntil(until)
	}
	return nil
}

func (l *Line) station(line int, id string) *stations.Station {
	for _, st := range l.stations[line] {
		if st.ID() == id {
			return st
		}
	}
	return nil
}

func (l *Line) arm(line int, id string) int {
	for j, a := range l.arms[line] {
		if a.ID() == id {
			return j
		}
	}
	return -1
}
