package twin_test

import (
	"math"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// One arm serving two stations is a contended resource and can be the
// bottleneck: each unit needs four 1 s moves of the arm (load and unload at
// each station), so the line makes 900 units an hour although its machines
// could make 36,000.
func TestSharedArmIsTheBottleneck(t *testing.T) {
	spec, err := configs.Parse("cell.yaml", []byte(`
stations:
  - {id: a, cycle: 100ms, arm: {id: r, load: 0, unload: 0}}
  - {id: b, cycle: 100ms, buffer: 2, arm: {id: r, load: 0, unload: 0}}
arms:
  - {id: r, speed: 1, accel: 1, grip: 500ms, release: 500ms}
`))
	if err != nil {
		t.Fatal(err)
	}
	r, err := twin.Run(spec, twin.Options{Duration: 11 * sim.Hour, Warmup: sim.Hour, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.ThroughputPerHour-900) > 1 {
		t.Errorf("throughput %.1f/h, want 900 (4 s of arm time per unit)", r.ThroughputPerHour)
	}
	if arm := r.Arms[0]; arm.Utilization < 0.999 || arm.Moves < 4*8999 {
		t.Errorf("arm utilization %.4f with %d moves, want ~1 and ~36,000", arm.Utilization, arm.Moves)
	}
	for _, s := range r.Stations {
		// 0.1 s of processing per 4 s unit: the machines mostly wait.
		if math.Abs(s.Utilization-0.025) > 0.001 {
			t.Errorf("station %s utilization %.4f, want 0.025", s.ID, s.Utilization)
		}
	}
	if a := r.Stations[0]; a.Handling < 0.9 {
		t.Errorf("station a spends %.3f of its time waiting for or served by the arm, want over 0.9", a.Handling)
	}
}

// An arm's handling time follows its kinematics: at 1 m/s and 1 m/s^2 a
// 2 m move takes 2 / 1 + 1 / 1 = 3 s; with grip and release, 3.5 s.
func TestArmKinematicsSetTheCycle(t *testing.T) {
	spec, err := configs.Parse("one.yaml", []byte(`
stations:
  - {id: a, cycle: 1s, arm: {id: r, load: 2, unload: 2}}
arms:
  - {id: r, speed: 1, accel: 1, grip: 300ms, release: 200ms}
`))
	if err != nil {
		t.Fatal(err)
	}
	r, err := twin.Run(spec, twin.Options{Duration: 8 * sim.Hour, Warmup: sim.Hour, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// load 3.5 s + cycle 1 s + unload 3.5 s = 8 s a unit: 450 an hour.
	if math.Abs(r.ThroughputPerHour-450) > 0.5 {
		t.Errorf("throughput %.2f/h, want 450", r.ThroughputPerHour)
	}
	if got := spec.IdealCycle(0); got != 8*sim.Second {
		t.Errorf("ideal cycle %v, want 8s", got)
	}
}
