package packml

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// ErrCommand is matched by every error about a command of the contract:
// one that cannot be encoded, decoded or applied to its device.
var ErrCommand = errors.New("bad command")

// An Action is what a command asks a station or arm device to do. Its
// text form is its name ("hold"), as the twin's HTTP API and CLI take it.
type Action uint8

// The actions, each written as one command metric (see [Action.Metric]).
const (
	Hold     Action = iota // Command/Hold = true: finish the units under way, start no new one
	Unhold                 // Command/Unhold = true: start units again
	Reset                  // Command/Reset = true: repair every broken or down server and unhold (an arm: repair it if down)
	Break                  // Command/Break = true (stations: one server)
	Repair                 // Command/Repair = true (stations: one server)
	Speed                  // Command/Speed = the new relative speed (stations)
	Buffer                 // Command/Buffer = the new input buffer capacity, -1 unbounded (stations)
	Maintain               // Command/Maintain = true: maintain one server now (stations with wear)
	Dispatch               // Command/Dispatch = true: put one server's crew job first (stations served by a crew)
	numActions
)

var actionNames = [numActions]string{"hold", "unhold", "reset", "break", "repair", "speed", "buffer", "maintain", "dispatch"}

var actionMetrics = [numActions]string{MetricCmdHold, MetricCmdUnhold, MetricCmdReset, MetricCmdBreak,
	MetricCmdRepair, MetricCmdSpeed, MetricCmdBuffer, MetricCmdMaintain, MetricCmdDispatch}

// String returns the action's name ("hold").
func (a Action) String() string {
	if a < numActions {
		return actionNames[a]
	}
	return "Action(" + strconv.Itoa(int(a)) + ")"
}

// ActionNames returns the name of every action, in order.
func ActionNames() []string { return append([]string(nil), actionNames[:]...) }

// ParseAction returns the action called name ("hold").
func ParseAction(name string) (Action, error) {
	for a := range numActions {
		if actionNames[a] == name {
			return a, nil
		}
	}
	return 0, fmt.Errorf("%w: unknown %q (want one of %s)", ErrCommand, name, strings.Join(actionNames[:], ", "))
}

// MarshalText writes the action's name.
func (a Action) MarshalText() ([]byte, error) {
	if a >= numActions {
		return nil, fmt.Errorf("%w: action %d out of range", ErrCommand, a)
	}
	return []byte(actionNames[a]), nil
}

// UnmarshalText reads an action's name.
func (a *Action) UnmarshalText(b []byte) error {
	v, err := ParseAction(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// Metric returns the command metric that carries the action.
func (a Action) Metric() string {
	if a < numActions {
		return actionMetrics[a]
	}
	return ""
}

// Valued reports whether the action carries a value (Speed, Buffer)
// rather than a Boolean true.
func (a Action) Valued() bool { return a == Speed || a == Buffer }

// ForArms reports whether an arm device takes the action (Break, Repair,
// Reset); a station takes them all.
func (a Action) ForArms() bool { return a == Break || a == Repair || a == Reset }

// PerServer reports whether the action acts on one server of a station,
// named by Command/Server (Break, Repair, Maintain, Dispatch).
func (a Action) PerServer() bool { return a == Break || a == Repair || a == Maintain || a == Dispatch }

// A Command is one command of the contract to one station or arm device,
// as a DCMD carries it.
type Command struct {
	Action Action
	// Server is the station server Break, Repair, Maintain and Dispatch
	// act on, from 1; 0 lets the edge pick the first that fits (for Break,
	// the first not broken; for Repair, the first broken or down; for
	// Maintain, the first neither; for Dispatch, the first waiting for the
	// crew).
	Server int
	// Value is the relative speed (Speed: above 0, 1 nominal) or the
	// buffer capacity (Buffer: a whole number, -1 unbounded).
	Value float64
}

// String describes the command ("break server 2", "speed 1.2").
func (c Command) String() string {
	switch {
	case c.Action.Valued():
		return c.Action.String() + " " + strconv.FormatFloat(c.Value, 'g', -1, 64)
	case c.Server > 0:
		return c.Action.String() + " server " + strconv.Itoa(c.Server)
	}
	return c.Action.String()
}

// Validate checks the command on its own (not against a device). Its
// errors match ErrCommand and start with what is wrong.
func (c Command) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrCommand, fmt.Sprintf(format, a...))
	}
	switch v := c.Value; {
	case c.Action >= numActions:
		return bad("action %d out of range", c.Action)
	case c.Server < 0 || c.Server > math.MaxInt32:
		return bad("server %d: want 1 or more (0: the first that fits)", c.Server)
	case c.Server != 0 && !c.Action.PerServer():
		return bad("server: only for break, repair, maintain and dispatch, not %s", c.Action)
	case !c.Action.Valued() && v != 0:
		return bad("value: not used by %s", c.Action)
	case c.Action.Valued() && (math.IsNaN(v) || math.IsInf(v, 0)):
		return bad("value: %v is not a number", v)
	case c.Action == Speed && v <= 0:
		return bad("value: speed %v must be positive (1 is nominal)", v)
	case c.Action == Speed && v > math.MaxFloat32:
		return bad("value: speed %v does not fit a Float", v)
	case c.Action == Buffer && (v != math.Trunc(v) || v < -1 || v > math.MaxInt32):
		return bad("value: buffer %v: want a whole number from -1 (unbounded) up", v)
	}
	return nil
}

