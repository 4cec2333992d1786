package main

import (
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
)

// Shapes collects filled rectangles, quads, lines and circles, in screen
// coordinates, and draws them in one DrawTriangles call per flush: a frame
// of the factory is a few thousand shapes, far cheaper batched than drawn
// one by one. Shapes keep their order. The zero value is not ready: use
// NewShapes.
type Shapes struct {
	white *ebiten.Image
	vs    []ebiten.Vertex
	is    []uint16
	aa    bool
}

// NewShapes returns an empty batch; aa smooths the edges of lines and
// circles with a one-pixel feather (alpha falling to zero across it). That
// costs a few more triangles and no extra pass: ebiten's own AntiAlias
// renders through a double-size offscreen, far too slow on a software GPU.
func NewShapes(aa bool) *Shapes {
	img := ebiten.NewImage(3, 3)
	img.Fill(color.White)
	return &Shapes{white: img.SubImage(image.Rect(1, 1, 2, 2)).(*ebiten.Image), aa: aa}
}

// maxBatch bounds the vertices of one DrawTriangles call (uint16 indices).
const maxBatch = 60000

// Flush draws what was collected onto dst and empties the batch.
func (s *Shapes) Flush(dst *ebiten.Image) {
	if len(s.is) == 0 {
		s.vs = s.vs[:0]
		return
	}
	op := &ebiten.DrawTrianglesOptions{ColorScaleMode: ebiten.ColorScaleModePremultipliedAlpha}
	dst.DrawTriangles(s.vs, s.is, s.white, op)
	s.vs, s.is = s.vs[:0], s.is[:0]
}

// room makes sure n more vertices fit, flushing onto dst if not.
func (s *Shapes) room(dst *ebiten.Image, n int) {
	if len(s.vs)+n > maxBatch {
		s.Flush(dst)
	}
}

func (s *Shapes) vertex(x, y float64, c color.RGBA) {
	s.vs = append(s.vs, ebiten.Vertex{
		DstX: float32(x), DstY: float32(y), SrcX: 1, SrcY: 1,
		ColorR: float32(c.R) / 255, ColorG: float32(c.G) / 255, ColorB: float32(c.B) / 255, ColorA: float32(c.A) / 255,
	})
}

// Quad fills the quadrilateral a-b-c-d (in order around it).
func (s *Shapes) Quad(dst *ebiten.Image, a, b, c, d scene.Point, col color.RGBA) {
	if col.A == 0 {
		return
	}
	s.quad4(dst, a, b, c, d, col, col, col, col)
}

// quad4 fills a-b-c-d with a colour per corner, blended across.
func (s *Shapes) quad4(dst *ebiten.Image, a, b, c, d scene.Point, ca, cb, cc, cd color.RGBA) {
	s.room(dst, 4)
	i := uint16(len(s.vs))
	s.vertex(a.X, a.Y, ca)
	s.vertex(b.X, b.Y, cb)
	s.vertex(c.X, c.Y, cc)
	s.vertex(d.X, d.Y, cd)
	s.is = append(s.is, i, i+1, i+2, i, i+2, i+3)
}

// Rect fills r.
func (s *Shapes) Rect(dst *ebiten.Image, r scene.Rect, col color.RGBA) {
	if r.W <= 0 || r.H <= 0 {
		return
	}
	s.Quad(dst, scene.Pt(r.X, r.Y), scene.Pt(r.X+r.W, r.Y), scene.Pt(r.X+r.W, r.Y+r.H), scene.Pt(r.X, r.Y+r.H), col)
}

// Frame outlines r with a border of width w drawn inside it.
func (s *Shapes) Frame(dst *ebiten.Image, r scene.Rect, w float64, col color.RGBA) {
	w = math.Min(w, math.Min(r.W, r.H)/2)
	s.Rect(dst, scene.XYWH(r.X, r.Y, r.W, w), col)
	s.Rect(dst, scene.XYWH(r.X, r.Y+r.H-w, r.W, w), col)
	s.Rect(dst, scene.XYWH(r.X, r.Y+w, w, r.H-2*w), col)
	s.Rect(dst, scene.XYWH(r.X+r.W-w, r.Y+w, w, r.H-2*w), col)
}

