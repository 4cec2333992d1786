package mesh

import (
	"image/color"
	"math"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
)

// Vertex is a corner of a triangle in screen coordinates, with its colour
// as premultiplied components from 0 to 1.
type Vertex struct {
	X, Y       float32
	R, G, B, A float32
}

// MaxVertices bounds the vertices of a batch (its indices are 16 bits).
const MaxVertices = 60000

// Batch collects shapes as triangles: Vertices, and Indices into them,
// three a triangle. Shapes keep their order. The zero value is ready to
// use, but it must be given Full before it fills.
type Batch struct {
	// AA smooths the edges of lines and circles with a one-pixel feather
	// (alpha falling to zero across it). That costs a few more triangles
	// and no extra pass (ebiten's own AntiAlias renders through a
	// double-size offscreen, far too slow on a software GPU).
	AA bool
	// Full is called when the next shape would take the batch past
	// MaxVertices, before it is added: it draws the batch and resets it.
	Full func()

	Vertices []Vertex
	Indices  []uint16
}

// Reset empties the batch, keeping its memory.
func (s *Batch) Reset() { s.Vertices, s.Indices = s.Vertices[:0], s.Indices[:0] }

// room makes sure n more vertices fit, calling Full if not.
func (s *Batch) room(n int) {
	if len(s.Vertices)+n <= MaxVertices {
		return
	}
	if s.Full == nil {
		panic("mesh: the batch is full and has no Full func to draw it")
	}
	s.Full()
	if len(s.Vertices)+n > MaxVertices {
		panic("mesh: Full left the batch full")
	}
}

func (s *Batch) vertex(x, y float64, c color.RGBA) {
	s.Vertices = append(s.Vertices, Vertex{
		X: float32(x), Y: float32(y),
		R: float32(c.R) / 255, G: float32(c.G) / 255, B: float32(c.B) / 255, A: float32(c.A) / 255,
	})
}

// Quad fills the quadrilateral a-b-c-d (in order around it).
func (s *Batch) Quad(a, b, c, d scene.Point, col color.RGBA) {
	if col.A == 0 {
		return
	}
	s.quad4(a, b, c, d, col, col, col, col)
}

// quad4 fills a-b-c-d with a colour per corner, blended across.
func (s *Batch) quad4(a, b, c, d scene.Point, ca, cb, cc, cd color.RGBA) {
	s.room(4)
	i := uint16(len(s.Vertices))
	s.vertex(a.X, a.Y, ca)
	s.vertex(b.X, b.Y, cb)
	s.vertex(c.X, c.Y, cc)
	s.vertex(d.X, d.Y, cd)
	s.Indices = append(s.Indices, i, i+1, i+2, i, i+2, i+3)
}

// Rect fills r.
func (s *Batch) Rect(r scene.Rect, col color.RGBA) {
	if r.W <= 0 || r.H <= 0 {
		return
	}
	s.Quad(scene.Pt(r.X, r.Y), scene.Pt(r.X+r.W, r.Y), scene.Pt(r.X+r.W, r.Y+r.H), scene.Pt(r.X, r.Y+r.H), col)
}

// Frame outlines r with a border of width w drawn inside it.
func (s *Batch) Frame(r scene.Rect, w float64, col color.RGBA) {
	w = math.Min(w, math.Min(r.W, r.H)/2)
	s.Rect(scene.XYWH(r.X, r.Y, r.W, w), col)
	s.Rect(scene.XYWH(r.X, r.Y+r.H-w, r.W, w), col)
	s.Rect(scene.XYWH(r.X, r.Y+w, w, r.H-2*w), col)
	s.Rect(scene.XYWH(r.X+r.W-w, r.Y+w, w, r.H-2*w), col)
}

// Line draws a segment of width w from a to b, with square ends.
func (s *Batch) Line(a, b scene.Point, w float64, col color.RGBA) {
	dx, dy := b.X-a.X, b.Y-a.Y
	l := math.Hypot(dx, dy)
	if l < 1e-9 {
		return
	}
	ux, uy := -dy/l, dx/l // the normal
	if !s.AA {
		nx, ny := ux*w/2, uy*w/2
		s.Quad(scene.Pt(a.X+nx, a.Y+ny), scene.Pt(b.X+nx, b.Y+ny), scene.Pt(b.X-nx, b.Y-ny), scene.Pt(a.X-nx, a.Y-ny), col)
		return
	}
	// A solid core and a feather on each side.
	core := math.Max(w-1, 0) / 2
	out := core + 1
	var none color.RGBA
	for _, sg := range [2]float64{1, -1} {
		ci, co := scene.Pt(ux*core*sg, uy*core*sg), scene.Pt(ux*out*sg, uy*out*sg)
		s.quad4(scene.Pt(a.X+ci.X, a.Y+ci.Y), scene.Pt(b.X+ci.X, b.Y+ci.Y), scene.Pt(b.X+co.X, b.Y+co.Y), scene.Pt(a.X+co.X, a.Y+co.Y), col, col, none, none)
	}
	if core > 0 {
		s.Quad(scene.Pt(a.X+ux*core, a.Y+uy*core), scene.Pt(b.X+ux*core, b.Y+uy*core), scene.Pt(b.X-ux*core, b.Y-uy*core), scene.Pt(a.X-ux*core, a.Y-uy*core), col)
	}
}

// Dashed draws a dashed segment: dashes of length on, gaps of length off.
func (s *Batch) Dashed(a, b scene.Point, w, on, off float64, col color.RGBA) {
	l := scene.Dist(a, b)
	for t := 0.0; t < l; t += on + off {
		s.Line(scene.Lerp(a, b, t/l), scene.Lerp(a, b, math.Min(t+on, l)/l), w, col)
	}
}

