package main

import (
	"math"
	"strconv"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// drawChart paints the throughput chart: good units per hour in each
// five-minute bucket over the last hours, with the target line.
func (g *Game) drawChart(dst *ebiten.Image, r Rect) {
	snap := &g.sess.Snap
	m := NewChartModel(snap.History, snap.Now, snap.Line.TargetPerHour, g.chartV)
	g.chartV = m.Values
	if g.sess.Twin != nil {
		twinChart(&m, snap.Now, g.sess.Twin.HistoryFrom())
	}
	now := "now -"
	if !math.IsNaN(m.Last) {
		now = "now " + perHour(m.Last)
	}
	var notes []aside
	if m.Target > 0 {
		notes = append(notes, aside{"target " + perHour(m.Target), true, colTarget})
	}
	avg := snap.Line.GoodPerHour
	shipped := g.sess.Twin != nil && !GoodKnown(snap) // the edge nodes of several copies publish no good count
	if shipped {
		avg = snap.Line.ThroughputPerHour
	}
	notes = append(notes, aside{"avg " + perHour(avg), false, colTextDim}, aside{now, false, colTextDim})
	what := "Good units per hour, last "
	if shipped {
		what = "Shipped units per hour, last "
	}
	g.titled(r, what+strconv.Itoa(m.Hours)+" h", notes...)
	plot := ChartPlot(r)
	sh := g.shapes
	for v := 0.0; v <= m.AxisMax+1e-9; v += m.Step {
		y := plot.Y + plot.H*(1-m.Y(v))
		sh.Rect(dst, Rect{plot.X, y, plot.W, 1}, colGrid)
		g.textAt(thousands(int64(v)), Point{plot.X - 6, y}, hudSmall-1, false, colTextFade, End)
	}
	for k, label := range [3]string{"-" + strconv.Itoa(m.Hours) + "h", "-" + strconv.FormatFloat(float64(m.Hours)/2, 'f', -1, 64) + "h", "now"} {
		align := [3]Align{Start, Middle, End}[k]
		g.textAt(label, Point{plot.X + plot.W*float64(k)/2, plot.Y + plot.H + 10}, hudSmall-1, false, colTextFade, align)
	}
	base := plot.Y + plot.H
	pt := func(k int) Point {
		return Point{plot.X + plot.W*m.X(k), plot.Y + plot.H*(1-m.Y(m.Values[k]))}
	}
	for k := 1; k < len(m.Values); k++ {
		if math.IsNaN(m.Values[k-1]) || math.IsNaN(m.Values[k]) {
			continue
		}
		a, b := pt(k-1), pt(k)
		sh.Quad(dst, a, b, Point{b.X, base}, Point{a.X, base}, colChartArea)
		g.smooth.Line(dst, a, b, 2, colChartLine)
	}
	if k := len(m.Values) - 1; k >= 0 && !math.IsNaN(m.Values[k]) {
		g.smooth.Circle(dst, pt(k), 3, colChartLine)
	}
	if m.Target > 0 {
		y := plot.Y + plot.H*(1-m.Y(m.Target))
		sh.Dashed(dst, Point{plot.X, y}, Point{plot.X + plot.W, y}, 1.5, 7, 5, colTarget)
	}
}

// ChartPlot returns the plotting area of a chart panel: inside the panel,
// below the title, with room for the axis labels.
func ChartPlot(r Rect) Rect {
	return Rect{r.X + 52, r.Y + 32, r.W - 66, r.H - 56}
}

// twinChart leaves out of m the buckets of the history that were over
// before the view attached to the twin (from is the first it saw whole):
// their output is not known, not zero.
func twinChart(m *ChartModel, now sim.Time, from int64) {
	cur := int64(now / twin.HistoryBucket)
	m.Last = math.NaN()
	for k := range m.Values {
		if cur-int64(len(m.Values)-1-k) < from {
			m.Values[k] = math.NaN()
		}
		if !math.IsNaN(m.Values[k]) {
			m.Last = m.Values[k]
		}
	}
}