// Line draws a segment of width w from a to b, with square ends.
func (s *Shapes) Line(dst *ebiten.Image, a, b scene.Point, w float64, col color.RGBA) {
	dx, dy := b.X-a.X, b.Y-a.Y
	l := math.Hypot(dx, dy)
	if l < 1e-9 {
		return
	}
	ux, uy := -dy/l, dx/l // the normal
	if !s.aa {
		nx, ny := ux*w/2, uy*w/2
		s.Quad(dst, scene.Pt(a.X+nx, a.Y+ny), scene.Pt(b.X+nx, b.Y+ny), scene.Pt(b.X-nx, b.Y-ny), scene.Pt(a.X-nx, a.Y-ny), col)
		return
	}
	// A solid core and a feather on each side.
	core := math.Max(w-1, 0) / 2
	out := core + 1
	var none color.RGBA
	for _, sg := range [2]float64{1, -1} {
		ci, co := scene.Pt(ux*core*sg, uy*core*sg), scene.Pt(ux*out*sg, uy*out*sg)
		s.quad4(dst, scene.Pt(a.X+ci.X, a.Y+ci.Y), scene.Pt(b.X+ci.X, b.Y+ci.Y), scene.Pt(b.X+co.X, b.Y+co.Y), scene.Pt(a.X+co.X, a.Y+co.Y), col, col, none, none)
	}
	if core > 0 {
		s.Quad(dst, scene.Pt(a.X+ux*core, a.Y+uy*core), scene.Pt(b.X+ux*core, b.Y+uy*core), scene.Pt(b.X-ux*core, b.Y-uy*core), scene.Pt(a.X-ux*core, a.Y-uy*core), col)
	}
}

// Dashed draws a dashed segment: dashes of length on, gaps of length off.
func (s *Shapes) Dashed(dst *ebiten.Image, a, b scene.Point, w, on, off float64, col color.RGBA) {
	l := scene.Dist(a, b)
	for t := 0.0; t < l; t += on + off {
		s.Line(dst, scene.Lerp(a, b, t/l), scene.Lerp(a, b, math.Min(t+on, l)/l), w, col)
	}
}

// Circle fills a disc of radius r around c.
func (s *Shapes) Circle(dst *ebiten.Image, c scene.Point, r float64, col color.RGBA) {
	if r <= 0 || col.A == 0 {
		return
	}
	n := min(max(int(r*1.2), 10), 40)
	inner := r
	if s.aa {
		inner = math.Max(r-0.5, 0)
	}
	s.room(dst, 2*n+1)
	i := uint16(len(s.vs))
	s.vertex(c.X, c.Y, col)
	for k := range n {
		a := 2 * math.Pi * float64(k) / float64(n)
		s.vertex(c.X+inner*math.Cos(a), c.Y+inner*math.Sin(a), col)
	}
	for k := range n {
		s.is = append(s.is, i, i+1+uint16(k), i+1+uint16((k+1)%n))
	}
	if !s.aa {
		return
	}
	o := uint16(len(s.vs)) // the feather: from inner (opaque) to r+0.5 (clear)
	for k := range n {
		a := 2 * math.Pi * float64(k) / float64(n)
		s.vertex(c.X+(r+0.5)*math.Cos(a), c.Y+(r+0.5)*math.Sin(a), color.RGBA{})
	}
	for k := range n {
		k1 := uint16((k + 1) % n)
		s.is = append(s.is, i+1+uint16(k), o+uint16(k), o+k1, i+1+uint16(k), o+k1, i+1+k1)
	}
}

// Ring draws a circle outline of width w.
func (s *Shapes) Ring(dst *ebiten.Image, c scene.Point, r, w float64, col color.RGBA) {
	n := min(max(int(r*1.2), 12), 48)
	for k := range n {
		a0 := 2 * math.Pi * float64(k) / float64(n)
		a1 := 2 * math.Pi * float64(k+1) / float64(n)
		ri, ro := r-w/2, r+w/2
		s.Quad(dst,
			scene.Pt(c.X+ro*math.Cos(a0), c.Y+ro*math.Sin(a0)), scene.Pt(c.X+ro*math.Cos(a1), c.Y+ro*math.Sin(a1)),
			scene.Pt(c.X+ri*math.Cos(a1), c.Y+ri*math.Sin(a1)), scene.Pt(c.X+ri*math.Cos(a0), c.Y+ri*math.Sin(a0)), col)
	}
}

