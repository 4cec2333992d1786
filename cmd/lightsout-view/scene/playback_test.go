package scene

import (
	"testing"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/lesson"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// clockLine is a Runner that only keeps time and counts commands.
type clockLine struct {
	now  sim.Time
	cmds int
}

func (c *clockLine) Now() sim.Time         { return c.now }
func (c *clockLine) RunUntil(t sim.Time)   { c.now = t }
func (c *clockLine) Do(twin.Command) error { c.cmds++; return nil }

func TestPlaybackShowsAndWaits(t *testing.T) {
	ls := &lesson.Lesson{Title: "t", Length: sim.Hour, Events: []lesson.Event{
		{At: 0, Kind: lesson.Say, Text: "hello", For: 5 * sim.Minute},
		{At: sim.Minute, Kind: lesson.Callout, Station: "a", Text: "one"},
		{At: 2 * sim.Minute, Kind: lesson.Callout, Station: "b", Text: "two", For: sim.Minute},
		{At: 4 * sim.Minute, Kind: lesson.Callout, Station: "a", Text: "again"},
		{At: 10 * sim.Minute, Kind: lesson.Question, Text: "why?", Answer: "because"},
		{At: 20 * sim.Minute, Kind: lesson.Command, Command: twin.Command{Kind: twin.BreakStation, Target: "a"}},
	}}
	p := NewLessonPlayback(ls)
	line := &clockLine{}
	if p.Run(line, 150*sim.Second) || p.Say != "hello" || len(p.Callouts) != 2 {
		t.Fatalf("at 2:30: say %q, callouts %+v", p.Say, p.Callouts)
	}
	p.Run(line, 3*sim.Minute) // to 5:30
	if p.Say != "" || len(p.Callouts) != 1 || p.Callouts[0].Text != "again" {
		t.Errorf("at 5:30: say %q (want gone), callouts %+v (want a's second only)", p.Say, p.Callouts)
	}
	if !p.Run(line, 10*sim.Minute) || p.Waiting == nil || line.now != 10*sim.Minute {
		t.Fatalf("the question did not stop the line at 0:10 (at %v, waiting %v)", line.now, p.Waiting)
	}
	if !p.Run(line, sim.Minute) || line.now != 10*sim.Minute {
		t.Errorf("the line ran on to %v while waiting", line.now)
	}
	p.Go()
	if p.Waiting != nil || p.Say != "Answer: because" {
		t.Errorf("after Go: waiting %v, say %q", p.Waiting, p.Say)
	}
	if !p.Run(line, 2*sim.Hour) || line.now != sim.Hour || line.cmds != 1 || !p.AtEnd(line.now) {
		t.Errorf("run past the end: at %v with %d commands, want stopped at 1:00 with 1", line.now, line.cmds)
	}
	p.Rewind()
	line = &clockLine{}
	p.Seek(line, 30*sim.Minute)
	if p.Waiting != nil || line.now != 30*sim.Minute || line.cmds != 1 {
		t.Errorf("seek: at %v, waiting %v, %d commands", line.now, p.Waiting, line.cmds)
	}
	if got := p.SliderTime(0.5); got != 30*sim.Minute || p.SliderX(15*sim.Minute) != 0.25 || p.SliderTime(2) != sim.Hour {
		t.Errorf("slider: 0.5 is %v", got)
	}
}
