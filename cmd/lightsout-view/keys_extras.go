package main

import (
	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
)

// extraIntents are the keys of the state timeline, the palette and
// fullscreen pressed this tick.
type extraIntents struct {
	timeline, span, spanBack, palette, fullscreen bool
}

// readExtras reads the keys of the state timeline, the palette and
// fullscreen.
func readExtras(ks keyState) extraIntents {
	shift := ks.shift()
	span := ks.just(keySpan)
	return extraIntents{
		timeline:   ks.just(keyTimeline),
		span:       span && !shift,
		spanBack:   span && shift,
		palette:    ks.just(keyPalette),
		fullscreen: ks.just(keyFullscreen),
	}
}

// handleExtras applies this tick's keys of the timeline, the palette and
// fullscreen.
func (g *Game) handleExtras() { g.applyExtras(readExtras(liveKeys())) }

// applyExtras applies extraIntents.
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
