package packml

import (
	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
)

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
		case stations.Starved, stations.Held:
			return Held
		}
	}
	switch v.Phase {
	case stations.Working, stations.Loading, stations.Unloading:
		return Execute
	case stations.Starved, stations.Blocked:
		return Suspended
	case stations.Down, stations.Held:
		return Held
	case stations.Maintenance:
		return Stopped
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

// A Server is what a host reads back of one station server from its
// PackML state: its phase and whether it is broken by command.
type Server struct {
	Phase  stations.Phase
	Broken bool
}

// ServerFromState inverts [ServerState] for a host that knows a server's
// PackML state but not its phase (an edge node that does not publish
// "Server k/Phase"). held is the station's Status/Held and waiting the
// units in its input buffer (Buffer/Level). The one rule for each state:
//
//	Execute                   Working
//	Holding                   Working (a held server finishing its unit)
//	Aborting                  Working, broken (the break waits for the step)
//	Aborted                   Down, broken
//	Held                      Held when the station is held, else Down
//	Stopped                   Maintenance
//	Suspended                 Blocked when units wait in its buffer (a free
//	                          server would have taken one), else Starved
//
// ok is false for any other state (Undefined, the transient states), whose
// phase a host cannot know.
func ServerFromState(s State, held bool, waiting int) (srv Server, ok bool) {
	switch s {
	case Execute, Holding:
		return Server{Phase: stations.Working}, true
	case Aborting:
		return Server{Phase: stations.Working, Broken: true}, true
	case Aborted:
		return Server{Phase: stations.Down, Broken: true}, true
	case Held:
		if held {
			return Server{Phase: stations.Held}, true
		}
		return Server{Phase: stations.Down}, true
	case Stopped:
		return Server{Phase: stations.Maintenance}, true
	case Suspended:
		if waiting > 0 {
			return Server{Phase: stations.Blocked}, true
		}
		return Server{Phase: stations.Starved}, true
	}
	return Server{}, false
}

// ArmFromState inverts [ArmState]: Execute is Moving, Suspended Idle, Held
// Down, Aborted Down and broken, Aborting Moving and broken. ok is false
// for any other state.
func ArmFromState(s State) (p robots.Phase, broken, ok bool) {
	switch s {
	case Execute:
		return robots.Moving, false, true
	case Suspended:
		return robots.Idle, false, true
	case Held:
		return robots.Down, false, true
	case Aborted:
		return robots.Down, true, true
	case Aborting:
		return robots.Moving, true, true
	}
	return robots.Idle, false, false
}
