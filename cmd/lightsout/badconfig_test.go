package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Bad configs of every kind stop both validate and batch with exit status
// 2, a message that names the file, the field and the problem, and no
// output file.
func TestBadConfigs(t *testing.T) {
	const ok = "stations:\n  - {id: a, cycle: 2s}\n"
	tests := []struct {
		name, yaml string
		want       string // substring of the first stderr line, after "FILE: "
	}{
		{"YAML syntax", "stations:\n  - {id: a, cycle: 2s\n", "YAML syntax error"},
		{"tab indentation", "stations:\n\t- {id: a}\n", "line 2"},
		{"unknown top-level key", ok + "speed: 3\n", `unknown key "speed"`},
		{"unknown station key", "stations:\n  - {id: a, cycle: 2s, bufer: 3}\n", `stations[0]: unknown key "bufer" (did you mean "buffer"?)`},
		{"unknown inspect key", "stations:\n  - {id: a, cycle: 2s, inspect: {detect: 0.9, on_fail: scrap, mode: x}}\n", `stations[0].inspect: unknown key "mode"`},
		{"negative duration", "stations:\n  - {id: a, cycle: -2s}\n", "stations[0].cycle: negative duration"},
		{"zero cycle", "stations:\n  - {id: a, cycle: 0s}\n", "stations[0].cycle: missing or zero"},
		{"missing cycle", "stations:\n  - {id: a}\n", "stations[0].cycle: missing or zero"},
		{"unknown distribution", "stations:\n  - {id: a, cycle: expo(3s)}\n", `stations[0].cycle: unknown distribution "expo"`},
		{"wrong parameter count", "stations:\n  - {id: a, cycle: exp(3s;4s)}\n", "stations[0].cycle:"},
		{"duration without unit", "stations:\n  - {id: a, cycle: 3}\n", "stations[0].cycle: 3 has no unit"},
		{"unquoted comma in flow mapping", "stations:\n  - {id: a, cycle: uniform(1s,2s)}\n", "quote"},
		{"capacity -1", "stations:\n  - {id: a, cycle: 2s, buffer: -1}\n", "stations[0].buffer:"},
		{"capacity lots", "stations:\n  - {id: a, cycle: 2s, buffer: lots}\n", `stations[0].buffer: capacity "lots"`},
		{"servers 0", "stations:\n  - {id: a, cycle: 2s, servers: 0}\n", "stations[0].servers:"},
		{"rework to a missing station", "stations:\n  - {id: a, cycle: 2s, inspect: {detect: 0.9, on_fail: 'rework:nowhere'}}\n", `stations[0].inspect.on_fail: rework to unknown station "nowhere"`},
		{"rework downstream", "stations:\n  - {id: a, cycle: 2s, inspect: {detect: 0.9, on_fail: 'rework:b'}}\n  - {id: b, cycle: 2s}\n", "downstream"},
		{"unknown arm", "stations:\n  - {id: a, cycle: 2s, arm: {id: r9, load: 1, unload: 1}}\n", `stations[0].arm.id: unknown arm "r9"`},
		{"duplicate station id", "stations:\n  - {id: a, cycle: 2s}\n  - {id: a, cycle: 2s}\n", `stations[1].id: "a" already used by stations[0]`},
		{"defect rate above 1", "stations:\n  - {id: a, cycle: 2s, defect_rate: 1.5}\n", "stations[0].defect_rate: 1.5 is not a probability"},
		{"maintenance longer than its period", "stations:\n  - {id: a, cycle: 2s, maintenance: {every: 1h, duration: 2h}}\n", "stations[0].maintenance.duration:"},
		{"mtbf without mttr", "stations:\n  - {id: a, cycle: 2s, mtbf: exp(1h)}\n", "stations[0].mttr: missing or zero"},
		{"failing conveyor", "stations:\n  - id: oven\n    conveyor: {dwell: 5m, pitch: 6s}\n    mtbf: exp(2h)\n    mttr: exp(5m)\n", "conveyor failures are not modelled"},
		{"weibull shape", "stations:\n  - {id: a, cycle: 'weibull(0,2s)'}\n", "weibull shape"},
		{"arm without speed", "stations:\n  - {id: a, cycle: 2s, arm: {id: r, load: 1, unload: 1}}\narms:\n  - {id: r, accel: 2}\n", "arms[0].speed:"},
		{"no stations", "name: empty\n", "stations: a line needs at least one station"},
		{"empty file", "", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := filepath.Join(dir, "line.yaml")
			if err := os.WriteFile(cfg, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out", "report.json")
			if err := os.Mkdir(filepath.Dir(out), 0o755); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{{"validate", cfg}, {"batch", "--config", cfg, "--json", "--out", out}} {
				r := lightsout(t, args...)
				if r.code != exitBadInput {
					t.Fatalf("%s: exit status %d, want %d; stderr:\n%s", args[0], r.code, exitBadInput, r.stderr)
				}
				first, _, _ := strings.Cut(r.stderr, "\n")
				if !strings.HasPrefix(first, cfg+": ") || !strings.Contains(first, tt.want) {
					t.Errorf("%s: stderr %q, want %q then %q", args[0], first, cfg+": ", tt.want)
				}
				if r.stdout != "" {
					t.Errorf("%s: stdout %q, want nothing", args[0], r.stdout)
				}
			}
			assertEmptyDir(t, filepath.Dir(out))
		})
	}

	t.Run("missing file", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "nope.yaml")
		r := lightsout(t, "validate", missing)
		if r.code != exitBadInput || !strings.Contains(r.stderr, missing) {
			t.Errorf("exit %d, stderr %q: want 2 and the file named", r.code, r.stderr)
		}
	})
}
