package packml

import (
	"fmt"
	"strconv"
)

// State is a PackML machine state, numbered as in PackTags v3.0
// (ISA-TR88.00.02): the number a PackTags-speaking PLC puts in
// Status/StateCurrent. OPC 30060 (TMC StateEnumeration) numbers the same
// states differently (Stopped 0 … Unholding 16); [State.OPC30060] gives
// that number. Metrics always carry the name beside the number. Its text
// form (String, MarshalText) is the PackML name.
type State int32

// The PackML states, with their PackTags v3.0 numbers.
const (
	Undefined    State = 0
	Clearing     State = 1
	Stopped      State = 2
	Starting     State = 3
	Idle         State = 4
	Suspended    State = 5
	Execute      State = 6
	Stopping     State = 7
	Aborting     State = 8
	Aborted      State = 9
	Holding      State = 10
	Held         State = 11
	Unholding    State = 12
	Suspending   State = 13
	Unsuspending State = 14
	Resetting    State = 15
	Completing   State = 16
	Complete     State = 17
)

// numStates is one more than the highest state number.
const numStates = 18

var stateNames = [numStates]string{
	"Undefined", "Clearing", "Stopped", "Starting", "Idle", "Suspended", "Execute",
	"Stopping", "Aborting", "Aborted", "Holding", "Held", "Unholding", "Suspending",
	"Unsuspending", "Resetting", "Completing", "Complete",
}

// opc30060 maps a PackTags v3.0 number to the OPC 30060 StateEnumeration
// value (-1: the state has none).
var opc30060 = [numStates]int32{-1, 10, 0, 3, 2, 12, 4, 9, 7, 8, 14, 15, 16, 11, 13, 1, 5, 6}

// Valid reports whether s is one of the PackML states above.
func (s State) Valid() bool { return s >= 0 && s < numStates }

// String returns the state's PackML name ("Execute"), or "State(n)" for a
// number that is none.
func (s State) String() string {
	if s.Valid() {
		return stateNames[s]
	}
	return "State(" + strconv.Itoa(int(s)) + ")"
}

// OPC30060 returns the state's value in the OPC 30060 StateEnumeration,
// or -1 for Undefined and unknown states.
func (s State) OPC30060() int32 {
	if s.Valid() {
		return opc30060[s]
	}
	return -1
}

// ParseState returns the state named name ("Execute"), case-sensitive as
// String writes it.
func ParseState(name string) (State, error) {
	for s := range State(numStates) {
		if stateNames[s] == name {
			return s, nil
		}
	}
	return Undefined, fmt.Errorf("unknown PackML state %q", name)
}

// MarshalText writes the state's name; it fails for a number that is no
// state.
func (s State) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, fmt.Errorf("PackML state %d out of range", int32(s))
	}
	return []byte(stateNames[s]), nil
}

// UnmarshalText reads a state's name, as ParseState does.
func (s *State) UnmarshalText(b []byte) error {
	v, err := ParseState(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
