package main

import (
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
)

// configs lists the embedded sweeps beside the line configs, and shows a
// sweep as it shows a config: its YAML, comments included.
func TestConfigsListsAndShowsSweeps(t *testing.T) {
	r := lightsout(t, "configs")
	if r.code != exitOK {
		t.Fatalf("configs: %d\n%s", r.code, r.stderr)
	}
	for _, name := range append(configs.Names(), configs.SweepNames()...) {
		if !strings.Contains(r.stdout, "  "+name+" ") {
			t.Errorf("configs does not list %s:\n%s", name, r.stdout)
		}
	}
	if !strings.Contains(r.stdout, "Sweeps") || strings.Contains(r.stdout, "(invalid") {
		t.Errorf("configs: no sweep section, or an invalid entry:\n%s", r.stdout)
	}
	src, err := configs.SweepSource("demo-buffer")
	if err != nil {
		t.Fatal(err)
	}
	r = lightsout(t, "configs", "show", "demo-buffer")
	if r.code != exitOK || r.stdout != string(src) || !strings.HasPrefix(r.stdout, "#") {
		t.Errorf("configs show demo-buffer: %d\n%s", r.code, r.stdout)
	}
	r = lightsout(t, "configs", "show", "nope")
	if r.code != exitBadInput || !strings.Contains(r.stderr, "demo-buffer") || !strings.Contains(r.stderr, "phone-factory") {
		t.Errorf("configs show nope: %d %q, want both lists", r.code, r.stderr)
	}
}
