package experiment

import (
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// TestLimitsRefusedBeforeAllocating checks that counts once taken as given
// (--replications 100000000, --pilots 100000000: gigabytes of result
// slices before the first run) are refused, before anything is allocated
// in proportion to them.
func TestLimitsRefusedBeforeAllocating(t *testing.T) {
	spec := tinyLine(t)
	opt := BatchOptions{Options: twin.Options{Duration: sim.Hour}, Replications: 100_000_000}
	for name, run := range map[string]func() error{
		"replications": func() error { _, err := Batch(spec, opt); return err },
		"pilots":       func() error { _, err := DetectWarmup(spec, opt, 100_000_000); return err },
		"precision": func() error {
			_, err := BatchToPrecision(spec, PrecisionOptions{BatchOptions: opt, Target: 1, MaxReplications: 100_000_000})
			return err
		},
		"duration": func() error {
			o := opt
			o.Replications, o.Duration = 1, sim.MaxSpan+1
			_, err := Batch(spec, o)
			return err
		},
	} {
		var err error
		allocs := testing.AllocsPerRun(1, func() { err = run() })
		if err == nil {
			t.Errorf("%s: no error", name)
		}
		if allocs > 20 {
			t.Errorf("%s: %v allocations before the error %v", name, allocs, err)
		}
	}
	plan := demoPlan(t, twin.MaxReplications, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4)
	if err := plan.Validate(); err == nil || !strings.Contains(err.Error(), "11 points x 100000 replications = 1100000 runs: at most 1000000") {
		t.Errorf("Validate of 1,100,000 runs: %v", err)
	}
	plan.Replications = twin.MaxReplications + 1
	if err := plan.Validate(); err == nil || !strings.Contains(err.Error(), "replications 100001: want 1 to 100000") {
		t.Errorf("Validate of 100,001 replications: %v", err)
	}
}
