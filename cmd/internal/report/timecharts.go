package report

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// timeChart draws a band over time: the mean over replications as a line,
// the spread as a translucent band, the warm-up shaded and labelled, and the
// mean after the warm-up as a dashed line.
func (t *theme) timeChart(b Batch, bd band, unit timeUnit, title, yLabel, meanUnit string) (drawing, error) {
	p := t.newPlot(title, "simulated time ("+unit.name+")", yLabel)
	leg := t.newLegend()

	grid := plotter.NewGrid()
	grid.Vertical.Color, grid.Horizontal.Color = rgba(colGrid), rgba(colGrid)
	p.Add(grid)

	if b.WarmupS > 0 {
		how := "set"
		if b.WarmupAuto {
			how = "MSER-5"
		}
		w := &warmupMarker{
			x:     b.WarmupS / unit.seconds,
			label: fmt.Sprintf("warm-up %s (%s)", formatDuration(b.WarmupS), how),
			style: t.style(t.regular, 9),
		}
		p.Add(w)
		leg.Add("warm-up ("+how+")", w)
	}

	poly := make(plotter.XYs, 0, 2*len(bd.x))
	for j := range bd.x {
		poly = append(poly, plotter.XY{X: bd.x[j], Y: bd.hi[j]})
	}
	for j := len(bd.x) - 1; j >= 0; j-- {
		poly = append(poly, plotter.XY{X: bd.x[j], Y: bd.lo[j]})
	}
	area, err := plotter.NewPolygon(poly)
	if err != nil {
		return drawing{}, fmt.Errorf("report: %s band: %w", title, err)
	}
	area.Color = rgba(colBand)
	area.LineStyle.Width = 0
	p.Add(area)
	leg.Add(fmt.Sprintf("%s of %d replications", bd.bandName, b.Replications), area)

	line, err := plotter.NewLine(xys(bd.x, bd.mean))
	if err != nil {
		return drawing{}, fmt.Errorf("report: %s mean: %w", title, err)
	}
	line.Color = rgba(colMean)
	line.Width = vg.Points(1.5)
	p.Add(line)
	leg.Add("mean", line)

	if m := bd.meanAfter(b.WarmupS); !math.IsNaN(m) {
		end := b.DurationS / unit.seconds
		steady, err := plotter.NewLine(plotter.XYs{{X: b.WarmupS / unit.seconds, Y: m}, {X: end, Y: m}})
		if err != nil {
			return drawing{}, fmt.Errorf("report: %s steady mean: %w", title, err)
		}
		steady.Color = rgba(colSteady)
		steady.Width = vg.Points(1.2)
		steady.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		p.Add(steady)
		after := "mean"
		if b.WarmupS > 0 {
			after = "mean after warm-up"
		}
		leg.Add(fmt.Sprintf("%s: %s %s", after, formatNumber(m), meanUnit), steady)
	}

	p.X.Min, p.X.Max = 0, b.DurationS/unit.seconds
	p.Y.Min = 0
	p.Y.Max *= 1.08 // room for the warm-up label
	return drawing{plot: p, legend: &leg, height: timeChartHeight}, nil
}

func xys(x, y []float64) plotter.XYs {
	pts := make(plotter.XYs, len(x))
	for i := range x {
		pts[i] = plotter.XY{X: x[i], Y: y[i]}
	}
	return pts
}

// warmupMarker shades the warm-up period over the whole height of the data
// area and labels its end.
type warmupMarker struct {
	x     float64 // end of the warm-up, in the x axis's unit
	label string
	style text.Style
}

// Plot implements plot.Plotter.
func (w *warmupMarker) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	x0, x1 := tx(math.Max(p.X.Min, 0)), tx(w.x)
	c.FillPolygon(rgba(colWarmup), []vg.Point{
		{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y},
	})
	c.StrokeLine2(draw.LineStyle{
		Color: rgba(colWarmupLine), Width: vg.Points(1), Dashes: []vg.Length{vg.Points(3), vg.Points(2)},
	}, x1, c.Min.Y, x1, c.Max.Y)
	sty := w.style
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YTop
	at := vg.Point{X: x1 + vg.Points(3), Y: c.Max.Y - vg.Points(2)}
	if x1+sty.Width(w.label)+vg.Points(6) > c.Max.X {
		// A late warm-up: label it on its left, inside the shaded strip.
		sty.XAlign = draw.XRight
		at.X = x1 - vg.Points(3)
	}
	c.FillText(sty, at, w.label)
}

// DataRange implements plot.DataRanger: the warm-up widens only the x range.
func (w *warmupMarker) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, w.x, math.Inf(1), math.Inf(-1)
}

// Thumbnail implements plot.Thumbnailer for the legend.
func (w *warmupMarker) Thumbnail(c *draw.Canvas) {
	c.SetColor(rgba(colWarmup))
	c.Fill(c.Rectangle.Path())
}
