package robots_test

import (
	"testing"

	"github.com/lightsout-sim/lightsout/robots"
)

// A break stops the move where it is; the repair finishes it, then the
// requests that queued meanwhile run in order.
func TestArmBreakAndRepair(t *testing.T) {
	eng, arm := newArm(t, testSpec())
	var log []string
	st := &station{name: "s", log: &log}
	arm.Request(1, st, 1) // 1.65 s
	eng.RunUntil(sec)
	if _, _, p := arm.Move(); p < 0.6 || p > 0.61 {
		t.Errorf("progress at 1s: %.3f, want 1/1.65", p)
	}
	if err := arm.Break(); err != nil {
		t.Fatal(err)
	}
	arm.Request(1, st, 2)
	eng.RunUntil(10 * sec)
	if arm.Phase() != robots.Down || len(log) != 0 {
		t.Fatalf("phase %v, completions %v: want Down and none", arm.Phase(), log)
	}
	if err := arm.Repair(); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(20 * sec)
	want := []string{"10.65s s#1", "12.3s s#2"}
	if len(log) != 2 || log[0] != want[0] || log[1] != want[1] {
		t.Errorf("completions %v, want %v", log, want)
	}
	if err := arm.Repair(); err == nil {
		t.Error("repairing an idle arm: no error")
	}
	if got := arm.Stats().PhaseTime[robots.Down]; got != 9*sec {
		t.Errorf("down for %v, want 9s", got)
	}
}

// An idle arm that is broken takes requests but serves none until repaired,
// and a random repair does not end a break.
func TestArmBreakWhileIdleAndFailed(t *testing.T) {
	spec := testSpec()
	spec.MTBF, spec.MTTR = dist(t, "const(1s)"), dist(t, "const(5s)")
	eng, arm := newArm(t, spec)
	var log []string
	st := &station{name: "s", log: &log}
	arm.Request(1, st, 1)
	eng.RunUntil(2 * sec) // failed at 1 s, repair due at 6 s
	if arm.Phase() != robots.Down {
		t.Fatalf("phase %v at 2s, want Down", arm.Phase())
	}
	if err := arm.Break(); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(30 * sec)
	if arm.Phase() != robots.Down || len(log) != 0 {
		t.Fatalf("phase %v, completions %v at 30s: the random repair ended the break", arm.Phase(), log)
	}
	if err := arm.Repair(); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(31 * sec)
	if len(log) != 1 || log[0] != "30.65s s#1" {
		t.Errorf("completions %v, want [30.65s s#1]", log)
	}
}
