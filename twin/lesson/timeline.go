package lesson

import (
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Runner is what a Timeline plays its events on: a running line. A
// *twin.Line is one; the window's session is another.
type Runner interface {
	// Now is the line's simulated time.
	Now() sim.Time
	// RunUntil runs the line to t, running the events due at t.
	RunUntil(t sim.Time)
	// Do gives the line a command at its current time (see twin.Line.Do).
	Do(c twin.Command) error
}

// Fired is an event a Timeline reached, with the error its command was
// refused with, if any.
type Fired struct {
	Event *Event
	Err   error
}

// Timeline plays events, in time order, on a Runner: each at its time. It
// remembers how far it got, so a window can play a lesson tick by tick.
// The zero value has no events.
type Timeline struct {
	events []Event
	next   int
}

// NewTimeline returns a timeline of events, which must be in time order;
// the timeline keeps the slice and does not modify it.
func NewTimeline(events []Event) *Timeline { return &Timeline{events: events} }

// Rewind starts the timeline again from its first event (for a line built
// afresh).
func (tl *Timeline) Rewind() { tl.next = 0 }

// Done reports whether every event has fired.
func (tl *Timeline) Done() bool { return tl.next >= len(tl.events) }

// Next returns the next event to fire, or nil when all have.
func (tl *Timeline) Next() *Event {
	if tl.Done() {
		return nil
	}
	return &tl.events[tl.next]
}

// Advance runs r to the time to, firing on the way each event due by then
// at its time: a Command is given to the line with r.Do and applied at
// once (the line runs the events due at that instant, so a snapshot taken
// then shows it). With stop set, Advance stops at a Pause or a Question
// that it fires, at its time, with the line not run further; otherwise it
// fires them and runs on. Events whose time has passed (the line was run
// past them some other way) fire at the line's time. It appends the events
// fired to fired and returns it; the bool reports a stop.
func (tl *Timeline) Advance(r Runner, to sim.Time, stop bool, fired []Fired) ([]Fired, bool) {
	for tl.next < len(tl.events) && tl.events[tl.next].At <= to {
		e := &tl.events[tl.next]
		tl.next++
		if e.At > r.Now() {
			r.RunUntil(e.At)
		}
		f := Fired{Event: e}
		if e.Kind == Command {
			if f.Err = r.Do(e.Command); f.Err == nil {
				r.RunUntil(r.Now())
			}
		}
		fired = append(fired, f)
		if stop && e.Stops() {
			return fired, true
		}
	}
	if to > r.Now() {
		r.RunUntil(to)
	}
	return fired, false
}
