package main

import (
	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
)

// sliderH is the height of a recording's time slider panel.
const sliderH = 46.0

// sliderPanel is the time slider's panel, at the foot of the floor view;
// a press anywhere on it seeks.
func (g *Game) sliderPanel() scene.Rect {
	return scene.XYWH(g.view.X+12, g.view.Y+g.view.H-sliderH-10, g.view.W-24, sliderH)
}

// sliderTrack is the slider's track, along which time runs from 0 to the
// end of the recording.
func (g *Game) sliderTrack() scene.Rect {
	r := g.sliderPanel()
	return scene.XYWH(r.X+16, r.Y+r.H-14, r.W-32, 4)
}

// drawSlider paints the recording's time slider: where the line is, the
// commands recorded (ticks) and the keys.
func (g *Game) drawSlider(dst *ebiten.Image) {
	p := g.play
	r, tr := g.sliderPanel(), g.sliderTrack()
	now := g.sess.Snap.Now
	x := tr.X + tr.W*p.SliderX(now)
	g.panel(dst, r)
	sh := g.shapes
	sh.Rect(dst, tr, palette.Grid)
	sh.Rect(dst, scene.XYWH(tr.X, tr.Y, x-tr.X, tr.H), palette.ArmMove)
	for _, m := range p.Marks {
		mx := tr.X + tr.W*p.SliderX(m)
		sh.Rect(dst, scene.XYWH(mx-1, tr.Y-5, 2, tr.H+10), palette.Target)
	}
	sh.Flush(dst)
	g.smooth.Circle(dst, scene.Pt(x, tr.Y+tr.H/2), 7, palette.Text)
	g.smooth.Flush(dst)
	y := r.Y + 13
	g.fonts.Draw(dst, "replay "+p.Title+"  "+scene.Clock(now)+" of "+scene.Clock(p.End), r.X+16, y, hudText, true, palette.Text, Start, Middle)
	g.fonts.Draw(dst, "Space pause · . step · , back · End · drag to seek", r.X+r.W-16, y, hudSmall, false, palette.TextDim, End, Middle)
}
