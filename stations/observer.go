package stations

import "github.com/lightsout-sim/lightsout/twin/sim"

// Departure says how a unit left the line.
type Departure uint8

// The ways a unit leaves the line.
const (
	Shipped  Departure = iota // out of the last station
	Scrapped                  // caught by an inspection and thrown away
)

// Observer is told of everything the stations of a line do: it is how the
// line gathers line-wide statistics and how sensors see true events. Calls
// come from inside the simulation, in event order; an Observer must not
// schedule events for the stations nor keep the *Unit it is given.
type Observer interface {
	// Created: a unit entered the line (its first station's input).
	Created(id UnitID, u *Unit)
	// Entered: a unit entered st's buffer (or its rework queue).
	Entered(st *Station, id UnitID)
	// Taken: a unit left st's buffer onto a server (or into a conveyor).
	Taken(st *Station, id UnitID)
	// Processed: st finished processing a unit; cycle is the time it took.
	Processed(st *Station, id UnitID, cycle sim.Time)
	// Inspected: st's inspection passed (pass) or caught the unit.
	Inspected(st *Station, id UnitID, pass bool)
	// PhaseChanged: server k of st entered phase p.
	PhaseChanged(st *Station, k int, p Phase)
	// Departed: a unit left the line. The unit is freed after the call.
	Departed(st *Station, id UnitID, u *Unit, how Departure)
}

// Selective is an optional interface of an Observer. A station asks it
// once, when it is built: if Detailed returns false, the station does not
// call Entered, Taken, Processed, Inspected or PhaseChanged, which then
// cost nothing on the hot path (the station keeps the times a view shows
// itself: LastIn, LastOut, LastCheck). An Observer that does not implement
// Selective gets every call.
type Selective interface {
	Detailed() bool
}

// ActivityObserver is told when a station turns active (every server
// busy or unavailable: Phase.Active) or inactive (a server starved,
// blocked or held): the moments the active period method of bottleneck
// detection needs. A station starts inactive. Calls come from inside the
// simulation, in event order; they must not schedule events.
type ActivityObserver interface {
	ActivityChanged(st *Station, active bool)
}

// Loader moves units into and out of a station's machines: a robot arm.
// Request queues a move of the given distance in metres; when the move is
// done the loader calls h.Handle(e, arg).
type Loader interface {
	Request(distance float64, h sim.Handler, arg int64)
}
