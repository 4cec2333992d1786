package main

import (
	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// playState is a lesson or a recorded session played in the window: the
// playback, the line it plays on (another once the line is reset) and the
// time slider's drag.
type playState struct {
	*scene.Playback
	line     *twin.Line
	runner   sessionRunner
	dragging bool
	wraps    map[string][]string // wrapped texts, kept from frame to frame
}

// replay reports whether a recorded session is played (it has a time
// slider; a lesson has its panel).
func (p *playState) replay() bool { return p.Lesson == nil }

// sessionRunner lets a playback run the window's line and give it
// commands through the session, as the keys do.
type sessionRunner struct{ s *Session }

func (r sessionRunner) Now() sim.Time           { return r.s.line.Now() }
func (r sessionRunner) RunUntil(t sim.Time)     { r.s.line.RunUntil(t) }
func (r sessionRunner) Do(c twin.Command) error { return r.s.Do(c) }

// playKeys are this tick's keys for a playback.
type playKeys struct {
	// Go goes on after a pause or a question (Enter; Space does too).
	Go bool
	// Back steps back a second, BigBack a minute (",", with Shift "<");
	// End jumps to the end of a recording.
	Back, BigBack, End bool
	// Down says the left mouse button is held (for the slider).
	Down bool
}

// readPlayKeys reads the keys a playback uses.
func readPlayKeys(ks keyState) playKeys {
	shift := ks.shift()
	back := ks.just(keyBack)
	return playKeys{
		Go:      ks.just(keyEnter),
		Back:    back && !shift,
		BigBack: back && shift,
		End:     ks.just(keyEnd),
		Down:    ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft),
	}
}

// Play makes the game play p (nothing when p is nil): its commands at
// their times, its callouts, narration and pauses.
func (g *Game) Play(p *scene.Playback) {
	if p == nil || g.sess.line == nil {
		return
	}
	g.play = &playState{Playback: p, line: g.sess.line, runner: sessionRunner{g.sess}, wraps: map[string][]string{}}
	g.run = g.playRun
	g.playRun(0) // the events at 0:00
	g.sess.Refresh()
}

// playInput takes this tick's intents and acts on the playback's keys
// (see playKeys).
func (g *Game) playInput(it scene.Intents) scene.Intents {
	if g.play == nil {
		return it
	}
	return g.playKeys(it, readPlayKeys(liveKeys()))
}

// playKeys acts on a playback's keys and returns the intents left for the
// rest of the window: going on after a pause is the pause key's toggle; a
// press or drag on the time slider seeks and does not reach the floor.
func (g *Game) playKeys(it scene.Intents, k playKeys) scene.Intents {
	p := g.play
	g.syncPlay()
	if p.Waiting != nil && g.paused && (k.Go || it.Pause || it.Step) {
		p.Go()
		// Space and Enter alike: the toggle runs the line again; a step
		// goes on by a step.
		it.Pause = !it.Step
	}
	if !p.replay() {
		return it
	}
	now := g.sess.line.Now()
	switch {
	case k.Back:
		g.seek(now - stepSmall)
	case k.BigBack:
		g.seek(now - stepBig)
	case k.End:
		g.seek(p.End)
	}
	track := g.sliderTrack()
	if !k.Down {
		p.dragging = false
	} else if p.dragging || (g.sliderPanel().Contains(it.Cursor) && !g.help) {
		p.dragging = true
		if t := p.SliderTime((it.Cursor.X - track.X) / track.W); t != now {
			g.seek(t)
		}
	}
	if p.dragging || g.sliderPanel().Contains(it.Cursor) {
		it.Click, it.DragX, it.DragY, it.Wheel = false, 0, 0, 0
	}
	return it
}

// syncPlay starts the playback again when the line was built afresh (R).
func (g *Game) syncPlay() {
	if p := g.play; p.line != g.sess.line {
		p.line = g.sess.line
		p.Rewind()
		p.Playback.Run(p.runner, 0)
	}
}

// playRun is the game's run while a playback plays: it runs the line by
// d, firing the playback's events at their times, and pauses the window
// at a pause, a question or the end.
func (g *Game) playRun(d sim.Time) {
	p := g.play
	g.syncPlay()
	if p.Waiting != nil {
		return // a pause earlier in this tick
	}
	if p.Playback.Run(p.runner, d) {
		g.paused = true
		if p.Waiting == nil {
			g.say(g.endMessage(), false)
		}
	}
	if p.Failed != "" {
		g.say(p.Failed, true)
		p.Failed = ""
	}
}

// endMessage says the playback has ended and what can be done then.
func (g *Game) endMessage() string {
	if g.play.replay() {
		return "end of the recording at " + scene.Clock(g.play.End) + ": drag the slider or press , to go back"
	}
	return "end of the lesson: R starts it again"
}

// seek moves the line to t (within the playback): on by running it, or
// back by building it afresh and running it from the start, which gives
// the same line, as runs are reproducible from (config, seed).
func (g *Game) seek(t sim.Time) {
	p := g.play
	t = min(max(t, 0), p.End)
	if t < g.sess.line.Now() {
		if err := g.sess.Reset(); err != nil {
			g.say(err.Error(), true)
			return
		}
		p.line = g.sess.line
		p.Rewind()
		g.pacer.Reset()
	}
	p.Seek(p.runner, t)
	g.sess.Refresh()
	g.observe()
}
