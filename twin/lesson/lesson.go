package lesson

import (
	"fmt"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Lesson is a lesson read and checked: its line, and its events in time
// order. Every command of it names a station, server or arm its line has.
type Lesson struct {
	// Name identifies the lesson ("bottleneck-and-buffers"); Title is a
	// line for a listing; Description says what the class will see.
	Name, Title, Description string
	// Config names the line as the lesson file does: an embedded config
	// name, a file, or "inline" for a config written in the lesson.
	Config string
	// Spec is the line, with the lesson's overrides applied.
	Spec *twin.Spec
	// Seed is the seed the line runs with.
	Seed uint64
	// Speed is the simulated time per real time the window starts at (0:
	// the window's default).
	Speed float64
	// Length is the simulated time the lesson lasts; no event is later.
	Length sim.Time
	// Events are the lesson's events, in time order (in file order among
	// events at the same time).
	Events []Event
}

// Kind says what an Event does.
type Kind uint8

// The kinds of events.
const (
	Command  Kind = iota // give the line a command
	Say                  // show a line of narration
	Callout              // show text next to a station
	Pause                // pause until the trainer goes on
	Question             // ask the class, and pause until the trainer goes on
)

var kindNames = [...]string{"do", "say", "callout", "pause", "question"}

// String returns the kind's name as lesson files write it ("callout").
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Event is one thing that happens at a simulated time of a lesson.
type Event struct {
	At   sim.Time
	Kind Kind
	// Command is what a Command event gives the line.
	Command twin.Command
	// Station is the station id a Callout is anchored to.
	Station string
	// Text is the narration, callout, pause message or question.
	Text string
	// Answer is a Question's answer, shown when the trainer goes on ("" for none).
	Answer string
	// For is how long a Callout or a Say shows, in simulated time (0:
	// until the next one of its kind, at its station for a callout).
	For sim.Time
}

// Stops reports whether the event pauses the lesson until the trainer goes on.
func (e *Event) Stops() bool { return e.Kind == Pause || e.Kind == Question }

// String describes the event ("00:20:00 do break placer server 1 on line 1").
func (e *Event) String() string {
	what := e.Text
	switch e.Kind {
	case Command:
		what = e.Command.String()
	case Callout:
		what = e.Station + ": " + e.Text
	}
	return fmt.Sprintf("%s %s %s", Clock(e.At), e.Kind, what)
}

// Clock writes a lesson time as hours, minutes and seconds ("00:20:00";
// "26:00:00" past a day).
func Clock(t sim.Time) string {
	if t < 0 {
		t = 0
	}
	h, m, s := int64(t/sim.Hour), int64(t%sim.Hour/sim.Minute), int64(t%sim.Minute/sim.Second)
	return fmt.Sprintf("%02d:%02d:%02d", h, m, s)
}
