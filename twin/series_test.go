package twin_test

import (
	"math"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// The series of a run adds up to the run's own counts, and its
// time-weighted WIP to the run's mean WIP; with a warm-up on a bucket
// boundary, the buckets after it add up to the measured window.
func TestRunSeriesMatchesResult(t *testing.T) {
	spec, err := configs.Embedded("two-machine")
	if err != nil {
		t.Fatal(err)
	}
	dur := 2 * sim.Day
	for _, warm := range []sim.Time{0, 6 * sim.Hour} {
		r, err := twin.Run(spec, twin.Options{Duration: dur, Warmup: warm, Seed: 3, SeriesBucket: 30 * sim.Minute})
		if err != nil {
			t.Fatal(err)
		}
		s := r.Series
		if s == nil || s.Len() != 96 || s.Bucket != 30*sim.Minute {
			t.Fatalf("warm-up %v: series %+v, want 96 buckets of 30m", warm, s)
		}
		from := int(warm / s.Bucket)
		var good, shipped int64
		var area float64
		for i := from; i < s.Len(); i++ {
			good += s.Good[i]
			shipped += s.Shipped[i]
			area += s.WIP[i] * s.Span(i).Seconds()
		}
		if good != r.Good || shipped != r.Shipped {
			t.Errorf("warm-up %v: series good %d shipped %d, result %d %d", warm, good, shipped, r.Good, r.Shipped)
		}
		if r.Good == 0 {
			t.Errorf("warm-up %v: nothing shipped", warm)
		}
		if wip := area / (dur - warm).Seconds(); math.Abs(wip-r.MeanWIP) > 1e-9*r.MeanWIP {
			t.Errorf("warm-up %v: series mean WIP %v, result %v", warm, wip, r.MeanWIP)
		}
	}
	r, err := twin.Run(spec, twin.Options{Duration: dur, Seed: 3, SeriesBucket: -1})
	if err != nil {
		t.Fatal(err)
	}
	if r.Series != nil {
		t.Error("SeriesBucket -1 recorded a series")
	}
}

// Recording the series does not make the line allocate.
func TestSeriesRecordingWithoutAllocating(t *testing.T) {
	spec, err := configs.Embedded(configs.Default)
	if err != nil {
		t.Fatal(err)
	}
	l, err := twin.NewLine(spec, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.RecordSeries(10*sim.Minute, 30*sim.Day)
	l.RunFor(2 * sim.Day)
	if allocs := testing.AllocsPerRun(50, func() { l.RunFor(10 * sim.Minute) }); allocs != 0 {
		t.Errorf("%.2f allocations per 10 simulated minutes while recording a series, want 0", allocs)
	}
	if s := l.Series(); s.Good[0]+s.Good[100] == 0 {
		t.Errorf("series recorded nothing: %v", s.Good[:4])
	}
}
