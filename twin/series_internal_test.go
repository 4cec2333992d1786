package twin

import (
	"math"
	"slices"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// A hand-made history: buckets of 10 s up to 35 s (the last one 5 s long).
func TestSeriesRecorderHandScenario(t *testing.T) {
	s := sim.Second
	r := newSeriesRecorder(10*s, 35*s)
	r.wipChange(0, 1)     // 1 unit from 0 s
	r.wipChange(5*s, 1)   // 2 units from 5 s
	r.ship(12*s, false)   // bucket 1, defective
	r.wipChange(12*s, -1) // 1 unit from 12 s
	r.ship(25*s, true)    // bucket 2, good
	r.wipChange(25*s, -1) // 0 units from 25 s
	r.wipChange(28*s, 3)  // 3 units from 28 s to the end
	r.ship(35*s, true)    // at the end: counts in the last bucket
	got := mergeSeries([]*seriesRecorder{r}, 35*s)

	if got.Bucket != 10*s || got.End != 35*s || got.Len() != 4 {
		t.Fatalf("bucket %v end %v len %d, want 10s 35s 4", got.Bucket, got.End, got.Len())
	}
	if want := []int64{0, 1, 1, 1}; !slices.Equal(got.Shipped, want) {
		t.Errorf("shipped %v, want %v", got.Shipped, want)
	}
	if want := []int64{0, 0, 1, 1}; !slices.Equal(got.Good, want) {
		t.Errorf("good %v, want %v", got.Good, want)
	}
	// [0,10): 1x5 + 2x5 = 15 -> 1.5; [10,20): 2x2 + 1x8 = 12 -> 1.2;
	// [20,30): 1x5 + 0x3 + 3x2 = 11 -> 1.1; [30,35): 3x5 = 15 -> 3.
	want := []float64{1.5, 1.2, 1.1, 3}
	for i := range want {
		if math.Abs(got.WIP[i]-want[i]) > 1e-12 {
			t.Errorf("WIP %v, want %v", got.WIP, want)
			break
		}
	}
	if g := got.GoodPerHour(); g[3] != 720 || g[2] != 360 || g[0] != 0 {
		t.Errorf("good per hour %v, want [0 0 360 720]", g)
	}
}

func TestSeriesBucketDefault(t *testing.T) {
	for _, tc := range []struct{ dur, req, want sim.Time }{
		{500 * sim.Hour, 0, sim.Hour},
		{2 * sim.Hour, 0, sim.Minute}, // 2h/500 = 14.4 s: raised to a minute
		{2 * sim.Hour, 7 * sim.Minute, 7 * sim.Minute},
	} {
		if got := seriesBucket(tc.dur, tc.req); got != tc.want {
			t.Errorf("seriesBucket(%v, %v) = %v, want %v", tc.dur, tc.req, got, tc.want)
		}
	}
}
