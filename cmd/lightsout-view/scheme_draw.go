package main

import (
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/stations"
)

// downPhase is the phase whose colour the legend's broken cross sits on.
const downPhase = stations.Down

// phaseColour returns the colour of phase p in the chosen palette.
func (g *Game) phaseColour(p stations.Phase) color.RGBA { return g.x.scheme.Phase(p) }

// legendStates returns the legend's states in the chosen palette.
func (g *Game) legendStates() []palette.StateEntry {
	g.x.states = g.x.scheme.States(g.x.states)
	return g.x.states
}

// glyphInk is the colour of the state glyphs: the machine's, a little
// see-through, dark on every state colour.
var glyphInk = palette.Fade(palette.Machine, 0.9)

// serverGlyph draws the glyph of phase p near the top-right corner of a
// server's screen rectangle rs, when the palette wants glyphs and the
// server is big enough to carry one.
func (g *Game) serverGlyph(dst *ebiten.Image, rs scene.Rect, p stations.Phase) {
	if !g.x.scheme.Glyphs || math.Min(rs.W, rs.H) < 16 {
		return
	}
	s := math.Min(math.Min(rs.W, rs.H)*0.3, 16)
	g.drawGlyph(dst, p, scene.XYWH(rs.X+rs.W-s-3, rs.Y+3, s, s))
}

// drawGlyph draws the glyph of phase p in the square r (the legend's
// swatches too, when the palette wants glyphs): working a play sign,
// loading and unloading an arrow, starved an empty ring, blocked a full
// square, down an exclamation mark, maintenance a plus, held a pause
// sign.
func (g *Game) drawGlyph(dst *ebiten.Image, p stations.Phase, r scene.Rect) {
	if !g.x.scheme.Glyphs {
		return
	}
	s := math.Min(r.W, r.H)
	c := r.Center()
	h := s / 2
	sh := g.shapes // in order with the server under it
	switch p {
	case stations.Working:
		sh.Quad(dst, scene.Pt(c.X-h*0.7, c.Y-h*0.85), scene.Pt(c.X+h*0.85, c.Y), scene.Pt(c.X+h*0.85, c.Y), scene.Pt(c.X-h*0.7, c.Y+h*0.85), glyphInk)
	case stations.Loading, stations.Unloading:
		sh.Line(dst, scene.Pt(c.X-h*0.9, c.Y), scene.Pt(c.X+h*0.2, c.Y), s*0.2, glyphInk)
		sh.Quad(dst, scene.Pt(c.X+h*0.1, c.Y-h*0.7), scene.Pt(c.X+h*0.95, c.Y), scene.Pt(c.X+h*0.95, c.Y), scene.Pt(c.X+h*0.1, c.Y+h*0.7), glyphInk)
	case stations.Starved:
		sh.Ring(dst, c, h*0.75, s*0.16, glyphInk)
	case stations.Blocked:
		sh.Rect(dst, scene.XYWH(c.X-h*0.7, c.Y-h*0.7, h*1.4, h*1.4), glyphInk)
	case stations.Down:
		sh.Rect(dst, scene.XYWH(c.X-s*0.1, c.Y-h*0.9, s*0.2, h*1.2), glyphInk)
		sh.Rect(dst, scene.XYWH(c.X-s*0.1, c.Y+h*0.55, s*0.2, s*0.2), glyphInk)
	case stations.Held:
		sh.Rect(dst, scene.XYWH(c.X-h*0.6, c.Y-h*0.75, s*0.2, h*1.5), glyphInk)
		sh.Rect(dst, scene.XYWH(c.X+h*0.6-s*0.2, c.Y-h*0.75, s*0.2, h*1.5), glyphInk)
	case stations.Maintenance:
		sh.Rect(dst, scene.XYWH(c.X-s*0.1, c.Y-h*0.85, s*0.2, h*1.7), glyphInk)
		sh.Rect(dst, scene.XYWH(c.X-h*0.85, c.Y-s*0.1, h*1.7, s*0.2), glyphInk)
	}
}
