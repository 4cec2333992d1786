package pilot_test

import (
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/pilot"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

func slowingSpec(t testing.TB) *twin.Spec {
	t.Helper()
	spec, err := configs.Parse("slowing", []byte(pilot.SlowingConfig))
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// The simulator's adapter runs the twin's cycle-time drift detector on
// the counters the line publishes: the slowing press raises a
// CycleTimeDrift, the observation carries it, and the policy forecast forks
// what-ifs and acts on it with the deviation as its reason. A line that
// keeps its speed raises none.
func TestSimPassesDeviations(t *testing.T) {
	spec := slowingSpec(t)
	l, err := twin.NewLine(spec, 4, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := pilot.Attach(l, maker("forecast", autopilot.DefaultGuard()))
	if err != nil {
		t.Fatal(err)
	}
	var seen []autopilot.Deviation
	for l.Now() < 24*sim.Hour {
		l.RunUntil(s.Pilot().Next())
		seen = append(seen, s.Observation().Deviations...)
		if len(seen) > 0 && l.Now() > seen[0].At+2*sim.Hour {
			break
		}
	}
	if len(seen) == 0 {
		t.Fatal("no deviation raised in a day while the press wears out")
	}
	d := seen[0]
	if d.Kind != "CycleTimeDrift" || d.ID != "press" || d.Line != 0 || d.Value <= d.Limit || d.Reason == "" {
		t.Fatalf("first deviation %+v, want the press's cycle-time drift", d)
	}
	var acted *autopilot.Decision
	for _, dec := range s.Pilot().Log().Since(0, nil) {
		if dec.Action.Reason == autopilot.ReasonDeviation {
			acted = &dec
			break
		}
	}
	if acted == nil {
		t.Fatalf("the policy forecast did not act on %+v: log %+v", d, s.Pilot().Log().Since(0, nil))
	}
	if acted.At < d.At || !acted.Applied {
		t.Errorf("decision %+v, want one applied at or after the deviation at %v", acted, d.At)
	}
	t.Logf("deviation %v %s: %s; decision at %v: %v %s", d.At, d.ID, d.Reason, acted.At, acted.Action.Kind, acted.Action.Target)
	if r := s.Result(); r.Deviations < 1 {
		t.Errorf("result counts %d deviations", r.Deviations)
	}

	// The same line with no wear keeps its cycle time: no deviation.
	calm := slowingSpec(t)
	calm.Stations[0].Wear = nil
	r := run(t, calm, "none", 3, 4)
	if r.Autopilot.Deviations != 0 {
		t.Errorf("a line that keeps its speed raised %d deviations", r.Autopilot.Deviations)
	}
}
