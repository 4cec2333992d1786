package scene

import (
	"math"
	"testing"

	"github.com/lightsout-sim/lightsout/configs/configstest"
	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
)

func TestSolveIK(t *testing.T) {
	base := Point{100, 200}
	for _, tc := range []struct {
		target    Point
		l1, l2    float64
		reachable bool
	}{
		{Point{150, 150}, 60, 60, true},
		{Point{100, 100}, 60, 60, true},
		{Point{40, 200}, 50, 40, true},
		{Point{100, 199}, 60, 60, false}, // too close for equal links: folds fully
		{Point{400, 200}, 60, 60, false}, // too far: stretches towards it
		{Point{100, 200}, 60, 60, false}, // on the base
	} {
		for _, side := range []float64{1, -1} {
			elbow, hand := SolveIK(base, tc.target, tc.l1, tc.l2, side)
			if d := Dist(base, elbow); math.Abs(d-tc.l1) > 1e-6 {
				t.Errorf("%v side %v: upper arm %v long, want %v", tc.target, side, d, tc.l1)
			}
			if d := Dist(elbow, hand); math.Abs(d-tc.l2) > 1e-4 {
				t.Errorf("%v side %v: forearm %v long, want %v", tc.target, side, d, tc.l2)
			}
			if tc.reachable && Dist(hand, tc.target) > 1e-6 {
				t.Errorf("%v side %v: hand at %v, not on the target", tc.target, side, hand)
			}
			if !tc.reachable && tc.target != base {
				// The hand stays on the line from the base to the target.
				cross := (hand.X-base.X)*(tc.target.Y-base.Y) - (hand.Y-base.Y)*(tc.target.X-base.X)
				if math.Abs(cross) > 1e-3 {
					t.Errorf("%v side %v: hand %v off the line to the target", tc.target, side, hand)
				}
			}
		}
	}
	// The two sides bend the elbow opposite ways.
	e1, _ := SolveIK(base, Point{150, 150}, 60, 60, 1)
	e2, _ := SolveIK(base, Point{150, 150}, 60, 60, -1)
	if Dist(e1, e2) < 10 {
		t.Errorf("elbows %v and %v: the side does not matter", e1, e2)
	}
}

func TestPoseFollowsTheMove(t *testing.T) {
	spec := configstest.Embedded(t, "demo-line")
	f := Lay(spec, 1280, 574)
	n := len(spec.Stations)
	a := &f.Arms[0]
	st := a.Stations[0] // assembly
	sb := &f.Stations[st]
	snap := &twin.Snapshot{Stations: make([]twin.StationState, n)}
	for i := range snap.Stations {
		snap.Stations[i].Servers = make([]stations.ServerView, 1)
	}
	idle := Pose(f, n, a, &twin.ArmState{Phase: robots.Idle, Station: -1}, snap)
	if Dist(idle.Hand, a.Rest()) > 1e-6 || idle.Carry {
		t.Errorf("idle arm: hand at %v carrying %v, want at rest %v", idle.Hand, idle.Carry, a.Rest())
	}
	for _, tc := range []struct {
		progress float64
		loading  bool
		at       Point
		carry    bool
	}{
		{moveReach + 0.01, true, sb.Head(), false},             // gripping at the tray
		{moveCarry + 0.01, true, sb.Servers[0].Center(), true}, // releasing in the machine
		{moveReach + 0.01, false, sb.Servers[0].Center(), false},
		{moveCarry + 0.01, false, UnloadPoint(f, 0, n, st), true},
	} {
		p := Pose(f, n, a, &twin.ArmState{Phase: robots.Moving, Station: st, Loading: tc.loading, Progress: tc.progress}, snap)
		if Dist(p.Hand, tc.at) > 1e-6 {
			t.Errorf("loading=%v at %.2f: hand %v, want %v", tc.loading, tc.progress, p.Hand, tc.at)
		}
		if p.Carry != tc.carry || p.Station != st || p.Loading != tc.loading {
			t.Errorf("loading=%v at %.2f: %+v", tc.loading, tc.progress, p)
		}
	}
	// Mid-carry, the hand is between the pick and the place.
	p := Pose(f, n, a, &twin.ArmState{Phase: robots.Moving, Station: st, Loading: true, Progress: (moveGrip + moveCarry) / 2}, snap)
	pick, place := sb.Head(), sb.Servers[0].Center()
	if !p.Carry || Dist(p.Hand, pick)+Dist(p.Hand, place) > Dist(pick, place)+1e-6 {
		t.Errorf("mid-carry hand %v not between %v and %v", p.Hand, pick, place)
	}
}

func TestPosesFollowTheSnapshot(t *testing.T) {
	spec := configstest.Embedded(t, "phone-factory")
	f := Lay(spec, 1280, 574)
	n := len(spec.Stations)
	snap := &twin.Snapshot{Arms: make([]twin.ArmState, len(f.Arms))}
	for j := range snap.Arms {
		snap.Arms[j] = twin.ArmState{Line: f.Arms[j].Line, Station: -1}
	}
	poses := Poses(f, n, snap, nil)
	if len(poses) != len(f.Arms) {
		t.Fatalf("%d poses for %d arms", len(poses), len(f.Arms))
	}
	for j, p := range poses {
		if p.Base != f.Arms[j].Base || Dist(p.Hand, f.Arms[j].Rest()) > 1e-6 {
			t.Errorf("arm %d: idle pose %+v", j, p)
		}
	}
	// A snapshot with fewer arms (a twin not heard from yet) poses fewer,
	// reusing the slice.
	snap.Arms = snap.Arms[:2]
	again := Poses(f, n, snap, poses)
	if len(again) != 2 || &again[0] != &poses[0] {
		t.Errorf("%d poses, reused %v", len(again), &again[0] == &poses[0])
	}
}
