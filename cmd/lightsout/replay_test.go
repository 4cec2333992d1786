package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

func TestReplaySession(t *testing.T) {
	log := writeFile(t, "session.json", `{"config": "demo-line", "seed": "5", "until_s": 3600,
	  "commands": [{"at_s": 600, "kind": "break", "line": 1, "target": "test", "server": 1},
	               {"at_s": 900, "kind": "repair", "line": 1, "target": "test", "server": 1}]}`)
	r := lightsout(t, "replay-session", log)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var got twin.Result
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	spec, _ := configs.Resolve("demo-line")
	line, _ := twin.NewLine(spec, 5, nil)
	line.RunUntil(10 * sim.Minute)
	_ = line.Do(twin.Command{Kind: twin.BreakStation, Target: "test"})
	line.RunUntil(15 * sim.Minute)
	_ = line.Do(twin.Command{Kind: twin.RepairStation, Target: "test"})
	line.RunUntil(sim.Hour)
	if want := line.Result(); got.Shipped != want.Shipped || got.Events != want.Events {
		t.Errorf("replay shipped %d in %d events, want %d in %d", got.Shipped, got.Events, want.Shipped, want.Events)
	}

	bad := writeFile(t, "bad.json", `{"config": "demo-line", "seed": "5", "until_s": 9,
	  "commands": [{"at_s": 1, "kind": "break", "line": 1, "target": "nowhere", "server": 1}]}`)
	r = lightsout(t, "replay-session", bad)
	if r.code != exitBadInput || !strings.Contains(r.stderr, `no station "nowhere"`) || r.stdout != "" {
		t.Errorf("bad log: exit %d, stderr %q, stdout %q", r.code, r.stderr, r.stdout)
	}
}
