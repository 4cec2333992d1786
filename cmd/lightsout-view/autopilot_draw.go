package main

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
)

// pilotView is what the game keeps of the autopilot between frames: the
// decisions seen, the markers and the status drawn.
type pilotView struct {
	src    scene.PilotSource // nil: no autopilot to show
	feed   scene.Feed
	buf    []autopilot.Decision
	marks  []scene.Marker
	status scene.PilotStatus
}

// readPilot takes the autopilot's new decisions and its status from the
// session's source (after a reset, a new pilot's from the start).
func (g *Game) readPilot() {
	src := g.sess.PilotSource()
	if src != g.pilot.src {
		g.pilot.feed.Reset()
		g.pilot.src = src
	}
	if src == nil {
		return
	}
	g.pilot.buf = src.Since(g.pilot.feed.Last(), g.pilot.buf[:0])
	g.pilot.feed.Add(g.pilot.buf)
	g.pilot.status = src.Status()
}

// outcomeColour is the colour of a decision by what became of it.
func outcomeColour(o scene.Outcome) color.RGBA {
	switch o {
	case scene.Applied:
		return palette.Applied
	case scene.Recommended:
		return palette.Recommended
	case scene.OperatorAct:
		return palette.Operator
	default:
		return palette.Refused
	}
}

// markerPill returns the screen rectangle of marker m's pill: over the
// top of its machine (or beside its arm), as wide as its text.
func (g *Game) markerPill(m *scene.Marker, size float64) scene.Rect {
	p := g.ws(m.At)
	w := g.fonts.Width(m.Text, size, true) + 12
	h := size + 8
	return scene.XYWH(p.X-w/2, p.Y-h-4*g.cam.Zoom, w, h)
}

// drawMarkers paints the markers of the autopilot's recent decisions where
// they act: a pill with the action and a short reason over the target,
// in the colour of the outcome, fading as the decision ages.
func (g *Game) drawMarkers(dst *ebiten.Image) {
	if g.pilot.src == nil || !g.overlays[scene.OverlayAutopilot] {
		return
	}
	fade := scene.MarkerFade(g.pacer.Real())
	if g.pacer.Exact && !g.pacer.Speed.IsMax() {
		fade = scene.MarkerFade(float64(g.pacer.Speed))
	}
	g.pilot.marks = scene.Markers(g.floor, g.pilot.feed.Decisions(), g.sess.Snap.Now, fade, g.pilot.marks)
	size := max(scene.FloorTextSize(scene.InfoSize, g.cam.Zoom), 10.5)
	sh := g.smooth
	for k := range g.pilot.marks {
		m := &g.pilot.marks[k]
		a := 0.25 + 0.75*m.Alpha
		r := g.markerPill(m, size)
		c := outcomeColour(m.Outcome)
		sh.RoundRect(dst, r.Inset(-1.5), 6, palette.Fade(c, a))
		sh.RoundRect(dst, r, 5, palette.Fade(palette.Machine, 0.95))
		tip := g.ws(m.At)
		sh.Quad(dst, scene.Pt(tip.X-5, r.Y+r.H), scene.Pt(tip.X+5, r.Y+r.H), tip, tip, palette.Fade(c, a))
	}
	sh.Flush(dst)
	for k := range g.pilot.marks {
		m := &g.pilot.marks[k]
		a := 0.45 + 0.55*m.Alpha
		g.fonts.DrawIn(dst, m.Text, g.markerPill(m, size), size, true, palette.Fade(outcomeColour(m.Outcome), a), Middle)
	}
}

// pilotRows is how many decisions the autopilot panel lists.
const pilotRows = 8

// drawPilotPanel paints the autopilot panel in the top right of the
// floor: the policy and its counts, then the latest decisions, newest
// first, coloured by outcome (applied, recommended, not applied).
func (g *Game) drawPilotPanel(dst *ebiten.Image) {
	if g.pilot.src == nil || !g.overlays[scene.OverlayAutopilot] {
		return
	}
	ds := g.pilot.feed.Decisions()
	n := min(len(ds), pilotRows)
	const w, rowH = 450.0, 17.0
	h := 50 + float64(max(n, 1))*rowH
	v := g.hudView()
	r := scene.XYWH(v.X+v.W-w-10, v.Y+10, w, h)
	g.panel(dst, r)
	st := g.pilot.status
	col := palette.Text
	if st.Held {
		col = palette.Operator
	}
	g.textAt("Autopilot", scene.Pt(r.X+12, r.Y+16), hudText, true, palette.Text, Start)
	g.textAt(g.fonts.Fit(scene.PilotHeadline(st), hudSmall, st.Held, w-110), scene.Pt(r.X+92, r.Y+17), hudSmall, st.Held, col, Start)
	f := g.fonts
	x := r.X + 12
	for _, k := range [...]struct {
		s string
		c color.RGBA
	}{{"A hold / release  ·  G hide  ·  ", palette.TextFade}, {"applied", palette.Applied}, {"  recommended", palette.Recommended},
		{"  not applied", palette.Refused}} {
		g.textAt(k.s, scene.Pt(x, r.Y+34), hudSmall, false, k.c, Start)
		x += f.Width(k.s, hudSmall, false)
	}
	g.shapes.Flush(dst)
	g.flushText(dst)
	y := r.Y + 50
	if n == 0 {
		f.Draw(dst, "no decision yet", r.X+12, y, hudSmall, false, palette.TextDim, Start, Middle)
	}
	lines := g.sess.Snap.Lines
	for k := range n {
		l := scene.FormatDecision(&ds[len(ds)-1-k], lines)
		c := outcomeColour(l.Outcome)
		x := r.X + 12
		f.Draw(dst, l.Clock, x, y, hudSmall, false, palette.TextDim, Start, Middle)
		x += f.Width("d00 00:00", hudSmall, false) + 10
		act := f.Fit(l.Action, hudSmall, true, 200)
		f.Draw(dst, act, x, y, hudSmall, true, c, Start, Middle)
		x += f.Width(act, hudSmall, true) + 8
		rest := l.Reason
		if l.Note != "" {
			rest = "[" + l.Note + "] " + rest
		}
		f.Draw(dst, f.Fit(rest, hudSmall, false, r.X+r.W-12-x), x, y, hudSmall, false, palette.TextDim, Start, Middle)
		y += rowH
	}
}
