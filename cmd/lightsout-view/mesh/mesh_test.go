package mesh

import (
	"image/color"
	"math"
	"testing"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
)

var red = color.RGBA{0xff, 0, 0, 0xff}

// area returns the area the batch's triangles cover (overlaps counted twice).
func area(b *Batch) float64 {
	a := 0.0
	for k := 0; k+2 < len(b.Indices); k += 3 {
		p, q, r := b.Vertices[b.Indices[k]], b.Vertices[b.Indices[k+1]], b.Vertices[b.Indices[k+2]]
		a += math.Abs(float64((q.X-p.X)*(r.Y-p.Y)-(q.Y-p.Y)*(r.X-p.X))) / 2
	}
	return a
}

// checkInside fails the test when a vertex of b lies outside r (by more
// than a rounding error), or an index points past the vertices.
func checkInside(t *testing.T, what string, b *Batch, r scene.Rect) {
	t.Helper()
	for _, i := range b.Indices {
		if int(i) >= len(b.Vertices) {
			t.Fatalf("%s: index %d of %d vertices", what, i, len(b.Vertices))
		}
	}
	for _, v := range b.Vertices {
		if !r.Inset(-1e-3).Contains(scene.Pt(float64(v.X), float64(v.Y))) {
			t.Errorf("%s: vertex (%v, %v) outside %v", what, v.X, v.Y, r)
		}
	}
}

func TestRect(t *testing.T) {
	var b Batch
	b.Rect(scene.XYWH(10, 20, 30, 40), color.RGBA{0x80, 0x40, 0, 0x80})
	if len(b.Vertices) != 4 || len(b.Indices) != 6 {
		t.Fatalf("a rectangle is %d vertices, %d indices", len(b.Vertices), len(b.Indices))
	}
	if got := area(&b); got != 1200 {
		t.Errorf("area %v, want 1200", got)
	}
	if v := b.Vertices[2]; v.X != 40 || v.Y != 60 || v.R != float32(0x80)/255 || v.A != float32(0x80)/255 {
		t.Errorf("third corner %+v", v)
	}
	b.Reset()
	b.Rect(scene.XYWH(0, 0, 0, 10), red)
	b.Rect(scene.XYWH(0, 0, 10, 10), color.RGBA{})
	if len(b.Vertices) != 0 {
		t.Errorf("an empty or clear rectangle made %d vertices", len(b.Vertices))
	}
}

func TestFrameIsItsBorder(t *testing.T) {
	var b Batch
	r := scene.XYWH(0, 0, 50, 30)
	b.Frame(r, 2, red)
	checkInside(t, "frame", &b, r)
	if got, want := area(&b), 50.0*30-46*26; math.Abs(got-want) > 1e-9 {
		t.Errorf("frame area %v, want %v", got, want)
	}
}

func TestLine(t *testing.T) {
	var b Batch
	b.Line(scene.Pt(0, 0), scene.Pt(30, 40), 4, red)
	if got := area(&b); math.Abs(got-200) > 1e-3 {
		t.Errorf("a 50 x 4 line covers %v", got)
	}
	b.Reset()
	b.Line(scene.Pt(5, 5), scene.Pt(5, 5), 4, red)
	if len(b.Vertices) != 0 {
		t.Error("a line of no length was drawn")
	}
	// Smoothed: a solid core and feathers fading to clear at the edges.
	b = Batch{AA: true}
	b.Line(scene.Pt(0, 0), scene.Pt(10, 0), 3, red)
	for _, v := range b.Vertices {
		switch d := math.Abs(float64(v.Y)); {
		case math.Abs(d-2) < 1e-6 && v.A != 0:
			t.Errorf("feather edge at y=%v has alpha %v", v.Y, v.A)
		case math.Abs(d-1) < 1e-6 && v.A != 1:
			t.Errorf("core edge at y=%v has alpha %v", v.Y, v.A)
		}
	}
}

