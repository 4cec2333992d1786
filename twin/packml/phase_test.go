package packml_test

import (
	"testing"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/packml"
)

func sv(p stations.Phase, broken, held bool) stations.ServerView {
	return stations.ServerView{Phase: p, Broken: broken, Held: held}
}

func TestServerState(t *testing.T) {
	for _, tc := range []struct {
		v    stations.ServerView
		want packml.State
	}{
		{sv(stations.Working, false, false), packml.Execute},
		{sv(stations.Loading, false, false), packml.Execute},
		{sv(stations.Unloading, false, false), packml.Execute},
		{sv(stations.Starved, false, false), packml.Suspended},
		{sv(stations.Blocked, false, false), packml.Suspended},
		{sv(stations.Down, false, false), packml.Held},
		{sv(stations.Maintenance, false, false), packml.Stopped},
		{sv(stations.Blocked, true, false), packml.Aborting},
		{sv(stations.Down, true, false), packml.Aborted},
		// A held server finishing its unit is Holding, an idle one Held; a
		// break outranks the hold.
		{sv(stations.Working, false, true), packml.Holding},
		{sv(stations.Loading, false, true), packml.Holding},
		{sv(stations.Unloading, false, true), packml.Holding},
		{sv(stations.Blocked, false, true), packml.Holding},
		{sv(stations.Starved, false, true), packml.Held},
		{sv(stations.Down, false, true), packml.Held},
		{sv(stations.Maintenance, false, true), packml.Stopped},
		{sv(stations.Down, true, true), packml.Aborted},
		{sv(stations.Working, true, true), packml.Aborting},
	} {
		if got := packml.ServerState(tc.v); got != tc.want {
			t.Errorf("ServerState(%v, broken %v, held %v) = %v, want %v", tc.v.Phase, tc.v.Broken, tc.v.Held, got, tc.want)
		}
	}
}

func TestStationState(t *testing.T) {
	for _, tc := range []struct {
		name    string
		servers []stations.ServerView
		want    packml.State
	}{
		{"one working", []stations.ServerView{sv(stations.Down, true, false), sv(stations.Working, false, false)}, packml.Execute},
		{"only server broken", []stations.ServerView{sv(stations.Down, true, false)}, packml.Aborted},
		{"starved and down", []stations.ServerView{sv(stations.Starved, false, false), sv(stations.Down, false, false)}, packml.Held},
		{"held, one finishing", []stations.ServerView{sv(stations.Starved, false, true), sv(stations.Working, false, true), sv(stations.Down, true, true)}, packml.Holding},
		{"held and idle", []stations.ServerView{sv(stations.Starved, false, true)}, packml.Held},
		{"held with a broken server", []stations.ServerView{sv(stations.Starved, false, true), sv(stations.Down, true, true)}, packml.Aborted},
		{"maintenance and starved", []stations.ServerView{sv(stations.Maintenance, false, false), sv(stations.Starved, false, false)}, packml.Stopped},
		{"no server", nil, packml.Undefined},
	} {
		if got := packml.StationState(tc.servers); got != tc.want {
			t.Errorf("%s: StationState = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// Every server a line can show maps to a PackML state that the host reads
// back as a server mapping to the same state, given what the edge also
// publishes (Status/Held, the units waiting). Where the state alone says
// the phase (all but Suspended and Held), the phase comes back exactly.
func TestServerRoundTrip(t *testing.T) {
	for p := range stations.Phase(stations.NumPhases) {
		for _, broken := range []bool{false, true} {
			for _, held := range []bool{false, true} {
				v := sv(p, broken, held)
				s := packml.ServerState(v)
				waiting := 0
				if p == stations.Blocked {
					waiting = 3 // a blocked server's station has units waiting
				}
				back, ok := packml.ServerFromState(s, held, waiting)
				if !ok {
					t.Errorf("%v broken=%v held=%v -> %v: not read back", p, broken, held, s)
					continue
				}
				again := packml.ServerState(sv(back.Phase, back.Broken, held))
				if again != s || back.Broken != broken {
					t.Errorf("%v broken=%v held=%v -> %v -> %+v -> %v", p, broken, held, s, back, again)
				}
				exact := !held && !broken && (p == stations.Working || p == stations.Starved || p == stations.Blocked ||
					p == stations.Down || p == stations.Maintenance)
				if exact && back.Phase != p {
					t.Errorf("%v -> %v -> %v, want the phase back", p, s, back.Phase)
				}
			}
		}
	}
	for _, s := range []packml.State{packml.Undefined, packml.Idle, packml.Unholding, packml.Complete, packml.State(70)} {
		if _, ok := packml.ServerFromState(s, false, 0); ok {
			t.Errorf("ServerFromState(%v) ok", s)
		}
	}
}

// The one rule for Suspended: blocked when units wait, else starved.
func TestSuspendedRule(t *testing.T) {
	if s, _ := packml.ServerFromState(packml.Suspended, false, 0); s.Phase != stations.Starved {
		t.Errorf("suspended, empty buffer: %v", s.Phase)
	}
	if s, _ := packml.ServerFromState(packml.Suspended, false, 2); s.Phase != stations.Blocked {
		t.Errorf("suspended, units waiting: %v", s.Phase)
	}
	if s, _ := packml.ServerFromState(packml.Held, true, 2); s.Phase != stations.Held || s.Broken {
		t.Errorf("held station, Held server: %+v", s)
	}
	if s, _ := packml.ServerFromState(packml.Held, false, 2); s.Phase != stations.Down || s.Broken {
		t.Errorf("Held server of a running station: %+v", s)
	}
}

func TestArmRoundTrip(t *testing.T) {
	for p := range robots.Phase(robots.NumPhases) {
		for _, broken := range []bool{false, true} {
			s := packml.ArmState(p, broken)
			back, bb, ok := packml.ArmFromState(s)
			if !ok || packml.ArmState(back, bb) != s || bb != broken {
				t.Errorf("arm %v broken=%v -> %v -> %v %v %v", p, broken, s, back, bb, ok)
			}
			if !broken && back != p {
				t.Errorf("arm %v -> %v -> %v, want the phase back", p, s, back)
			}
		}
	}
	if _, _, ok := packml.ArmFromState(packml.Stopped); ok {
		t.Error("ArmFromState(Stopped) ok")
	}
}
