package autopilot

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ActionKind says what an Action does.
type ActionKind uint8

// The kinds of action. Hold and Release are never returned by a policy:
// they record an operator's hold and release in the decision log.
const (
	NoAction   ActionKind = iota
	Maintain              // maintain the machine now (planned maintenance, by a crew member)
	Dispatch              // put the machine first in its crew's queue
	SetSpeed              // change a station's relative speed
	MoveBuffer            // move buffer capacity from one station to another, the total unchanged
	Hold                  // an operator stopped the autopilot (log only)
	Release               // an operator let the autopilot act again (log only)
	numActionKinds
)

var actionNames = [numActionKinds]string{"none", "maintain", "dispatch", "set_speed", "move_buffer", "hold", "release"}

// String returns the kind's name ("move_buffer").
func (k ActionKind) String() string {
	if k < numActionKinds {
		return actionNames[k]
	}
	return fmt.Sprintf("ActionKind(%d)", k)
}

// MarshalText writes the kind's name.
func (k ActionKind) MarshalText() ([]byte, error) {
	if k >= numActionKinds {
		return nil, fmt.Errorf("autopilot action kind %d out of range", k)
	}
	return []byte(actionNames[k]), nil
}

// ParseActionKind returns the kind named s, as String writes it.
func ParseActionKind(s string) (ActionKind, error) {
	for i, n := range actionNames {
		if n == s {
			return ActionKind(i), nil
		}
	}
	return 0, fmt.Errorf("unknown autopilot action %q (want %s)", s, strings.Join(actionNames[:], ", "))
}

// UnmarshalText reads a kind's name.
func (k *ActionKind) UnmarshalText(b []byte) error {
	v, err := ParseActionKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// Action is one thing a policy decides to do, with why and the numbers it
// used. Lines and servers count from 0, as in the line's commands.
type Action struct {
	Kind ActionKind
	// Line is the copy of the line; Target the station or arm the action
	// is for (for MoveBuffer, the station that receives capacity); Server
	// the station's server (Maintain and Dispatch; 0 for an arm).
	Line   int
	Target string
	Server int
	// Speed is the new relative speed (SetSpeed).
	Speed float64
	// From is the station that gives capacity and Units how much moves
	// (MoveBuffer). FromCapacity and ToCapacity are the two stations'
	// capacities after the move, as the policy computed them from the
	// observation: an adapter sets them as they are.
	From                     string
	Units                    int
	FromCapacity, ToCapacity int
	// Reason says why, in words; Numbers are the figures behind it, in a
	// fixed order. Names ending in _s are durations in seconds.
	Reason  string
	Numbers []Number
}

// Ref returns the machine the action is for.
func (a *Action) Ref() MachineRef { return MachineRef{Line: a.Line, ID: a.Target, Server: a.Server} }

// String describes the action ("maintain press server 1 on line 1").
func (a Action) String() string {
	s := a.Kind.String() + " " + a.Target
	switch a.Kind {
	case Maintain, Dispatch:
		s += " server " + strconv.Itoa(a.Server+1)
	case SetSpeed:
		s += " to " + strconv.FormatFloat(a.Speed, 'g', -1, 64)
	case MoveBuffer:
		s += " " + strconv.Itoa(a.Units) + " unit(s) from " + a.From
	}
	return s + " on line " + strconv.Itoa(a.Line+1)
}

// Number is one named figure behind a decision.
type Number struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// MarshalJSON writes {"name":…,"value":…}, the value null when it is not
// finite (an infinite remaining life), which JSON cannot write.
func (n Number) MarshalJSON() ([]byte, error) {
	v := &n.Value
	if math.IsInf(n.Value, 0) || math.IsNaN(n.Value) {
		v = nil
	}
	return json.Marshal(numberJSON{n.Name, v})
}

type numberJSON struct {
	Name  string   `json:"name"`
	Value *float64 `json:"value"`
}

// UnmarshalJSON reads what MarshalJSON writes; a null value reads as +Inf
// (the only non-finite number a policy gives is an infinite remaining life).
func (n *Number) UnmarshalJSON(b []byte) error {
	var j numberJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	n.Name, n.Value = j.Name, math.Inf(1)
	if j.Value != nil {
		n.Value = *j.Value
	}
	return nil
}
