package experiment_test

import (
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/experiment"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// DetectWarmup applies MSER-5 to the mean good output of pilot runs made
// with no warm-up and the pilot seed, whatever the worker count.
func TestDetectWarmup(t *testing.T) {
	spec, err := configs.Embedded("demo-line")
	if err != nil {
		t.Fatal(err)
	}
	opt := experiment.BatchOptions{
		Options:      twin.Options{Duration: 2 * sim.Day, Warmup: 5 * sim.Hour, Seed: 4, SeriesBucket: 10 * sim.Minute},
		Replications: 7, // ignored
	}
	var first *experiment.WarmupEstimate
	for _, workers := range []int{1, 2} {
		opt.Workers = workers
		w, err := experiment.DetectWarmup(spec, opt, 3)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = w
		} else if *w != *first {
			t.Errorf("workers 1 and 2 chose differently: %+v vs %+v", *first, *w)
		}
	}
	w := first
	// 2 days of 10-minute buckets: 288 buckets, 57 batches of five.
	if w.Pilots != 3 || w.PilotSeed != experiment.PilotSeed(4) || w.PilotSeed == 4 || w.BucketS != 600 || w.Batches != 57 {
		t.Errorf("estimate %+v: want 3 pilots with PilotSeed(4), 600 s buckets, 57 batches", *w)
	}
	if w.MSERBatches > w.Batches/2 || w.Warmup != sim.Time(w.MSERBatches)*5*10*sim.Minute || w.WarmupS != w.Warmup.Seconds() {
		t.Errorf("estimate %+v: warm-up must be mser_batches x 5 buckets, in the first half", *w)
	}
	// The same pilots by hand.
	pilots, err := experiment.Batch(spec, experiment.BatchOptions{
		Options:      twin.Options{Duration: 2 * sim.Day, Seed: experiment.PilotSeed(4), SeriesBucket: 10 * sim.Minute},
		Replications: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	d, stat := experiment.MSER5(experiment.MeanGoodPerHour(pilots.Runs))
	if d != 5*w.MSERBatches || stat != w.Stat {
		t.Errorf("MSER5 of the pilots' mean: %d, %v; DetectWarmup said %d batches, %v", d, stat, w.MSERBatches, w.Stat)
	}
	if _, err := experiment.DetectWarmup(spec, experiment.BatchOptions{Options: twin.Options{Duration: sim.Day, SeriesBucket: -1}}, 2); err == nil {
		t.Error("no error without a series")
	}
}
