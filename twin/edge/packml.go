package edge

import (
	"fmt"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
)

// State is a PackML machine state, numbered as in PackTags v3.0
// (ISA-TR88.00.02): the number a PackTags-speaking PLC puts in
// Status/StateCurrent. OPC 30060 (TMC StateEnumeration) numbers the same
// states differently (Stopped 0 … Unholding 16); [State.OPC30060] gives
// that number. Metrics always carry the name beside the number.
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

var stateNames = [...]string{
	"Undefined", "Clearing", "Stopped", "Starting", "Idle", "Suspended", "Execute",
	"Stopping", "Aborting", "Aborted", "Holding", "Held", "Unholding", "Suspending",
	"Unsuspending", "Resetting", "Completing", "Complete",
}

// opc30060 maps a PackTags v3.0 number to the OPC 30060 StateEnumeration
// value (-1: the state has none).
var opc30060 = [...]int32{-1, 10, 0, 3, 2, 12, 4, 9, 7, 8, 14, 15, 16, 11, 13, 1, 5, 6}

// String returns the state's PackML name ("Execute").
func (s State) String() string {
	if s >= 0 && int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("State(%d)", int32(s))
}

// OPC30060 returns the state's value in the OPC 30060 StateEnumeration,
// or -1 for Undefined and unknown states.
func (s State) OPC30060() int32 {
	if s >= 0 && int(s) < len(opc30060) {
		return opc30060[s]
	}
	return -1
}

// ServerState maps one station server's phase onto a PackML state; see
// the table in the package documentation.
func ServerState(v stations.ServerView) State {
	if v.Broken {
		if v.Phase == stations.Down {
			return Aborted
		}
		return Aborting // the break takes effect when the current step ends
	}
	if v.Held {
		switch v.Phase {
		case stations.Working, stations.Loading, stations.Unloading, stations.Blocked:
			return Holding // finishing the unit it holds
		case stations.Starved:
			return Held
		}
	}
	switch v.Phase {
	case stations.Working, stations.Loading, stations.Unloading:
		return Execute
	case stations.Starved, stations.Blocked:
		return Suspended
	case stations.Down:
		return Held
	case stations.Maintenance:
		return Stopped
	}
	return Undefined
}

// ArmState maps an arm's phase onto a PackML state.
func ArmState(p robots.Phase, broken bool) State {
	if broken {
		if p == robots.Down {
			return Aborted
		}
		return Aborting
	}
	switch p {
	case robots.Moving:
		return Execute
	case robots.Idle:
		return Suspended
	case robots.Down:
		return Held
	}
	return Undefined
}

// severity orders the non-producing states for StationState: the higher,
// the more a person needs to know about it.
func severity(s State) int {
	switch s {
	case Aborted:
		return 5
	case Aborting:
		return 4
	case Held:
		return 3
	case Stopped:
		return 2
	case Suspended:
		return 1
	}
	return 0
}

// StationState is the state of a station as a whole: Execute when any of
// its servers is in Execute (the station is producing), else Holding when
// any is (a held station still finishing a unit), else the most severe of
// its servers' states (Aborted, Aborting, Held, Stopped, Suspended, in
// that order).
func StationState(servers []stations.ServerView) State {
	best, holding := Undefined, false
	for _, v := range servers {
		s := ServerState(v)
		switch {
		case s == Execute:
			return Execute
		case s == Holding:
			holding = true
		case best == Undefined || severity(s) > severity(best):
			best = s
		}
	}
	if holding {
		return Holding
	}
	return best
}
