package main

import (
	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
)

// helpKeys are the key bindings the help lists, in its two columns.
var helpKeys = [2][][2]string{{
	{"Space", "pause / resume"},
	{"+  -", "faster / slower (1x to 10,000x, then max)"},
	{"M", "max: as fast as the frame budget allows"},
	{"1", "real time (1x)"},
	{".", "step 1 s while paused (Shift: 1 min)"},
	{"R", "reset the line (same config and seed)"},
	{"click", "select a station, a server or an arm"},
	{"B  F", "break / repair (fix) the selection"},
	{"[  ]", "shrink / grow its input buffer (Shift: 5)"},
	{"P", "hold / unhold the station (starts no new unit)"},
	{"C", "reset the station: repair all, unhold"},
	{"Z  X", "station slower / faster (x0.8 / x1.25 steps)"},
	{"A", "hold / release the autopilot (--autopilot)"},
}, {
	{"wheel", "zoom about the cursor"},
	{"drag", "pan (or the arrow keys)"},
	{"0  Home", "fit the whole floor"},
	{"T", "throughput chart"},
	{"D", "defects: counts, heat, yield"},
	{"O", "OEE = A x P x Q"},
	{"W", "work in progress"},
	{"K", "simulated clock"},
	{"V", "speed, requested and real"},
	{"N", "bottleneck highlight"},
	{"L", "legend"},
	{"G", "autopilot decisions: markers and list"},
	{"Esc", "close help, or deselect"},
	{"Q", "quit"},
}}

// drawHelp paints the key help over the middle of the window.
func (g *Game) drawHelp(dst *ebiten.Image) {
	const colW, rowH = 390.0, 21.0
	rows := max(len(helpKeys[0])+len(extraKeys), len(helpKeys[1]))
	w, h := colW*2+40, float64(rows)*rowH+96
	r := scene.XYWH((g.hw()-w)/2, (g.hh()-h)/2, w, h)
	g.shapes.Rect(dst, scene.XYWH(0, 0, g.hw(), g.hh()), palette.Fade(palette.Screen, 0.55))
	g.panel(dst, r)
	g.textAt("Keys", scene.Pt(r.X+22, r.Y+26), hudBig, true, palette.Text, Start)
	g.textAt("Commands go through the line's event queue and its log: a session replays headless.",
		scene.Pt(r.X+22, r.Y+50), hudSmall, false, palette.TextDim, Start)
	for c, col := range helpKeys {
		x := r.X + 22 + float64(c)*(colW+4)
		for k, e := range col {
			y := r.Y + 82 + float64(k)*rowH
			g.textAt(e[0], scene.Pt(x, y), hudText, true, palette.Bottleneck, Start)
			g.textAt(e[1], scene.Pt(x+78, y), hudText, false, palette.Text, Start)
		}
	}
	for k, e := range extraKeys { // under the first column
		y := r.Y + 82 + float64(len(helpKeys[0])+k)*rowH
		g.textAt(e[0], scene.Pt(r.X+22, y), hudText, true, palette.Bottleneck, Start)
		g.textAt(e[1], scene.Pt(r.X+22+78, y), hudText, false, palette.Text, Start)
	}
	g.shapes.Flush(dst)
	g.flushText(dst)
}
