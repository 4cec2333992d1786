package main

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/stations"
)

// drawHealth paints the health bars under the servers of station slot i,
// if it wears: the condition its sensor reads (else the model's health),
// coloured green to red; a bar waiting for the crew is outlined.
func (g *Game) drawHealth(dst *ebiten.Image, i int) {
	ss := &g.sess.Snap.Stations[i]
	if len(ss.Upkeep) == 0 {
		return
	}
	sb := &g.floor.Stations[i]
	g.bars = scene.HealthBars(sb, ss, &g.sess.Spec.Stations[ss.Index], g.bars)
	sh := g.shapes
	for _, b := range g.bars {
		tr := g.wr(b.Track)
		if b.Waiting {
			sh.Rect(dst, tr.Inset(-1.5), palette.Crew)
		}
		sh.Rect(dst, tr, palette.HealthTrack)
		sh.Rect(dst, g.wr(b.Fill), palette.Health(b.Level))
	}
}

// drawCrew paints the crew members: a figure at the depot, travelling, or
// at the machine they work on, ringed while on a job.
func (g *Game) drawCrew(dst *ebiten.Image) {
	snap := &g.sess.Snap
	if len(snap.Crews) == 0 {
		return
	}
	g.crew = scene.CrewSpots(g.floor, len(g.sess.Spec.Stations), snap, g.crew)
	sh := g.smooth
	z := g.cam.Zoom
	r := scene.CrewR * z
	// The depot: one empty place per member, filled while it is home.
	for _, c := range snap.Crews {
		for m := range c.Size {
			p := g.ws(scene.CrewHome(g.floor, c.Line, m, c.Size))
			sh.Ring(dst, p, r, math.Max(1, 1.2*z), palette.TextFade)
		}
	}
	for _, c := range g.crew {
		p := g.ws(c.At)
		if !g.view.Contains(p) {
			continue
		}
		col := palette.Crew
		if !c.Busy {
			col = palette.Mix(palette.Crew, palette.TextFade, 0.25)
		}
		if c.Busy {
			sh.Circle(dst, p, r+1.6*z, palette.CrewBusy)
		}
		sh.Circle(dst, p, r, col)
		// a head on the body: a person seen from above
		sh.Circle(dst, scene.Pt(p.X, p.Y-r*0.15), r*0.42, palette.Mix(col, palette.Machine, 0.55))
		if c.Busy && !c.Travelling && c.Job == stations.JobRepair {
			sh.Line(dst, scene.Pt(p.X+r*0.9, p.Y+r*0.9), scene.Pt(p.X+r*1.8, p.Y+r*1.8), math.Max(1, 1.4*z), palette.CrewBusy)
		}
	}
	sh.Flush(dst)
}

// drawCrewText writes each crew's busy and queued counts beside its depot.
func (g *Game) drawCrewText(dst *ebiten.Image) {
	snap := &g.sess.Snap
	is := scene.FloorTextSize(scene.InfoSize, g.cam.Zoom)
	if is < scene.MinTextSize {
		return
	}
	z := g.cam.Zoom
	for k := range snap.Crews {
		c := &snap.Crews[k]
		d := g.ws(scene.CrewDepot(g.floor, c.Line))
		x := d.X - (float64(c.Size)*(2*scene.CrewR+3)+6)*z/2 - 8*z
		col := palette.TextDim
		if c.Queued > 0 {
			col = palette.Crew
		}
		g.fonts.Draw(dst, scene.CrewDepotLabel(c), x, d.Y, is, c.Queued > 0, col, End, Middle)
	}
}
