package main

import (
	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
)

// extras is what the game keeps for the state timeline, recordings, the
// UI scale and the palette, apart from the rest of Game.
type extras struct {
	scheme *palette.Scheme      // the state colours (--palette, Y)
	states []palette.StateEntry // scratch: the legend's states
	marks  []legendMark         // scratch: the legend's marks
	// legendX: scratch, where the legend's columns start (and the last ends)
	legendX [5]float64

	timeline     scene.Timeline // the state timeline's history
	showTimeline bool           // S
	span         int            // the timeline's span, in scene.TimelineSpans (E)
	tlH          float64        // the room it takes under the floor view (pixels)
	// the timeline's words, made once (timelineLabels)
	tlTitle, tlAgo    [len(scene.TimelineSpans)]string
	tlNames, tlBuffer []string
	tlAxis            [2]int
	tlAxisS           [2]string

	gif *gifRecorder // --gif, when recording

	help *helpLayout // the key help's words and columns, made once (helpText)

	detailRect scene.Rect // where the detail panel was last drawn
	worstRows  int        // the rows the defect table had room for

	// ui is the UI scale of the top bar, panels and their text (see
	// scene.UIScale); uiForced, when positive, is the --ui-scale that
	// overrides the automatic one.
	ui, uiForced float64
}

// newExtras returns the extras of a new game: the standard palette.
func newExtras() extras {
	std, _ := palette.NewScheme(palette.SchemeStandard)
	return extras{scheme: std}
}

// uiScale returns the UI scale for a w x h window: the forced one, else
// the automatic one.
func (x *extras) uiScale(w, h int) float64 {
	if x.uiForced > 0 {
		return x.uiForced
	}
	return scene.UIScale(w, h)
}

// hw and hh are the window's size in the HUD's units (pixels / UI scale).
func (g *Game) hw() float64 { return float64(g.w) / g.ui() }
func (g *Game) hh() float64 { return float64(g.h) / g.ui() }

// ui returns the UI scale, 1 before the first layout.
func (g *Game) ui() float64 {
	if g.x.ui <= 0 {
		return 1
	}
	return g.x.ui
}

// hudView is the floor's part of the screen in the HUD's units.
func (g *Game) hudView() scene.Rect {
	k := g.ui()
	v := g.view
	return scene.XYWH(v.X/k, v.Y/k, v.W/k, v.H/k)
}

// hudScale makes the shapes and text that follow drawn at the UI scale
// (on) or at one pixel per unit (off), flushing what was drawn before.
func (g *Game) hudScale(dst *ebiten.Image, on bool) {
	k := 1.0
	if on {
		k = g.ui()
	}
	g.shapes.SetScale(dst, k)
	g.smooth.SetScale(dst, k)
	g.flushText(dst)
	g.fonts.SetScale(k)
}

// recordFrame gives the frame just drawn to the GIF recorder, if any.
func (x *extras) recordFrame(screen *ebiten.Image, ticks int) {
	if x.gif != nil {
		x.gif.Drawn(screen, ticks)
	}
}

// floorView sets the UI scale for a w x h window and returns the floor's
// part of it: below the top bar, above the dashboard and the state
// timeline, those that are shown.
func (g *Game) floorView(w, h int) scene.Rect {
	g.x.ui = g.x.uiScale(w, h)
	v := scene.FloorViewAt(w, h, g.overlays.Dashboard(), g.x.ui)
	g.x.tlH = 0
	if g.x.showTimeline {
		g.x.tlH = g.timelineH(v.H)
		v.H -= g.x.tlH
	}
	return v
}
