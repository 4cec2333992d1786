package main

import (
	"math"
	"strconv"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/twinmode"
)

// drawChart paints the throughput chart: good units per hour in each
// five-minute bucket over the last hours, with the target line.
func (g *Game) drawChart(dst *ebiten.Image, r scene.Rect) {
	snap := &g.sess.Snap
	m := scene.NewChartModel(snap.History, snap.Now, snap.Line.TargetPerHour, g.chartV)
	g.chartV = m.Values
	if g.sess.Twin != nil {
		g.sess.Twin.Chart(&m, snap.Now)
	}
	now := "now -"
	if !math.IsNaN(m.Last) {
		now = "now " + scene.PerHour(m.Last)
	}
	var notes []aside
	if m.Target > 0 {
		notes = append(notes, aside{"target " + scene.PerHour(m.Target), true, palette.Target})
	}
	avg := snap.Line.GoodPerHour
	shipped := g.sess.Twin != nil && !twinmode.GoodKnown(snap) // the edge nodes of several copies publish no good count
	if shipped {
		avg = snap.Line.ThroughputPerHour
	}
	notes = append(notes, aside{"avg " + scene.PerHour(avg), false, palette.TextDim}, aside{now, false, palette.TextDim})
	what := "Good units per hour, last "
	if shipped {
		what = "Shipped units per hour, last "
	}
	g.titled(r, what+strconv.Itoa(m.Hours)+" h", notes...)
	plot := scene.ChartPlot(r)
	sh := g.shapes
	for v := 0.0; v <= m.AxisMax+1e-9; v += m.Step {
		y := plot.Y + plot.H*(1-m.Y(v))
		sh.Rect(dst, scene.XYWH(plot.X, y, plot.W, 1), palette.Grid)
		g.textAt(scene.Thousands(int64(v)), scene.Pt(plot.X-6, y), hudSmall-1, false, palette.TextFade, End)
	}
	for k, label := range [3]string{"-" + strconv.Itoa(m.Hours) + "h", "-" + strconv.FormatFloat(float64(m.Hours)/2, 'f', -1, 64) + "h", "now"} {
		align := [3]Align{Start, Middle, End}[k]
		g.textAt(label, scene.Pt(plot.X+plot.W*float64(k)/2, plot.Y+plot.H+10), hudSmall-1, false, palette.TextFade, align)
	}
	base := plot.Y + plot.H
	pt := func(k int) scene.Point {
		return scene.Pt(plot.X+plot.W*m.X(k), plot.Y+plot.H*(1-m.Y(m.Values[k])))
	}
	for k := 1; k < len(m.Values); k++ {
		if math.IsNaN(m.Values[k-1]) || math.IsNaN(m.Values[k]) {
			continue
		}
		a, b := pt(k-1), pt(k)
		sh.Quad(dst, a, b, scene.Pt(b.X, base), scene.Pt(a.X, base), palette.ChartArea)
		g.smooth.Line(dst, a, b, 2, palette.ChartLine)
	}
	if k := len(m.Values) - 1; k >= 0 && !math.IsNaN(m.Values[k]) {
		g.smooth.Circle(dst, pt(k), 3, palette.ChartLine)
	}
	if m.Target > 0 {
		y := plot.Y + plot.H*(1-m.Y(m.Target))
		sh.Dashed(dst, scene.Pt(plot.X, y), scene.Pt(plot.X+plot.W, y), 1.5, 7, 5, palette.Target)
	}
}
