package main

import (
	"image"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/mesh"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
)

// Shapes collects filled rectangles, quads, lines and circles, in screen
// coordinates, as a mesh.Batch of triangles, and draws them in one
// DrawTriangles call per flush (or when the batch fills). Shapes keep
// their order. The zero value is not ready: use NewShapes.
type Shapes struct {
	white *ebiten.Image
	batch mesh.Batch
	vs    []ebiten.Vertex // the batch in ebiten's form
	dst   *ebiten.Image   // where the shape being added goes, should the batch fill
	// scale magnifies the shapes as they are drawn (the HUD's UI scale):
	// they are given in units of 1/scale pixels. Change it only between
	// flushes.
	scale float64
}

// SetScale flushes what was collected onto dst and sets the scale of what
// follows.
func (s *Shapes) SetScale(dst *ebiten.Image, k float64) {
	s.Flush(dst)
	s.scale = k
}

// NewShapes returns an empty batch; aa smooths the edges of lines and
// circles (see mesh.Batch).
func NewShapes(aa bool) *Shapes {
	img := ebiten.NewImage(3, 3)
	img.Fill(color.White)
	s := &Shapes{white: img.SubImage(image.Rect(1, 1, 2, 2)).(*ebiten.Image), scale: 1}
	s.batch.AA = aa
	s.batch.Full = func() { s.Flush(s.dst) }
	return s
}

// Flush draws what was collected onto dst and empties the batch.
func (s *Shapes) Flush(dst *ebiten.Image) {
	b := &s.batch
	if len(b.Indices) == 0 {
		b.Reset()
		return
	}
	s.vs = s.vs[:0]
	for _, v := range b.Vertices {
		s.vs = append(s.vs, ebiten.Vertex{DstX: v.X * float32(s.scale), DstY: v.Y * float32(s.scale), SrcX: 1, SrcY: 1, ColorR: v.R, ColorG: v.G, ColorB: v.B, ColorA: v.A})
	}
	op := &ebiten.DrawTrianglesOptions{ColorScaleMode: ebiten.ColorScaleModePremultipliedAlpha}
	dst.DrawTriangles(s.vs, b.Indices, s.white, op)
	b.Reset()
}

// Quad fills the quadrilateral a-b-c-d (in order around it) on dst.
func (s *Shapes) Quad(dst *ebiten.Image, a, b, c, d scene.Point, col color.RGBA) {
	s.dst = dst
	s.batch.Quad(a, b, c, d, col)
}

// Rect fills r on dst.
func (s *Shapes) Rect(dst *ebiten.Image, r scene.Rect, col color.RGBA) {
	s.dst = dst
	s.batch.Rect(r, col)
}

// Frame outlines r on dst with a border of width w drawn inside it.
func (s *Shapes) Frame(dst *ebiten.Image, r scene.Rect, w float64, col color.RGBA) {
	s.dst = dst
	s.batch.Frame(r, w, col)
}

// Line draws a segment of width w from a to b on dst, with square ends.
func (s *Shapes) Line(dst *ebiten.Image, a, b scene.Point, w float64, col color.RGBA) {
	s.dst = dst
	s.batch.Line(a, b, w, col)
}

// Dashed draws a dashed segment on dst: dashes of length on, gaps of
// length off.
func (s *Shapes) Dashed(dst *ebiten.Image, a, b scene.Point, w, on, off float64, col color.RGBA) {
	s.dst = dst
	s.batch.Dashed(a, b, w, on, off, col)
}

// Circle fills a disc of radius r around c on dst.
func (s *Shapes) Circle(dst *ebiten.Image, c scene.Point, r float64, col color.RGBA) {
	s.dst = dst
	s.batch.Circle(c, r, col)
}

// Ring draws a circle outline of width w on dst.
func (s *Shapes) Ring(dst *ebiten.Image, c scene.Point, r, w float64, col color.RGBA) {
	s.dst = dst
	s.batch.Ring(c, r, w, col)
}

// RoundRect fills r on dst with corners of radius rad.
func (s *Shapes) RoundRect(dst *ebiten.Image, r scene.Rect, rad float64, col color.RGBA) {
	s.dst = dst
	s.batch.RoundRect(r, rad, col)
}

// RoundFrame outlines r on dst, corners of radius rad, with a border of
// width w drawn inside it.
func (s *Shapes) RoundFrame(dst *ebiten.Image, r scene.Rect, rad, w float64, col color.RGBA) {
	s.dst = dst
	s.batch.RoundFrame(r, rad, w, col)
}
