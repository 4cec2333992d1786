package scene

import "math"

// Point is a position in world or screen coordinates.
type Point struct{ X, Y float64 }

// Rect is an axis-aligned rectangle: top-left corner and size.
type Rect struct{ X, Y, W, H float64 }

// Pt returns the point (x, y), like image.Pt.
func Pt(x, y float64) Point { return Point{x, y} }

// XYWH returns the rectangle whose top-left corner is (x, y), w wide and h
// high.
func XYWH(x, y, w, h float64) Rect { return Rect{x, y, w, h} }

// Contains reports whether p lies inside r (edges included).
func (r Rect) Contains(p Point) bool {
	return p.X >= r.X && p.X <= r.X+r.W && p.Y >= r.Y && p.Y <= r.Y+r.H
}

// Overlaps reports whether r and o share some area (touching edges do not count).
func (r Rect) Overlaps(o Rect) bool {
	return r.X < o.X+o.W && o.X < r.X+r.W && r.Y < o.Y+o.H && o.Y < r.Y+r.H
}

// Inside reports whether r lies within o (edges included).
func (r Rect) Inside(o Rect) bool {
	const eps = 1e-9
	return r.X >= o.X-eps && r.Y >= o.Y-eps && r.X+r.W <= o.X+o.W+eps && r.Y+r.H <= o.Y+o.H+eps
}

// Center returns the middle of r.
func (r Rect) Center() Point { return Point{r.X + r.W/2, r.Y + r.H/2} }

// Inset returns r shrunk by d on every side (grown for a negative d).
func (r Rect) Inset(d float64) Rect { return Rect{r.X + d, r.Y + d, r.W - 2*d, r.H - 2*d} }

// Union returns the smallest rectangle holding r and o; an empty r (zero
// size) is ignored.
func (r Rect) Union(o Rect) Rect {
	if r.W == 0 && r.H == 0 {
		return o
	}
	x0, y0 := math.Min(r.X, o.X), math.Min(r.Y, o.Y)
	x1, y1 := math.Max(r.X+r.W, o.X+o.W), math.Max(r.Y+r.H, o.Y+o.H)
	return Rect{x0, y0, x1 - x0, y1 - y0}
}

// Overlap returns the area r and o share (0 when they do not overlap).
func (r Rect) Overlap(o Rect) float64 {
	w := math.Min(r.X+r.W, o.X+o.W) - math.Max(r.X, o.X)
	h := math.Min(r.Y+r.H, o.Y+o.H) - math.Max(r.Y, o.Y)
	return math.Max(w, 0) * math.Max(h, 0)
}

// Dist returns the distance between a and b.
func Dist(a, b Point) float64 { return math.Hypot(a.X-b.X, a.Y-b.Y) }

// Lerp returns the point a share t of the way from a to b.
func Lerp(a, b Point, t float64) Point {
	return Point{a.X + (b.X-a.X)*t, a.Y + (b.Y-a.Y)*t}
}

// clamp01 returns f within [0, 1].
func clamp01(f float64) float64 { return min(max(f, 0), 1) }

// Camera maps the world (the floor, laid out in world units) onto the
// screen: screen = world x Zoom + Offset.
type Camera struct {
	Zoom   float64
	Offset Point
}

// Zoom limits, relative to the zoom that fits the whole floor in view.
const (
	MinZoomFactor = 0.25
	MaxZoomFactor = 8
)

// ToScreen maps a world point to the screen.
func (c Camera) ToScreen(p Point) Point {
	return Point{p.X*c.Zoom + c.Offset.X, p.Y*c.Zoom + c.Offset.Y}
}

// ToWorld maps a screen point to the world.
func (c Camera) ToWorld(p Point) Point {
	return Point{(p.X - c.Offset.X) / c.Zoom, (p.Y - c.Offset.Y) / c.Zoom}
}

// RectToScreen maps a world rectangle to the screen.
func (c Camera) RectToScreen(r Rect) Rect {
	p := c.ToScreen(Point{r.X, r.Y})
	return Rect{p.X, p.Y, r.W * c.Zoom, r.H * c.Zoom}
}

// Fit returns the camera that shows world centred in view, as large as fits
// but no larger than maxZoom.
func Fit(world, view Rect, maxZoom float64) Camera {
	z := maxZoom
	if world.W > 0 && world.H > 0 {
		z = math.Min(math.Min(view.W/world.W, view.H/world.H), maxZoom)
	}
	wc, vc := world.Center(), view.Center()
	return Camera{Zoom: z, Offset: Point{vc.X - wc.X*z, vc.Y - wc.Y*z}}
}

// ZoomAbout multiplies the zoom by factor, keeping the world point under
// the screen point at fixed where it is, and keeps the zoom within
// [lo, hi].
func (c Camera) ZoomAbout(at Point, factor, lo, hi float64) Camera {
	w := c.ToWorld(at)
	z := math.Min(math.Max(c.Zoom*factor, lo), hi)
	return Camera{Zoom: z, Offset: Point{at.X - w.X*z, at.Y - w.Y*z}}
}

// Pan moves the view by a screen delta (the world follows the mouse).
func (c Camera) Pan(dx, dy float64) Camera {
	c.Offset.X += dx
	c.Offset.Y += dy
	return c
}
