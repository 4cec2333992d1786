package main

import (
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/twinmode"
	"github.com/lightsout-sim/lightsout/stations"
)

// drawDashboard paints the panels along the bottom that are switched on.
func (g *Game) drawDashboard(dst *ebiten.Image) {
	p := scene.DashPanels(int(g.hw()), int(g.hh()))
	g.shapes.Rect(dst, scene.XYWH(0, g.hh()-scene.DashboardH, g.hw(), scene.DashboardH+1), palette.Screen)
	show := [4]bool{g.overlays[scene.OverlayChart], g.overlays[scene.OverlayOEE], g.overlays[scene.OverlayDefects], g.overlays[scene.OverlayLegend]}
	for k, r := range p {
		if show[k] {
			g.panel(dst, r)
		}
	}
	if show[0] {
		g.drawChart(dst, p[0])
	}
	if show[1] {
		g.drawOEE(dst, p[1])
	}
	if show[2] {
		g.drawDefects(dst, p[2])
	}
	if show[3] {
		g.drawLegend(dst, p[3])
	}
	g.shapes.Flush(dst)
	g.smooth.Flush(dst)
	g.flushText(dst)
}

// oeeAside is the note beside the OEE panel's title: the bottleneck the
// top bar names (the average over the window), or with none known (twin
// mode) the designed constraint OEE is measured on.
func (g *Game) oeeAside() aside {
	ls := &g.sess.Snap.Line
	switch {
	case ls.Bottleneck < len(g.sess.Spec.Stations):
		return aside{"bottleneck " + g.sess.Spec.Stations[ls.Bottleneck].ID, false, palette.Bottleneck}
	case ls.Constraint < len(g.sess.Spec.Stations):
		return aside{"on " + g.sess.Spec.Stations[ls.Constraint].ID, false, palette.TextFade}
	}
	return aside{"", false, palette.TextFade}
}

// drawOEE paints line OEE and its three factors as bars.
func (g *Game) drawOEE(dst *ebiten.Image, r scene.Rect) {
	ls := &g.sess.Snap.Line
	g.titled(r, "Line OEE", g.oeeAside())
	if g.sess.Twin != nil && !g.sess.Twin.Status.OEEKnown {
		g.textAt("—", scene.Pt(r.X+12, r.Y+48), 30, true, palette.TextDim, Start)
		g.textAt(g.fonts.Fit("not measured by the twin yet", hudSmall, false, r.W-24), scene.Pt(r.X+12, r.Y+84), hudSmall, false, palette.TextDim, Start)
		return
	}
	g.textAt(scene.Percent(ls.OEE), scene.Pt(r.X+12, r.Y+48), 30, true, palette.Text, Start)
	formula, x := "= A × P × Q", r.X+16+g.fonts.Width(scene.Percent(ls.OEE), 30, true)
	if x+g.fonts.Width(formula, hudSmall, false) <= r.X+r.W-8 {
		g.textAt(formula, scene.Pt(x, r.Y+52), hudSmall, false, palette.TextDim, Start)
	}
	rows := []struct {
		name string
		v    float64
		c    color.RGBA
	}{
		{"Availability", ls.Availability, palette.Phase(stations.Working)},
		{"Performance", ls.Performance, palette.Phase(stations.Loading)},
		{"Quality", ls.Quality, palette.Defect},
	}
	y := r.Y + 84
	for _, row := range rows {
		g.textAt(row.name, scene.Pt(r.X+12, y), hudSmall, false, palette.TextDim, Start)
		g.textAt(scene.Percent(row.v), scene.Pt(r.X+r.W-12, y), hudSmall, true, palette.Text, End)
		bar := scene.XYWH(r.X+12, y+10, r.W-24, 6)
		g.shapes.Rect(dst, bar, palette.Grid)
		bar.W *= min(max(row.v, 0), 1)
		g.shapes.Rect(dst, bar, row.c)
		y += 32
	}
}

// worstHeading heads the defect table's column of stations: the stations
// that made or caught the most defects, summed over copies.
const worstHeading = "most defects at"

