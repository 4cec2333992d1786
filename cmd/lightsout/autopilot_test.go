package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// batch --autopilot flies the policy on every replication and reports
// what it did; the same flags give the same report.
func TestBatchAutopilot(t *testing.T) {
	args := []string{"batch", "--config", "phone-factory", "--duration", "5d", "--warmup", "1d", "--replications", "2",
		"--log-level", "warn", "--json", "--autopilot", "predictive", "--autopilot-param", "predictive.lead=6h"}
	r := lightsout(t, args...)
	if r.code != exitOK {
		t.Fatalf("exit status %d; stderr:\n%s", r.code, r.stderr)
	}
	var doc struct {
		Runs []struct {
			Autopilot *struct {
				Policy    string `json:"policy"`
				Epochs    int    `json:"epochs"`
				Maintains int    `json:"maintains"`
				Applied   int    `json:"applied"`
			} `json:"autopilot"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 2 {
		t.Fatalf("%d runs", len(doc.Runs))
	}
	for i, run := range doc.Runs {
		a := run.Autopilot
		if a == nil || a.Policy != "predictive" || a.Epochs != 4*24*6 || a.Maintains == 0 || a.Applied != a.Maintains {
			t.Fatalf("run %d: autopilot %+v, want predictive every 10 minutes with maintenances applied", i, a)
		}
	}
	again := lightsout(t, args...)
	if withoutTiming(t, again.stdout) != withoutTiming(t, r.stdout) {
		t.Fatal("the same batch with an autopilot gave another report")
	}
}

// Every problem of the autopilot flags is reported at once, with the
// others of the batch.
func TestAutopilotFlagProblems(t *testing.T) {
	r := lightsout(t, "batch", "--config", "two-machine", "--autopilot", "predictiv", "--autopilot-param", "lead",
		"--max-actions-per-hour", "0", "--replications", "0")
	if r.code != exitBadInput {
		t.Fatalf("status %d, want %d", r.code, exitBadInput)
	}
	for _, w := range []string{`--autopilot "predictiv"`, `--autopilot-param "lead"`, "--max-actions-per-hour 0", "--replications 0"} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr does not mention %q:\n%s", w, r.stderr)
		}
	}
	r = lightsout(t, "sweep", "demo-buffer", "--recommend-only", "--check")
	if r.code != exitBadInput || !strings.Contains(r.stderr, "--recommend-only: needs --autopilot") {
		t.Errorf("sweep --recommend-only alone: status %d, stderr %q", r.code, r.stderr)
	}
}

// A sweep may vary the policy itself; --autopilot then is refused.
func TestSweepAutopilot(t *testing.T) {
	file := filepath.Join(t.TempDir(), "s.yaml")
	src := "name: s\nbase: two-machine\nduration: 1d\nwarmup: 1h\nreplications: 1\ngrid:\n  autopilot.policy: [none, predictive]\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	r := lightsout(t, "sweep", file, "--check")
	if r.code != exitOK {
		t.Fatalf("check: status %d, stderr %s", r.code, r.stderr)
	}
	r = lightsout(t, "sweep", file, "--check", "--autopilot", "none")
	if r.code != exitBadInput || !strings.Contains(r.stderr, "the sweep varies autopilot.policy itself") {
		t.Fatalf("--autopilot on a sweep of policies: status %d, stderr %s", r.code, r.stderr)
	}
	bad := strings.Replace(src, "predictive]", "predictiv]", 1)
	if err := os.WriteFile(file, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	r = lightsout(t, "sweep", file, "--check")
	if r.code != exitBadInput || !strings.Contains(r.stderr, `autopilot.policy: "predictiv"`) {
		t.Fatalf("a sweep with an unknown policy: status %d, stderr %s", r.code, r.stderr)
	}
}
