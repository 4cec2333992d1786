package pilot_test

import (
	"math"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/pilot"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// armWear returns the test line whose loading arm wears out in about two
// days of running.
func armWear(t testing.TB) *twin.Spec {
	t.Helper()
	spec, err := configs.Load("testdata/arm-wear.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// An arm with a wear block wears as it moves: its health falls, it slows,
// its vibration sensor reads the health (with the sensor model's noise and
// latency, kept for a controller), it wears out and is replaced, and a
// maintain command restores it.
func TestArmWears(t *testing.T) {
	spec := armWear(t)
	l, err := twin.NewLine(spec, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.KeepConditions()
	cs := spec.Arms[0].Wear.Sensor
	prev := 1.0
	readings := 0
	var worn bool
	for h := 1; h <= 6*24; h++ {
		l.RunUntil(sim.Time(h) * sim.Hour)
		a := l.Snapshot().Arms[0]
		if !a.Worn || !a.CanMaintain {
			t.Fatalf("arm %+v: want worn and maintainable", a)
		}
		u := a.Upkeep
		for _, r := range l.TakeConditions(nil) {
			if r.Arm != 0 || r.Line != 0 || r.Arrives < r.Taken || r.Arrives > l.Now() {
				t.Fatalf("reading %+v at %v: want the arm's, arrived", r, l.Now())
			}
			readings++
		}
		if u.WearOuts > 0 {
			worn = true
			break
		}
		if u.Health > prev+1e-12 && u.Restorations == 0 {
			t.Fatalf("health rose from %v to %v at %v with no restoration", prev, u.Health, l.Now())
		}
		prev = u.Health
		if u.ReadingAt >= 0 && l.Now()-u.ReadingAt < 30*sim.Minute {
			if want := cs.Reading(u.Health); math.Abs(u.Reading-want) > 1 {
				t.Errorf("at %v reading %.2f for health %.2f: want about %.2f", l.Now(), u.Reading, u.Health, want)
			}
		}
	}
	if !worn {
		t.Fatalf("the arm did not wear out in 6 days (health %.2f)", prev)
	}
	if readings < 6*10 {
		t.Errorf("%d readings before the wear-out", readings)
	}
	// Once replaced, maintained when worn again: the maintenance restores it.
	for u := l.Snapshot().Arms[0].Upkeep; u.Replacing || u.Maintaining || u.Health > 0.6; u = l.Snapshot().Arms[0].Upkeep {
		if l.Now() > 20*sim.Day {
			t.Fatalf("the replaced arm did not wear again: %+v", u)
		}
		l.RunFor(sim.Hour)
	}
	before := l.Snapshot().Arms[0].Upkeep
	if err := l.Do(twin.Command{Kind: twin.MaintainStation, Target: "loader"}); err != nil {
		t.Fatal(err)
	}
	l.RunFor(sim.Minute)
	if a := l.Snapshot().Arms[0]; !a.Upkeep.Maintaining || a.Phase.String() != "Down" {
		t.Errorf("a minute into the maintenance: %+v", a)
	}
	l.RunFor(20 * sim.Minute)
	after := l.Snapshot().Arms[0].Upkeep
	if after.Restorations != before.Restorations+1 || after.Health < 0.99 || after.Maintaining {
		t.Errorf("maintained at health %.2f: now %+v", before.Health, after)
	}
	if log := l.Log(); log[len(log)-1].Err != "" {
		t.Errorf("maintain refused: %s", log[len(log)-1].Err)
	}
	if err := l.Do(twin.Command{Kind: twin.MaintainStation, Target: "loader", Server: 1}); err == nil {
		t.Error("an arm's server 2 maintained")
	}
}

// The policy predictive reads the arm's sensor as a station's and
// maintains it before it wears out: fewer wear-outs and less downtime than
// running it to failure.
func TestPredictiveMaintainsAnArm(t *testing.T) {
	spec := armWear(t)
	none := run(t, spec, "none", 6, 1)
	l, err := twin.NewLine(spec, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := pilot.Attach(l, maker("predictive", autopilot.DefaultGuard()))
	if err != nil {
		t.Fatal(err)
	}
	l.RunUntil(6 * sim.Day)
	var maintained int
	for _, d := range s.Pilot().Log().Since(0, nil) {
		if d.Action.Kind == autopilot.Maintain && d.Action.Target == "loader" && d.Applied {
			maintained++
		}
	}
	u := l.Snapshot().Arms[0].Upkeep
	ref, err := twin.NewLine(spec, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	ref.RunUntil(6 * sim.Day)
	ru := ref.Snapshot().Arms[0].Upkeep
	t.Logf("predictive: %d maintenances ordered, %d wear-outs; none: %d wear-outs; arm down %.3f vs %.3f",
		maintained, u.WearOuts, ru.WearOuts, l.Result().Arms[0].Down, none.Arms[0].Down)
	if maintained == 0 || u.Restorations < int64(maintained)-1 {
		t.Fatalf("%d maintenances of the arm ordered, %d restorations", maintained, u.Restorations)
	}
	if ru.WearOuts == 0 || u.WearOuts >= ru.WearOuts {
		t.Errorf("%d wear-outs under predictive, %d running to failure", u.WearOuts, ru.WearOuts)
	}
}

// A line forked from a state starts its worn arm as worn as the state
// says.
func TestForkKeepsArmWear(t *testing.T) {
	spec := armWear(t)
	l, err := twin.NewLine(spec, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.RunUntil(20 * sim.Hour)
	h := l.Snapshot().Arms[0].Upkeep.Health
	st := l.State()
	if d := st.Arms[0].Damage; h > 0.95 || math.Abs(d-(1-h)) > 1e-12 {
		t.Fatalf("health %v, state's damage %v", h, d)
	}
	f, err := twin.NewLineFromState(spec, st, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Snapshot().Arms[0].Upkeep.Health; math.Abs(got-h) > 1e-12 {
		t.Errorf("the fork's arm starts at health %v, the state's at %v", got, h)
	}
}
