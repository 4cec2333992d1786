package report

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// sweepKPIs is the ordered list of KPIs a sweep charts: s.KPIs, or every
// KPI of the points but the upkeep ones, sorted.
func sweepKPIs(s Sweep) []string {
	if len(s.KPIs) > 0 {
		return s.KPIs
	}
	seen := map[string]bool{}
	for _, name := range s.UpkeepKPIs {
		seen[name] = true
	}
	var names []string
	for _, p := range s.Points {
		for name := range p.KPIs {
			if !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	sort.Strings(names)
	return names
}

// numericX reports whether the sweep's points can be drawn against X: every
// point has a number and no two points share one.
func numericX(s Sweep) bool {
	seen := map[float64]bool{}
	for _, p := range s.Points {
		if math.IsNaN(p.X) || seen[p.X] {
			return false
		}
		seen[p.X] = true
	}
	return true
}

func pointLabel(p SweepPoint) string {
	if p.Label != "" {
		return p.Label
	}
	return p.Scenario
}

// kpiAxisLabel is "name (unit)" or the name alone.
func kpiAxisLabel(name, unit string) string {
	if unit == "" {
		return name
	}
	return name + " (" + unit + ")"
}

// halfWidth is a KPI's half-width, 0 when it is unknown.
func halfWidth(k KPI) float64 {
	if math.IsNaN(k.HalfWidth) || math.IsInf(k.HalfWidth, 0) || k.HalfWidth < 0 {
		return 0
	}
	return k.HalfWidth
}

// sweepChart draws one KPI against the varied parameter: a line with points
// and CI error bars when the parameter is numeric, horizontal bars by
// scenario with CI error bars otherwise.
func (t *theme) sweepChart(s Sweep, name string) (drawing, error) {
	type pt struct {
		x     float64
		label string
		k     KPI
	}
	var pts []pt
	unit := ""
	for _, p := range s.Points {
		if k, ok := p.KPIs[name]; ok {
			pts = append(pts, pt{p.X, pointLabel(p), k})
			if unit == "" {
				unit = k.Unit
			}
		}
	}
	title := name + " against " + s.Parameter
	if s.Parameter == "" {
		title = name + " by scenario"
	}
	if numericX(s) {
		slices.SortStableFunc(pts, func(a, b pt) int { return cmpFloat(a.x, b.x) })
		errs := make(plotter.YErrors, len(pts))
		for i, p := range pts {
			hw := halfWidth(p.k)
			errs[i].Low, errs[i].High = hw, hw
		}
		p := t.newPlot(title, s.Parameter, kpiAxisLabel(name, unit))
		grid := plotter.NewGrid()
		grid.Vertical.Color, grid.Horizontal.Color = rgba(colGrid), rgba(colGrid)
		p.Add(grid)
		xy := make(plotter.XYs, len(pts))
		for i, q := range pts {
			xy[i] = plotter.XY{X: q.x, Y: q.k.Mean}
		}
		line, err := plotter.NewLine(xy)
		if err != nil {
			return drawing{}, fmt.Errorf("report: sweep %s line: %w", name, err)
		}
		line.Color, line.Width = rgba(colMean), vg.Points(1.5)
		dots, err := plotter.NewScatter(xy)
		if err != nil {
			return drawing{}, fmt.Errorf("report: sweep %s points: %w", name, err)
		}
		dots.GlyphStyle = draw.GlyphStyle{Color: rgba(colMean), Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		eb, err := plotter.NewYErrorBars(struct {
			plotter.XYs
			plotter.YErrors
		}{xy, errs})
		if err != nil {
			return drawing{}, fmt.Errorf("report: sweep %s error bars: %w", name, err)
		}
		eb.Color, eb.Width, eb.CapWidth = rgba(0x333333ff), vg.Points(1), vg.Points(8)
		p.Add(eb, line, dots)
		xs := make([]float64, len(pts))
		for i, q := range pts {
			xs[i] = q.x
		}
		if ticks, ok := pointTicks(xs); ok {
			p.X.Tick.Marker = plot.ConstantTicks(ticks)
		}
		leg := t.newLegend()
		leg.Add("mean", line, dots)
		leg.Add(ciPercent(s.CILevel)+" CI", ciThumb{vertical: true})
		return drawing{plot: p, legend: &leg, height: sweepChartHeight}, nil
	}

	n := len(pts)
	p := t.newPlot(title, kpiAxisLabel(name, unit), "")
	grid := plotter.NewGrid()
	grid.Horizontal.Width = 0
	grid.Vertical.Color = rgba(colGrid)
	p.Add(grid)
	p.NominalY(rowNames(n, func(i int) string { return pts[i].label })...)
	vals := make(plotter.Values, n)
	xy := make(plotter.XYs, n)
	xerrs := make(plotter.XErrors, n)
	for i, q := range pts {
		row := n - 1 - i
		vals[row] = q.k.Mean
		xy[row] = plotter.XY{X: q.k.Mean, Y: float64(row)}
		hw := halfWidth(q.k)
		xerrs[row].Low, xerrs[row].High = hw, hw
	}
	bars, err := plotter.NewBarChart(vals, barThickness())
	if err != nil {
		return drawing{}, fmt.Errorf("report: sweep %s bars: %w", name, err)
	}
	bars.Horizontal = true
	bars.Color = rgba(0x7fb3e0ff)
	bars.LineStyle.Width = 0
	eb, err := plotter.NewXErrorBars(struct {
		plotter.XYs
		plotter.XErrors
	}{xy, xerrs})
	if err != nil {
		return drawing{}, fmt.Errorf("report: sweep %s error bars: %w", name, err)
	}
	eb.Color, eb.Width, eb.CapWidth = rgba(0x333333ff), vg.Points(1.2), vg.Points(8)
	p.Add(bars, eb)
	p.X.Min = 0
	leg := t.newLegend()
	leg.Add("mean", bars)
	leg.Add(ciPercent(s.CILevel)+" CI", ciThumb{})
	return drawing{plot: p, legend: &leg, height: barChartHeight(n, rowHeightPx)}, nil
}

// seriesStyle returns the colour and glyph of a line chart's series i:
// six in turn.
func seriesStyle(i int) (uint32, draw.GlyphDrawer) {
	styles := [...]struct {
		color uint32
		glyph draw.GlyphDrawer
	}{
		{colMean, draw.CircleGlyph{}},
		{colSteady, draw.BoxGlyph{}},
		{colWorking, draw.TriangleGlyph{}},
		{colBlocked, draw.PyramidGlyph{}},
		{colMaintenance, draw.RingGlyph{}},
		{colWarmupLine, draw.SquareGlyph{}},
	}
	st := styles[i%len(styles)]
	return st.color, st.glyph
}

// lineChart draws lc: a line with points and CI error bars per series,
// each series nudged sideways by a small step so that the bars of
// series at the same x stay apart.
func (t *theme) lineChart(lc LineChart, level float64) (drawing, error) {
	title := lc.KPI + " against " + lc.X + ", by " + lc.By
	p := t.newPlot(title, lc.X, kpiAxisLabel(lc.KPI, lc.Unit))
	grid := plotter.NewGrid()
	grid.Vertical.Color, grid.Horizontal.Color = rgba(colGrid), rgba(colGrid)
	p.Add(grid)
	var xs []float64
	for _, se := range lc.Series {
		for _, q := range se.Points {
			if !slices.Contains(xs, q.X) {
				xs = append(xs, q.X)
			}
		}
	}
	slices.Sort(xs)
	step := 0.0
	if len(xs) > 1 && len(lc.Series) > 1 {
		gap := math.Inf(1)
		for i := 1; i < len(xs); i++ {
			gap = min(gap, xs[i]-xs[i-1])
		}
		step = gap * 0.04
	}
	leg := t.newLegend()
	for i, se := range lc.Series {
		col, glyph := seriesStyle(i)
		off := step * (float64(i) - float64(len(lc.Series)-1)/2)
		xy := make(plotter.XYs, len(se.Points))
		errs := make(plotter.YErrors, len(se.Points))
		for j, q := range se.Points {
			xy[j] = plotter.XY{X: q.X + off, Y: q.KPI.Mean}
			hw := halfWidth(q.KPI)
			errs[j].Low, errs[j].High = hw, hw
		}
		line, err := plotter.NewLine(xy)
		if err != nil {
			return drawing{}, fmt.Errorf("report: line chart %s, series %s: %w", lc.KPI, se.Name, err)
		}
		line.Color, line.Width = rgba(col), vg.Points(1.5)
		dots, err := plotter.NewScatter(xy)
		if err != nil {
			return drawing{}, fmt.Errorf("report: line chart %s, series %s: %w", lc.KPI, se.Name, err)
		}
		dots.GlyphStyle = draw.GlyphStyle{Color: rgba(col), Radius: vg.Points(3.5), Shape: glyph}
		eb, err := plotter.NewYErrorBars(struct {
			plotter.XYs
			plotter.YErrors
		}{xy, errs})
		if err != nil {
			return drawing{}, fmt.Errorf("report: line chart %s, series %s: %w", lc.KPI, se.Name, err)
		}
		eb.Color, eb.Width, eb.CapWidth = rgba(col), vg.Points(1), vg.Points(6)
		p.Add(eb, line, dots)
		leg.Add(se.Name, line, dots)
	}
	if ticks, ok := pointTicks(xs); ok {
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
	}
	if step > 0 {
		pad := step * float64(len(lc.Series))
		p.X.Min, p.X.Max = math.Min(p.X.Min, xs[0]-pad), math.Max(p.X.Max, xs[len(xs)-1]+pad)
	}
	leg.Add(ciPercent(level)+" CI", ciThumb{vertical: true})
	return drawing{plot: p, legend: &leg, height: sweepChartHeight}, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ciThumb is the legend's picture of an error bar.
type ciThumb struct{ vertical bool }

// Thumbnail implements plot.Thumbnailer.
func (th ciThumb) Thumbnail(c *draw.Canvas) {
	sty := draw.LineStyle{Color: rgba(0x333333ff), Width: vg.Points(1)}
	r := c.Rectangle
	r.Min.X += vg.Points(3)
	r.Max.X -= vg.Points(3)
	r.Min.Y += vg.Points(1)
	r.Max.Y -= vg.Points(1)
	mid := c.Center()
	tip := vg.Points(3)
	if th.vertical {
		c.StrokeLine2(sty, mid.X, r.Min.Y, mid.X, r.Max.Y)
		c.StrokeLine2(sty, mid.X-tip, r.Min.Y, mid.X+tip, r.Min.Y)
		c.StrokeLine2(sty, mid.X-tip, r.Max.Y, mid.X+tip, r.Max.Y)
		return
	}
	c.StrokeLine2(sty, r.Min.X, mid.Y, r.Max.X, mid.Y)
	c.StrokeLine2(sty, r.Min.X, mid.Y-tip, r.Min.X, mid.Y+tip)
	c.StrokeLine2(sty, r.Max.X, mid.Y-tip, r.Max.X, mid.Y+tip)
}
