package main

import (
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
)

// extraKeys are the keys of the state timeline, the palette and
// fullscreen, for the help.
var extraKeys = [...][2]string{
	{"S", "state timeline: phases, WIP, a buffer"},
	{"E", "timeline span: 10 min to 8 h (Shift: back)"},
	{"Y", "colour-blind palette and state glyphs"},
	{"F11", "fullscreen, on / off"},
}

// extraIntents are the keys of extraKeys pressed this tick.
type extraIntents struct {
	timeline, span, spanBack, palette, fullscreen bool
}

// readExtras reads the keys of extraKeys.
func readExtras() extraIntents {
	just := inpututil.IsKeyJustPressed
	shift := ebiten.IsKeyPressed(ebiten.KeyShift)
	return extraIntents{
		timeline:   just(ebiten.KeyS),
		span:       just(ebiten.KeyE) && !shift,
		spanBack:   just(ebiten.KeyE) && shift,
		palette:    just(ebiten.KeyY),
		fullscreen: just(ebiten.KeyF11),
	}
}

// handleExtras applies this tick's keys of extraKeys.
func (g *Game) handleExtras() { g.applyExtras(readExtras()) }

// applyExtras applies the intents of extraKeys.
func (g *Game) applyExtras(it extraIntents) {
	shown := g.x.showTimeline
	if it.timeline {
		g.x.showTimeline = !g.x.showTimeline
	}
	if it.span || it.spanBack {
		n := len(scene.TimelineSpans)
		d := 1
		if it.spanBack {
			d = n - 1
		}
		g.x.span = (g.x.span + d) % n
		g.x.showTimeline = true
		g.say("timeline: last "+scene.Duration(g.timelineSpan()), false)
	}
	if g.x.showTimeline != shown {
		g.resize(g.w, g.h) // the floor makes room for it, or takes it back
	}
	if it.palette {
		name := palette.SchemeColorBlind
		if g.x.scheme.Name == palette.SchemeColorBlind {
			name = palette.SchemeStandard
		}
		g.x.scheme, _ = palette.NewScheme(name)
		g.say("palette: "+name, false)
	}
	if it.fullscreen {
		ebiten.SetFullscreen(!ebiten.IsFullscreen())
	}
}
