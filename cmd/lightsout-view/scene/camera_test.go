package scene

import (
	"math"
	"testing"
)

func near(a, b Point) bool { return math.Abs(a.X-b.X) < 1e-9 && math.Abs(a.Y-b.Y) < 1e-9 }

func TestCameraRoundTrip(t *testing.T) {
	for _, c := range []Camera{
		{Zoom: 1},
		{Zoom: 0.83, Offset: Point{12, 40}},
		{Zoom: 3.5, Offset: Point{-900, 215.5}},
	} {
		for _, p := range []Point{{0, 0}, {100, 50}, {-30, 1e4}, {0.25, -7}} {
			if got := c.ToWorld(c.ToScreen(p)); !near(got, p) {
				t.Errorf("%+v: world %v -> screen -> world %v", c, p, got)
			}
			if got := c.ToScreen(c.ToWorld(p)); !near(got, p) {
				t.Errorf("%+v: screen %v -> world -> screen %v", c, p, got)
			}
		}
	}
}

func TestZoomAboutKeepsThePointFixed(t *testing.T) {
	c := Camera{Zoom: 0.9, Offset: Point{20, 45}}
	for _, tc := range []struct {
		at     Point
		factor float64
	}{
		{Point{640, 400}, 1.15}, {Point{0, 0}, 2}, {Point{1279, 799}, 0.5}, {Point{333, 120}, 1 / 1.15},
	} {
		w := c.ToWorld(tc.at)
		z := c.ZoomAbout(tc.at, tc.factor, 0.01, 100)
		if math.Abs(z.Zoom-c.Zoom*tc.factor) > 1e-12 {
			t.Errorf("zoom %v x %v = %v", c.Zoom, tc.factor, z.Zoom)
		}
		if got := z.ToScreen(w); !near(got, tc.at) {
			t.Errorf("zoom %v about %v: the world point under it moved to %v", tc.factor, tc.at, got)
		}
	}
}

func TestZoomAboutClamps(t *testing.T) {
	c := Camera{Zoom: 1}
	if got := c.ZoomAbout(Point{10, 10}, 100, 0.5, 4).Zoom; got != 4 {
		t.Errorf("zoom in past the limit: %v, want 4", got)
	}
	z := c.ZoomAbout(Point{10, 10}, 0.001, 0.5, 4)
	if z.Zoom != 0.5 {
		t.Errorf("zoom out past the limit: %v, want 0.5", z.Zoom)
	}
	if got := z.ToScreen(c.ToWorld(Point{10, 10})); !near(got, Point{10, 10}) {
		t.Errorf("a clamped zoom moved the point under the cursor to %v", got)
	}
}

func TestPan(t *testing.T) {
	c := Camera{Zoom: 2, Offset: Point{5, 5}}
	w := Point{30, 40}
	before := c.ToScreen(w)
	after := c.Pan(12, -7).ToScreen(w)
	if !near(after, Point{before.X + 12, before.Y - 7}) {
		t.Errorf("pan by (12,-7) moved %v to %v", before, after)
	}
}

func TestFit(t *testing.T) {
	for _, tc := range []struct {
		world, view Rect
		maxZoom     float64
		wantZoom    float64
	}{
		{Rect{0, 0, 1000, 500}, Rect{0, 40, 1280, 574}, 2, 1.148},    // height binds
		{Rect{0, 0, 2000, 300}, Rect{0, 40, 1280, 574}, 2, 0.64},     // width binds
		{Rect{10, 10, 100, 50}, Rect{0, 40, 1280, 574}, 1.6, 1.6},    // small: capped
		{Rect{-50, -50, 400, 400}, Rect{100, 100, 200, 200}, 5, 0.5}, // square
	} {
		c := Fit(tc.world, tc.view, tc.maxZoom)
		if math.Abs(c.Zoom-tc.wantZoom) > 1e-9 {
			t.Errorf("Fit(%v in %v) zoom %v, want %v", tc.world, tc.view, c.Zoom, tc.wantZoom)
		}
		if got := c.ToScreen(tc.world.Center()); !near(got, tc.view.Center()) {
			t.Errorf("Fit(%v in %v) puts the middle at %v, want %v", tc.world, tc.view, got, tc.view.Center())
		}
		if s := c.RectToScreen(tc.world); !s.Inside(tc.view) {
			t.Errorf("Fit(%v in %v) shows it at %v, not inside", tc.world, tc.view, s)
		}
	}
}

func TestRect(t *testing.T) {
	a := Rect{0, 0, 10, 10}
	for _, tc := range []struct {
		b        Rect
		overlaps bool
	}{
		{Rect{5, 5, 10, 10}, true}, {Rect{10, 0, 5, 5}, false}, {Rect{-5, -5, 5, 5}, false}, {Rect{2, 2, 1, 1}, true},
	} {
		if got := a.Overlaps(tc.b); got != tc.overlaps || tc.b.Overlaps(a) != tc.overlaps {
			t.Errorf("%v overlaps %v = %v, want %v", a, tc.b, got, tc.overlaps)
		}
	}
	if u := (Rect{}).Union(a); u != a {
		t.Errorf("empty union %v", u)
	}
	if u := a.Union(Rect{20, -5, 5, 5}); u != (Rect{0, -5, 25, 15}) {
		t.Errorf("union %v", u)
	}
}
