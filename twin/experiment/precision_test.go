package experiment_test

import (
	"encoding/json"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/experiment"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// precisionRun runs a precision batch of the two-machine line with 2-day
// runs and returns its report.
func precisionRun(t *testing.T, target float64, relative bool, first, round, maxReps, workers int) *experiment.Report {
	t.Helper()
	spec, err := configs.Embedded("two-machine")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := experiment.BatchToPrecision(spec, experiment.PrecisionOptions{
		BatchOptions: experiment.BatchOptions{
			Options:      twin.Options{Duration: 2 * sim.Day, Warmup: 4 * sim.Hour, Seed: 9},
			Config:       "two-machine",
			Replications: first,
			Workers:      workers,
		},
		Target: target, Relative: relative, Round: round, MaxReplications: maxReps,
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Precision == nil {
		t.Fatal("report has no precision block")
	}
	if rep.Replications != len(rep.Runs) {
		t.Fatalf("replications %d but %d runs", rep.Replications, len(rep.Runs))
	}
	for i := range rep.Runs {
		if want := twin.ReplicationSeed(9, i); rep.Runs[i].Seed != want {
			t.Fatalf("run %d has seed %d, want ReplicationSeed(9, %d) = %d", i, rep.Runs[i].Seed, i, want)
		}
	}
	if hw := rep.Summary.GoodPerHour.CI95; hw != rep.Precision.HalfWidthPerHour {
		t.Errorf("precision half-width %v differs from the report's %v", rep.Precision.HalfWidthPerHour, hw)
	}
	return rep
}

func TestPrecisionLooseTargetStopsAfterFirstRound(t *testing.T) {
	rep := precisionRun(t, 0.5, true, 4, 4, 40, 2)
	p := rep.Precision
	if rep.Replications != 4 || p.Rounds != 1 || !p.Met {
		t.Errorf("loose target: %d replications in %d rounds, met %v; want 4 in 1, met", rep.Replications, p.Rounds, p.Met)
	}
	if p.RelativeHalfWidth > 0.5 || p.RelativeHalfWidth <= 0 {
		t.Errorf("relative half-width %v, want in (0, 0.5]", p.RelativeHalfWidth)
	}
}

func TestPrecisionTighterTargetAddsRounds(t *testing.T) {
	loose := precisionRun(t, 0.5, true, 4, 4, 40, 2)
	// An absolute target 60% of the first round's half-width needs about
	// (1/0.6)² as many runs: more rounds, but well under the cap.
	target := 0.6 * loose.Precision.HalfWidthPerHour
	rep := precisionRun(t, target, false, 4, 4, 200, 2)
	p := rep.Precision
	if !p.Met || rep.Replications <= 4 || p.HalfWidthPerHour > target {
		t.Errorf("target %v/h: %d replications, half-width %v, met %v; want more than 4, met", target, rep.Replications, p.HalfWidthPerHour, p.Met)
	}
	if rep.Replications != 4+4*(p.Rounds-1) {
		t.Errorf("%d replications in %d rounds of 4 after a first of 4", rep.Replications, p.Rounds)
	}
	// The first replications are those of the loose run.
	for i := range 4 {
		if rep.Runs[i].GoodPerHour != loose.Runs[i].GoodPerHour {
			t.Errorf("run %d: good/h %v, loose run had %v", i, rep.Runs[i].GoodPerHour, loose.Runs[i].GoodPerHour)
		}
	}
}

func TestPrecisionCapReportsUnmet(t *testing.T) {
	rep := precisionRun(t, 1e-9, true, 3, 4, 9, 2)
	p := rep.Precision
	// Rounds of 3, then 4, then 2 (cut at the cap of 9).
	if rep.Replications != 9 || p.Rounds != 3 || p.Met {
		t.Errorf("impossible target: %d replications in %d rounds, met %v; want 9 in 3, not met", rep.Replications, p.Rounds, p.Met)
	}
}

func TestPrecisionSameForAnyWorkerCount(t *testing.T) {
	js := func(workers int) string {
		rep := precisionRun(t, 0.03, true, 3, 3, 30, workers)
		if !rep.Precision.Met || rep.Precision.Rounds < 2 {
			t.Fatalf("want a target met after several rounds, got %+v", *rep.Precision)
		}
		rep.WallSeconds, rep.EventsPerSecond = 0, 0
		for i := range rep.Runs {
			rep.Runs[i].WallSeconds = 0
		}
		b, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if one, two := js(1), js(2); one != two {
		t.Errorf("precision reports differ between 1 and 2 workers:\n%s\n%s", one, two)
	}
}

func TestPrecisionRejectsBadOptions(t *testing.T) {
	spec, err := configs.Embedded("two-machine")
	if err != nil {
		t.Fatal(err)
	}
	base := experiment.BatchOptions{Options: twin.Options{Duration: sim.Day}}
	for name, opt := range map[string]experiment.PrecisionOptions{
		"zero target":     {BatchOptions: base},
		"negative target": {BatchOptions: base, Target: -1},
		"cap below 2":     {BatchOptions: base, Target: 1, MaxReplications: 1},
		"negative round":  {BatchOptions: base, Target: 1, Round: -2},
	} {
		if _, err := experiment.BatchToPrecision(spec, opt); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
