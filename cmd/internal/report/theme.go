package report

import (
	"fmt"
	"image/color"

	stdfont "golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// theme holds the fonts and sizes every chart of one report is drawn with.
// It is built per report, so nothing of gonum/plot's package-level defaults
// is read for text or changed.
type theme struct {
	handler text.Handler
	regular font.Font
	bold    font.Font
}

// goTypeface names Go's fonts in the theme's font cache.
const goTypeface font.Typeface = "Go"

// newTheme parses Go's regular and bold fonts into a font cache of its own.
func newTheme() (*theme, error) {
	var coll font.Collection
	for _, f := range []struct {
		weight stdfont.Weight
		ttf    []byte
	}{{stdfont.WeightNormal, goregular.TTF}, {stdfont.WeightBold, gobold.TTF}} {
		face, err := opentype.Parse(f.ttf)
		if err != nil {
			return nil, fmt.Errorf("report: parse Go font: %w", err)
		}
		coll = append(coll, font.Face{Font: font.Font{Typeface: goTypeface, Weight: f.weight}, Face: face})
	}
	return &theme{
		handler: text.Plain{Fonts: font.NewCache(coll)},
		regular: font.Font{Typeface: goTypeface},
		bold:    font.Font{Typeface: goTypeface, Weight: stdfont.WeightBold},
	}, nil
}

// style returns a text style in the theme's fonts, black unless c is given.
func (t *theme) style(f font.Font, size vg.Length) text.Style {
	return text.Style{Color: color.Black, Font: font.From(f, size), Handler: t.handler}
}

// newPlot returns a plot whose every text style uses the theme's fonts.
func (t *theme) newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.TextHandler = t.handler
	p.Title.Text = title
	p.Title.Padding = vg.Points(8)
	setFont(&p.Title.TextStyle, t.handler, font.From(t.bold, 13))
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		setFont(&a.Label.TextStyle, t.handler, font.From(t.regular, 11))
		setFont(&a.Tick.Label, t.handler, font.From(t.regular, 9.5))
		a.Tick.Marker = readableTicks{}
	}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	setFont(&p.Legend.TextStyle, t.handler, font.From(t.regular, 10))
	return p
}

// newLegend returns an empty legend, set in the theme's fonts, that is drawn
// beside a plot rather than over its data.
func (t *theme) newLegend() plot.Legend {
	l := plot.NewLegend()
	setFont(&l.TextStyle, t.handler, font.From(t.regular, 10))
	l.Top, l.Left = true, true
	l.Padding = vg.Points(3)
	l.ThumbnailWidth = vg.Points(16)
	return l
}

func setFont(s *text.Style, h text.Handler, f font.Font) {
	s.Handler = h
	s.Font = f
	if s.Color == nil {
		s.Color = color.Black
	}
}

// Colours of the charts, as 0xRRGGBBAA: muted for context, strong for what
// the eye should find.
const (
	colWorking     = 0x3a8f3fff
	colHandling    = 0x9ccf7aff
	colBlocked     = 0xe88a1aff
	colStarved     = 0xf2d35bff
	colDown        = 0xb82e2eff
	colMaintenance = 0x867cc4ff
	colHeld        = 0x8c96a3ff
	colOther       = 0xd9d9d9ff
	colBottleneck  = 0x1b2a8cff
	colMean        = 0x1f5fa8ff
	colBand        = 0x1f5fa840
	colWarmup      = 0x80808030
	colWarmupLine  = 0x555555ff
	colSteady      = 0xc0392bff
	colGrid        = 0xe6e6e6ff
)

// rgba turns 0xRRGGBBAA into a colour. Alpha below 0xff gives a translucent
// fill: the channels are premultiplied as image/color requires.
func rgba(c uint32) color.Color {
	a := uint8(c)
	pm := func(v uint8) uint8 { return uint8(uint32(v) * uint32(a) / 0xff) }
	return color.RGBA{R: pm(uint8(c >> 24)), G: pm(uint8(c >> 16)), B: pm(uint8(c >> 8)), A: a}
}
