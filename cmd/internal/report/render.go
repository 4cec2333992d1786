package report

import (
	"fmt"
	"image/png"
	"io"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/lightsout-sim/lightsout/cmd/internal/atomicfile"
)

// dpi is the resolution of the PNG charts.
const dpi = 96

// Chart sizes in pixels.
const (
	chartWidthPx     = 960
	timeChartHeight  = 420
	sweepChartHeight = 420
	rowHeightPx      = 30  // per station or scenario on a horizontal bar chart
	groupRowHeightPx = 48  // per station on the grouped quality chart
	barChartFramePx  = 130 // title, axis and margins of a horizontal bar chart
	minBarChartPx    = 300
)

// figure is one chart of a page: its file, size and what the page says of it.
type figure struct {
	File          string // base name inside the report directory
	Title         string
	Caption       string // one line: how to read the chart
	Width, Height int    // pixels
}

// drawing is a plot ready to render, with the legend drawn beside it.
type drawing struct {
	plot   *plot.Plot
	legend *plot.Legend // nil: no legend
	height int          // pixels; the width is chartWidthPx
}

// barChartHeight is the height of a horizontal bar chart with rows rows of
// rowPx pixels each.
func barChartHeight(rows, rowPx int) int {
	return max(minBarChartPx, barChartFramePx+rows*rowPx)
}

// px converts pixels to a length at the charts' resolution.
func px(n int) vg.Length { return vg.Length(n) * vg.Inch / dpi }

// writePNG renders d into dir/name and returns the image's size in pixels.
func writePNG(dir, name string, d drawing) (w, h int, err error) {
	c := vgimg.NewWith(vgimg.UseWH(px(chartWidthPx), px(d.height)), vgimg.UseDPI(dpi))
	dc := draw.New(c)
	dc.SetColor(d.plot.BackgroundColor)
	dc.Fill(dc.Rectangle.Path())
	pad := vg.Points(8)
	area := draw.Crop(dc, pad, -pad, pad, -pad)
	if d.legend != nil {
		legW := d.legend.Rectangle(area).Size().X
		top := vg.Length(0)
		if d.plot.Title.Text != "" {
			top = d.plot.Title.TextStyle.Rectangle(d.plot.Title.Text).Size().Y + d.plot.Title.Padding
		}
		d.legend.Draw(draw.Crop(area, area.Size().X-legW, 0, 0, -top))
		area = draw.Crop(area, 0, -(legW + 2*pad), 0, 0)
	}
	d.plot.Draw(area)

	img := c.Image()
	if err := atomicfile.Write(filepath.Join(dir, name), func(w io.Writer) error { return png.Encode(w, img) }); err != nil {
		return 0, 0, fmt.Errorf("report: chart %s: %w", name, err)
	}
	return img.Bounds().Dx(), img.Bounds().Dy(), nil
}
