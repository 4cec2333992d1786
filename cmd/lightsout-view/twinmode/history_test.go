package twinmode

import (
	"math"
	"testing"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

func TestHistoryCountsOutputPerBucket(t *testing.T) {
	var h goodHistory
	if h.first() != math.MaxInt64 {
		t.Errorf("before the first sight, the first bucket seen whole is %d", h.first())
	}
	var dst []float64
	dst = h.add(10*sim.Minute, 100, dst) // first sight: the 100 before are not counted
	if dst[len(dst)-1] != 0 || len(dst) != twin.HistoryLen {
		t.Fatalf("first sight shows %v in %d buckets", dst[len(dst)-1], len(dst))
	}
	if h.first() != 3 {
		t.Errorf("first seen at 10m: the first bucket seen whole is %d, want 3 ([15m, 20m))", h.first())
	}
	dst = h.add(12*sim.Minute+30*sim.Second, 130, dst) // bucket [10m, 15m): 30 units in half of it
	if got := dst[len(dst)-1]; got != 30*12*2 {
		t.Errorf("bucket in progress %v per hour, want %v", got, 30*12*2)
	}
	dst = h.add(16*sim.Minute, 140, dst) // next bucket: 10 units
	if got, prev := dst[len(dst)-1], dst[len(dst)-2]; prev != 30*12 || got != 10*12*5 {
		t.Errorf("buckets %v then %v per hour, want %v then %v", prev, got, 30*12, 10*12*5)
	}
	dst = h.add(17*sim.Minute, 5, dst) // the edge restarted
	for _, v := range dst {
		if v != 0 {
			t.Fatalf("after a restart the history holds %v", v)
		}
	}
	for i, v := range h.none(dst) {
		if v != 0 {
			t.Fatalf("no history: bucket %d holds %v", i, v)
		}
	}
}

func TestChartLeavesOutWhatCameBeforeTheView(t *testing.T) {
	history := make([]float64, twin.HistoryLen)
	for k := range history {
		history[k] = 100
	}
	now := 2*sim.Hour + 7*sim.Minute // bucket 25 in progress
	m := scene.NewChartModel(history, now, 0, nil)
	leaveOutUnseen(&m, now, 20)
	cur := int64(now / twin.HistoryBucket)
	for k, v := range m.Values {
		abs := cur - int64(len(m.Values)-1-k)
		if known := abs >= 20; known != !math.IsNaN(v) {
			t.Errorf("bucket %d: %v", abs, v)
		}
	}
	if m.Last != 100 {
		t.Errorf("last %v", m.Last)
	}
	// A link that has seen nothing leaves everything out.
	var tl Link
	tl.Chart(&m, now)
	if !math.IsNaN(m.Last) {
		t.Errorf("with nothing seen whole, last is %v", m.Last)
	}
	for k, v := range m.Values {
		if !math.IsNaN(v) {
			t.Errorf("with nothing seen whole, value %d is %v", k, v)
		}
	}
}