// drawDefects paints the defect figures: yields, escapes, scrap and
// rework, and the stations making and catching the most defects.
func (g *Game) drawDefects(dst *ebiten.Image, r scene.Rect) {
	ls := &g.sess.Snap.Line
	g.titled(r, "Defects & yield", aside{"▲ made  ● caught  × scrap", false, palette.TextFade})
	kv := [][2]string{
		{"First-pass yield", scene.Percent(ls.FirstPassYield)},
		{"Yield", scene.Percent(ls.Yield)},
		{"Escaped (shipped bad)", scene.Thousands(ls.Escaped)},
		{"Scrapped", scene.Thousands(ls.Scrapped)},
		{"Reworked", scene.Thousands(ls.Reworked)},
	}
	if g.sess.Twin != nil { // what the edge nodes publish
		yield := "—"
		if twinmode.GoodKnown(&g.sess.Snap) && ls.Shipped+ls.Scrapped > 0 {
			yield = scene.Percent(float64(ls.Good) / float64(ls.Shipped+ls.Scrapped))
		}
		kv = [][2]string{{"First-pass yield", "—"}, {"Yield", yield}, {"Escaped (shipped bad)", "—"},
			{"Scrapped", scene.Thousands(ls.Scrapped)}, {"Reworked", "—"}}
	}
	y := r.Y + 35
	for k, e := range kv {
		c := palette.Text
		if k == 2 && ls.Escaped > 0 {
			c = palette.Defect
		}
		vx := math.Max(r.X+r.W*0.62, r.X+r.W-12-90) // values in a column, near the keys on wide panels
		vw := g.fonts.Width(e[1], hudSmall, true)
		g.textAt(g.fonts.Fit(e[0], hudSmall, false, vx-vw-8-(r.X+12)), scene.Pt(r.X+12, y), hudSmall, false, palette.TextDim, Start)
		g.textAt(e[1], scene.Pt(vx, y), hudSmall, true, c, End)
		y += 15
	}
	// The worst stations, summed over copies.
	right := r.X + r.W - 12
	sp := math.Min(52, (r.W-24)/5.5) // between number columns
	cols := [3]float64{right - 2*sp, right - sp, right}
	nameW := cols[0] - sp*0.8 - (r.X + 12)
	y += 3
	g.textAt(g.fonts.Fit(worstHeading, hudSmall, false, nameW), scene.Pt(r.X+12, y), hudSmall, false, palette.TextFade, Start)
	heads := [3]string{"made", "caught", "scrap"}
	if sp < 40 { // narrow: the floor's marks alone
		heads = [3]string{"▲", "●", "×"}
	}
	for k, h := range heads {
		g.textAt(h, scene.Pt(cols[k], y), hudSmall, false, palette.TextFade, End)
	}
	g.shapes.Rect(dst, scene.XYWH(r.X+12, y+8, r.W-24, 1), palette.Grid)
	rows := max(int((r.Y+r.H-6-(y+8))/15), 1) // as many as the panel holds
	g.x.worstRows = rows
	for _, w := range scene.WorstStations(&g.sess.Snap, len(g.sess.Spec.Stations), rows) {
		y += 15
		g.textAt(g.fonts.Fit(w.ID, hudSmall, false, nameW), scene.Pt(r.X+12, y), hudSmall, false, palette.Text, Start)
		for k, v := range [3]int64{w.Made, w.Caught, w.Scrap} {
			g.textAt(scene.Thousands(v), scene.Pt(cols[k], y), hudSmall, false, palette.Defect, End)
		}
	}
}

// title writes a panel's title.
func (g *Game) title(r scene.Rect, s string) {
	g.textAt(s, scene.Pt(r.X+12, r.Y+15), hudTitle, true, palette.Text, Start)
}

// aside is a note at the right of a panel's title.
type aside struct {
	s    string
	bold bool
	c    color.RGBA
}

// titled writes a panel's title and, from the right, as many of the
// notes as fit beside it (the first note is the rightmost); notes that do
// not fit are left out rather than written over the title.
func (g *Game) titled(r scene.Rect, s string, notes ...aside) {
	g.title(r, s)
	left := r.X + 12 + g.fonts.Width(s, hudTitle, true) + 14
	right := r.X + r.W - 12
	for _, n := range notes {
		w := g.fonts.Width(n.s, hudSmall, n.bold)
		if right-w < left {
			break
		}
		g.textAt(n.s, scene.Pt(right, r.Y+15), hudSmall, n.bold, n.c, End)
		right -= w + 14
	}
}

// pendingText is text queued to be written after the shapes under it.
type pendingText struct {
	s    string
	at   scene.Point
	size float64
	bold bool
	c    color.RGBA
	h    Align
}

// textAt queues text, vertically centred on at, to be written by
// flushText once the panel's shapes are drawn.
func (g *Game) textAt(s string, at scene.Point, size float64, bold bool, c color.RGBA, h Align) {
	g.texts = append(g.texts, pendingText{s, at, size, bold, c, h})
}

// flushText writes the queued text.
func (g *Game) flushText(dst *ebiten.Image) {
	for _, t := range g.texts {
		g.fonts.Draw(dst, t.s, t.at.X, t.at.Y, t.size, t.bold, t.c, t.h, Middle)
	}
	g.texts = g.texts[:0]
}
