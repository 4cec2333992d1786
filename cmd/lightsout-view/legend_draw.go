package main

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
)

// legendMark is a mark on the floor the legend explains beside the state
// colours.
type legendMark int

const (
	markDefective  legendMark = iota // a defective unit
	markBroken                       // the white cross of a server broken by command
	markHeld                         // the HELD tag of a station held by command
	markHalo                         // the pink halo of a station making or catching defects
	markSensor                       // a photo-eye that fired (local line)
	markStale                        // a station whose edge is offline (twin)
	markWarning                      // a deviation the twin host raised (twin)
	markBottleneck                   // the gold frame of the bottleneck (local line)
	numMarks
)

// legendMarkLabels are what the marks mean.
var legendMarkLabels = [numMarks]string{
	markDefective:  "Defective unit",
	markBroken:     "Broken (B)",
	markHeld:       "HELD tag (P)",
	markHalo:       "Defects made here",
	markSensor:     "Sensor fired",
	markStale:      "Stale (offline)",
	markWarning:    "Deviation",
	markBottleneck: "Bottleneck",
}

// legendMarks returns the marks the legend lists now, in dst: those the
// floor can show in this mode with these overlays.
func (g *Game) legendMarks(dst []legendMark) []legendMark {
	dst = append(dst[:0], markDefective, markBroken, markHeld)
	if g.overlays[scene.OverlayDefects] {
		dst = append(dst, markHalo)
	}
	if g.sess.Twin != nil {
		return append(dst, markStale, markWarning) // no sensors, and the twin frames no bottleneck
	}
	dst = append(dst, markSensor)
	if g.overlays[scene.OverlayBottleneck] {
		dst = append(dst, markBottleneck)
	}
	return dst
}

// legendRowH is the height of a line of the legend.
const legendRowH = 16.0

// drawLegend explains the state colours and the marks on the floor, in
// as many columns as the panel's height needs.
func (g *Game) drawLegend(dst *ebiten.Image, r scene.Rect) {
	g.title(r, "Legend")
	states := g.legendStates()
	g.x.marks = g.legendMarks(g.x.marks)
	n := len(states) + len(g.x.marks)
	top := r.Y + 34
	rows := max(int((r.Y+r.H-4-top)/legendRowH+0.5), 1)
	cols := min((n+rows-1)/rows, len(g.x.legendX)-1)
	// Each column as wide as its longest label needs, the room left
	// shared out; labels that still do not fit are cut.
	need := 0.0
	for c := range cols {
		g.x.legendX[c+1] = 0
		for k := c * rows; k < min((c+1)*rows, n); k++ {
			g.x.legendX[c+1] = max(g.x.legendX[c+1], 28+g.fonts.Width(g.legendLabel(states, k), hudSmall, false)+10)
		}
		need += g.x.legendX[c+1]
	}
	spare := max(r.W-24-need, 0) / float64(cols)
	g.x.legendX[0] = r.X + 12
	for c := 1; c <= cols; c++ {
		g.x.legendX[c] = g.x.legendX[c-1] + (g.x.legendX[c]+spare)*math.Min(1, (r.W-24)/need)
	}
	for k := range min(n, rows*cols) {
		x := g.x.legendX[k/rows]
		colW := g.x.legendX[k/rows+1] - x
		y := top + float64(k%rows)*legendRowH
		label := ""
		if k < len(states) {
			g.shapes.RoundRect(dst, scene.XYWH(x, y-6, 16, 12), 2, states[k].Color)
			g.drawGlyph(dst, states[k].Phase, scene.XYWH(x, y-6, 16, 12))
			label = states[k].Label
		} else {
			mk := g.x.marks[k-len(states)]
			g.drawLegendMark(dst, mk, scene.XYWH(x, y-6, 16, 12))
			label = legendMarkLabels[mk]
		}
		g.textAt(g.fonts.Fit(label, hudSmall, false, colW-28), scene.Pt(x+24, y), hudSmall, false, palette.Text, Start)
	}
}

// legendLabel returns the label of the legend's line k.
func (g *Game) legendLabel(states []palette.StateEntry, k int) string {
	if k < len(states) {
		return states[k].Label
	}
	return legendMarkLabels[g.x.marks[k-len(states)]]
}

// drawLegendMark paints the sample of mark mk in the swatch r.
func (g *Game) drawLegendMark(dst *ebiten.Image, mk legendMark, r scene.Rect) {
	sh := g.shapes
	c := r.Center()
	switch mk {
	case markDefective:
		sh.Rect(dst, scene.XYWH(c.X-5, c.Y-5, 10, 10), palette.Defect)
	case markBroken:
		sh.Rect(dst, r, g.phaseColour(downPhase))
		d := math.Min(r.W, r.H) * 0.3
		sh.Line(dst, scene.Pt(c.X-d, c.Y-d), scene.Pt(c.X+d, c.Y+d), 2, palette.Text)
		sh.Line(dst, scene.Pt(c.X-d, c.Y+d), scene.Pt(c.X+d, c.Y-d), 2, palette.Text)
	case markHeld:
		p := scene.XYWH(r.X-1, r.Y, r.W+2, r.H)
		sh.RoundRect(dst, p, p.H/2, palette.Text)
		bw, bh := p.H*0.16, p.H*0.55
		y := p.Y + (p.H-bh)/2
		sh.Rect(dst, scene.XYWH(c.X-bw*1.6, y, bw, bh), palette.Machine)
		sh.Rect(dst, scene.XYWH(c.X+bw*0.6, y, bw, bh), palette.Machine)
	case markHalo:
		for k, d := range [3]float64{-3, -2, -1} {
			sh.RoundRect(dst, r.Inset(d+2), -d+2, palette.Fade(palette.Defect, 0.3*float64(k+1)/3))
		}
		sh.RoundRect(dst, r.Inset(2), 2, palette.Machine)
	case markSensor:
		sh.Line(dst, scene.Pt(c.X, r.Y-1), scene.Pt(c.X, r.Y+r.H+1), 2, palette.EyeFired)
	case markStale:
		sh.RoundRect(dst, r, 2, colStale)
	case markWarning:
		h := r.H * 0.6
		sh.Quad(dst, scene.Pt(c.X, c.Y-h), scene.Pt(c.X+h*1.1, c.Y+h*0.8), scene.Pt(c.X+h*1.1, c.Y+h*0.8), scene.Pt(c.X-h*1.1, c.Y+h*0.8), colWarn)
	case markBottleneck:
		sh.Frame(dst, r, 2.5, palette.Bottleneck)
	}
}
