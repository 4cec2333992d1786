package main

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/twinmode"
	"github.com/lightsout-sim/lightsout/stations"
)

// The colours of twin mode: stale devices are grey, deviations amber.
var (
	colStale     = palette.RGB(0x80, 0x80, 0x80)
	colStaleTint = palette.RGBA(0x0f, 0x12, 0x16, 0xa0)
	colWarn      = palette.RGB(0xff, 0xa6, 0x1a)
	colTwin      = palette.RGB(0x2d, 0xb8, 0xc5)
)

// twinStation returns what twin mode knows of station slot i, or nil for
// a local line.
func (g *Game) twinStation(i int) *twinmode.Mark {
	if g.sess.Twin == nil {
		return nil
	}
	return g.sess.Twin.Status.Station(i)
}

// twinArm returns what twin mode knows of arm slot j, or nil.
func (g *Game) twinArm(j int) *twinmode.Mark {
	if g.sess.Twin == nil {
		return nil
	}
	return g.sess.Twin.Status.Arm(j)
}

// serverColor returns the colour of a server of station slot i in phase p:
// the state's colour, or grey when the station is stale.
func (g *Game) serverColor(i int, p stations.Phase) color.RGBA {
	if mk := g.twinStation(i); mk != nil && mk.Stale {
		return colStale
	}
	return g.phaseColour(p)
}

// stalePill returns the screen rectangle of the "STALE" sign on station
// slot i's machine.
func (g *Game) stalePill(i int) scene.Rect {
	c := g.ws(g.floor.Stations[i].Box.Center())
	z := g.cam.Zoom
	return scene.XYWH(c.X-23*z, c.Y-8*z, 46*z, 16*z)
}

// warnSpot returns the centre of the deviation marker of station slot i:
// on the top right corner of its machine.
func (g *Game) warnSpot(i int) scene.Point {
	b := g.floor.Stations[i].Box
	return g.ws(scene.Pt(b.X+b.W-2, b.Y+2))
}

// drawTwinMarks paints over station slot i what twin mode knows beyond
// the snapshot: the sign of a stale station and the marker of a recent
// deviation (their text comes with the floor's text).
func (g *Game) drawTwinMarks(dst *ebiten.Image, i int) {
	mk := g.twinStation(i)
	if mk == nil {
		return
	}
	sh := g.shapes
	z := g.cam.Zoom
	if mk.Stale {
		sb := &g.floor.Stations[i]
		sh.Rect(dst, g.wr(sb.Tray), colStaleTint)
		p := g.stalePill(i)
		sh.RoundRect(dst, p.Inset(-1), 5*z, colStale)
		sh.RoundRect(dst, p, 4*z, palette.Machine)
	}
	if mk.Deviation != "" {
		c := g.warnSpot(i)
		r := 10 * z
		sh.Quad(dst, scene.Pt(c.X, c.Y-r*1.1), scene.Pt(c.X+r, c.Y+r*0.7), scene.Pt(c.X+r, c.Y+r*0.7), scene.Pt(c.X-r, c.Y+r*0.7), palette.Machine)
		r *= 0.8
		sh.Quad(dst, scene.Pt(c.X, c.Y-r*1.1), scene.Pt(c.X+r, c.Y+r*0.7), scene.Pt(c.X+r, c.Y+r*0.7), scene.Pt(c.X-r, c.Y+r*0.7), colWarn)
	}
}

// drawTwinFloorText writes the text of the twin marks: STALE, and the
// marks of the deviations.
func (g *Game) drawTwinFloorText(dst *ebiten.Image) {
	if g.sess.Twin == nil {
		return
	}
	f := g.fonts
	z := g.cam.Zoom
	size := scene.FloorTextSize(scene.InfoSize, z)
	for i := range g.floor.Stations {
		mk := g.twinStation(i)
		if mk == nil || !g.visible(g.floor.Stations[i].Slot) {
			continue
		}
		if mk.Stale {
			f.DrawIn(dst, "STALE", g.stalePill(i), size*0.9, true, palette.Text, Middle)
		}
		if mk.Deviation != "" && size >= scene.MinTextSize {
			c := g.warnSpot(i)
			f.Draw(dst, "!", c.X, c.Y+2*z, size*0.85, true, palette.Machine, Middle, Middle)
		}
	}
}

// drawTwinBanner writes, over the floor, what the twin waits for, which
// edge nodes are stale, and the latest deviation.
func (g *Game) drawTwinBanner(dst *ebiten.Image) {
	if g.sess.Twin == nil {
		return
	}
	st := &g.sess.Twin.Status
	f := g.fonts
	v := g.hudView()
	if st.Waiting() {
		msg := st.WaitingFor()
		w := f.Width(msg, hudBig, true) + 48
		r := scene.XYWH(v.X+(v.W-w)/2, v.Y+v.H/2-30, w, 60)
		g.shapes.RoundRect(dst, r.Inset(-2), 10, colTwin)
		g.shapes.RoundRect(dst, r, 9, palette.Panel)
		g.shapes.Flush(dst)
		f.Draw(dst, msg, r.X+r.W/2, r.Y+r.H/2, hudBig, true, palette.Text, Middle, Middle)
		return
	}
	notes := st.Notes()
	if len(notes) == 0 {
		return
	}
	maxW := v.W * 0.7
	w := 0.0
	for _, n := range notes {
		w = max(w, f.Width(n.Text, hudText, false))
	}
	w = min(w+24, maxW)
	h := float64(len(notes))*18 + 10
	r := scene.XYWH(v.X+10, v.Y+v.H-h-10, w, h)
	g.panel(dst, r)
	g.shapes.Flush(dst)
	for k, n := range notes {
		f.DrawIn(dst, n.Text, scene.XYWH(r.X+12, r.Y+5+float64(k)*18, r.W-24, 18), hudText, false, noteColour(n.Kind), Start)
	}
}

// noteColour returns the colour of a line of the twin's banner.
func noteColour(k twinmode.NoteKind) color.RGBA {
	switch k {
	case twinmode.NoteStale:
		return colStale
	case twinmode.NoteDeviation:
		return colWarn
	default:
		return palette.TextDim
	}
}

// drawTwinBadge writes "TWIN <broker>" in the top bar at x and returns
// where it ended.
func (g *Game) drawTwinBadge(dst *ebiten.Image, x, y float64) float64 {
	f := g.fonts
	tw := f.Width("TWIN", hudText, true) + 12
	g.shapes.RoundRect(dst, scene.XYWH(x, y-10, tw, 20), 4, colTwin)
	g.shapes.Flush(dst)
	f.Draw(dst, "TWIN", x+tw/2, y, hudText, true, palette.Machine, Middle, Middle)
	x += tw + 8
	b := g.sess.Twin.Status.Broker
	f.Draw(dst, b, x, y+1, hudSmall, false, palette.TextDim, Start, Middle)
	return x + f.Width(b, hudSmall, false)
}