// Writes returns the metric writes of a DCMD that carries c, typed as the
// contract's metrics are ([TypeOf]): the action's metric and, for Break
// and Repair of a given server, Command/Server.
func (c Command) Writes() ([]sparkplug.NamedValue, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	var v sparkplug.Value
	switch c.Action {
	case Speed:
		v = sparkplug.FloatValue(float32(c.Value))
	case Buffer:
		v = sparkplug.Int32Value(int32(c.Value))
	default:
		v = sparkplug.BooleanValue(true)
	}
	out := []sparkplug.NamedValue{{Name: c.Action.Metric(), Value: v}}
	if c.Server > 0 {
		out = append(out, sparkplug.NamedValue{Name: MetricCmdServer, Value: sparkplug.Int32Value(int32(c.Server))})
	}
	return out, nil
}

// Decode returns the commands the writes of one DCMD carry, in the order
// written. A Boolean command written false asks for nothing; Command/Server
// applies to the Break and Repair of the same DCMD. Command/Speed is a
// 32-bit Float: its value is rounded to six decimals, the speed meant (0.8,
// not 0.800000011920929). Null writes, metrics that are no command and
// values out of range are errors (matching ErrCommand, joined); the valid
// commands of the same DCMD are still returned.
func Decode(writes []sparkplug.Write) ([]Command, error) {
	server := 0
	var errs []error
	for _, w := range writes {
		if w.Name == MetricCmdServer && !w.Null {
			v, ok := w.Value.Int64()
			if !ok || v < 0 || v > math.MaxInt32 {
				errs = append(errs, fmt.Errorf("%w: %s %v: want a server from 1 (0: the first that fits)", ErrCommand, w.Name, w.Value))
				continue
			}
			server = int(v)
		}
	}
	var out []Command
	for _, w := range writes {
		if w.Name == MetricCmdServer && !w.Null {
			continue
		}
		c, ok, err := decodeWrite(w, server)
		if err != nil {
			errs = append(errs, err)
		} else if ok {
			out = append(out, c)
		}
	}
	return out, errors.Join(errs...)
}

// decodeWrite decodes one write; ok is false when it asks for nothing.
func decodeWrite(w sparkplug.Write, server int) (c Command, ok bool, err error) {
	if w.Null {
		return c, false, fmt.Errorf("%w: %s: null", ErrCommand, w.Name)
	}
	a := Action(0)
	for a < numActions && actionMetrics[a] != w.Name {
		a++
	}
	if a == numActions {
		return c, false, fmt.Errorf("%w: %q is not a command", ErrCommand, w.Name)
	}
	c.Action = a
	switch a {
	case Speed:
		v, ok := w.Value.Number()
		if !ok {
			return c, false, fmt.Errorf("%w: %s %v: want a number", ErrCommand, w.Name, w.Value)
		}
		c.Value = RoundSpeed(v)
	case Buffer:
		v, ok := w.Value.Int64()
		if !ok {
			return c, false, fmt.Errorf("%w: %s %v: want a whole number", ErrCommand, w.Name, w.Value)
		}
		c.Value = float64(v)
	default:
		if on, _ := w.Value.Boolean(); !on {
			return c, false, nil
		}
		if a.PerServer() {
			c.Server = server
		}
	}
	if err := c.Validate(); err != nil {
		return c, false, fmt.Errorf("%s: %w", w.Name, err)
	}
	return c, true, nil
}

