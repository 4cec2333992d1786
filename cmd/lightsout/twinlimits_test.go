package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
)

// Bad limits of the twin's mirror are reported all at once, each naming
// its flag, with exit status 2 and no connection attempted.
func TestTwinLimitFlags(t *testing.T) {
	for _, cmd := range []string{"twin", "replay"} {
		var out, errb bytes.Buffer
		args := []string{cmd, "--max-nodes", "0", "--max-devices", "-3", "--max-metrics", "99999999", "--max-payload", "1GiB",
			"--max-mirror-memory", "10kB", "--rebirth-burst", "0", "--rebirth-rate", "NaN", "--evict-after", "5s"}
		if cmd == "twin" {
			args = append(args, "--embedded")
		} else {
			args = append(args, "--log", "no-such-file.jsonl")
		}
		if code := execute(args, &out, &errb, "test"); code != exitBadInput {
			t.Fatalf("%s: exit %d, want %d; stderr %q", cmd, code, exitBadInput, errb.String())
		}
		for _, want := range []string{"--max-nodes 0", "--max-devices -3", "--max-metrics 99999999", "--max-payload 1GiB",
			"--max-mirror-memory 10000", "--rebirth-burst 0", "--rebirth-rate NaN", "--evict-after 5s"} {
			if !strings.Contains(errb.String(), "lightsout: "+want+": want") {
				t.Errorf("%s: stderr does not report %q:\n%s", cmd, want, errb.String())
			}
		}
	}
	var out, errb bytes.Buffer
	if code := execute([]string{"twin", "--max-payload", "1 MiB x"}, &out, &errb, "test"); code != exitBadInput ||
		!strings.Contains(errb.String(), "--max-payload") || !strings.Contains(errb.String(), "bad size") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}

// The flags reach the mirror's configuration; --evict-after 0s never
// evicts.
func TestTwinLimitFlagsConfigure(t *testing.T) {
	var f limitFlags
	cmd := &cobra.Command{}
	f.register(cmd)
	if err := cmd.ParseFlags([]string{"--max-nodes", "20", "--max-payload", "64KiB", "--max-mirror-memory", "2MB", "--evict-after", "0s"}); err != nil {
		t.Fatal(err)
	}
	var cfg mirror.Config
	if p := f.check(&cfg); len(p) != 0 {
		t.Fatal(p)
	}
	want := host.Config{MaxPayload: 64 << 10, MaxNodes: 20, MaxDevices: host.DefaultMaxDevices,
		MaxMetrics: host.DefaultMaxMetrics, MaxBytes: 2e6, RebirthBurst: host.DefaultRebirthBurst, RebirthRate: host.DefaultRebirthRate}
	if cfg.Limits != want || cfg.EvictAfter >= 0 {
		t.Fatalf("limits %+v, evict after %v", cfg.Limits, cfg.EvictAfter)
	}
	f = limitFlags{}
	f.register(&cobra.Command{})
	if f.check(&cfg); cfg.EvictAfter != time.Hour {
		t.Fatalf("default eviction %v", cfg.EvictAfter)
	}
}
