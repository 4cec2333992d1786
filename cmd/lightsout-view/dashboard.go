package main

import (
	"cmp"
	"image/color"
	"math"
	"slices"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/stations"
)

// Dashboard panel shares of the window width: chart, OEE, defects, legend.
var dashShares = [4]float64{0.42, 0.18, 0.24, 0.16}

// dashPanels returns the rectangles of the dashboard's four panels.
func (g *Game) dashPanels() [4]Rect {
	const gap = 8.0
	y := float64(g.h) - dashboardH + gap/2
	h := dashboardH - gap*1.5
	usable := float64(g.w) - gap*5
	var out [4]Rect
	x := gap
	for k, s := range dashShares {
		out[k] = Rect{x, y, usable * s, h}
		x += usable*s + gap
	}
	return out
}

// drawDashboard paints the panels along the bottom that are switched on.
func (g *Game) drawDashboard(dst *ebiten.Image) {
	p := g.dashPanels()
	g.shapes.Rect(dst, Rect{0, float64(g.h) - dashboardH, float64(g.w), dashboardH}, colScreen)
	show := [4]bool{g.overlays[OverlayChart], g.overlays[OverlayOEE], g.overlays[OverlayDefects], g.overlays[OverlayLegend]}
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

// drawOEE paints line OEE and its three factors as bars.
func (g *Game) drawOEE(dst *ebiten.Image, r Rect) {
	ls := &g.sess.Snap.Line
	constraint := ""
	if ls.Constraint < len(g.sess.Spec.Stations) {
		constraint = "on " + g.sess.Spec.Stations[ls.Constraint].ID
	}
	g.titled(r, "Line OEE", aside{constraint, false, colTextFade})
	if g.sess.Twin != nil && !g.sess.Twin.Status.OEEKnown {
		g.textAt("—", Point{r.X + 12, r.Y + 48}, 30, true, colTextDim, Start)
		g.textAt(g.fonts.Fit("not measured by the twin yet", hudSmall, false, r.W-24), Point{r.X + 12, r.Y + 84}, hudSmall, false, colTextDim, Start)
		return
	}
	g.textAt(percent(ls.OEE), Point{r.X + 12, r.Y + 48}, 30, true, colText, Start)
	formula, x := "= A × P × Q", r.X+16+g.fonts.Width(percent(ls.OEE), 30, true)
	if x+g.fonts.Width(formula, hudSmall, false) <= r.X+r.W-8 {
		g.textAt(formula, Point{x, r.Y + 52}, hudSmall, false, colTextDim, Start)
	}
	rows := []struct {
		name string
		v    float64
		c    color.RGBA
	}{
		{"Availability", ls.Availability, phaseColors[stations.Working]},
		{"Performance", ls.Performance, phaseColors[stations.Loading]},
		{"Quality", ls.Quality, colDefect},
	}
	y := r.Y + 84
	for _, row := range rows {
		g.textAt(row.name, Point{r.X + 12, y}, hudSmall, false, colTextDim, Start)
		g.textAt(percent(row.v), Point{r.X + r.W - 12, y}, hudSmall, true, colText, End)
		bar := Rect{r.X + 12, y + 10, r.W - 24, 6}
		g.shapes.Rect(dst, bar, colGrid)
		bar.W *= clamp01(row.v)
		g.shapes.Rect(dst, bar, row.c)
		y += 32
	}
}

// drawDefects paints the defect figures: yields, escapes, scrap and
// rework, and the stations making and catching the most defects.
func (g *Game) drawDefects(dst *ebiten.Image, r Rect) {
	ls := &g.sess.Snap.Line
	g.titled(r, "Defects & yield", aside{"▲ made  ● caught  × scrap", false, colTextFade})
	kv := [][2]string{
		{"First-pass yield", percent(ls.FirstPassYield)},
		{"Yield", percent(ls.Yield)},
		{"Escaped (shipped bad)", thousands(ls.Escaped)},
		{"Scrapped", thousands(ls.Scrapped)},
		{"Reworked", thousands(ls.Reworked)},
	}
	if g.sess.Twin != nil { // what the edge nodes publish
		yield := "—"
		if GoodKnown(&g.sess.Snap) && ls.Shipped+ls.Scrapped > 0 {
			yield = percent(float64(ls.Good) / float64(ls.Shipped+ls.Scrapped))
		}
		kv = [][2]string{{"First-pass yield", "—"}, {"Yield", yield}, {"Escaped (shipped bad)", "—"},
			{"Scrapped", thousands(ls.Scrapped)}, {"Reworked", "—"}}
	}
	y := r.Y + 35
	for k, e := range kv {
		c := colText
		if k == 2 && ls.Escaped > 0 {
			c = colDefect
		}
		vx := math.Max(r.X+r.W*0.62, r.X+r.W-12-90) // values in a column, near the keys on wide panels
		vw := g.fonts.Width(e[1], hudSmall, true)
		g.textAt(g.fonts.Fit(e[0], hudSmall, false, vx-vw-8-(r.X+12)), Point{r.X + 12, y}, hudSmall, false, colTextDim, Start)
		g.textAt(e[1], Point{vx, y}, hudSmall, true, c, End)
		y += 15
	}
	// The worst stations, summed over copies.
	right := r.X + r.W - 12
	sp := math.Min(52, (r.W-24)/5.5) // between number columns
	cols := [3]float64{right - 2*sp, right - sp, right}
	nameW := cols[0] - sp*0.8 - (r.X + 12)
	y += 3
	g.textAt(g.fonts.Fit("station", hudSmall, false, nameW), Point{r.X + 12, y}, hudSmall, false, colTextFade, Start)
	heads := [3]string{"made", "caught", "scrap"}
	if sp < 40 { // narrow: the floor's marks alone
		heads = [3]string{"▲", "●", "×"}
	}
	for k, h := range heads {
		g.textAt(h, Point{cols[k], y}, hudSmall, false, colTextFade, End)
	}
	g.shapes.Rect(dst, Rect{r.X + 12, y + 8, r.W - 24, 1}, colGrid)
	for _, w := range g.worstStations(3) {
		y += 15
		g.textAt(g.fonts.Fit(w.id, hudSmall, false, nameW), Point{r.X + 12, y}, hudSmall, false, colText, Start)
		for k, v := range [3]int64{w.made, w.caught, w.scrap} {
			g.textAt(thousands(v), Point{cols[k], y}, hudSmall, false, colDefect, End)
		}
	}
}

// stationDefects are one station's defect counts over every copy.
type stationDefects struct {
	id                  string
	made, caught, scrap int64
}

// worstStations returns up to k stations with the most defects made or
// caught, most first.
func (g *Game) worstStations(k int) []stationDefects {
	n := len(g.sess.Spec.Stations)
	all := make([]stationDefects, n)
	for i := range g.sess.Snap.Stations {
		ss := &g.sess.Snap.Stations[i]
		d := &all[i%n]
		d.id = ss.ID
		d.made += ss.Counts.Defects
		d.caught += ss.Counts.Caught
		d.scrap += ss.Counts.Scrapped
	}
	all = slices.DeleteFunc(all, func(d stationDefects) bool { return d.made+d.caught == 0 })
	slices.SortStableFunc(all, func(a, b stationDefects) int { return cmp.Compare(b.made+b.caught, a.made+a.caught) })
	return all[:min(k, len(all))]
}

// drawLegend explains the colours.
func (g *Game) drawLegend(dst *ebiten.Image, r Rect) {
	g.title(r, "Legend")
	y := r.Y + 34
	sw := func(c color.RGBA) { g.shapes.RoundRect(dst, Rect{r.X + 12, y - 6, 16, 12}, 2, c) }
	for _, e := range stateLegend {
		sw(e.Color)
		g.textAt(g.fonts.Fit(e.Label, hudSmall, false, r.W-44), Point{r.X + 36, y}, hudSmall, false, colText, Start)
		y += 16
	}
	g.shapes.Rect(dst, Rect{r.X + 15, y - 5, 10, 10}, colDefect)
	g.textAt("Defective unit", Point{r.X + 36, y}, hudSmall, false, colText, Start)
	y += 16
	if g.sess.Twin != nil {
		sw(colStale)
		g.textAt("Stale (edge offline)", Point{r.X + 36, y}, hudSmall, false, colText, Start)
	} else {
		g.shapes.Line(dst, Point{r.X + 20, y - 7}, Point{r.X + 20, y + 7}, 2, colEyeFired)
		g.textAt("Sensor fired", Point{r.X + 36, y}, hudSmall, false, colText, Start)
	}
	y += 16
	g.shapes.Frame(dst, Rect{r.X + 12, y - 6, 16, 12}, 2.5, colBottleneck)
	g.textAt("Bottleneck", Point{r.X + 36, y}, hudSmall, false, colText, Start)
}

// title writes a panel's title.
func (g *Game) title(r Rect, s string) {
	g.textAt(s, Point{r.X + 12, r.Y + 15}, hudTitle, true, colText, Start)
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
func (g *Game) titled(r Rect, s string, notes ...aside) {
	g.title(r, s)
	left := r.X + 12 + g.fonts.Width(s, hudTitle, true) + 14
	right := r.X + r.W - 12
	for _, n := range notes {
		w := g.fonts.Width(n.s, hudSmall, n.bold)
		if right-w < left {
			break
		}
		g.textAt(n.s, Point{right, r.Y + 15}, hudSmall, n.bold, n.c, End)
		right -= w + 14
	}
}

// pendingText is text queued to be written after the shapes under it.
type pendingText struct {
	s    string
	at   Point
	size float64
	bold bool
	c    color.RGBA
	h    Align
}

// textAt queues text, vertically centred on at, to be written by
// flushText once the panel's shapes are drawn.
func (g *Game) textAt(s string, at Point, size float64, bold bool, c color.RGBA, h Align) {
	g.texts = append(g.texts, pendingText{s, at, size, bold, c, h})
}

// flushText writes the queued text.
func (g *Game) flushText(dst *ebiten.Image) {
	for _, t := range g.texts {
		g.fonts.Draw(dst, t.s, t.at.X, t.at.Y, t.size, t.bold, t.c, t.h, Middle)
	}
	g.texts = g.texts[:0]
}
