package main

import (
	"image"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// render paints the whole window onto dst from the current snapshot.
func (g *Game) render(dst *ebiten.Image) {
	// No clear: the top bar, the floor and the dashboard (or the floor
	// down to the bottom) cover every pixel.
	g.poses = scene.Poses(g.floor, len(g.sess.Spec.Stations), &g.sess.Snap, g.poses)
	g.hudScale(dst, false)
	g.drawFloor(g.floorImage(dst))
	g.hudScale(dst, true) // the rest is the HUD, at the UI scale
	defer g.hudScale(dst, false)
	g.drawTopBar(dst)
	g.drawTimeline(dst)
	if g.overlays.Dashboard() {
		g.drawDashboard(dst)
	}
	g.drawPilotPanel(dst)
	g.drawDetails(dst)
	g.drawTwinBanner(dst)
	g.hudScale(dst, false) // lessons and replays place themselves on the screen's pixels
	g.drawPlay(dst)
	g.hudScale(dst, true)
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

// ws maps a world point to the screen; wr a world rectangle.
func (g *Game) ws(p scene.Point) scene.Point { return g.cam.ToScreen(p) }
func (g *Game) wr(r scene.Rect) scene.Rect   { return g.cam.RectToScreen(r) }

// visible reports whether a world rectangle shows in the floor view.
func (g *Game) visible(r scene.Rect) bool { return g.wr(r).Overlaps(g.view) }

// flash returns the current flash window.
func (g *Game) flash() sim.Time { return scene.FlashWindow(g.pacer.Speed, g.pacer.Real()) }

// drawFloor paints the floor: copies, track, stations, docks, arms, text.
func (g *Game) drawFloor(dst *ebiten.Image) {
	sh := g.shapes
	z := g.cam.Zoom
	sh.Rect(dst, g.view, palette.Floor)
	g.drawFloorDots(dst)
	for _, b := range g.floor.Blocks {
		r := g.wr(b.Bounds)
		sh.RoundRect(dst, r, 8*z, palette.Block)
		sh.RoundFrame(dst, r.Inset(-1), 9*z, 1, palette.BlockEdge)
		for k := 1; k < len(b.Track); k++ {
			a, c := g.ws(b.Track[k-1]), g.ws(b.Track[k])
			sh.Line(dst, a, c, 14*z, palette.Track)
			sh.Rect(dst, scene.XYWH(c.X-7*z, c.Y-7*z, 14*z, 14*z), palette.Track)
		}
		g.drawChevrons(dst, b.Track)
	}
	heat := scene.HeatScale(&g.sess.Snap)
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
	g.drawCrew(dst)
	g.drawFloorText(dst)
	g.drawMarkers(dst)
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
			g.shapes.Rect(dst, scene.XYWH(x, y, 2, 2), palette.FloorDot)
		}
	}
}

// drawChevrons marks the flow direction on the turns between rows.
func (g *Game) drawChevrons(dst *ebiten.Image, track []scene.Point) {
	for k := 1; k < len(track); k++ {
		a, b := track[k-1], track[k]
		if l := scene.Dist(a, b); l > 30 && math.Abs(a.X-b.X) < 1e-6 {
			g.chevron(dst, scene.Lerp(a, b, 0.5), 0, (b.Y-a.Y)/l)
		}
	}
}

// chevron draws a small arrow head at world point p pointing along (ux, uy).
func (g *Game) chevron(dst *ebiten.Image, p scene.Point, ux, uy float64) {
	z := g.cam.Zoom
	if z < 0.4 {
		return
	}
	s := g.ws(p)
	tip := scene.Pt(s.X+ux*3*z, s.Y+uy*3*z)
	back := scene.Pt(s.X-ux*3*z, s.Y-uy*3*z)
	g.shapes.Line(dst, scene.Pt(back.X-uy*4*z, back.Y+ux*4*z), tip, 1.8*z, palette.TrackEdge)
	g.shapes.Line(dst, scene.Pt(back.X+uy*4*z, back.Y-ux*4*z), tip, 1.8*z, palette.TrackEdge)
}
