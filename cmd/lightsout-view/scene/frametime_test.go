package scene

import (
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	ten := ms(10, 1, 9, 2, 8, 3, 7, 4, 6, 5) // 1..10 shuffled
	for _, tc := range []struct {
		ds   []time.Duration
		p    float64
		want time.Duration
	}{
		{nil, 50, 0},
		{ms(4), 50, 4 * time.Millisecond},
		{ms(4), 99, 4 * time.Millisecond},
		{ten, 50, 5 * time.Millisecond},
		{ten, 90, 9 * time.Millisecond},
		{ten, 99, 10 * time.Millisecond},
		{ten, 100, 10 * time.Millisecond},
		{ten, 0, 1 * time.Millisecond},
		{ten, 10, 1 * time.Millisecond},
		{ten, 11, 2 * time.Millisecond},
	} {
		if got := Percentile(tc.ds, tc.p); got != tc.want {
			t.Errorf("Percentile(%v, %v) = %v, want %v", tc.ds, tc.p, got, tc.want)
		}
	}
	if ten[0] != 10*time.Millisecond {
		t.Error("Percentile sorted its input")
	}
}

func TestFrameTimesAddsUpdatesToTheNextFrame(t *testing.T) {
	var f FrameTimes
	f.AddUpdate(2 * time.Millisecond)
	f.AddUpdate(3 * time.Millisecond) // two updates before the first draw
	f.AddDraw(4 * time.Millisecond)
	f.AddDraw(5 * time.Millisecond) // a draw with no update before it
	f.AddUpdate(1 * time.Millisecond)
	f.AddDraw(1 * time.Millisecond)
	want := []time.Duration{9 * time.Millisecond, 5 * time.Millisecond, 2 * time.Millisecond}
	if len(f.Frame) != len(want) {
		t.Fatalf("frames %v, want %v", f.Frame, want)
	}
	for i := range want {
		if f.Frame[i] != want[i] {
			t.Errorf("frame %d: %v, want %v", i, f.Frame[i], want[i])
		}
	}
	var b strings.Builder
	if err := f.Report(&b); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"p50", "p90", "p99", "max", "update", "draw", "frame", "9.00ms"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("report lacks %q:\n%s", s, b.String())
		}
	}
}
