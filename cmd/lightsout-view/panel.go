package main

import (
	"strconv"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
)

// detailRow is one line of the detail panel: a caption and its value; an
// empty caption makes a section heading of the value.
type detailRow struct{ k, v string }

const (
	detailW    = 380.0
	detailRowH = 17.0
	armSelR    = 24.0 // around an arm's base: what its panel leaves clear (world units)
)

// drawDetails paints the panel about the selected station or arm, on the
// side of the floor away from it.
func (g *Game) drawDetails(dst *ebiten.Image) {
	var title, sub string
	var rows []detailRow
	var at scene.Rect // the selection on the screen
	switch g.sel.Kind {
	case scene.SelStation:
		if g.sel.Slot >= len(g.sess.Snap.Stations) {
			return
		}
		title, sub, rows = g.stationDetails(g.sel.Slot)
		at = g.wr(g.floor.Stations[g.sel.Slot].Box)
	case scene.SelArm:
		if g.sel.Slot >= len(g.sess.Snap.Arms) {
			return
		}
		title, sub, rows = g.armDetails(g.sel.Slot)
		a := &g.floor.Arms[g.sel.Slot]
		at = g.wr(scene.XYWH(a.Base.X-armSelR, a.Base.Y-armSelR, 2*armSelR, 2*armSelR))
	default:
		return
	}
	h := 58 + float64(len(rows))*detailRowH
	spark := g.sparkPoints() >= 2
	if spark {
		h += sparkH
	}
	k := g.ui() // placed on the screen, drawn in the HUD's units
	r := scene.DetailPlace(g.floor, g.cam, g.view, detailW*k, h*k, at)
	g.x.detailRect = r
	r = scene.XYWH(r.X/k, r.Y/k, detailW, h)
	g.panel(dst, r)
	g.textAt(title, scene.Pt(r.X+14, r.Y+18), hudBig-2, true, palette.Text, Start)
	g.textAt(g.fonts.Fit(sub, hudSmall, false, r.W-28-g.fonts.Width(title, hudBig-2, true)-12), scene.Pt(r.X+r.W-14, r.Y+19), hudSmall, false, palette.TextDim, End)
	y := r.Y + 44
	for _, row := range rows {
		if row.k == "" {
			g.textAt(row.v, scene.Pt(r.X+14, y), hudSmall, true, palette.TextDim, Start)
		} else {
			g.textAt(row.k, scene.Pt(r.X+14, y), hudSmall, false, palette.TextDim, Start)
			g.textAt(g.fonts.Fit(row.v, hudSmall, false, r.W-150), scene.Pt(r.X+134, y), hudSmall, false, palette.Text, Start)
		}
		y += detailRowH
	}
	if spark {
		g.drawSpark(dst, scene.XYWH(r.X+14, y-4, r.W-28, sparkH-8))
	}
	g.shapes.Flush(dst)
	g.flushText(dst)
}

// sparkH is the height of the condition sparkline in a station's panel.
const sparkH = 74.0

// trendServer returns the server whose readings the panel charts: the
// clicked one, else the first.
func (g *Game) trendServer() int { return max(g.sel.Server, 0) }

// trendPoints loads the readings kept of the charted server of station
// slot i into g.trendP and returns how many there are (0 for a station
// without a condition sensor).
func (g *Game) trendPoints(i int) int {
	ss := &g.sess.Snap.Stations[i]
	if scene.Sensor(&g.sess.Spec.Stations[ss.Index]) == nil {
		return 0
	}
	g.trendP = g.trends.Points(i, g.trendServer(), g.trendP)
	return len(g.trendP)
}

// drawSpark charts the readings in g.trendP in r: the readings as a line
// coloured by the condition they show, the worn level dashed, the new
// level faint.
func (g *Game) drawSpark(dst *ebiten.Image, r scene.Rect) {
	who, cs := g.sparkSensor()
	plot := scene.XYWH(r.X, r.Y+14, r.W-44, r.H-16)
	sp := scene.LaySpark(g.trendP, cs.New, cs.Worn, plot, g.spark)
	g.spark = sp.Points
	sh := g.shapes
	sh.Rect(dst, plot, palette.Fade(palette.Machine, 0.6))
	sh.Line(dst, scene.Pt(plot.X, sp.NewY), scene.Pt(plot.X+plot.W, sp.NewY), 1, palette.Grid)
	sh.Dashed(dst, scene.Pt(plot.X, sp.WornY), scene.Pt(plot.X+plot.W, sp.WornY), 1, 4, 3, palette.HealthPoor)
	for k := 1; k < len(sp.Points); k++ {
		p := g.trendP[k]
		c := 1 - (p.Value-cs.New)/(cs.Worn-cs.New)
		sh.Line(dst, sp.Points[k-1], sp.Points[k], 1.6, palette.Health(c))
	}
	first, last := g.trendP[0], g.trendP[len(g.trendP)-1]
	title := who + " " + cs.Kind + " readings, " + scene.ShortClock(first.At) + " to " + scene.ShortClock(last.At)
	g.textAt(title, scene.Pt(r.X, r.Y+4), hudSmall, false, palette.TextDim, Start)
	g.textAt("worn "+strconv.FormatFloat(cs.Worn, 'g', 3, 64), scene.Pt(plot.X+plot.W+4, sp.WornY), hudSmall-1, false, palette.HealthPoor, Start)
	g.textAt("new "+strconv.FormatFloat(cs.New, 'g', 3, 64), scene.Pt(plot.X+plot.W+4, sp.NewY), hudSmall-1, false, palette.TextFade, Start)
}

// stationDetails describes station slot i.
func (g *Game) stationDetails(i int) (title, sub string, rows []detailRow) {
	snap := &g.sess.Snap
	ss := &snap.Stations[i]
	spec := &g.sess.Spec.Stations[ss.Index]
	title, sub = scene.StationTitle(snap, ss, spec)
	rows = appendRows(rows, scene.StationStateRows(ss, g.sel.Server))
	upkeep := scene.UpkeepRows(snap.Now, ss, spec, g.sess.Twin == nil)
	if mk := g.twinStation(i); mk != nil {
		rows = appendRows(rows, g.sess.Twin.Status.StationRows(ss, spec, mk))
		return title, sub, appendRows(rows, upkeep)
	}
	more := scene.StationRows(snap, ss, spec)
	keys := len(more) - 2 // the last two rows are the keys
	rows = appendRows(rows, more[:keys])
	rows = appendRows(rows, upkeep)
	return title, sub, appendRows(rows, more[keys:])
}

// armDetails describes arm slot j.
func (g *Game) armDetails(j int) (title, sub string, rows []detailRow) {
	snap := &g.sess.Snap
	st, a := &snap.Arms[j], &g.floor.Arms[j]
	title, sub = scene.ArmTitle(snap, st)
	if mk := g.twinArm(j); mk != nil {
		return title, sub, g.armUpkeepRows(j, appendRows(rows, g.sess.Twin.Status.ArmRows(g.sess.Spec, st, a, mk)))
	}
	return title, sub, g.armUpkeepRows(j, appendRows(rows, scene.ArmRows(g.sess.Spec, st, a)))
}

// appendRows appends the scene's rows to dst.
func appendRows(dst []detailRow, rows []scene.Row) []detailRow {
	for _, r := range rows {
		dst = append(dst, detailRow{r.Caption, r.Value})
	}
	return dst
}
