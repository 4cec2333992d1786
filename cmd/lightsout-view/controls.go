package main

import (
	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Single steps while paused: "." runs stepSmall of simulated time, with
// Shift stepBig. (The view may only run the line for a span of time, so a
// step is a fixed span, not one event.)
const (
	stepSmall = sim.Second
	stepBig   = sim.Minute
)

// handle acts on one tick's intents.
func (g *Game) handle(it scene.Intents) {
	if it.Quit {
		g.quit = true
		return
	}
	g.handleTime(it)
	g.handleView(it)
	g.handleCommands(it)
	for o := range scene.NumOverlays {
		if it.Toggle[o] {
			g.overlays[o] = !g.overlays[o]
			if o.OnDashboard() {
				g.resize(g.w, g.h)
			}
		}
	}
	if it.Help {
		g.help = !g.help
	}
	if it.Autopilot {
		if msg, err := g.sess.HoldPilot(); err != nil {
			g.say(err.Error(), true)
		} else {
			g.say(msg, false)
			g.readPilot()
		}
	}
	if it.Deselect {
		if g.help {
			g.help = false
		} else {
			g.sel = scene.Selection{Server: -1}
		}
	}
}

// handleTime applies pause, speed, step and reset.
func (g *Game) handleTime(it scene.Intents) {
	if g.sess.Twin != nil {
		if it.Pause || it.Faster || it.Slower || it.MaxSpeed || it.RealTime || it.Step || it.Reset {
			g.say(twinModeControls, true)
		}
		return
	}
	p := g.pacer
	switch {
	case it.Pause:
		g.paused = !g.paused
		if !g.paused {
			p.SetSpeed(p.Speed) // measured afresh from the resume
		}
	case it.Faster:
		p.SetSpeed(p.Speed.Faster())
	case it.Slower:
		p.SetSpeed(p.Speed.Slower())
	case it.MaxSpeed:
		p.SetSpeed(scene.MaxSpeed)
	case it.RealTime:
		p.SetSpeed(scene.RealTime)
	}
	if it.Faster || it.Slower || it.MaxSpeed || it.RealTime {
		g.say("speed "+p.Speed.String(), false)
	}
	if it.Step {
		g.paused = true
		d := stepSmall
		if it.BigStep {
			d = stepBig
		}
		g.run(d)
		g.sess.Refresh()
		g.say("stepped "+d.String()+" (paused)", false)
	}
	if it.Reset {
		if err := g.sess.Reset(); err != nil {
			g.say(err.Error(), true)
			return
		}
		g.pacer.Reset()
		g.observe()
		g.log.Info("reset", zap.Uint64("seed", g.sess.Seed))
		g.say("reset: the line starts again (same seed)", false)
	}
}

// handleView applies zoom, pan, fit and selection by click.
func (g *Game) handleView(it scene.Intents) {
	if cam, moved := it.Steer(g.cam, g.view, scene.FitCamera(g.floor, g.view).Zoom); moved {
		g.cam, g.fitted = cam, false
	}
	if it.Fit {
		g.fit()
	}
	if it.Click && g.view.Contains(it.Cursor) && !g.help {
		g.sel = scene.HitTest(g.floor, g.poses, g.cam.ToWorld(it.Cursor))
	}
}

// handleCommands turns break, repair, buffer, hold, reset and speed
// intents into commands on the selected machine.
func (g *Game) handleCommands(it scene.Intents) {
	cmd, ok, err := it.Command(g.sel, &g.sess.Snap)
	if !ok {
		return
	}
	if err == nil {
		err = g.sess.Do(cmd)
	}
	if err != nil {
		g.say(err.Error(), true)
		return
	}
	if g.sess.Twin != nil {
		g.say("sending to the edge: "+cmd.String(), false)
		return
	}
	g.say(cmd.String(), false)
}

// twinResults shows the outcome of the commands sent to the edge nodes.
func (g *Game) twinResults() {
	if g.sess.Twin == nil {
		return
	}
	if done, err := g.sess.Twin.Result(); done {
		if err != nil {
			g.say(err.Error(), true)
		} else {
			g.say("sent to the edge; its effect shows when the edge publishes it", false)
		}
	}
}
