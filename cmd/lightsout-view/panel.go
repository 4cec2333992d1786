package main

import (
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
)

// drawDetails paints the panel about the selected station or arm, on the
// side of the floor away from it.
func (g *Game) drawDetails(dst *ebiten.Image) {
	var title, sub string
	var rows []detailRow
	var at scene.Point
	switch g.sel.Kind {
	case scene.SelStation:
		if g.sel.Slot >= len(g.sess.Snap.Stations) {
			return
		}
		title, sub, rows = g.stationDetails(g.sel.Slot)
		at = g.ws(g.floor.Stations[g.sel.Slot].Box.Center())
	case scene.SelArm:
		if g.sel.Slot >= len(g.sess.Snap.Arms) {
			return
		}
		title, sub, rows = g.armDetails(g.sel.Slot)
		at = g.ws(g.floor.Arms[g.sel.Slot].Base)
	default:
		return
	}
	h := 58 + float64(len(rows))*detailRowH
	r := scene.DetailPlace(g.floor, g.cam, g.view, detailW, h, at)
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
	g.shapes.Flush(dst)
	g.flushText(dst)
}

// stationDetails describes station slot i.
func (g *Game) stationDetails(i int) (title, sub string, rows []detailRow) {
	snap := &g.sess.Snap
	ss := &snap.Stations[i]
	spec := &g.sess.Spec.Stations[ss.Index]
	title, sub = scene.StationTitle(snap, ss, spec)
	rows = appendRows(rows, scene.StationStateRows(ss, g.sel.Server))
	if mk := g.twinStation(i); mk != nil {
		return title, sub, appendRows(rows, g.sess.Twin.Status.StationRows(ss, spec, mk))
	}
	return title, sub, appendRows(rows, scene.StationRows(snap, ss, spec))
}

// armDetails describes arm slot j.
func (g *Game) armDetails(j int) (title, sub string, rows []detailRow) {
	snap := &g.sess.Snap
	st, a := &snap.Arms[j], &g.floor.Arms[j]
	title, sub = scene.ArmTitle(snap, st)
	if mk := g.twinArm(j); mk != nil {
		return title, sub, appendRows(rows, g.sess.Twin.Status.ArmRows(g.sess.Spec, st, a, mk))
	}
	return title, sub, appendRows(rows, scene.ArmRows(g.sess.Spec, st, a))
}

// appendRows appends the scene's rows to dst.
func appendRows(dst []detailRow, rows []scene.Row) []detailRow {
	for _, r := range rows {
		dst = append(dst, detailRow{r.Caption, r.Value})
	}
	return dst
}