// Circle fills a disc of radius r around c.
func (s *Batch) Circle(c scene.Point, r float64, col color.RGBA) {
	if r <= 0 || col.A == 0 {
		return
	}
	n := min(max(int(r*1.2), 10), 40)
	inner := r
	if s.AA {
		inner = math.Max(r-0.5, 0)
	}
	s.room(2*n + 1)
	i := uint16(len(s.Vertices))
	s.vertex(c.X, c.Y, col)
	for k := range n {
		a := 2 * math.Pi * float64(k) / float64(n)
		s.vertex(c.X+inner*math.Cos(a), c.Y+inner*math.Sin(a), col)
	}
	for k := range n {
		s.Indices = append(s.Indices, i, i+1+uint16(k), i+1+uint16((k+1)%n))
	}
	if !s.AA {
		return
	}
	o := uint16(len(s.Vertices)) // the feather: from inner (opaque) to r+0.5 (clear)
	for k := range n {
		a := 2 * math.Pi * float64(k) / float64(n)
		s.vertex(c.X+(r+0.5)*math.Cos(a), c.Y+(r+0.5)*math.Sin(a), color.RGBA{})
	}
	for k := range n {
		k1 := uint16((k + 1) % n)
		s.Indices = append(s.Indices, i+1+uint16(k), o+uint16(k), o+k1, i+1+uint16(k), o+k1, i+1+k1)
	}
}

// Ring draws a circle outline of width w.
func (s *Batch) Ring(c scene.Point, r, w float64, col color.RGBA) {
	n := min(max(int(r*1.2), 12), 48)
	for k := range n {
		a0 := 2 * math.Pi * float64(k) / float64(n)
		a1 := 2 * math.Pi * float64(k+1) / float64(n)
		ri, ro := r-w/2, r+w/2
		s.Quad(
			scene.Pt(c.X+ro*math.Cos(a0), c.Y+ro*math.Sin(a0)), scene.Pt(c.X+ro*math.Cos(a1), c.Y+ro*math.Sin(a1)),
			scene.Pt(c.X+ri*math.Cos(a1), c.Y+ri*math.Sin(a1)), scene.Pt(c.X+ri*math.Cos(a0), c.Y+ri*math.Sin(a0)), col)
	}
}

// RoundRect fills r with corners of radius rad.
func (s *Batch) RoundRect(r scene.Rect, rad float64, col color.RGBA) {
	rad = math.Min(rad, math.Min(r.W, r.H)/2)
	if rad < 0.75 {
		s.Rect(r, col)
		return
	}
	s.Rect(scene.XYWH(r.X+rad, r.Y, r.W-2*rad, r.H), col)
	s.Rect(scene.XYWH(r.X, r.Y+rad, rad, r.H-2*rad), col)
	s.Rect(scene.XYWH(r.X+r.W-rad, r.Y+rad, rad, r.H-2*rad), col)
	// Which way each corner faces is given, not worked out from its
	// centre: with rad half the height, a pill, the centres all sit on the
	// middle line.
	for _, c := range [4]struct {
		p           scene.Point
		right, down bool
	}{{scene.Pt(r.X+rad, r.Y+rad), false, false}, {scene.Pt(r.X+r.W-rad, r.Y+rad), true, false},
		{scene.Pt(r.X+r.W-rad, r.Y+r.H-rad), true, true}, {scene.Pt(r.X+rad, r.Y+r.H-rad), false, true}} {
		s.quarter(c.p, rad, col, c.right, c.down)
	}
}

// quarter fills the quarter disc of a rounded corner.
func (s *Batch) quarter(c scene.Point, r float64, col color.RGBA, right, down bool) {
	const n = 6
	s.room(n + 2)
	i := uint16(len(s.Vertices))
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
		s.Indices = append(s.Indices, i, i+1+uint16(k), i+2+uint16(k))
	}
}

// RoundFrame outlines r, corners of radius rad, with a border of width w
// drawn inside it: cheaper than a rounded rectangle under another, which
// fills the whole area twice.
func (s *Batch) RoundFrame(r scene.Rect, rad, w float64, col color.RGBA) {
	rad = math.Min(rad, math.Min(r.W, r.H)/2)
	if rad < w {
		s.Frame(r, w, col)
		return
	}
	s.Rect(scene.XYWH(r.X+rad, r.Y, r.W-2*rad, w), col)
	s.Rect(scene.XYWH(r.X+rad, r.Y+r.H-w, r.W-2*rad, w), col)
	s.Rect(scene.XYWH(r.X, r.Y+rad, w, r.H-2*rad), col)
	s.Rect(scene.XYWH(r.X+r.W-w, r.Y+rad, w, r.H-2*rad), col)
	const n = 6
	for _, c := range [4]struct {
		p      scene.Point
		sx, sy float64
	}{{scene.Pt(r.X+rad, r.Y+rad), -1, -1}, {scene.Pt(r.X+r.W-rad, r.Y+rad), 1, -1},
		{scene.Pt(r.X+r.W-rad, r.Y+r.H-rad), 1, 1}, {scene.Pt(r.X+rad, r.Y+r.H-rad), -1, 1}} {
		for k := range n {
			a0, a1 := math.Pi/2*float64(k)/n, math.Pi/2*float64(k+1)/n
			at := func(a, d float64) scene.Point { return scene.Pt(c.p.X+c.sx*d*math.Cos(a), c.p.Y+c.sy*d*math.Sin(a)) }
			s.Quad(at(a0, rad), at(a1, rad), at(a1, rad-w), at(a0, rad-w), col)
		}
	}
}
