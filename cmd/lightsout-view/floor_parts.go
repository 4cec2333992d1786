package main

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
)

// drawStation paints station slot i: highlights, tray and units, machine
// or conveyor, sensors.
func (g *Game) drawStation(dst *ebiten.Image, i int, heat float64) {
	sb := &g.floor.Stations[i]
	ss := &g.sess.Snap.Stations[i]
	sh := g.shapes
	z := g.cam.Zoom
	if g.overlays[scene.OverlayDefects] && heat > 0 && (ss.DefectSource || ss.Inspects) {
		if bad := float64(ss.Counts.Defects + ss.Counts.Caught); bad > 0 {
			// A soft halo: three layers, fainter outwards, stronger with the count.
			a := 0.05 + 0.3*bad/heat
			for k, d := range [3]float64{-9, -6, -3} {
				sh.RoundRect(dst, g.wr(sb.Box.Inset(d)), (-d+3)*z, palette.Fade(palette.Defect, a*float64(k+1)/3))
			}
		}
	}
	if g.overlays[scene.OverlayBottleneck] && ss.Index == g.sess.Snap.Line.Bottleneck {
		sh.RoundRect(dst, g.wr(sb.Box.Inset(-4)), 5*z, palette.Bottleneck)
	}
	if g.sel.Kind == scene.SelStation && g.sel.Slot == i {
		sh.Frame(dst, g.wr(sb.Hit().Inset(-2)), 2, palette.Select)
	}
	g.drawTray(dst, sb, ss)
	if sb.Conveyor {
		g.drawConveyor(dst, sb, ss)
	} else {
		g.drawMachine(dst, sb, ss)
	}
	g.drawEyes(dst, sb, ss)
	g.drawHealth(dst, i)
	g.drawStationTag(dst, i)
	exit := sb.Box.X + sb.Box.W + 6
	if sb.Dir < 0 {
		exit = sb.Box.X - 6
	}
	g.chevron(dst, scene.Pt(exit, sb.FlowY), sb.Dir, 0)
	g.drawTwinMarks(dst, i)
}

// slotOf returns the index of a station's state in the snapshot.
func (g *Game) slotOf(ss *twin.StationState) int {
	return ss.Line*len(g.sess.Spec.Stations) + ss.Index
}

// drawTray paints a buffer: its places, its units (sliding in and moving
// up), its outline (orange when full).
func (g *Game) drawTray(dst *ebiten.Image, sb *scene.StationBox, ss *twin.StationState) {
	sh := g.shapes
	now := g.sess.Snap.Now
	grid := scene.NewTrayGrid(sb.Tray, sb.Dir, ss.Capacity, ss.Buffer)
	edge := palette.TrayEdge
	if scene.BufferFull(ss) {
		edge = palette.TrayFull
	}
	r := g.wr(sb.Tray)
	sh.Rect(dst, r, edge)
	sh.Rect(dst, r.Inset(math.Max(1, g.cam.Zoom*1.2)), palette.Tray)
	u := grid.Unit() * g.cam.Zoom
	places := grid.Places()
	if ss.Capacity != stations.Inf {
		places = min(places, int(ss.Capacity))
	}
	for k := range places {
		p := g.ws(grid.Place(k))
		sh.Rect(dst, scene.XYWH(p.X-u/2, p.Y-u/2, u, u), palette.Slot)
	}
	for k := 0; k < ss.Buffer && k < grid.Places(); k++ {
		defective := k < len(ss.BufferDefective) && ss.BufferDefective[k]
		g.unit(dst, scene.BufferUnit(grid, ss, k, sb.Entry(), now), grid.Unit(), defective, sh)
	}
}

// unit paints one unit (a board, later a phone) of side u (world) at world
// point p.
func (g *Game) unit(dst *ebiten.Image, p scene.Point, u float64, defective bool, sh *Shapes) {
	s := g.ws(p)
	z := g.cam.Zoom
	w := u * z
	c := palette.Unit
	if defective {
		c = palette.Defect
	}
	sh.Rect(dst, scene.XYWH(s.X-w/2, s.Y-w/2, w, w), palette.UnitEdge)
	sh.Rect(dst, scene.XYWH(s.X-w/2+0.8, s.Y-w/2+0.8, w-1.6, w-1.6), c)
}

