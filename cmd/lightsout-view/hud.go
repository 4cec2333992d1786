package main

import (
	"image/color"
	"strconv"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/twinmode"
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
func (g *Game) panel(dst *ebiten.Image, r scene.Rect) {
	g.shapes.RoundRect(dst, r, 6, palette.Panel)
	g.shapes.RoundFrame(dst, r.Inset(-1), 7, 1, palette.PanelEdge)
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
	w := g.hw()
	sh.Rect(dst, scene.XYWH(0, 0, w, scene.TopBarH), palette.Panel)
	sh.Rect(dst, scene.XYWH(0, scene.TopBarH-1, w, 1), palette.PanelEdge)
	g.drawPlayState(dst, scene.Pt(18, scene.TopBarH/2))
	sh.Flush(dst)
	y := scene.TopBarH / 2
	x := 36.0
	f.Draw(dst, "Lightsout", x, y, hudBig, true, palette.Text, Start, Middle)
	x += f.Width("Lightsout", hudBig, true) + 10
	name := g.sess.Spec.Name
	f.Draw(dst, name, x, y+1, hudText, false, palette.TextDim, Start, Middle)
	x += f.Width(name, hudText, false) + 26
	if g.overlays[scene.OverlayClock] {
		c := scene.Clock(snap.Now)
		f.Draw(dst, c, x, y, hudBig, true, palette.Text, Start, Middle)
		x += max(f.Width(c, hudBig, true), f.Width("day 00 00:00:00", hudBig, true)) + 22
	}
	if g.sess.Twin != nil {
		x = g.drawTwinBadge(dst, x, y) + 22
	} else if g.overlays[scene.OverlaySpeed] {
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
		f.Draw(dst, it.caption, rx, y+1, hudSmall, false, palette.TextDim, End, Middle)
		rx -= f.Width(it.caption, hudSmall, false) + 20
	}
}

// headline returns the top bar's figures from right to left, the ones to
// keep first when the window is narrow.
func (g *Game) headline() []hudItem {
	snap := &g.sess.Snap
	ls := &snap.Line
	items := []hudItem{{"help", "?", palette.TextDim}}
	if g.sess.Twin != nil {
		if twinmode.GoodKnown(snap) {
			items = append(items, hudItem{"good", scene.Thousands(ls.Good), palette.Text})
		}
		items = append(items, hudItem{"shipped", scene.Thousands(ls.Shipped), palette.Text})
		if g.overlays[scene.OverlayWIP] {
			items = append(items, hudItem{"WIP", strconv.Itoa(ls.WIP), palette.Text})
		}
		return items
	}
	items = append(items, hudItem{"good/h", scene.Thousands(int64(ls.GoodPerHour + 0.5)), palette.Text})
	items = append(items, hudItem{"shipped", scene.Thousands(ls.Shipped), palette.Text})
	if g.overlays[scene.OverlayWIP] {
		items = append(items, hudItem{"WIP", strconv.Itoa(ls.WIP), palette.Text})
	}
	if g.overlays[scene.OverlayBottleneck] && ls.Bottleneck < len(g.sess.Spec.Stations) {
		items = append(items, hudItem{"bottleneck", g.sess.Spec.Stations[ls.Bottleneck].ID, palette.Bottleneck})
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
		f.Draw(dst, "PAUSED", x, y, hudText, true, palette.TrayFull, Start, Middle)
		x += f.Width("PAUSED", hudText, true) + 8
		f.Draw(dst, "at "+req, x, y+1, hudSmall, false, palette.TextDim, Start, Middle)
		return x + f.Width("at "+req, hudSmall, false)
	}
	f.Draw(dst, req, x, y, hudText, true, palette.Text, Start, Middle)
	x += f.Width(req, hudText, true) + 8
	real := g.pacer.Real()
	col := palette.TextDim
	if !g.pacer.Speed.IsMax() && real < 0.9*float64(g.pacer.Speed) {
		col = palette.TrayFull
	}
	s := "real " + scene.FormatSpeed(real)
	f.Draw(dst, s, x, y+1, hudSmall, false, col, Start, Middle)
	return x + f.Width("real 10,000x", hudSmall, false)
}

// drawPlayState paints a play triangle, or pause bars, at c.
func (g *Game) drawPlayState(dst *ebiten.Image, c scene.Point) {
	sh := g.shapes
	if g.paused {
		sh.Rect(dst, scene.XYWH(c.X-6, c.Y-7, 4, 14), palette.TrayFull)
		sh.Rect(dst, scene.XYWH(c.X+2, c.Y-7, 4, 14), palette.TrayFull)
		return
	}
	sh.Quad(dst, scene.Pt(c.X-5, c.Y-7), scene.Pt(c.X+7, c.Y), scene.Pt(c.X+7, c.Y), scene.Pt(c.X-5, c.Y+7), palette.Phase(stations.Working))
}

// drawToast writes the last message over the top of the floor.
func (g *Game) drawToast(dst *ebiten.Image) {
	if g.toast == "" || time.Now().After(g.toastEnd) {
		return
	}
	f := g.fonts
	w := f.Width(g.toast, hudText, false) + 28
	v := g.hudView()
	r := scene.XYWH(v.X+(v.W-w)/2, v.Y+10, w, 28)
	edge := palette.PanelEdge
	if g.toastBad {
		edge = palette.TrayFull
	}
	g.shapes.RoundRect(dst, r.Inset(-1.5), 8, edge)
	g.shapes.RoundRect(dst, r, 7, palette.Panel)
	g.shapes.Flush(dst)
	f.Draw(dst, g.toast, r.X+14, r.Y+r.H/2, hudText, false, palette.Text, Start, Middle)
}
