package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
)

// Fonts draws text in the Go fonts (regular and bold) at any size, keeping
// one face per size (sizes are rounded to half pixels so zooming does not
// fill the glyph cache) and remembering how long strings were cut to fit.
//
// Each string is drawn once into a rectangle of one big image (the sheet)
// and copied from there from then on: one draw per label instead of one
// per glyph, which is most of the cost of a frame otherwise; one texture,
// so the copies batch together (an image per string would cost a texture
// each, very slow to create on a software renderer). When the sheet is
// full it is cleared and fills again with the strings still in use.
type Fonts struct {
	regular, bold *text.GoTextFaceSource
	faces         map[faceKey]*text.GoTextFace
	cuts          map[cutKey]string
	sheet         *ebiten.Image
	sprites       map[faceText]sprite
	x, y, rowH    int // where the next sprite goes on the sheet
	op            text.DrawOptions
	img           ebiten.DrawImageOptions
	// scale, when not 1, magnifies what is drawn: positions, sizes and
	// widths are given and returned in units of 1/scale pixels (the HUD's
	// UI scale). 0 counts as 1.
	scale float64
}

// SetScale sets the scale text is drawn at (see Fonts.scale).
func (f *Fonts) SetScale(s float64) { f.scale = s }

// k returns the scale, 1 when unset.
func (f *Fonts) k() float64 {
	if f.scale <= 0 {
		return 1
	}
	return f.scale
}

// faceText is a string in one face.
type faceText struct {
	s    string
	size float64
	bold bool
}

// sprite is a string drawn in white on the sheet, with spritePad pixels of
// margin for glyphs that reach past their advance.
type sprite struct {
	img  *ebiten.Image // its part of the sheet
	w, h float64       // the text's box: advance and line height
}

// spritePad is the margin around a sprite; sheetSize the side of the sheet.
const (
	spritePad = 2
	sheetSize = 2048
)

type faceKey struct {
	size float64
	bold bool
}

type cutKey struct {
	s     string
	size  float64
	bold  bool
	width float64
}

// Align says where text sits in its box, along one axis.
type Align = text.Align

// Alignments.
const (
	Start  = text.AlignStart
	Middle = text.AlignCenter
	End    = text.AlignEnd
)

// NewFonts loads the Go fonts.
func NewFonts() (*Fonts, error) {
	r, err := text.NewGoTextFaceSource(bytes.NewReader(goregular.TTF))
	if err != nil {
		return nil, fmt.Errorf("loading Go Regular: %w", err)
	}
	b, err := text.NewGoTextFaceSource(bytes.NewReader(gobold.TTF))
	if err != nil {
		return nil, fmt.Errorf("loading Go Bold: %w", err)
	}
	return &Fonts{regular: r, bold: b, faces: map[faceKey]*text.GoTextFace{}, cuts: map[cutKey]string{},
		sprites: map[faceText]sprite{}}, nil
}

// Face returns the face of the given size (pixels) and weight.
func (f *Fonts) Face(size float64, bold bool) *text.GoTextFace {
	k := faceKey{math.Round(size*2) / 2, bold}
	if fc, ok := f.faces[k]; ok {
		return fc
	}
	src := f.regular
	if bold {
		src = f.bold
	}
	fc := &text.GoTextFace{Source: src, Size: k.size}
	f.faces[k] = fc
	return fc
}

// Width returns the advance of s.
func (f *Fonts) Width(s string, size float64, bold bool) float64 {
	k := f.k()
	return text.Advance(s, f.Face(size*k, bold)) / k
}

