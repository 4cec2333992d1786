package report

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// stateShare is one segment of the station-state bars.
type stateShare struct {
	name  string
	color uint32
	get   func(Station) float64
}

// stateShares lists the station states in the order they are stacked
// (held and other only when some station has them).
func stateShares() []stateShare {
	return []stateShare{
		{"working", colWorking, func(s Station) float64 { return s.Working }},
		{"handling", colHandling, func(s Station) float64 { return s.Handling }},
		{"blocked", colBlocked, func(s Station) float64 { return s.Blocked }},
		{"starved", colStarved, func(s Station) float64 { return s.Starved }},
		{"down", colDown, func(s Station) float64 { return s.Down }},
		{"maintenance", colMaintenance, func(s Station) float64 { return s.Maintenance }},
		{"held", colHeld, func(s Station) float64 { return s.Held }},
		{"other", colOther, func(s Station) float64 {
			return max(0, 1-(s.Working+s.Handling+s.Blocked+s.Starved+s.Down+s.Maintenance+s.Held))
		}},
	}
}

// rowNames names the rows of a horizontal bar chart so that the first item
// is at the top: gonum counts rows from the bottom.
func rowNames(n int, name func(i int) string) []string {
	names := make([]string, n)
	for i := range n {
		names[n-1-i] = name(i)
	}
	return names
}

// barThickness is the thickness of one bar row, leaving a gap between rows.
func barThickness() vg.Length { return px(rowHeightPx) * 0.62 }

// stationStatesChart stacks each station's time shares into one horizontal
// bar per station, in flow order from the top, with the bottleneck outlined.
func (t *theme) stationStatesChart(stations []Station) (drawing, error) {
	n := len(stations)
	title := "Where each station's time goes"
	for _, s := range stations {
		if s.Bottleneck {
			title += " — bottleneck: " + s.ID
			break
		}
	}
	p := t.newPlot(title, "share of time (%)", "")
	leg := t.newLegend()
	p.NominalY(rowNames(n, func(i int) string {
		if stations[i].Bottleneck {
			return stations[i].ID + "  ◄ bottleneck"
		}
		return stations[i].ID
	})...)

	var below *plotter.BarChart
	for _, st := range stateShares() {
		vals := make(plotter.Values, n)
		any := false
		for i, s := range stations {
			vals[n-1-i] = 100 * st.get(s)
			any = any || vals[n-1-i] > 0.05
		}
		if (st.name == "other" || st.name == "held") && !any {
			continue
		}
		bars, err := plotter.NewBarChart(vals, barThickness())
		if err != nil {
			return drawing{}, fmt.Errorf("report: station %s bars: %w", st.name, err)
		}
		bars.Horizontal = true
		bars.Color = rgba(st.color)
		bars.LineStyle.Width = 0
		if below != nil {
			bars.StackOn(below)
		}
		below = bars
		p.Add(bars)
		leg.Add(st.name, bars)
	}
	for i, s := range stations {
		if s.Bottleneck {
			m := &bottleneckMark{row: float64(n - 1 - i), thickness: barThickness()}
			p.Add(m)
			leg.Add("bottleneck", m)
		}
	}
	p.X.Min, p.X.Max = 0, 100
	p.X.Tick.Marker = plot.ConstantTicks(percentTicks())
	return drawing{plot: p, legend: &leg, height: barChartHeight(n, rowHeightPx)}, nil
}

func percentTicks() []plot.Tick {
	var ticks []plot.Tick
	for v := 0; v <= 100; v += 10 {
		label := ""
		if v%20 == 0 {
			label = fmt.Sprint(v)
		}
		ticks = append(ticks, plot.Tick{Value: float64(v), Label: label})
	}
	return ticks
}

// bottleneckMark outlines the whole 0–100% bar of the bottleneck station.
type bottleneckMark struct {
	row       float64 // row index, from the bottom
	thickness vg.Length
}

func bottleneckStyle() draw.LineStyle {
	return draw.LineStyle{Color: rgba(colBottleneck), Width: vg.Points(3)}
}

// Plot implements plot.Plotter.
func (m *bottleneckMark) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	y := ty(m.row)
	half := m.thickness/2 + vg.Points(2.5)
	x0, x1 := tx(p.X.Min)-vg.Points(1), tx(p.X.Max)+vg.Points(1)
	var path vg.Path
	path.Move(vg.Point{X: x0, Y: y - half})
	path.Line(vg.Point{X: x1, Y: y - half})
	path.Line(vg.Point{X: x1, Y: y + half})
	path.Line(vg.Point{X: x0, Y: y + half})
	path.Close()
	sty := bottleneckStyle()
	c.SetLineStyle(sty)
	c.Stroke(path)
}

// Thumbnail implements plot.Thumbnailer for the legend.
func (m *bottleneckMark) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	inset := vg.Points(2)
	var path vg.Path
	path.Move(vg.Point{X: r.Min.X + inset, Y: r.Min.Y + inset})
	path.Line(vg.Point{X: r.Max.X - inset, Y: r.Min.Y + inset})
	path.Line(vg.Point{X: r.Max.X - inset, Y: r.Max.Y - inset})
	path.Line(vg.Point{X: r.Min.X + inset, Y: r.Max.Y - inset})
	path.Close()
	c.SetLineStyle(bottleneckStyle())
	c.Stroke(path)
}

// qualityCount is one series of the quality chart.
type qualityCount struct {
	name  string
	color uint32
	get   func(Station) float64
}

func qualityCounts() []qualityCount {
	return []qualityCount{
		{"defects made", 0xe88a1aff, func(s Station) float64 { return s.Defects }},
		{"caught", 0x1f5fa8ff, func(s Station) float64 { return s.Caught }},
		{"reworked", 0x7fb3e0ff, func(s Station) float64 { return s.Reworked }},
		{"scrapped", 0xb82e2eff, func(s Station) float64 { return s.Scrapped }},
	}
}

// qualityChart groups each station's defect counts into horizontal bars;
// stations with no quality counts at all are left out. ok is false when no
// station has any.
func (t *theme) qualityChart(stations []Station) (d drawing, ok bool, err error) {
	var shown []Station
	for _, s := range stations {
		if s.Defects+s.Caught+s.Scrapped+s.Reworked > 0 {
			shown = append(shown, s)
		}
	}
	if len(shown) == 0 {
		return drawing{}, false, nil
	}
	n := len(shown)
	p := t.newPlot("Defects and scrap by station", "units per replication (mean)", "")
	leg := t.newLegend()
	p.NominalY(rowNames(n, func(i int) string { return shown[i].ID })...)
	grid := plotter.NewGrid()
	grid.Horizontal.Width = 0
	grid.Vertical.Color = rgba(colGrid)
	p.Add(grid)
	series := qualityCounts()
	w := px(groupRowHeightPx) * 0.7 / vg.Length(len(series))
	for k, q := range series {
		vals := make(plotter.Values, n)
		for i, s := range shown {
			vals[n-1-i] = q.get(s)
		}
		bars, err := plotter.NewBarChart(vals, w)
		if err != nil {
			return drawing{}, false, fmt.Errorf("report: quality %s bars: %w", q.name, err)
		}
		bars.Horizontal = true
		bars.Color = rgba(q.color)
		bars.LineStyle.Width = 0
		// First series on top within each group.
		bars.Offset = (vg.Length(len(series)-1)/2 - vg.Length(k)) * w
		p.Add(bars)
		leg.Add(q.name, bars)
	}
	p.X.Min = 0
	return drawing{plot: p, legend: &leg, height: barChartHeight(n, groupRowHeightPx)}, true, nil
}
