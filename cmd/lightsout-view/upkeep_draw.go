package main

import (
	"math"
	"strconv"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/robots"
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

// sparkPoints loads the readings the detail panel charts into g.trendP
// (the selected station's server, or the selected worn arm) and returns
// how many there are (0 without a condition sensor).
func (g *Game) sparkPoints() int {
	switch g.sel.Kind {
	case scene.SelStation:
		return g.trendPoints(g.sel.Slot)
	case scene.SelArm:
		a := &g.sess.Snap.Arms[g.sel.Slot]
		if !a.Worn || scene.ArmSensor(g.armSpec(g.sel.Slot)) == nil {
			return 0
		}
		g.trendP = g.trends.Points(scene.ArmSlot(len(g.sess.Snap.Stations), g.sel.Slot), 0, g.trendP)
		return len(g.trendP)
	}
	return 0
}

// sparkSensor returns what the panel's chart is of ("server 2", "arm")
// and the sensor it reads.
func (g *Game) sparkSensor() (string, *stations.ConditionSensor) {
	if g.sel.Kind == scene.SelArm {
		return "arm", scene.ArmSensor(g.armSpec(g.sel.Slot))
	}
	ss := &g.sess.Snap.Stations[g.sel.Slot]
	return "server " + strconv.Itoa(g.trendServer()+1), scene.Sensor(&g.sess.Spec.Stations[ss.Index])
}

// armSpec returns the spec of arm slot j.
func (g *Game) armSpec(j int) *robots.Spec {
	return &g.sess.Spec.Arms[j%max(len(g.sess.Spec.Arms), 1)]
}

// armUpkeepRows adds a worn arm's condition rows to its panel's rows,
// before the last (the keys).
func (g *Game) armUpkeepRows(j int, rows []detailRow) []detailRow {
	up := scene.ArmUpkeepRows(g.sess.Snap.Now, &g.sess.Snap.Arms[j], g.armSpec(j), g.sess.Twin == nil)
	if len(up) == 0 || len(rows) == 0 {
		return appendRows(rows, up)
	}
	keys := rows[len(rows)-1]
	return append(appendRows(rows[:len(rows)-1], up), keys)
}

// drawArmHealth paints the health bar of worn arm j under its base: the
// condition its sensor reads (else the model's health), green to red.
func (g *Game) drawArmHealth(dst *ebiten.Image, j int) {
	b, ok := scene.ArmHealthBar(g.poses[j].Base, &g.sess.Snap.Arms[j], g.armSpec(j))
	if !ok {
		return
	}
	// With the arms' own (smooth) shapes, so the bar lies over the arm's
	// neighbours as the arm does.
	sh := g.smooth
	t, f := g.wr(b.Track), g.wr(b.Fill)
	y := t.Y + t.H/2
	sh.Line(dst, scene.Pt(t.X, y), scene.Pt(t.X+t.W, y), t.H, palette.HealthTrack)
	if f.W > 0 {
		sh.Line(dst, scene.Pt(f.X, y), scene.Pt(f.X+f.W, y), f.H, palette.Health(b.Level))
	}
}
