package main

import (
	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
)

// The key help's rows and margins, at UI scale 1.
const (
	helpRowH   = 21.0
	helpPad    = 18.0 // left and right of the panel
	helpGap    = 22.0 // between the columns
	helpKeyGap = 14.0 // between a row's keys and what they do
	helpTop    = 82.0 // from the panel's top to the first row
	helpBottom = 14.0 // under the last row
)

// helpLayout is the key help's words and column widths, from windowKeys.
type helpLayout struct {
	labels [2][]string // each row's keys
	keyW   [2]float64  // the widest keys of each column
	colW   [2]float64  // each column's width: keys, gap, what they do
	rows   int         // the rows of the longer column
	ui     float64     // the UI scale it was measured at
}

// helpText returns the help's layout, made on first use and again when
// the UI scale changes (text does not grow exactly with it).
func (g *Game) helpText() *helpLayout {
	if h := g.x.help; h != nil && h.ui == g.ui() {
		return h
	}
	h := &helpLayout{ui: g.ui()}
	defer g.fonts.SetScale(g.fonts.scale)
	g.fonts.SetScale(h.ui) // as the help is drawn
	for c, col := range windowKeys {
		var doesW float64
		for _, r := range col {
			l := r.Label()
			h.labels[c] = append(h.labels[c], l)
			h.keyW[c] = max(h.keyW[c], g.fonts.Width(l, hudText, true))
			doesW = max(doesW, g.fonts.Width(r.Does, hudText, false))
		}
		h.colW[c] = h.keyW[c] + helpKeyGap + doesW
		h.rows = max(h.rows, len(col))
	}
	g.x.help = h
	return h
}

// helpRect returns where the key help is drawn: in the middle of the
// window.
func (g *Game) helpRect() scene.Rect {
	h := g.helpText()
	w := helpPad*2 + h.colW[0] + helpGap + h.colW[1]
	ht := helpTop + float64(h.rows-1)*helpRowH + helpRowH/2 + helpBottom
	return scene.XYWH((g.hw()-w)/2, (g.hh()-ht)/2, w, ht)
}

// drawHelp paints the key help over the middle of the window.
func (g *Game) drawHelp(dst *ebiten.Image) {
	h := g.helpText()
	r := g.helpRect()
	g.shapes.Rect(dst, scene.XYWH(0, 0, g.hw(), g.hh()), palette.Fade(palette.Screen, 0.55))
	g.panel(dst, r)
	g.textAt("Keys", scene.Pt(r.X+helpPad, r.Y+26), hudBig, true, palette.Text, Start)
	g.textAt("Commands go through the line's event queue and its log: a session replays headless.",
		scene.Pt(r.X+helpPad, r.Y+50), hudSmall, false, palette.TextDim, Start)
	x := r.X + helpPad
	for c, col := range windowKeys {
		for k, e := range col {
			y := r.Y + helpTop + float64(k)*helpRowH
			g.textAt(h.labels[c][k], scene.Pt(x, y), hudText, true, palette.Bottleneck, Start)
			g.textAt(e.Does, scene.Pt(x+h.keyW[c]+helpKeyGap, y), hudText, false, palette.Text, Start)
		}
		x += h.colW[c] + helpGap
	}
	g.shapes.Flush(dst)
	g.flushText(dst)
}
