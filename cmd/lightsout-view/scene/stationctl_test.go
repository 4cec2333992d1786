package scene

import (
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
)

func TestStationSpeedsAreValidAndRising(t *testing.T) {
	one := 0
	for k, s := range stationSpeeds {
		if err := stations.CheckSpeed(s); err != nil {
			t.Errorf("step %d: %v", k, err)
		}
		if k > 0 {
			r := s / stationSpeeds[k-1]
			if r < 1.2 || r > 1.3 {
				t.Errorf("step %g -> %g is x%.3f, want about x1.25", stationSpeeds[k-1], s, r)
			}
		}
		if s == 1 {
			one++
		}
	}
	if one != 1 || stationSpeeds[len(stationSpeeds)-1] != stations.MaxSpeed {
		t.Errorf("steps %v: want 1 once and %v last", stationSpeeds, stations.MaxSpeed)
	}
}

// Any number of steps one way and as many back return to 1 exactly.
func TestStepSpeedReturnsToNominal(t *testing.T) {
	for _, first := range []bool{false, true} {
		for n := 1; n <= len(stationSpeeds); n++ {
			s, taken := 1.0, 0
			for range n {
				next, ok := StepSpeed(s, first)
				if !ok {
					break
				}
				if next <= 0 || next > stations.MaxSpeed || (next > s) != first {
					t.Fatalf("step from %v (faster %v) gave %v", s, first, next)
				}
				s = next
				taken++
			}
			for range taken {
				var ok bool
				if s, ok = StepSpeed(s, !first); !ok {
					t.Fatalf("no step back from %v", s)
				}
			}
			if s != 1 {
				t.Errorf("%d steps (faster %v) and back: %v, want exactly 1", n, first, s)
			}
		}
	}
}

func TestStepSpeedEndsAndOffSteps(t *testing.T) {
	for _, tc := range []struct {
		cur    float64
		faster bool
		want   float64
		ok     bool
	}{
		{1, true, 1.25, true},
		{1, false, 0.8, true},
		{stations.MaxSpeed, true, stations.MaxSpeed, false},
		{0.1, false, 0.1, false},
		{0.05, true, 0.1, true}, // below the steps
		{0.7, false, 0.63, true},
		{0.7, true, 0.8, true},
		{9, true, 10, true},
		// As a twin reads it back from a 32-bit Float: still the step 0.8.
		{float64(float32(0.8)), true, 1, true},
		{float64(float32(0.8)), false, 0.63, true},
		{float64(float32(1.25)), false, 1, true},
	} {
		got, ok := StepSpeed(tc.cur, tc.faster)
		if got != tc.want || ok != tc.ok {
			t.Errorf("StepSpeed(%v, faster %v) = %v, %v; want %v, %v", tc.cur, tc.faster, got, ok, tc.want, tc.ok)
		}
	}
}

func TestHoldResetSpeedCommands(t *testing.T) {
	st := Selection{Kind: SelStation, Slot: 0, Server: -1}
	arm := Selection{Kind: SelArm, Slot: 0, Server: -1}
	none := Selection{Server: -1}
	snap := snapWith(4, 0, stations.Working, stations.Starved)
	snap.Stations[0].Speed = 1

	cmd, err := HoldCommand(st, snap)
	if err != nil || cmd != (twin.Command{Kind: twin.HoldStation, Line: 1, Target: "st"}) {
		t.Errorf("hold a running station: %+v, %v", cmd, err)
	}
	snap.Stations[0].Held = true
	if cmd, err = HoldCommand(st, snap); err != nil || cmd.Kind != twin.UnholdStation || cmd.Target != "st" {
		t.Errorf("hold a held station: %+v, %v; want unhold", cmd, err)
	}
	if cmd, err = ResetCommand(st, snap); err != nil || cmd != (twin.Command{Kind: twin.ResetStation, Line: 1, Target: "st"}) {
		t.Errorf("reset a held station: %+v, %v", cmd, err)
	}
	snap.Stations[0].Held = false
	if _, err = ResetCommand(st, snap); err == nil || !strings.Contains(err.Error(), "nothing to reset") {
		t.Errorf("reset a running station: %v", err)
	}
	if cmd, err = ResetCommand(st, snapWith(4, 0, stations.Working, stations.Down)); err != nil || cmd.Kind != twin.ResetStation {
		t.Errorf("reset a station with a server down: %+v, %v", cmd, err)
	}

	if cmd, err = SpeedCommand(st, snap, false); err != nil || cmd != (twin.Command{Kind: twin.SetSpeed, Line: 1, Target: "st", Speed: 0.8}) {
		t.Errorf("slower: %+v, %v", cmd, err)
	}
	if cmd, err = SpeedCommand(st, snap, true); err != nil || cmd.Speed != 1.25 {
		t.Errorf("faster: %+v, %v", cmd, err)
	}
	snap.Stations[0].Speed = stations.MaxSpeed
	if _, err = SpeedCommand(st, snap, true); err == nil || !strings.Contains(err.Error(), "fastest") {
		t.Errorf("faster than the fastest: %v", err)
	}
	snap.Stations[0].Speed = 0 // a twin that does not publish it
	if _, err = SpeedCommand(st, snap, true); err == nil || !strings.Contains(err.Error(), "not known") {
		t.Errorf("speed unknown: %v", err)
	}

	for _, f := range []func() (twin.Command, error){
		func() (twin.Command, error) { return HoldCommand(arm, snap) },
		func() (twin.Command, error) { return ResetCommand(arm, snap) },
		func() (twin.Command, error) { return SpeedCommand(arm, snap, true) },
		func() (twin.Command, error) { return HoldCommand(none, snap) },
		func() (twin.Command, error) { return SpeedCommand(none, snap, false) },
	} {
		if cmd, err := f(); err == nil {
			t.Errorf("a command without a station selected: %+v", cmd)
		}
	}
}
