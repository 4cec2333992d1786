package main

import (
	"image/color"
	"strconv"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/stations"
)

// Text sizes of the overlays (pixels; they do not zoom).
const (
	hudSmall = 12.0
	hudText  = 13.5
	hudBig   = 18.0
	hudTitle = 12.5
)

// panel paints an overlay panel's background and border.
func (g *Game) panel(dst *ebiten.Image, r Rect) {
	g.shapes.RoundRect(dst, r, 6, colPanel)
	g.shapes.RoundFrame(dst, r.Inset(-1), 7, 1, colPanelEdg)
}

// hudItem is one piece of the top bar: a dim caption and a value.
type hudItem struct {
	caption, value string
	col            color.RGBA
}

// drawTopBar paints the bar across the top: the line's name, the clock,
// the speed (requested and reached), and the line's headline figures.
func (g *Game) drawTopBar(dst *ebiten.Image) {
	sh, f := g.shapes, g.fonts
	snap := &g.sess.Snap
	w := float64(g.w)
	sh.Rect(dst, Rect{0, 0, w, topBarH}, colPanel)
	sh.Rect(dst, Rect{0, topBarH - 1, w, 1}, colPanelEdg)
	g.drawPlayState(dst, Point{18, topBarH / 2})
	sh.Flush(dst)
	y := topBarH / 2
	x := 36.0
	f.Draw(dst, "Lightsout", x, y, hudBig, true, colText, Start, Middle)
	x += f.Width("Lightsout", hudBig, true) + 10
	name := g.sess.Spec.Name
	f.Draw(dst, name, x, y+1, hudText, false, colTextDim, Start, Middle)
	x += f.Width(name, hudText, false) + 26
	if g.overlays[OverlayClock] {
		c := clock(snap.Now)
		f.Draw(dst, c, x, y, hudBig, true, colText, Start, Middle)
		x += max(f.Width(c, hudBig, true), f.Width("day 00 00:00:00", hudBig, true)) + 22
	}
	if g.sess.Twin != nil {
		x = g.drawTwinBadge(dst, x, y) + 22
	} else if g.overlays[OverlaySpeed] {
		x = g.drawSpeed(dst, x, y) + 22
	}
	items := g.headline()
	rx := w - 14
	for _, it := range items {
		vw := f.Width(it.value, hudText, true)
		if rx-vw-f.Width(it.caption, hudSmall, false)-6 < x {
			break // no room: leave the rest out rather than overlap
		}
		f.Draw(dst, it.value, rx, y, hudText, true, it.col, End, Middle)
		rx -= vw + 5
		f.Draw(dst, it.caption, rx, y+1, hudSmall, false, colTextDim, End, Middle)
		rx -= f.Width(it.caption, hudSmall, false) + 20
	}
}

// headline returns the top bar's figures from right to left, the ones to
// keep first when the window is narrow.
func (g *Game) headline() []hudItem {
	snap := &g.sess.Snap
	ls := &snap.Line
	items := []hudItem{{"help", "?", colTextDim}}
	if g.sess.Twin != nil {
		if GoodKnown(snap) {
			items = append(items, hudItem{"good", thousands(ls.Good), colText})
		}
		items = append(items, hudItem{"shipped", thousands(ls.Shipped), colText})
		if g.overlays[OverlayWIP] {
			items = append(items, hudItem{"WIP", strconv.Itoa(ls.WIP), colText})
		}
		return items
	}
	items = append(items, hudItem{"good/h", thousands(int64(ls.GoodPerHour + 0.5)), colText})
	items = append(items, hudItem{"shipped", thousands(ls.Shipped), colText})
	if g.overlays[OverlayWIP] {
		items = append(items, hudItem{"WIP", strconv.Itoa(ls.WIP), colText})
	}
	if g.overlays[OverlayBottleneck] && ls.Bottleneck < len(g.sess.Spec.Stations) {
		items = append(items, hudItem{"bottleneck", g.sess.Spec.Stations[ls.Bottleneck].ID, colBottleneck})
	}
	return items
}

// drawSpeed writes the requested speed and the speed reached; the latter
// turns amber when the frame budget holds the line back. It returns the
// x where it ended.
func (g *Game) drawSpeed(dst *ebiten.Image, x, y float64) float64 {
	f := g.fonts
	req := g.pacer.Speed.String()
	if g.paused {
		f.Draw(dst, "PAUSED", x, y, hudText, true, colTrayFull, Start, Middle)
		x += f.Width("PAUSED", hudText, true) + 8
		f.Draw(dst, "at "+req, x, y+1, hudSmall, false, colTextDim, Start, Middle)
		return x + f.Width("at "+req, hudSmall, false)
	}
	f.Draw(dst, req, x, y, hudText, true, colText, Start, Middle)
	x += f.Width(req, hudText, true) + 8
	real := g.pacer.Real()
	col := colTextDim
	if !g.pacer.Speed.IsMax() && real < 0.9*float64(g.pacer.Speed) {
		col = colTrayFull
	}
	s := "real " + formatSpeed(real)
	f.Draw(dst, s, x, y+1, hudSmall, false, col, Start, Middle)
	return x + f.Width("real 10,000x", hudSmall, false)
}

// drawPlayState paints a play triangle, or pause bars, at c.
func (g *Game) drawPlayState(dst *ebiten.Image, c Point) {
	sh := g.shapes
	if g.paused {
		sh.Rect(dst, Rect{c.X - 6, c.Y - 7, 4, 14}, colTrayFull)
		sh.Rect(dst, Rect{c.X + 2, c.Y - 7, 4, 14}, colTrayFull)
		return
	}
	sh.Quad(dst, Point{c.X - 5, c.Y - 7}, Point{c.X + 7, c.Y}, Point{c.X + 7, c.Y}, Point{c.X - 5, c.Y + 7}, phaseColors[stations.Working])
}

// drawToast writes the last message over the top of the floor.
func (g *Game) drawToast(dst *ebiten.Image) {
	if g.toast == "" || time.Now().After(g.toastEnd) {
		return
	}
	f := g.fonts
	w := f.Width(g.toast, hudText, false) + 28
	r := Rect{g.view.X + (g.view.W-w)/2, g.view.Y + 10, w, 28}
	edge := colPanelEdg
	if g.toastBad {
		edge = colTrayFull
	}
	g.shapes.RoundRect(dst, r.Inset(-1.5), 8, edge)
	g.shapes.RoundRect(dst, r, 7, colPanel)
	g.shapes.Flush(dst)
	f.Draw(dst, g.toast, r.X+14, r.Y+r.H/2, hudText, false, colText, Start, Middle)
}
