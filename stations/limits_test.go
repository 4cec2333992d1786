package stations_test

import (
	"math"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// TestValidateLimits checks the bounds and the NaNs of a spec built in
// code, which no config decoding has checked.
func TestValidateLimits(t *testing.T) {
	ok := func() stations.Spec { return stations.Spec{ID: "a", Servers: 1, Cycle: sim.ConstDist(sim.Second)} }
	for _, tc := range []struct {
		mod  func(*stations.Spec)
		want string
	}{
		{func(s *stations.Spec) { s.Servers = stations.MaxServers + 1 }, "servers: 10001: at most 10000"},
		{func(s *stations.Spec) { s.Buffer = stations.MaxCapacity + 1 }, "buffer: capacity 1000001: at most 1000000 (write inf for an unbounded buffer)"},
		{func(s *stations.Spec) { s.Arm = &stations.ArmUse{ID: "r", Load: math.NaN()} }, "arm.load: NaN: want a distance in metres, 0 or more"},
		{func(s *stations.Spec) { s.Arm = &stations.ArmUse{ID: "r", Unload: math.Inf(1)} }, "arm.unload: +Inf: want a distance in metres, 0 or more"},
		{func(s *stations.Spec) { s.Cycle = sim.ConstDist(sim.MaxSpan + sim.Second) }, "cycle: 36500d1s is longer than the limit of 100 years (36500d)"},
		{func(s *stations.Spec) {
			s.Maintenance = stations.MaintenancePlan{Every: sim.Forever, Duration: sim.Hour}
		}, "maintenance.every: forever is longer than the limit of 100 years (36500d)"},
		{func(s *stations.Spec) {
			s.Cycle = sim.Dist{}
			s.Conveyor = &stations.Conveyor{Dwell: sim.ConstDist(sim.Hour), Pitch: sim.Second, Capacity: stations.MaxCapacity + 1}
		}, "conveyor.capacity: 1000001: at most 1000000 (when not set it is dwell / pitch)"},
	} {
		s := ok()
		tc.mod(&s)
		err := s.Validate()
		if err == nil || err.Error() != tc.want {
			t.Errorf("Validate = %v, want %q", err, tc.want)
		}
	}
	at := ok()
	at.Servers, at.Buffer = stations.MaxServers, stations.MaxCapacity
	if err := at.Validate(); err != nil {
		t.Errorf("at the limits: %v", err)
	}
}

// TestSetBufferLimit checks that a command cannot set a buffer past the
// limit a config may not pass either.
func TestSetBufferLimit(t *testing.T) {
	_, _, sts := build(t, []stations.Spec{{ID: "M", Cycle: dist(t, "1s")}}, false)
	if err := sts[0].SetBuffer(stations.MaxCapacity + 1); err == nil || !strings.Contains(err.Error(), "at most 1000000") {
		t.Errorf("SetBuffer(MaxCapacity+1) = %v", err)
	}
	if err := sts[0].SetBuffer(stations.MaxCapacity); err != nil {
		t.Errorf("SetBuffer(MaxCapacity) = %v", err)
	}
}

// TestSlowLongCycleNeverWraps checks that a very slow station with a very
// long cycle finishes its unit at Forever, not at a time that wrapped
// around to the past (which the engine refuses with a panic).
func TestSlowLongCycleNeverWraps(t *testing.T) {
	eng, _, sts := build(t, []stations.Spec{
		{ID: "feed", Cycle: dist(t, "1s")},
		{ID: "oven", Buffer: 2, Conveyor: &stations.Conveyor{Dwell: sim.ConstDist(sim.MaxSpan), Pitch: sim.Second, Capacity: 2}},
		{ID: "M", Cycle: sim.ConstDist(sim.MaxSpan)},
	}, false)
	for _, st := range sts[1:] {
		if err := st.SetSpeed(1e-300); err != nil {
			t.Fatal(err)
		}
	}
	eng.RunUntil(50 * sim.Year)
	if in := sts[1].Inside(); in != 2 {
		t.Errorf("%d units on the oven after 50 years at speed 1e-300, want 2 (its capacity)", in)
	}
	if p := eng.Peek(); p != sim.Forever {
		t.Errorf("next event at %v, want Forever", p)
	}
	eng, _, sts = build(t, []stations.Spec{{ID: "feed", Cycle: dist(t, "1s")}, {ID: "M", Cycle: sim.ConstDist(sim.MaxSpan)}}, false)
	if err := sts[1].SetSpeed(1e-300); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(50 * sim.Year)
	if p := sts[1].Phase(0); p != stations.Working || eng.Peek() != sim.Forever {
		t.Errorf("M is %v after 50 years at speed 1e-300, next event at %v: want Working until Forever", p, eng.Peek())
	}
}

// TestFootprint checks what a station counts towards a run's memory.
func TestFootprint(t *testing.T) {
	m := stations.Spec{ID: "m", Servers: 4, Buffer: 10}
	c := stations.Spec{ID: "c", Servers: 1, Buffer: stations.Inf, Conveyor: &stations.Conveyor{Capacity: 60}}
	mb, mu := m.Footprint()
	cb, cu := c.Footprint()
	if mu != 14 || cu != 60 {
		t.Errorf("units: machine %d (want 4 servers + 10 in the buffer), conveyor %d (want 60 riding, the inf buffer uncounted)", mu, cu)
	}
	more := m
	more.Servers = 400
	if b, _ := more.Footprint(); b <= mb || mb <= 0 || cb <= 0 {
		t.Errorf("bytes: %d for 4 servers, %d for 400, %d for a conveyor", mb, b, cb)
	}
}