// Fit returns s, or s cut with an ellipsis so that it is at most width wide
// ("" if not even the ellipsis fits).
func (f *Fonts) Fit(s string, size float64, bold bool, width float64) string {
	k := cutKey{s, math.Round(size*f.k()*2) / 2, bold, math.Floor(width * f.k())}
	if c, ok := f.cuts[k]; ok {
		return c
	}
	out := s
	if f.Width(s, size, bold) > width {
		rs := []rune(s)
		lo, hi := 0, len(rs) // the longest prefix that fits with "…"
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if f.Width(string(rs[:mid])+"…", size, bold) <= width {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		out = ""
		if lo > 0 {
			out = string(rs[:lo]) + "…"
		}
	}
	if len(f.cuts) > 8192 {
		clear(f.cuts)
	}
	f.cuts[k] = out
	return out
}

// Draw draws s with its anchor at (x, y): h and v say which part of the
// text's box the anchor is (Start: left or top).
func (f *Fonts) Draw(dst *ebiten.Image, s string, x, y, size float64, bold bool, c color.Color, h, v Align) {
	if s == "" {
		return
	}
	sc := f.k()
	x, y = x*sc, y*sc
	sp := f.sprite(s, size*sc, bold)
	switch h {
	case Middle:
		x -= sp.w / 2
	case End:
		x -= sp.w
	}
	switch v {
	case Middle:
		y -= sp.h / 2
	case End:
		y -= sp.h
	}
	op := &f.img
	op.GeoM.Reset()
	op.GeoM.Translate(math.Round(x)-spritePad, math.Round(y)-spritePad)
	op.ColorScale.Reset()
	op.ColorScale.ScaleWithColor(c)
	dst.DrawImage(sp.img, op)
}

// sprite returns the sprite of s, drawing it on the sheet the first time.
func (f *Fonts) sprite(s string, size float64, bold bool) sprite {
	k := faceText{s, math.Round(size*2) / 2, bold}
	if sp, ok := f.sprites[k]; ok {
		return sp
	}
	face := f.Face(size, bold)
	w, h := text.Measure(s, face, k.size*1.25)
	iw, ih := min(int(math.Ceil(w))+2*spritePad, sheetSize), min(int(math.Ceil(h))+2*spritePad, sheetSize)
	r := f.place(iw, ih)
	op := &f.op
	op.GeoM.Reset()
	op.GeoM.Translate(float64(r.Min.X+spritePad), float64(r.Min.Y+spritePad))
	op.ColorScale.Reset()
	op.PrimaryAlign, op.SecondaryAlign = Start, Start
	op.LineSpacing = k.size * 1.25
	img := f.sheet.SubImage(r).(*ebiten.Image)
	text.Draw(img, s, face, op)
	sp := sprite{img: img, w: w, h: h}
	f.sprites[k] = sp
	return sp
}

// place finds room for a w x h sprite on the sheet, row by row; when the
// sheet is full it is cleared and every sprite forgotten.
func (f *Fonts) place(w, h int) image.Rectangle {
	if f.sheet == nil {
		f.sheet = ebiten.NewImageWithOptions(image.Rect(0, 0, sheetSize, sheetSize), &ebiten.NewImageOptions{Unmanaged: true})
	}
	if f.x+w > sheetSize { // next row
		f.x, f.y, f.rowH = 0, f.y+f.rowH, 0
	}
	if f.y+h > sheetSize { // full: start again
		f.sheet.Clear()
		clear(f.sprites)
		f.x, f.y, f.rowH = 0, 0, 0
	}
	r := image.Rect(f.x, f.y, f.x+w, f.y+h)
	f.x += w
	f.rowH = max(f.rowH, h)
	return r
}

// DrawIn draws s inside r, cut to fit its width, aligned h across and
// centred vertically. It draws nothing when size is below legible.
func (f *Fonts) DrawIn(dst *ebiten.Image, s string, r scene.Rect, size float64, bold bool, c color.Color, h Align) {
	if size < scene.MinTextSize {
		return
	}
	s = f.Fit(s, size, bold, r.W)
	x := r.X
	switch h {
	case Middle:
		x = r.X + r.W/2
	case End:
		x = r.X + r.W
	}
	f.Draw(dst, s, x, r.Y+r.H/2, size, bold, c, h, Middle)
}

// DrawAbout draws s centred on x, cut to fit r's width and moved as little
// as needed to stay inside r; vertically centred in r.
func (f *Fonts) DrawAbout(dst *ebiten.Image, s string, r scene.Rect, x, size float64, bold bool, c color.Color) {
	if size < scene.MinTextSize {
		return
	}
	s = f.Fit(s, size, bold, r.W)
	w := f.Width(s, size, bold)
	x = math.Min(math.Max(x, r.X+w/2), r.X+r.W-w/2)
	f.Draw(dst, s, x, r.Y+r.H/2, size, bold, c, Middle, Middle)
}
