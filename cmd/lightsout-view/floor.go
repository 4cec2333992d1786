package main

import (
	"image"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// render paints the whole window onto dst from the current snapshot.
func (g *Game) render(dst *ebiten.Image) {
	// No clear: the top bar, the floor and the dashboard (or the floor
	// down to the bottom) cover every pixel.
	g.updatePoses()
	g.drawFloor(g.floorImage(dst))
	g.drawTopBar(dst)
	if g.dashboardShown() {
		g.drawDashboard(dst)
	}
	g.drawDetails(dst)
	g.drawTwinBanner(dst)
	g.drawToast(dst)
	if g.help {
		g.drawHelp(dst)
	}
}

// floorImage returns the part of dst the floor is drawn in (clipping it),
// kept from frame to frame: ebiten gives each image its own vertex buffer,
// so a new sub-image every frame would allocate one every frame.
func (g *Game) floorImage(dst *ebiten.Image) *ebiten.Image {
	v := g.view
	r := image.Rect(int(v.X), int(v.Y), int(v.X+v.W), int(v.Y+v.H))
	if g.floorOf != dst || g.floorImg == nil || g.floorImg.Bounds() != r {
		g.floorOf, g.floorImg = dst, dst.SubImage(r).(*ebiten.Image)
	}
	return g.floorImg
}

// updatePoses works out every arm's pose from the snapshot.
func (g *Game) updatePoses() {
	snap := &g.sess.Snap
	n := len(g.sess.Spec.Stations)
	g.poses = g.poses[:0]
	for j := range g.floor.Arms {
		if j < len(snap.Arms) {
			g.poses = append(g.poses, Pose(g.floor, n, &g.floor.Arms[j], &snap.Arms[j], snap))
		}
	}
}

// ws maps a world point to the screen; wr a world rectangle.
func (g *Game) ws(p Point) Point { return g.cam.ToScreen(p) }
func (g *Game) wr(r Rect) Rect   { return g.cam.RectToScreen(r) }

// visible reports whether a world rectangle shows in the floor view.
func (g *Game) visible(r Rect) bool { return g.wr(r).Overlaps(g.view) }

// FlashWindow returns how long after firing a sensor stays lit, in
// simulated time: 150 ms of wall time at the speed shown, so a sensor
// blinks visibly at any speed (and stays lit when it fires faster than
// the eye can follow).
func FlashWindow(speed Speed, real float64) sim.Time {
	f := float64(speed)
	if speed.IsMax() {
		f = real
	}
	return sim.Time(150 * float64(sim.Millisecond) * max(f, 1))
}

// flash returns the current flash window.
func (g *Game) flash() sim.Time { return FlashWindow(g.pacer.Speed, g.pacer.Real()) }

// drawFloor paints the floor: copies, track, stations, docks, arms, text.
func (g *Game) drawFloor(dst *ebiten.Image) {
	sh := g.shapes
	z := g.cam.Zoom
	sh.Rect(dst, g.view, colFloor)
	g.drawFloorDots(dst)
	for _, b := range g.floor.Blocks {
		r := g.wr(b.Bounds)
		sh.RoundRect(dst, r, 8*z, colBlock)
		sh.RoundFrame(dst, r.Inset(-1), 9*z, 1, colBlockEdg)
		for k := 1; k < len(b.Track); k++ {
			a, c := g.ws(b.Track[k-1]), g.ws(b.Track[k])
			sh.Line(dst, a, c, 14*z, colTrack)
			sh.Rect(dst, Rect{c.X - 7*z, c.Y - 7*z, 14 * z, 14 * z}, colTrack)
		}
		g.drawChevrons(dst, b.Track)
	}
	heat := g.heatScale()
	for i := range g.floor.Stations {
		if g.visible(g.floor.Stations[i].Slot) && i < len(g.sess.Snap.Stations) {
			g.drawStation(dst, i, heat)
		}
	}
	for c := range g.floor.Docks {
		g.drawDock(dst, c)
	}
	sh.Flush(dst)
	for j := range g.poses {
		g.drawArm(dst, j)
	}
	g.smooth.Flush(dst)
	g.drawFloorText(dst)
}

// drawFloorDots draws a faint grid of dots that moves with the camera, so
// panning and zooming read as moving over a floor.
func (g *Game) drawFloorDots(dst *ebiten.Image) {
	step := 40 * g.cam.Zoom
	for step < 18 {
		step *= 2
	}
	o := g.cam.Offset
	x0 := g.view.X + math.Mod(o.X-g.view.X, step)
	y0 := g.view.Y + math.Mod(o.Y-g.view.Y, step)
	for y := y0; y < g.view.Y+g.view.H; y += step {
		for x := x0; x < g.view.X+g.view.W; x += step {
			g.shapes.Rect(dst, Rect{x, y, 2, 2}, colFloorDot)
		}
	}
}

// drawChevrons marks the flow direction on the turns between rows.
func (g *Game) drawChevrons(dst *ebiten.Image, track []Point) {
	for k := 1; k < len(track); k++ {
		a, b := track[k-1], track[k]
		if l := dist(a, b); l > 30 && math.Abs(a.X-b.X) < 1e-6 {
			g.chevron(dst, lerp(a, b, 0.5), 0, (b.Y-a.Y)/l)
		}
	}
}

// chevron draws a small arrow head at world point p pointing along (ux, uy).
func (g *Game) chevron(dst *ebiten.Image, p Point, ux, uy float64) {
	z := g.cam.Zoom
	if z < 0.4 {
		return
	}
	s := g.ws(p)
	tip := Point{s.X + ux*3*z, s.Y + uy*3*z}
	back := Point{s.X - ux*3*z, s.Y - uy*3*z}
	g.shapes.Line(dst, Point{back.X - uy*4*z, back.Y + ux*4*z}, tip, 1.8*z, colTrackEdg)
	g.shapes.Line(dst, Point{back.X + uy*4*z, back.Y - ux*4*z}, tip, 1.8*z, colTrackEdg)
}

// heatScale returns the largest count of defects made or caught at one
// station, which the defect heat of every station is relative to.
func (g *Game) heatScale() float64 {
	m := 0.0
	for i := range g.sess.Snap.Stations {
		c := g.sess.Snap.Stations[i].Counts
		m = math.Max(m, float64(c.Defects+c.Caught))
	}
	return m
}
