package scene

import (
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/lesson"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Playback plays a timeline on the window's line: a lesson's events
// (commands, narration, callouts, pauses, questions), or the commands of a
// recorded session. It keeps what the window shows of it: the callouts
// and narration in force, and the pause or question waiting for the
// trainer. It stops the line at its end (the lesson's length, or when the
// session was recorded to).
type Playback struct {
	// Lesson is the lesson played (nil for a recorded session).
	Lesson *lesson.Lesson
	// Title names what is played: the lesson's title, or the recording.
	Title string
	// End is when the playback ends.
	End sim.Time
	// Marks are the times of its commands, for the time slider.
	Marks []sim.Time

	tl    *lesson.Timeline
	fired []lesson.Fired // scratch

	// Callouts are the callouts in force, in the order given.
	Callouts []ShownCallout
	// Say is the narration in force ("" for none), until SayUntil (0: until
	// the next).
	Say      string
	SayUntil sim.Time
	// Waiting is the pause or question that stopped the line, until the
	// trainer goes on (nil when none).
	Waiting *lesson.Event
	// Failed is the last command that failed, with why, until the window
	// shows it (it clears it).
	Failed string
}

// ShownCallout is a callout in force: text next to a station of the
// first copy of the line, until Until (0: until the next at that station).
type ShownCallout struct {
	Station, Text string
	Until         sim.Time
}

// NewLessonPlayback returns the playback of a lesson.
func NewLessonPlayback(ls *lesson.Lesson) *Playback {
	p := &Playback{Lesson: ls, Title: ls.Title, End: ls.Length, tl: lesson.NewTimeline(ls.Events)}
	for _, e := range ls.Events {
		if e.Kind == lesson.Command {
			p.Marks = append(p.Marks, e.At)
		}
	}
	return p
}

// NewReplayPlayback returns the playback of a recorded session's commands
// (see twin.SessionLog.Timed), which ends at until.
func NewReplayPlayback(title string, cmds []twin.TimedCommand, until sim.Time) *Playback {
	events := make([]lesson.Event, len(cmds))
	marks := make([]sim.Time, len(cmds))
	for i, tc := range cmds {
		events[i] = lesson.Event{At: tc.At, Kind: lesson.Command, Command: tc.Cmd}
		marks[i] = tc.At
	}
	return &Playback{Title: title, End: until, Marks: marks, tl: lesson.NewTimeline(events)}
}

// Rewind starts the playback again, for a line built afresh.
func (p *Playback) Rewind() {
	p.tl.Rewind()
	p.Callouts, p.Say, p.SayUntil, p.Waiting, p.Failed = p.Callouts[:0], "", 0, nil, ""
}

// Run runs r by d, firing the events due on the way, and reports whether
// it stopped the line: at a pause or a question (now Waiting), or at the
// end. While Waiting, it runs nothing: call Go first.
func (p *Playback) Run(r lesson.Runner, d sim.Time) (stopped bool) {
	if p.Waiting != nil {
		return true
	}
	to := r.Now() + d
	end := to >= p.End
	if end {
		to = max(p.End, r.Now())
	}
	var paused bool
	p.fired, paused = p.tl.Advance(r, to, true, p.fired[:0])
	for _, f := range p.fired {
		p.show(f)
	}
	p.expire(r.Now())
	return paused || (end && r.Now() >= p.End)
}

// Seek runs r, a line at or before t, on to t without stopping at pauses
// (for the time slider: the caller rebuilds the line to go back).
func (p *Playback) Seek(r lesson.Runner, t sim.Time) {
	p.Waiting = nil
	p.fired, _ = p.tl.Advance(r, min(t, p.End), false, p.fired[:0])
	for _, f := range p.fired {
		if !f.Event.Stops() {
			p.show(f)
		}
	}
	p.expire(r.Now())
}

// AtEnd reports whether the line at now has reached the end.
func (p *Playback) AtEnd(now sim.Time) bool { return now >= p.End }

// Go lets the line run on after a pause or a question; a question's
// answer becomes the narration.
func (p *Playback) Go() {
	if p.Waiting != nil && p.Waiting.Answer != "" {
		p.Say, p.SayUntil = "Answer: "+p.Waiting.Answer, 0
	}
	p.Waiting = nil
}

// show takes in an event fired.
func (p *Playback) show(f lesson.Fired) {
	e := f.Event
	until := sim.Time(0)
	if e.For > 0 {
		until = e.At + e.For
	}
	switch e.Kind {
	case lesson.Command:
		if f.Err != nil {
			p.Failed = f.Err.Error()
		}
	case lesson.Say:
		p.Say, p.SayUntil = e.Text, until
	case lesson.Callout:
		kept := p.Callouts[:0]
		for _, c := range p.Callouts {
			if c.Station != e.Station {
				kept = append(kept, c)
			}
		}
		p.Callouts = append(kept, ShownCallout{Station: e.Station, Text: e.Text, Until: until})
	case lesson.Pause, lesson.Question:
		p.Waiting = e
	}
}

// expire drops the callouts and narration whose time is up at now.
func (p *Playback) expire(now sim.Time) {
	kept := p.Callouts[:0]
	for _, c := range p.Callouts {
		if c.Until == 0 || c.Until > now {
			kept = append(kept, c)
		}
	}
	p.Callouts = kept
	if p.SayUntil > 0 && p.SayUntil <= now {
		p.Say, p.SayUntil = "", 0
	}
}

// SliderTime returns the time at fraction x (0 to 1, clamped) of the
// playback, to the second.
func (p *Playback) SliderTime(x float64) sim.Time {
	x = min(max(x, 0), 1)
	return sim.Time(x*float64(p.End)) / sim.Second * sim.Second
}

// SliderX returns where t lies along the playback, 0 to 1.
func (p *Playback) SliderX(t sim.Time) float64 {
	if p.End <= 0 {
		return 1
	}
	return min(max(float64(t)/float64(p.End), 0), 1)
}