func TestDashed(t *testing.T) {
	var b Batch
	b.Dashed(scene.Pt(0, 0), scene.Pt(100, 0), 2, 7, 5, red) // dashes at 0, 12, ... 96
	if got := len(b.Vertices) / 4; got != 9 {
		t.Errorf("%d dashes over 100 with 7 on and 5 off, want 9", got)
	}
	checkInside(t, "dashes", &b, scene.XYWH(0, -1, 100, 2))
}

func TestCircleAndRing(t *testing.T) {
	for _, r := range []float64{3, 12, 60} {
		var b Batch
		b.Circle(scene.Pt(100, 100), r, red)
		checkInside(t, "circle", &b, scene.XYWH(100-r, 100-r, 2*r, 2*r))
		if got, want := area(&b), math.Pi*r*r; got < 0.93*want || got > want {
			t.Errorf("circle of radius %v covers %v, want about %v", r, got, want)
		}
		b.Reset()
		b.Ring(scene.Pt(0, 0), r, 2, red)
		if got, want := area(&b), math.Pi*((r+1)*(r+1)-(r-1)*(r-1)); got < 0.95*want || got > want {
			t.Errorf("ring of radius %v covers %v, want about %v", r, got, want)
		}
	}
	// Smoothed, the disc reaches half a pixel further, clear at the rim.
	b := Batch{AA: true}
	b.Circle(scene.Pt(0, 0), 10, red)
	checkInside(t, "smooth circle", &b, scene.XYWH(-10.5, -10.5, 21, 21))
	if v := b.Vertices[len(b.Vertices)-1]; v.A != 0 {
		t.Errorf("the rim's alpha is %v", v.A)
	}
}

func TestRoundRect(t *testing.T) {
	for _, tc := range []struct {
		r   scene.Rect
		rad float64
	}{
		{scene.XYWH(10, 10, 80, 40), 6},
		{scene.XYWH(10, 10, 80, 20), 10}, // a pill: corner centres on the middle line
		{scene.XYWH(10, 10, 80, 20), 50}, // capped to a pill
		{scene.XYWH(0, 0, 30, 30), 0.5},  // too small to round
	} {
		var b Batch
		b.RoundRect(tc.r, tc.rad, red)
		checkInside(t, "round rectangle", &b, tc.r)
		rad := math.Min(tc.rad, math.Min(tc.r.W, tc.r.H)/2)
		if rad < 0.75 {
			rad = 0
		}
		want := tc.r.W*tc.r.H - (4-math.Pi)*rad*rad
		if got := area(&b); got > want+1e-6 || got < want-0.04*rad*rad { // six segments a corner cut 3.6% of rad²
			t.Errorf("%v radius %v covers %v, want about %v", tc.r, tc.rad, got, want)
		}
		b.Reset()
		b.RoundFrame(tc.r, tc.rad, 1.5, red)
		checkInside(t, "round frame", &b, tc.r)
	}
}

func TestFullDrawsBeforeTheShapeThatWouldNotFit(t *testing.T) {
	var b Batch
	var drawn []int // vertices each time the batch was full
	b.Full = func() {
		drawn = append(drawn, len(b.Vertices))
		for _, i := range b.Indices {
			if int(i) >= len(b.Vertices) {
				t.Fatalf("index %d of %d vertices", i, len(b.Vertices))
			}
		}
		b.Reset()
	}
	for range MaxVertices/4 + 10 {
		b.Rect(scene.XYWH(0, 0, 1, 1), red)
	}
	if len(drawn) != 1 || drawn[0] != MaxVertices {
		t.Fatalf("drawn at %v vertices, want once at %d", drawn, MaxVertices)
	}
	if len(b.Vertices) != 40 || b.Indices[0] != 0 {
		t.Errorf("after the draw: %d vertices, first index %d", len(b.Vertices), b.Indices[0])
	}
	b.Full = nil
	defer func() {
		if recover() == nil {
			t.Error("a full batch with no Full func did not panic")
		}
	}()
	for range MaxVertices / 4 {
		b.Rect(scene.XYWH(0, 0, 1, 1), red)
	}
}