// drawMachine paints a machine: its housing, one panel per server in the
// colour of its state, a progress bar, a cross when broken by command,
// and the unit inside.
func (g *Game) drawMachine(dst *ebiten.Image, sb *scene.StationBox, ss *twin.StationState) {
	sh := g.shapes
	z := g.cam.Zoom
	sh.RoundRect(dst, g.wr(sb.Box), 4*z, palette.Machine)
	for k, r := range sb.Servers {
		if k >= len(ss.Servers) {
			break
		}
		v := ss.Servers[k]
		rs := g.wr(r)
		sh.Rect(dst, rs, g.serverColor(g.slotOf(ss), v.Phase))
		g.serverGlyph(dst, rs, v.Phase)
		if v.Phase == stations.Working && rs.H > 8 {
			bar := scene.XYWH(rs.X+2, rs.Y+rs.H-5*z, rs.W-4, 3*z)
			sh.Rect(dst, bar, palette.Progress)
			bar.W *= min(max(v.Progress, 0), 1)
			sh.Rect(dst, bar, palette.Fade(palette.Text, 0.85))
		}
		if v.Broken {
			c, d := rs.Center(), math.Min(rs.W, rs.H)*0.3
			sh.Line(dst, scene.Pt(c.X-d, c.Y-d), scene.Pt(c.X+d, c.Y+d), 2.5*z, palette.Text)
			sh.Line(dst, scene.Pt(c.X-d, c.Y+d), scene.Pt(c.X+d, c.Y-d), 2.5*z, palette.Text)
		}
		if p, ok := scene.ServerUnit(g.floor, len(g.sess.Spec.Stations), g.poses, sb, k, v); ok {
			g.unit(dst, p, math.Min(math.Min(r.W, r.H)*0.42, 13), v.Defective, sh)
		}
	}
}

// ovenZones are the heat of the reflow profile along the oven: preheat,
// soak, reflow, cooling.
var ovenZones = [...]float64{0.22, 0.4, 0.55, 0.9, 0.45, 0.12}

// drawConveyor paints a conveyor (the oven): body, heat zones, state lamp,
// belt and the boards riding it.
func (g *Game) drawConveyor(dst *ebiten.Image, sb *scene.StationBox, ss *twin.StationState) {
	sh := g.shapes
	z := g.cam.Zoom
	sh.RoundRect(dst, g.wr(sb.Box), 5*z, palette.OvenBody)
	zones := sb.Heat()
	zw := zones.W / float64(len(ovenZones))
	for k, h := range ovenZones {
		x := zones.X + float64(k)*zw
		if sb.Dir < 0 {
			x = zones.X + zones.W - float64(k+1)*zw
		}
		sh.Rect(dst, g.wr(scene.XYWH(x, zones.Y, zw-1, zones.H)), palette.Mix(palette.OvenBody, palette.OvenHeat, h))
	}
	if len(ss.Servers) > 0 {
		sh.Rect(dst, g.wr(sb.Servers[0]), g.serverColor(g.slotOf(ss), ss.Servers[0].Phase))
	}
	belt := sb.Belt()
	sh.Rect(dst, g.wr(belt), palette.OvenBelt)
	capacity := 1
	if c := g.sess.Spec.Stations[sb.Index].Conveyor; c != nil {
		capacity = max(c.Capacity, 1)
	}
	bw := math.Min(10, math.Max(2.5, belt.W/float64(capacity)*0.78))
	g.convPos = scene.ConveyorPositions(ss.Riding, belt.W-bw, bw*1.2, g.convPos)
	for k, x := range g.convPos {
		cx := belt.X + bw/2 + x
		if sb.Dir < 0 {
			cx = belt.X + belt.W - bw/2 - x
		}
		c := palette.Unit
		if ss.Riding[k].Defective {
			c = palette.Defect
		}
		r := g.wr(scene.XYWH(cx-bw/2, belt.Y+3, bw, belt.H-6))
		sh.Rect(dst, r, c)
	}
}

