package scene

import (
	"testing"

	"github.com/lightsout-sim/lightsout/configs/configstest"
)

func TestFloorView(t *testing.T) {
	for _, tc := range []struct {
		w, h int
		dash bool
		want Rect
	}{
		{1280, 800, true, Rect{0, TopBarH, 1280, 800 - TopBarH - DashboardH}},
		{1280, 800, false, Rect{0, TopBarH, 1280, 800 - TopBarH}},
		{800, 200, true, Rect{0, TopBarH, 800, 80}}, // never less than 80 high
	} {
		if got := FloorView(tc.w, tc.h, tc.dash); got != tc.want {
			t.Errorf("FloorView(%d, %d, %v) = %v, want %v", tc.w, tc.h, tc.dash, got, tc.want)
		}
	}
}

func TestDashPanels(t *testing.T) {
	for _, w := range []int{800, 1280, 1920} {
		screen := Rect{0, 0, float64(w), 800}
		p := DashPanels(w, 800)
		dash := Rect{0, 800 - DashboardH, float64(w), DashboardH}
		for k, r := range p {
			if !r.Inside(dash) || !r.Inside(screen) || r.W <= 0 || r.H <= 0 {
				t.Errorf("width %d: panel %d %v outside the dashboard %v", w, k, r, dash)
			}
			if k > 0 && (r.X <= p[k-1].X+p[k-1].W || r.Y != p[k-1].Y) {
				t.Errorf("width %d: panel %d %v not right of panel %d %v", w, k, r, k-1, p[k-1])
			}
		}
		if p[0].W <= p[1].W || p[0].W <= p[3].W {
			t.Errorf("width %d: the chart (%v) is not the widest panel", w, p[0].W)
		}
	}
}

func TestDetailPlaceAvoidsTheSelectionAndTheMachines(t *testing.T) {
	f := Lay(configstest.Embedded(t, "demo-line"), 1280, 574)
	view := FloorView(1280, 800, true)
	cam := FitCamera(f, view)
	const w = 380.0
	for _, h := range []float64{300, 480} { // 480: a station's panel, nearly the view's height
		detailPlaceCase(t, f, view, cam, w, h)
	}
}

func detailPlaceCase(t *testing.T, f *Floor, view Rect, cam Camera, w, h float64) {
	cost := func(r Rect) float64 {
		c := 0.0
		for i := range f.Stations {
			c += cam.RectToScreen(f.Stations[i].Slot).Overlap(r)
		}
		for i := range f.Docks {
			c += cam.RectToScreen(f.Docks[i].Slot).Overlap(r)
		}
		return c
	}
	for i := range f.Stations {
		sel := cam.RectToScreen(f.Stations[i].Box)
		r := DetailPlace(f, cam, view, w, h, sel)
		if !r.Inside(view) || r.W != w || r.H != h {
			t.Fatalf("panel %v outside the view %v", r, view)
		}
		if r.Overlap(sel) > 0 {
			t.Errorf("station %d: the panel %v hides the selection %v", i, r, sel)
		}
		// No other corner clear of the selection hides less of the floor.
		for _, o := range []Rect{{view.X + 10, view.Y + 10, w, h}, {view.X + view.W - w - 10, view.Y + 10, w, h},
			{view.X + 10, view.Y + view.H - h - 10, w, h}, {view.X + view.W - w - 10, view.Y + view.H - h - 10, w, h}} {
			if o.Overlap(sel.Inset(-selMargin)) == 0 && cost(o) < cost(r)-1e-6 {
				t.Errorf("station %d: panel at %v hides %.0f, the corner %v only %.0f", i, r, cost(r), o, cost(o))
			}
		}
	}
}

func TestRectOverlap(t *testing.T) {
	a := Rect{0, 0, 10, 10}
	for _, tc := range []struct {
		b    Rect
		want float64
	}{
		{Rect{5, 5, 10, 10}, 25}, {Rect{10, 0, 5, 5}, 0}, {Rect{-5, -5, 5, 5}, 0}, {Rect{2, 2, 1, 1}, 1}, {Rect{20, 20, 5, 5}, 0},
	} {
		if got := a.Overlap(tc.b); got != tc.want || tc.b.Overlap(a) != tc.want {
			t.Errorf("%v overlap %v = %v, want %v", a, tc.b, got, tc.want)
		}
	}
	if Pt(1, 2) != (Point{1, 2}) || XYWH(1, 2, 3, 4) != (Rect{1, 2, 3, 4}) {
		t.Error("Pt or XYWH mixes up its arguments")
	}
}
