package main

import (
	"bytes"
	"context"
	"encoding/json"
	"runtime"
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
var tinyBench = []string{"--quick", "--kernel-events", "20000", "--duration", "1h", "--replication-duration", "30m", "--replications", "2"}

func TestBenchJSONShape(t *testing.T) {
	out, err := runBenchCmd(t, append([]string{"--json"}, tinyBench...)...)
	if err != nil {
		t.Fatalf("bench --json: %v", err)
	}
	var r benchReport
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("output is not one bench report: %v\n%s", err, out)
	}
	if !r.Quick {
		t.Error("quick = false with --quick")
	}
	m := r.Machine
	if m.CPU == "" || m.Cores < 1 || m.GOMAXPROCS < 1 || !strings.HasPrefix(m.Go, "go") || m.OS == "" || m.Arch == "" {
		t.Errorf("machine info incomplete: %+v", m)
	}
	if r.Kernel.Pending != benchKernelPending || r.Kernel.Events != 20000 || !(r.Kernel.EventsPerSecond > 0) {
		t.Errorf("kernel = %+v, want 20000 events of the 1000-pending hold model at a positive rate", r.Kernel)
	}
	f := r.Factory
	if f.Config != "phone-factory" || f.SimulatedS != 3600 || f.Events == 0 || !(f.EventsPerSecond > 0) {
		t.Errorf("factory = %+v, want an hour of phone-factory with events", f)
	}
	if !f.Extrapolated {
		t.Error("an hour-long factory run is not labelled extrapolated")
	}
	// The year figure is the hour's wall time scaled by 8760.
	if want := f.WallSeconds * 8760; f.WallSPerSimYear < want*0.999 || f.WallSPerSimYear > want*1.001 {
		t.Errorf("wall_s_per_sim_year = %g, want %g (wall_s x 8760)", f.WallSPerSimYear, want)
	}
	if r.PeakMemory.Bytes == 0 || r.PeakMemory.Source == "" {
		t.Errorf("peak memory = %+v, want a size and its source", r.PeakMemory)
	}
	s := r.Replications
	if s.Replications != 2 || s.SimulatedS != 1800 || !(s.Wall1 > 0) || !(s.Wall2 > 0) || !(s.Speedup > 0) || s.Busy2 < 0 {
		t.Errorf("replications = %+v, want 2 runs of 30m timed on 1 and 2 workers", s)
	}
}

func TestBenchTextShape(t *testing.T) {
	out, err := runBenchCmd(t, tinyBench...)
	if err != nil {
		t.Fatalf("bench: %v", err)
	}
	want := []struct{ label, contains string }{
		{"machine", "GOMAXPROCS"},
		{"kernel", "M events/s"},
		{"factory", "phones/s"},
		{"year", "s wall per simulated year (extrapolated from 1h)"},
		{"memory", "MB peak"},
		{"replications", "x faster on 2 workers than on 1"},
	}
	t.Log("\n" + out)
	got := lines(out)
	if len(got) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(got), len(want), out)
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i], w.label+" ") || !strings.Contains(got[i], w.contains) {
			t.Errorf("line %d = %q, want it to start with %q and contain %q", i+1, got[i], w.label, w.contains)
		}
	}
}

func TestBenchBadFlags(t *testing.T) {
	_, err := runBenchCmd(t, "--replications", "1", "--duration", "0s")
	ee, ok := err.(*exitError)
	if !ok || ee.code != exitBadInput {
		t.Fatalf("err = %v, want a bad-input exit error", err)
	}
	msg := ee.Error()
	for _, w := range []string{"--replications 1", "--duration 0s"} {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not name %s", msg, w)
		}
	}
}

func TestParseVmHWM(t *testing.T) {
	status := "Name:\tlightsout\nVmPeak:\t  900 kB\nVmHWM:\t   11640 kB\nVmRSS:\t 11000 kB\n"
	if n, ok := parseVmHWM(status); !ok || n != 11640*1024 {
		t.Errorf("parseVmHWM = %d, %v; want %d, true", n, ok, 11640*1024)
	}
	for _, bad := range []string{"", "VmRSS: 1 kB\n", "VmHWM: lots kB\n", "VmHWM: 12 MB\n"} {
		if _, ok := parseVmHWM(bad); ok {
			t.Errorf("parseVmHWM(%q) ok, want not found", bad)
		}
	}
}

func TestParseStatCPU(t *testing.T) {
	// A command name with spaces and a parenthesis; utime 250, stime 30 ticks.
	stat := "4242 (light (sim) out) R 1 4242 4242 0 -1 4194560 900 0 0 0 250 30 0 0 20 0 3 0 100 0 0"
	if s, ok := parseStatCPU(stat); !ok || s != 2.8 {
		t.Errorf("parseStatCPU = %g, %v; want 2.8, true", s, ok)
	}
	for _, bad := range []string{"", "4242 (x) R 1 2 3", "4242 (x) R 1 4242 4242 0 -1 4194560 900 0 0 0 lots 30 0"} {
		if _, ok := parseStatCPU(bad); ok {
			t.Errorf("parseStatCPU(%q) ok, want not parsed", bad)
		}
	}
	if runtime.GOOS == "linux" {
		if _, ok := processCPUSeconds(); !ok {
			t.Error("processCPUSeconds not available on Linux")
		}
	}
}
