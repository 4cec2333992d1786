package main

import (
	"image/color"
	"strconv"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
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
func (g *Game) twinStation(i int) *TwinMark {
	if g.sess.Twin == nil {
		return nil
	}
	st := &g.sess.Twin.Status
	if i >= len(st.Stations) {
		return nil
	}
	return &st.Stations[i]
}

// twinArm returns what twin mode knows of arm slot j, or nil.
func (g *Game) twinArm(j int) *TwinMark {
	if g.sess.Twin == nil {
		return nil
	}
	st := &g.sess.Twin.Status
	if j >= len(st.Arms) {
		return nil
	}
	return &st.Arms[j]
}

// serverColor returns the colour of a server of station slot i in phase p:
// the state's colour, or grey when the station is stale.
func (g *Game) serverColor(i int, p stations.Phase) color.RGBA {
	if mk := g.twinStation(i); mk != nil && mk.Stale {
		return colStale
	}
	return palette.Phase(p)
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
	if st.Waiting() {
		msg := st.WaitingFor()
		w := f.Width(msg, hudBig, true) + 48
		r := scene.XYWH(g.view.X+(g.view.W-w)/2, g.view.Y+g.view.H/2-30, w, 60)
		g.shapes.RoundRect(dst, r.Inset(-2), 10, colTwin)
		g.shapes.RoundRect(dst, r, 9, palette.Panel)
		g.shapes.Flush(dst)
		f.Draw(dst, msg, r.X+r.W/2, r.Y+r.H/2, hudBig, true, palette.Text, Middle, Middle)
		return
	}
	var lines []pendingText
	for _, n := range st.Nodes {
		switch {
		case !n.Known:
			lines = append(lines, pendingText{s: "no data yet from " + st.Group + "/" + n.ID, c: palette.TextDim})
		case n.Stale:
			lines = append(lines, pendingText{s: "STALE: " + st.Group + "/" + n.ID + " is offline; last known values shown in grey", c: colStale})
		}
	}
	if st.HasLatest {
		e := st.Latest
		s := "DEVIATION " + e.Device + " " + e.Kind.String() + ": " + e.Reason
		if st.Recent > 1 {
			s += "  (" + strconv.Itoa(st.Recent) + " recent deviations)"
		}
		lines = append(lines, pendingText{s: s, c: colWarn})
	}
	if len(lines) == 0 {
		return
	}
	maxW := g.view.W * 0.7
	w := 0.0
	for _, l := range lines {
		w = max(w, f.Width(l.s, hudText, false))
	}
	w = min(w+24, maxW)
	h := float64(len(lines))*18 + 10
	r := scene.XYWH(g.view.X+10, g.view.Y+g.view.H-h-10, w, h)
	g.panel(dst, r)
	g.shapes.Flush(dst)
	for k, l := range lines {
		f.DrawIn(dst, l.s, scene.XYWH(r.X+12, r.Y+5+float64(k)*18, r.W-24, 18), hudText, false, l.c, Start)
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

// twinStationRows ends the detail rows of a mirrored station: its counts
// as the edge publishes them, then the twin's own rows.
func (g *Game) twinStationRows(rows []detailRow, ss *twin.StationState, mk *TwinMark, spec *stations.Spec) []detailRow {
	c := ss.Counts
	rows = append(rows,
		detailRow{"Processed", scene.Thousands(c.Processed) + "   failures " + scene.Thousands(c.Failures)},
		detailRow{"Defects", scene.Thousands(c.Defects+c.Caught) + " made or caught, " + scene.Thousands(c.Scrapped) + " scrapped"},
		detailRow{"Ideal cycle", scene.Tidy(ss.IdealCycle.String()) + scene.CycleText(spec)},
		detailRow{"MTBF / MTTR", scene.FailureText(spec)},
	)
	return g.twinRows(rows, ss.Line, ss.ID, mk, "B break  ·  F repair  ·  [ ] buffer (sent to the edge)  ·  Esc close", scene.StationKeys)
}

// twinRows appends what the twin knows of a device: where it is mirrored
// from, whether its data is fresh, its latest deviation; then the lines
// of keys.
func (g *Game) twinRows(rows []detailRow, line int, id string, mk *TwinMark, keys ...string) []detailRow {
	st := &g.sess.Twin.Status
	node := ""
	if line < len(st.Nodes) {
		node = st.Nodes[line].ID
	}
	data := "live"
	switch {
	case !mk.Known:
		data = "no birth mirrored yet"
	case mk.Stale:
		data = "STALE: device or node offline, last known values"
	}
	dev := "none recent"
	if mk.Deviation != "" {
		dev = mk.Kind.String() + ": " + mk.Deviation
	}
	rows = append(rows,
		detailRow{"", "TWIN (mirrored over MQTT)"},
		detailRow{"Device", st.Group + "/" + node + "/" + id},
		detailRow{"Data", data},
		detailRow{"Deviation", dev},
		detailRow{"Not published", "utilization, time in states, OEE, sensors"},
	)
	for _, k := range keys {
		rows = append(rows, detailRow{"", k})
	}
	return rows
}
