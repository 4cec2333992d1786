package main

import (
	"math"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin"
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
func (g *Game) handle(it Intents) {
	if it.Quit {
		g.quit = true
		return
	}
	g.handleTime(it)
	g.handleView(it)
	g.handleCommands(it)
	for o := range numOverlays {
		if it.Toggle[o] {
			g.overlays[o] = !g.overlays[o]
			if o == OverlayChart || o == OverlayOEE || o == OverlayDefects || o == OverlayLegend {
				g.resize(g.w, g.h)
			}
		}
	}
	if it.Help {
		g.help = !g.help
	}
	if it.Deselect {
		if g.help {
			g.help = false
		} else {
			g.sel = Selection{Server: -1}
		}
	}
}

// handleTime applies pause, speed, step and reset.
func (g *Game) handleTime(it Intents) {
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
	case it.Faster:
		p.Speed = p.Speed.Faster()
	case it.Slower:
		p.Speed = p.Speed.Slower()
	case it.MaxSpeed:
		p.Speed = MaxSpeed
	case it.RealTime:
		p.Speed = speedSteps[0]
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
		g.sess.Run(d)
		g.sess.Refresh()
		g.say("stepped "+d.String()+" (paused)", false)
	}
	if it.Reset {
		if err := g.sess.Reset(); err != nil {
			g.say(err.Error(), true)
			return
		}
		g.pacer.Reset()
		g.log.Info("reset", zap.Uint64("seed", g.sess.Seed))
		g.say("reset: the line starts again (same seed)", false)
	}
}

// handleView applies zoom, pan, fit and selection by click.
func (g *Game) handleView(it Intents) {
	fz := g.fitZoom()
	if it.Wheel != 0 && g.view.Contains(it.Cursor) {
		g.cam = g.cam.ZoomAbout(it.Cursor, math.Pow(1.15, it.Wheel), fz*minZoomFactor, fz*maxZoomFactor)
		g.fitted = false
	}
	if it.DragX != 0 || it.DragY != 0 || it.PanX != 0 || it.PanY != 0 {
		g.cam = g.cam.Pan(it.DragX+it.PanX, it.DragY+it.PanY)
		g.fitted = false
	}
	if it.Fit {
		g.fit()
	}
	if it.Click && g.view.Contains(it.Cursor) && !g.help {
		g.sel = HitTest(g.floor, g.poses, g.cam.ToWorld(it.Cursor))
	}
}

// handleCommands turns break, repair, buffer, hold, reset and speed
// intents into commands on the selected machine.
func (g *Game) handleCommands(it Intents) {
	snap := &g.sess.Snap
	var cmd twin.Command
	var err error
	switch {
	case it.Break:
		cmd, err = BreakCommand(g.sel, snap)
	case it.Repair:
		cmd, err = RepairCommand(g.sel, snap)
	case it.BufferUp > 0:
		cmd, err = BufferCommand(g.sel, snap, it.BufferUp)
	case it.BufferDown > 0:
		cmd, err = BufferCommand(g.sel, snap, -it.BufferDown)
	case it.Hold:
		cmd, err = HoldCommand(g.sel, snap)
	case it.ResetStation:
		cmd, err = ResetCommand(g.sel, snap)
	case it.StationFaster:
		cmd, err = SpeedCommand(g.sel, snap, true)
	case it.StationSlower:
		cmd, err = SpeedCommand(g.sel, snap, false)
	default:
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