// drawEyes paints the photo-eyes at the tray's entry and exit and the
// vision camera of an inspection; each lights up when it fires.
func (g *Game) drawEyes(dst *ebiten.Image, sb *scene.StationBox, ss *twin.StationState) {
	now, win := g.sess.Snap.Now, g.flash()
	g.photoEye(dst, sb, sb.EyeIn, ss.LastIn >= 0 && now-ss.LastIn < win)
	g.photoEye(dst, sb, sb.EyeOut, ss.LastOut >= 0 && now-ss.LastOut < win)
	if !sb.Inspects {
		return
	}
	c := palette.EyeIdle
	if ss.LastCheck >= 0 && now-ss.LastCheck < win {
		c = palette.Pass
		if !ss.LastPass {
			c = palette.Fail
		}
	}
	_, r, ok := g.labelPlace(sb, ss)
	if !ok {
		return
	}
	z := g.cam.Zoom
	sh := g.shapes
	sh.RoundRect(dst, r, 2*z, c)
	sh.Rect(dst, scene.XYWH(r.X+r.W/2-3*z, r.Y-2*z, 6*z, 2*z), c) // the mount
	sh.Circle(dst, r.Center(), 3*z, palette.Machine)
	sh.Circle(dst, r.Center(), 1.6*z, c)
}

// photoEye paints a through-beam photo-eye across the tray at x of p: a
// small emitter above the tray and a reflector below; when it fires, the
// emitter lights red and its beam crosses the tray.
func (g *Game) photoEye(dst *ebiten.Image, sb *scene.StationBox, p scene.Point, fired bool) {
	z := g.cam.Zoom
	top := g.ws(scene.Pt(p.X, sb.Tray.Y-3))
	bot := g.ws(scene.Pt(p.X, sb.Tray.Y+sb.Tray.H+2.5))
	c := palette.EyeIdle
	if fired {
		c = palette.EyeFired
		g.shapes.Line(dst, top, bot, math.Max(1, 0.9*z), palette.Fade(palette.EyeFired, 0.55))
	}
	g.shapes.Circle(dst, top, 2.3*z, c)
	g.shapes.Rect(dst, scene.XYWH(bot.X-2*z, bot.Y-0.6*z, 4*z, 1.2*z), palette.EyeIdle)
}

// drawDock paints the shipped counter and the scrap bin of copy c.
func (g *Game) drawDock(dst *ebiten.Image, c int) {
	d := &g.floor.Docks[c]
	sh := g.shapes
	z := g.cam.Zoom
	ship := g.wr(d.Ship)
	sh.RoundRect(dst, ship, 5*z, palette.Ship)
	sh.RoundRect(dst, ship.Inset(2*z), 4*z, palette.Mix(palette.Block, palette.Ship, 0.3))
	bin := g.wr(d.Scrap)
	lip := 3 * z
	sh.Quad(dst, scene.Pt(bin.X, bin.Y), scene.Pt(bin.X+bin.W, bin.Y), scene.Pt(bin.X+bin.W-lip*2, bin.Y+bin.H), scene.Pt(bin.X+lip*2, bin.Y+bin.H), palette.Scrap)
	sh.Rect(dst, scene.XYWH(bin.X-lip, bin.Y-lip, bin.W+2*lip, lip*1.5), palette.Mix(palette.Scrap, palette.Text, 0.25))
	// A heap of scrapped units, growing with the count, up to the brim.
	heap := min(int(math.Sqrt(float64(scene.CopyScrapped(&g.sess.Snap, len(g.sess.Spec.Stations), c)))), 12)
	u := 5.0
	for k := range heap {
		row, col := k/4, k%4
		p := scene.Pt(d.Scrap.X+7+float64(col)*(u+2.5)+float64(row%2)*2, d.Scrap.Y+d.Scrap.H-6-float64(row)*(u+1))
		g.unit(dst, p, u, true, sh)
	}
}
