package stations_test

import (
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// A failure interrupts the unit in process, which resumes after the repair
// (preempt-resume); time to failure counts busy time only.
func TestFailurePreemptResume(t *testing.T) {
	eng, rec, sts := build(t, []stations.Spec{
		{ID: "M", Cycle: dist(t, "1s"), MTBF: dist(t, "2.5s"), MTTR: dist(t, "1s")},
	}, true)
	eng.RunUntil(4 * sim.Second)
	checkLog(t, rec.log, []string{
		"0s new u1",
		"0s M[0] Working",
		"1s M done",
		"1s u1 shipped",
		"1s new u2",
		"2s M done",
		"2s u2 shipped",
		"2s new u3",
		"2.5s M[0] Down", // 2.5 s of busy time
		"3.5s M[0] Working",
		"4s M done", // the remaining 0.5 s
		"4s u3 shipped",
		"4s new u4",
	})
	s := sts[0].Stats()
	if s.Failures != 1 || s.PhaseTime[stations.Down] != sim.Second {
		t.Errorf("failures %d, down %v; want 1 and 1s", s.Failures, s.PhaseTime[stations.Down])
	}
}

// Planned maintenance pauses the unit in process and resumes it afterwards.
func TestMaintenancePausesWork(t *testing.T) {
	eng, _, sts := build(t, []stations.Spec{
		{ID: "M", Cycle: dist(t, "3s"), Maintenance: stations.MaintenancePlan{Every: 10 * sim.Second, Duration: 2 * sim.Second}},
	}, false)
	eng.RunUntil(14 * sim.Second)
	s := sts[0].Stats()
	// Units end at 3, 6, 9; the fourth starts at 9, pauses 10-12, ends at 14.
	if s.Processed != 4 {
		t.Errorf("processed %d by 14s, want 4", s.Processed)
	}
	if got := s.PhaseTime[stations.Maintenance]; got != 2*sim.Second {
		t.Errorf("maintenance %v, want 2s", got)
	}
	if got := s.PhaseTime[stations.Working]; got != 12*sim.Second {
		t.Errorf("working %v, want 12s", got)
	}
}

// A conveyor takes a unit every pitch and holds each for the dwell time.
func TestConveyorPitchAndDwell(t *testing.T) {
	eng, _, sts := build(t, []stations.Spec{
		{ID: "feed", Cycle: dist(t, "500ms")},
		{ID: "oven", Buffer: 10, Conveyor: &stations.Conveyor{Dwell: dist(t, "10s"), Pitch: 2 * sim.Second}},
		{ID: "out", Cycle: dist(t, "1s"), Buffer: stations.Inf},
	}, false)
	eng.RunUntil(9 * sim.Second)
	if got := sts[1].Inside(); got != 5 { // entered at 0.5, 2.5, 4.5, 6.5, 8.5
		t.Errorf("inside at 9s: %d, want 5", got)
	}
	eng.RunUntil(100*sim.Second + 600*sim.Millisecond)
	// Exits at 10.5, 12.5, ..., 100.5: 46 units.
	if got := sts[1].Stats().Out; got != 46 {
		t.Errorf("oven out by 100.6s: %d, want 46", got)
	}
}

// A caught unit goes back for rework until its passes run out, then is scrapped.
func TestReworkThenScrap(t *testing.T) {
	eng, rec, sts := build(t, []stations.Spec{
		{ID: "A", Cycle: dist(t, "1s"), DefectRate: 1},
		{ID: "B", Cycle: dist(t, "1s"), Buffer: stations.Inf, Inspect: &stations.Inspect{Detect: 1, OnFail: "rework:A", MaxRework: 1}},
	}, false)
	sts[1].SetRework(sts[0])
	eng.RunUntil(2500 * sim.Millisecond)
	checkLog(t, rec.log[:6], []string{
		"0s new u1",
		"1s A done",
		"1s new u2",
		"2s B done", // scheduled at 1s before A took u2
		"2s B inspect pass=false",
		"2s A done",
	})
	eng.RunUntil(10 * sim.Second)
	b := sts[1].Stats()
	if b.Reworked == 0 || b.Scrapped == 0 || b.Caught != b.Reworked+b.Scrapped {
		t.Errorf("caught %d = reworked %d + scrapped %d expected, both > 0", b.Caught, b.Reworked, b.Scrapped)
	}
	for _, line := range rec.log {
		if len(line) > 0 && line[len(line)-7:] == "shipped" {
			t.Errorf("a unit was shipped although every unit is defective and caught: %s", line)
		}
	}
}
