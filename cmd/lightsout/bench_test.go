package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"go.uber.org/zap"
)

// runBenchCmd runs "bench" with args in-process, on a command built by
// newBenchCmd (so the test does not depend on where it is registered).
func runBenchCmd(t *testing.T, args ...string) (stdout string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{version: "test-version", stdout: &out, stderr: &console{w: &errb}, log: zap.NewNop()}
	cmd := newBenchCmd(a)
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	err = cmd.ExecuteContext(context.Background())
	return out.String(), err
}

// tinyBench are flags that make every measurement take a few milliseconds.
var tinyBench = []string{"--quick", "--kernel-events", "20000", "--duration", "1h", "--replication-duration", "30m", "--replications", "2", "--ceiling-duration", "1d"}

// The flags reach the measurements; what they measure is tested in
// cmd/internal/bench.
func TestBenchJSONFlags(t *testing.T) {
	out, err := runBenchCmd(t, append([]string{"--json"}, tinyBench...)...)
	if err != nil {
		t.Fatalf("bench --json: %v", err)
	}
	var r struct {
		Quick   bool `json:"quick"`
		Kernel  struct{ Events int }
		Factory struct {
			Config     string
			SimulatedS float64 `json:"simulated_s"`
		}
		Ceiling struct {
			Config     string
			SimulatedS float64 `json:"simulated_s"`
		}
		Replications struct {
			Replications int
			SimulatedS   float64 `json:"simulated_s"`
		}
	}
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&r); err != nil || dec.More() {
		t.Fatalf("output is not one JSON document (%v):\n%s", err, out)
	}
	if !r.Quick || r.Kernel.Events != 20000 || r.Factory.Config != "phone-factory" || r.Factory.SimulatedS != 3600 ||
		r.Replications.Replications != 2 || r.Replications.SimulatedS != 1800 ||
		r.Ceiling.Config != "two-machine" || r.Ceiling.SimulatedS != 86400 {
		t.Errorf("got %+v, want the flags' 20000 kernel events, 1h of phone-factory, 2 runs of 30m, ceiling runs of 1d of two-machine", r)
	}
}

func TestBenchTextShape(t *testing.T) {
	out, err := runBenchCmd(t, tinyBench...)
	if err != nil {
		t.Fatalf("bench: %v", err)
	}
	got := lines(out)
	if len(got) != 8 || !strings.HasPrefix(got[0], "machine ") || !strings.Contains(got[3], "(extrapolated from 1h)") ||
		!strings.Contains(got[4], "with its 2 lines on 2 cores at once") {
		t.Errorf("want the eight lines of the text report, the year extrapolated from 1h and the factory's 2 lines on 2 cores:\n%s", out)
	}
}

func TestBenchBadFlags(t *testing.T) {
	_, err := runBenchCmd(t, "--replications", "1", "--duration", "0s", "--ceiling-duration", "0s")
	ee, ok := err.(*exitError)
	if !ok || ee.code != exitBadInput {
		t.Fatalf("err = %v, want a bad-input exit error", err)
	}
	msg := ee.Error()
	for _, w := range []string{"--replications 1", "--duration 0s", "--ceiling-duration 0s"} {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not name %s", msg, w)
		}
	}
}