// RoundRect fills r with corners of radius rad.
func (s *Shapes) RoundRect(dst *ebiten.Image, r scene.Rect, rad float64, col color.RGBA) {
	rad = math.Min(rad, math.Min(r.W, r.H)/2)
	if rad < 0.75 {
		s.Rect(dst, r, col)
		return
	}
	s.Rect(dst, scene.XYWH(r.X+rad, r.Y, r.W-2*rad, r.H), col)
	s.Rect(dst, scene.XYWH(r.X, r.Y+rad, rad, r.H-2*rad), col)
	s.Rect(dst, scene.XYWH(r.X+r.W-rad, r.Y+rad, rad, r.H-2*rad), col)
	// Which way each corner faces is given, not worked out from its
	// centre: with rad half the height, a pill, the centres all sit on the
	// middle line.
	for _, c := range [4]struct {
		p           scene.Point
		right, down bool
	}{{scene.Pt(r.X+rad, r.Y+rad), false, false}, {scene.Pt(r.X+r.W-rad, r.Y+rad), true, false},
		{scene.Pt(r.X+r.W-rad, r.Y+r.H-rad), true, true}, {scene.Pt(r.X+rad, r.Y+r.H-rad), false, true}} {
		s.quarter(dst, c.p, rad, col, c.right, c.down)
	}
}

// quarter fills the quarter disc of a rounded corner.
func (s *Shapes) quarter(dst *ebiten.Image, c scene.Point, r float64, col color.RGBA, right, down bool) {
	const n = 6
	s.room(dst, n+2)
	i := uint16(len(s.vs))
	s.vertex(c.X, c.Y, col)
	sx, sy := -1.0, -1.0
	if right {
		sx = 1
	}
	if down {
		sy = 1
	}
	for k := 0; k <= n; k++ {
		a := math.Pi / 2 * float64(k) / n
		s.vertex(c.X+sx*r*math.Cos(a), c.Y+sy*r*math.Sin(a), col)
	}
	for k := range n {
		s.is = append(s.is, i, i+1+uint16(k), i+2+uint16(k))
	}
}

// RoundFrame outlines r, corners of radius rad, with a border of width w
// drawn inside it: cheaper than a rounded rectangle under another, which
// fills the whole area twice.
func (s *Shapes) RoundFrame(dst *ebiten.Image, r scene.Rect, rad, w float64, col color.RGBA) {
	rad = math.Min(rad, math.Min(r.W, r.H)/2)
	if rad < w {
		s.Frame(dst, r, w, col)
		return
	}
	s.Rect(dst, scene.XYWH(r.X+rad, r.Y, r.W-2*rad, w), col)
	s.Rect(dst, scene.XYWH(r.X+rad, r.Y+r.H-w, r.W-2*rad, w), col)
	s.Rect(dst, scene.XYWH(r.X, r.Y+rad, w, r.H-2*rad), col)
	s.Rect(dst, scene.XYWH(r.X+r.W-w, r.Y+rad, w, r.H-2*rad), col)
	const n = 6
	for _, c := range [4]struct {
		p      scene.Point
		sx, sy float64
	}{{scene.Pt(r.X+rad, r.Y+rad), -1, -1}, {scene.Pt(r.X+r.W-rad, r.Y+rad), 1, -1},
		{scene.Pt(r.X+r.W-rad, r.Y+r.H-rad), 1, 1}, {scene.Pt(r.X+rad, r.Y+r.H-rad), -1, 1}} {
		for k := range n {
			a0, a1 := math.Pi/2*float64(k)/n, math.Pi/2*float64(k+1)/n
			at := func(a, d float64) scene.Point { return scene.Pt(c.p.X+c.sx*d*math.Cos(a), c.p.Y+c.sy*d*math.Sin(a)) }
			s.Quad(dst, at(a0, rad), at(a1, rad), at(a1, rad-w), at(a0, rad-w), col)
		}
	}
}
