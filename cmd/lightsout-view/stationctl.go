package main

import (
	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
)

// tagPlace returns where station slot i's tag goes on the screen, aside
// from its defect counts when they are shown (see scene.TagPlace).
func (g *Game) tagPlace(i int, tag string, held bool) (r scene.Rect, size float64, text, ok bool) {
	defects := ""
	if tag != "" && g.overlays[scene.OverlayDefects] {
		defects = scene.DefectText(&g.sess.Snap.Stations[i].Counts)
	}
	return scene.TagPlace(g.fonts, g.cam, &g.floor.Stations[i], tag, held, defects)
}

// drawStationTag paints the pill of station slot i's tag: light with a
// pause sign when the station is held, dark when only its speed is shown.
// Its text comes with the floor's text (stationTagText).
func (g *Game) drawStationTag(dst *ebiten.Image, i int) {
	ss := &g.sess.Snap.Stations[i]
	tag, held := scene.StationTag(ss)
	r, _, _, ok := g.tagPlace(i, tag, held)
	if !ok {
		return
	}
	sh := g.shapes
	rad := r.H / 2
	if !held {
		sh.RoundRect(dst, r.Inset(-1), rad+1, palette.TextDim)
		sh.RoundRect(dst, r, rad, palette.Machine)
		return
	}
	sh.RoundRect(dst, r.Inset(-1.5), rad+1.5, palette.Machine)
	sh.RoundRect(dst, r, rad, palette.Text)
	bw, bh := r.H*0.14, r.H*0.5
	x := r.X + r.H*0.35
	y := r.Y + (r.H-bh)/2
	sh.Rect(dst, scene.XYWH(x, y, bw, bh), palette.Machine)
	sh.Rect(dst, scene.XYWH(x+scene.PauseW(r.H)-bw, y, bw, bh), palette.Machine)
}

// stationTagText writes the text of station slot i's tag.
func (g *Game) stationTagText(dst *ebiten.Image, i int) {
	ss := &g.sess.Snap.Stations[i]
	tag, held := scene.StationTag(ss)
	r, size, text, ok := g.tagPlace(i, tag, held)
	if !ok || !text {
		return
	}
	pad := r.H * 0.35
	x := r.X + pad
	c := palette.Text
	if held {
		x += scene.PauseW(r.H) + pad*0.7
		c = palette.Machine
	}
	g.fonts.Draw(dst, tag, x, r.Y+r.H/2, size, true, c, Start, Middle)
}
