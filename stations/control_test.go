package stations_test

import (
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// A break stops a working server at once; the repair resumes the same unit.
func TestBreakAndRepairResumeTheUnit(t *testing.T) {
	eng, rec, sts := build(t, []stations.Spec{{ID: "M", Cycle: dist(t, "2s")}}, true)
	eng.RunUntil(sim.Second)
	if err := sts[0].Break(0); err != nil {
		t.Fatal(err)
	}
	if err := sts[0].Break(0); err == nil {
		t.Error("breaking a broken server: no error")
	}
	eng.RunUntil(5 * sim.Second)
	if err := sts[0].Repair(0); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(6 * sim.Second)
	checkLog(t, rec.log, []string{
		"0s new u1",
		"0s M[0] Working",
		"1s M[0] Down",
		"5s M[0] Working",
		"6s M done", // 1 s of work left after the repair
		"6s u1 shipped",
		"6s new u2",
	})
	if err := sts[0].Repair(0); err == nil {
		t.Error("repairing a working server: no error")
	}
}

// A break while the server is blocked takes effect once its unit has left;
// a random failure does not end a break.
func TestBreakWhileBlockedAndDuringFailure(t *testing.T) {
	eng, _, sts := build(t, []stations.Spec{
		{ID: "A", Cycle: dist(t, "1s"), MTBF: dist(t, "const(1500ms)"), MTTR: dist(t, "const(1s)")},
		{ID: "B", Cycle: dist(t, "10s")},
	}, false)
	eng.RunUntil(2200 * sim.Millisecond) // A failed at 1.5 s, repair due at 2.5 s
	a := sts[0]
	if a.Phase(0) != stations.Down {
		t.Fatalf("A is %v at 2.2s, want Down (random failure)", a.Phase(0))
	}
	if err := a.Break(0); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(20 * sim.Second)
	if a.Phase(0) != stations.Down || !a.Broken(0) {
		t.Fatalf("A is %v (broken %v) at 20s, want still Down: the random repair must not end a break", a.Phase(0), a.Broken(0))
	}
	if err := a.Repair(0); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(20500 * sim.Millisecond)
	if a.Phase(0) != stations.Working {
		t.Fatalf("A is %v after the repair, want Working", a.Phase(0))
	}

	// Now let A block behind B, break it, and watch the break wait for the hand-over.
	eng.RunUntil(22 * sim.Second)
	if a.Phase(0) != stations.Blocked {
		t.Fatalf("A is %v at 22s, want Blocked behind B", a.Phase(0))
	}
	if err := a.Break(0); err != nil {
		t.Fatal(err)
	}
	if a.Phase(0) != stations.Blocked {
		t.Errorf("A is %v right after the break, want still Blocked", a.Phase(0))
	}
	eng.RunUntil(40 * sim.Second)
	if a.Phase(0) != stations.Down {
		t.Errorf("A is %v once its unit left, want Down", a.Phase(0))
	}
}

// Growing a full buffer lets the blocked machine upstream move on at once.
func TestSetBufferWakesBlockedFeeder(t *testing.T) {
	eng, _, sts := build(t, []stations.Spec{
		{ID: "A", Cycle: dist(t, "1s")},
		{ID: "B", Cycle: dist(t, "100s"), Buffer: 2},
	}, false)
	eng.RunUntil(10 * sim.Second)
	if sts[0].Phase(0) != stations.Blocked || sts[1].BufferLen() != 2 {
		t.Fatalf("A %v, B buffer %d at 10s: want Blocked and 2", sts[0].Phase(0), sts[1].BufferLen())
	}
	if err := sts[1].SetBuffer(5); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(20 * sim.Second)
	if got := sts[1].BufferLen(); got != 5 {
		t.Errorf("B buffer %d after growing to 5, want 5", got)
	}
	if err := sts[1].SetBuffer(1); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(150 * sim.Second) // B takes one unit at 100 s
	if got := sts[1].BufferLen(); got != 4 {
		t.Errorf("B buffer %d after shrinking to 1 and one unit taken, want 4 (no new entries)", got)
	}
	if err := sts[1].SetBuffer(-5); err == nil {
		t.Error("negative capacity accepted")
	}
}
