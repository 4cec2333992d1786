package packml_test

import (
	"encoding/json"
	"testing"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/packml"
)

func TestPackMLNumbering(t *testing.T) {
	for _, tc := range []struct {
		s      packml.State
		name   string
		packml int32
		opc    int32
	}{
		{packml.Stopped, "Stopped", 2, 0},
		{packml.Idle, "Idle", 4, 2},
		{packml.Suspended, "Suspended", 5, 12},
		{packml.Execute, "Execute", 6, 4},
		{packml.Aborting, "Aborting", 8, 7},
		{packml.Aborted, "Aborted", 9, 8},
		{packml.Held, "Held", 11, 15},
		{packml.Unholding, "Unholding", 12, 16},
		{packml.Complete, "Complete", 17, 6},
		{packml.Undefined, "Undefined", 0, -1},
		{packml.State(40), "State(40)", 40, -1},
	} {
		if tc.s.String() != tc.name || int32(tc.s) != tc.packml || tc.s.OPC30060() != tc.opc {
			t.Errorf("%v: %d, OPC 30060 %d; want %s %d, %d", tc.s, int32(tc.s), tc.s.OPC30060(), tc.name, tc.packml, tc.opc)
		}
	}
}

// Every state, station phase and arm phase goes to text (JSON) and back.
func TestTextRoundTrip(t *testing.T) {
	for s := packml.Undefined; s <= packml.Complete; s++ {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("%v: %v", s, err)
		}
		var back packml.State
		if err := json.Unmarshal(b, &back); err != nil || back != s || string(b) != `"`+s.String()+`"` {
			t.Errorf("%v -> %s -> %v, %v", s, b, back, err)
		}
	}
	for p := range stations.Phase(stations.NumPhases) {
		b, err := json.Marshal(p)
		var back stations.Phase
		if err == nil {
			err = json.Unmarshal(b, &back)
		}
		if err != nil || back != p || string(b) != `"`+p.String()+`"` {
			t.Errorf("station phase %v -> %s -> %v, %v", p, b, back, err)
		}
	}
	for p := range robots.Phase(robots.NumPhases) {
		b, err := json.Marshal(p)
		var back robots.Phase
		if err == nil {
			err = json.Unmarshal(b, &back)
		}
		if err != nil || back != p || string(b) != `"`+p.String()+`"` {
			t.Errorf("arm phase %v -> %s -> %v, %v", p, b, back, err)
		}
	}
	for _, bad := range []string{`"execute"`, `"Workin"`, `""`, `"State(3)"`} {
		var s packml.State
		var p stations.Phase
		var a robots.Phase
		if json.Unmarshal([]byte(bad), &s) == nil || json.Unmarshal([]byte(bad), &p) == nil || json.Unmarshal([]byte(bad), &a) == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if _, err := json.Marshal(packml.State(99)); err == nil {
		t.Error("State(99) marshalled")
	}
	if _, err := json.Marshal(stations.Phase(stations.NumPhases)); err == nil {
		t.Error("out-of-range station phase marshalled")
	}
}
