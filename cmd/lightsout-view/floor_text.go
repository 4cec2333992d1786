package main

import (
	"strconv"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/twin"
)

// drawFloorText writes the floor's labels: copy headers, station ids,
// buffer counts, defect counts, dock counters and arm ids. Sizes follow
// the zoom (up to a cap); each label is cut to its own box, so labels
// never run into each other.
func (g *Game) drawFloorText(dst *ebiten.Image) {
	ls, is := scene.FloorTextSize(scene.LabelSize, g.cam.Zoom), scene.FloorTextSize(scene.InfoSize, g.cam.Zoom)
	z := g.cam.Zoom
	snap := &g.sess.Snap
	f := g.fonts
	for _, b := range g.floor.Blocks {
		h := g.wr(b.Header)
		h = scene.XYWH(h.X+10*z, h.Y, h.W-20*z, h.H)
		f.DrawIn(dst, "LINE "+strconv.Itoa(b.Line+1), h, ls, true, palette.TextDim, Start)
		f.DrawIn(dst, g.copySummary(b.Line), h, is, false, palette.TextFade, End)
	}
	for i := range g.floor.Stations {
		sb := &g.floor.Stations[i]
		if !g.visible(sb.Slot) || i >= len(snap.Stations) {
			continue
		}
		ss := &snap.Stations[i]
		bottleneck := g.overlays[scene.OverlayBottleneck] && ss.Index == snap.Line.Bottleneck
		col := palette.Text
		if bottleneck {
			col = palette.Bottleneck
		}
		if x, _, ok := g.labelPlace(sb, ss); ok {
			bold := g.labelBold(sb, ss)
			f.Draw(dst, f.Fit(ss.ID, ls, bold, scene.LabelRoom(g.cam, sb)), x, g.wr(sb.Label).Center().Y, ls, bold, col, Middle, Middle)
		}
		full := scene.BufferFull(ss)
		bc := palette.TextDim
		if full {
			bc = palette.TrayFull
		}
		tray := g.wr(sb.InfoTray)
		f.DrawIn(dst, scene.FitCounts(f, is, full, tray.W, scene.BufferForms(ss)...), tray, is, full, bc, Middle)
		if g.overlays[scene.OverlayDefects] {
			g.defectText(dst, sb, &ss.Counts, is)
		}
		g.stationTagText(dst, i)
	}
	for c := range g.floor.Docks {
		g.dockText(dst, c, ls, is)
	}
	g.drawCrewText(dst)
	for j := range g.floor.Arms {
		a := &g.floor.Arms[j]
		if j >= len(snap.Arms) {
			break
		}
		st := &snap.Arms[j]
		col, label := palette.TextDim, a.ID
		if st.Phase == robots.Down || st.Broken {
			col, label = palette.ArmDown, a.ID+" DOWN"
		}
		if mk := g.twinArm(j); mk != nil && mk.Stale {
			col, label = colStale, a.ID+" STALE"
		}
		f.DrawIn(dst, label, g.wr(a.Label), is, st.Broken, col, Middle)
	}
	g.drawTwinFloorText(dst)
}

// labelPlace returns where a station's id is centred on the screen and
// the camera icon of an inspection (see scene.LabelPlace).
func (g *Game) labelPlace(sb *scene.StationBox, ss *twin.StationState) (x float64, icon scene.Rect, ok bool) {
	return scene.LabelPlace(g.fonts, g.cam, sb, ss.ID, g.labelBold(sb, ss))
}

// labelBold reports whether a station's id is bold: the bottleneck's, or
// the selected station's.
func (g *Game) labelBold(sb *scene.StationBox, ss *twin.StationState) bool {
	n := len(g.sess.Spec.Stations)
	return (g.overlays[scene.OverlayBottleneck] && ss.Index == g.sess.Snap.Line.Bottleneck) ||
		(g.sel.Kind == scene.SelStation && g.sel.Slot == sb.Line*n+sb.Index)
}

// defectText writes a station's defect counts above its box, those not
// zero: ▲ units it made defective, ● defective units its inspection
// caught, × units it scrapped.
func (g *Game) defectText(dst *ebiten.Image, sb *scene.StationBox, c *twin.StationCounts, size float64) {
	s, size := g.defectLabel(sb, c, size)
	if s == "" {
		return
	}
	g.fonts.DrawIn(dst, s, g.wr(sb.InfoBox), size, true, palette.Defect, defectAlign(sb))
}

// defectLabel is the defect counts written over a station's box and their
// size: in full when they fit, else shortened, else smaller (see
// scene.DefectLabel).
func (g *Game) defectLabel(sb *scene.StationBox, c *twin.StationCounts, size float64) (string, float64) {
	if scene.DefectText(c) == "" {
		return "", size
	}
	return scene.DefectLabel(g.fonts, c, size, true, g.wr(sb.InfoBox).W)
}

// defectAlign is where a station's defect counts sit over its box: at
// the end units come in from.
func defectAlign(sb *scene.StationBox) Align {
	if sb.DefectsAtStart() {
		return Start
	}
	return End
}

// dockText writes the shipped and scrapped counts of copy c.
func (g *Game) dockText(dst *ebiten.Image, c int, ls, is float64) {
	d := &g.floor.Docks[c]
	snap, n := &g.sess.Snap, len(g.sess.Spec.Stations)
	f := g.fonts
	f.DrawIn(dst, "out", g.wr(d.Label), ls, false, palette.TextDim, Middle)
	ship := d.Ship
	f.DrawIn(dst, "shipped", g.wr(scene.XYWH(ship.X, ship.Y+4, ship.W, 14)), is, false, palette.TextDim, Middle)
	sr := g.wr(scene.XYWH(ship.X+2, ship.Y+20, ship.W-4, 22))
	f.DrawIn(dst, g.countLabel(scene.CopyShipped(snap, n, c), ls*1.1, sr.W), sr, ls*1.1, true, palette.Text, Middle)
	bin := d.Scrap
	f.DrawIn(dst, "scrap", g.wr(scene.XYWH(bin.X-6, bin.Y-17, bin.W+12, 13)), is, false, palette.TextDim, Middle)
	br := g.wr(scene.XYWH(bin.X, bin.Y+2, bin.W, 14))
	f.DrawIn(dst, g.countLabel(scene.CopyScrapped(snap, n, c), is, br.W), br, is, true, palette.Text, Middle)
}

// countLabel writes a bold count to fit width: in full, else shortened.
func (g *Game) countLabel(n int64, size, width float64) string {
	return scene.FitCounts(g.fonts, size, true, width, scene.Thousands(n), scene.ShortCount(n))
}

// copySummary describes copy c in its header: what it shipped and holds.
func (g *Game) copySummary(c int) string {
	snap, n := &g.sess.Snap, len(g.sess.Spec.Stations)
	s := "shipped " + scene.Thousands(scene.CopyShipped(snap, n, c))
	if g.overlays[scene.OverlayWIP] {
		s += "   WIP " + strconv.Itoa(scene.CopyWIP(snap, n, c))
	}
	return s
}