// FromTwin returns the contract command that carries line command c to
// the device c.Target of edge node NodeID(prefix, c.Line).
func FromTwin(c twin.Command) (Command, error) {
	switch c.Kind {
	case twin.BreakStation:
		return Command{Action: Break, Server: c.Server + 1}, nil
	case twin.RepairStation:
		return Command{Action: Repair, Server: c.Server + 1}, nil
	case twin.BreakArm:
		return Command{Action: Break}, nil
	case twin.RepairArm:
		return Command{Action: Repair}, nil
	case twin.SetBuffer:
		return Command{Action: Buffer, Value: float64(c.Capacity)}, nil
	case twin.HoldStation:
		return Command{Action: Hold}, nil
	case twin.UnholdStation:
		return Command{Action: Unhold}, nil
	case twin.ResetStation:
		return Command{Action: Reset}, nil
	case twin.SetSpeed:
		return Command{Action: Speed, Value: c.Speed}, nil
	case twin.MaintainStation:
		return Command{Action: Maintain, Server: c.Server + 1}, nil
	case twin.DispatchCrew:
		return Command{Action: Dispatch, Server: c.Server + 1}, nil
	}
	return Command{}, fmt.Errorf("%w: %v has no DCMD", ErrCommand, c.Kind)
}

// A Target is the device a command reaches, with what the edge knows of it
// when the command arrives.
type Target struct {
	// Line is the copy of the line (from 0), ID the station or arm id.
	Line int
	ID   string
	// Arm says the device is an arm.
	Arm bool
	// Servers are a station's servers now, for Break and Repair with no
	// server given.
	Servers []stations.ServerView
	// Down says an arm is broken or down now, for Reset.
	Down bool
	// Upkeep is a station's servers' upkeep now (nil without wear or a
	// crew), for Dispatch with no server given.
	Upkeep []stations.UpkeepView
}

// ToTwin returns the line command that applies c to device t. ok is false
// when there is nothing to do: Reset of an arm that is neither broken nor
// down. An action the device does not take (Hold of an arm) is an error.
func (c Command) ToTwin(t Target) (cmd twin.Command, ok bool, err error) {
	if err := c.Validate(); err != nil {
		return twin.Command{}, false, err
	}
	cmd = twin.Command{Line: t.Line, Target: t.ID}
	if t.Arm {
		switch c.Action {
		case Break:
			cmd.Kind = twin.BreakArm
		case Repair:
			cmd.Kind = twin.RepairArm
		case Reset:
			if !t.Down {
				return twin.Command{}, false, nil
			}
			cmd.Kind = twin.RepairArm
		case Maintain:
			// A worn arm is maintained as a machine of one server.
			if c.Server > 1 {
				return twin.Command{}, false, fmt.Errorf("%w: arm %s has 1 server, not %d", ErrCommand, t.ID, c.Server)
			}
			cmd.Kind = twin.MaintainStation
		default:
			return twin.Command{}, false, fmt.Errorf("%w: %s is a command of stations, not of arm %s", ErrCommand, c.Action, t.ID)
		}
		return cmd, true, nil
	}
	switch c.Action {
	case Break, Repair:
		cmd.Kind, cmd.Server = twin.BreakStation, c.Server-1
		if c.Action == Repair {
			cmd.Kind = twin.RepairStation
		}
		if c.Server == 0 {
			cmd.Server = pickServer(t.Servers, c.Action == Break)
		}
	case Hold:
		cmd.Kind = twin.HoldStation
	case Unhold:
		cmd.Kind = twin.UnholdStation
	case Reset:
		cmd.Kind = twin.ResetStation
	case Speed:
		cmd.Kind, cmd.Speed = twin.SetSpeed, c.Value
	case Buffer:
		cmd.Kind, cmd.Capacity = twin.SetBuffer, stations.Capacity(c.Value)
	case Maintain, Dispatch:
		cmd.Kind, cmd.Server = twin.MaintainStation, c.Server-1
		if c.Action == Dispatch {
			cmd.Kind = twin.DispatchCrew
		}
		if c.Server == 0 {
			cmd.Server = pickUpkeep(t, c.Action == Maintain)
		}
	}
	return cmd, true, nil
}

// pickUpkeep returns the first server that is up (for a maintenance) or
// that waits for the crew (for a dispatch), else 0.
func pickUpkeep(t Target, maintain bool) int {
	for k, v := range t.Servers {
		switch {
		case maintain && !v.Broken && v.Phase != stations.Down && v.Phase != stations.Maintenance:
			return k
		case !maintain && k < len(t.Upkeep) && t.Upkeep[k].WaitingCrew:
			return k
		}
	}
	return 0
}

// pickServer returns the first server that is not broken (for a break) or
// that is broken or down (for a repair), else 0.
func pickServer(servers []stations.ServerView, brk bool) int {
	for k, v := range servers {
		if brk && !v.Broken || !brk && (v.Broken || v.Phase == stations.Down) {
			return k
		}
	}
	return 0
}
