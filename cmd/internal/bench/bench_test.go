package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// tiny are options that make every measurement take a few milliseconds.
func tiny(t *testing.T) Options {
	t.Helper()
	spec, err := configs.Embedded("phone-factory")
	if err != nil {
		t.Fatal(err)
	}
	ceil, err := configs.Embedded(CeilingConfig)
	if err != nil {
		t.Fatal(err)
	}
	opt := Defaults(true)
	opt.Config, opt.Spec, opt.CeilingSpec = "phone-factory", spec, ceil
	opt.KernelEvents, opt.Factory, opt.Replication, opt.Replications = 20000, sim.Hour, 30*sim.Minute, 2
	opt.CeilingRun, opt.CeilingPairs = 2*sim.Day, 3
	return opt
}

func TestRunMeasuresEverything(t *testing.T) {
	rep, err := Run(context.Background(), tiny(t))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, rep); err != nil {
		t.Fatal(err)
	}
	var r Report
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("output is not one bench report: %v\n%s", err, buf.String())
	}
	if !r.Quick {
		t.Error("quick = false with the quick defaults")
	}
	m := r.Machine
	if m.CPU == "" || m.Cores < 1 || m.GOMAXPROCS < 1 || !strings.HasPrefix(m.Go, "go") || m.OS == "" || m.Arch == "" {
		t.Errorf("machine info incomplete: %+v", m)
	}
	if r.Kernel.Pending != KernelPending || r.Kernel.Events != 20000 || !(r.Kernel.EventsPerSecond > 0) {
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
	if cp := r.Copies; cp.Lines != 2 || cp.Workers != 2 || !(cp.WallSeconds > 0) || !(cp.Speedup > 0) || cp.Busy < 0 {
		t.Errorf("copies = %+v, want phone-factory's 2 lines timed on 2 cores", cp)
	} else if want := cp.WallSeconds * 8760; cp.WallSPerSimYear < want*0.999 || cp.WallSPerSimYear > want*1.001 {
		t.Errorf("copies: wall_s_per_sim_year = %g, want %g (wall_s x 8760)", cp.WallSPerSimYear, want)
	}
	if r.PeakMemory.Bytes == 0 || r.PeakMemory.Source == "" {
		t.Errorf("peak memory = %+v, want a size and its source", r.PeakMemory)
	}
	c := r.Ceiling
	if c.Config != CeilingConfig || c.SimulatedS != 2*86400 || c.Pairs != 3 || !(c.EnginePartsPerSecond > 0) || !(c.CeilingPartsPerSecond > 0) {
		t.Errorf("ceiling = %+v, want 3 pairs of 2d of two-machine at positive rates", c)
	}
	if !(c.RatioLow > 0) || c.RatioLow > c.Ratio || c.Ratio > c.RatioHigh {
		t.Errorf("ceiling ratio %g not within its positive range %g to %g", c.Ratio, c.RatioLow, c.RatioHigh)
	}
	s := r.Replications
	if s.Replications != 2 || s.SimulatedS != 1800 || !(s.Wall1 > 0) || !(s.Wall2 > 0) || !(s.Speedup > 0) || s.Busy2 < 0 {
		t.Errorf("replications = %+v, want 2 runs of 30m timed on 1 and 2 workers", s)
	}
}

func TestRunRefusesBadOptions(t *testing.T) {
	opt := tiny(t)
	opt.Spec, opt.Replications, opt.Factory, opt.CeilingSpec, opt.CeilingPairs = nil, 1, 0, nil, 0
	_, err := Run(context.Background(), opt)
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{"no line", "1 replications", "factory run 0s", "no two-machine line", "0 pairs of runs of 2d"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
}

// A cancelled context stops the measurements after the kernel's.
func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, tiny(t)); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want %v", err, context.Canceled)
	}
}

func TestDefaults(t *testing.T) {
	full, quick := Defaults(false), Defaults(true)
	if full.Quick || full.Factory != sim.Year || full.KernelEvents != 20_000_000 || full.Replication != 7*sim.Day || full.Replications != 4 ||
		full.CeilingRun != sim.Year || full.CeilingPairs != 11 {
		t.Errorf("full defaults %+v", full)
	}
	if !quick.Quick || quick.Factory != 7*sim.Day || quick.KernelEvents != 2_000_000 || quick.Replication != sim.Day || quick.Replications != 4 ||
		quick.CeilingRun != 100*sim.Day || quick.CeilingPairs != 5 {
		t.Errorf("quick defaults %+v", quick)
	}
}

func TestWriteText(t *testing.T) {
	r := &Report{
		Machine: Machine{CPU: "AMD EPYC", Cores: 2, GOMAXPROCS: 2, Go: "go1.26.8", OS: "linux", Arch: "amd64"},
		Kernel:  Kernel{Pending: 1000, Events: 2_000_000, EventsPerSecond: 7.04e6},
		Factory: Factory{Config: "phone-factory", SimulatedS: 7 * 86400, Events: 4481523, EventsPerSecond: 5.434e6,
			PhonesPerSecond: 202420.4, WallSPerSimYear: 43.02, Extrapolated: true},
		Copies:     Copies{Lines: 2, Workers: 2, WallSPerSimYear: 23.61, Speedup: 1.822, Busy: 1.9},
		PeakMemory: Memory{Bytes: 20_600_000, Source: "VmHWM"},
		Ceiling: Ceiling{Config: "two-machine", SimulatedS: 100 * 86400, Pairs: 5, EnginePartsPerSecond: 4159821.2,
			CeilingPartsPerSecond: 18225719.4, Ratio: 0.2282, RatioLow: 0.197, RatioHigh: 0.251},
		Replications: Scaling{Replications: 4, SimulatedS: 86400, Wall1: 0.51, Wall2: 0.43, Speedup: 1.186, Busy2: 0.8},
	}
	var b strings.Builder
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	want := `machine       AMD EPYC, 2 cores, GOMAXPROCS 2, go1.26.8 linux/amd64
kernel        7.0 M events/s (hold model, 1,000 pending, 2,000,000 events)
factory       5.43 M events/s, 202,420 phones/s (phone-factory, 7d simulated, 4,481,523 events)
year          43.0 s wall per simulated year on one core (extrapolated from 7d)
year, copies  23.6 s wall per simulated year with its 2 lines on 2 cores at once (1.82x the speed on one core; 1.9 cores busy)
memory        20.6 MB peak (VmHWM)
ceiling       0.23 of a hand-written loop of two-machine (4,159,821 against 18,225,719 parts/s, median of 5 interleaved pairs of 100d; pairs 0.20 to 0.25)
replications  1.19x faster on 2 workers than on 1 (4 runs of 1d: 0.51 s vs 0.43 s; 0.8 cores busy)
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	// A whole year measured, and no CPU time known.
	r.Factory.SimulatedS, r.Factory.Extrapolated, r.Replications.Busy2, r.Copies.Busy = 365*86400, false, 0, 0
	b.Reset()
	WriteText(&b, r)
	if !strings.Contains(b.String(), "(measured over a whole simulated year)") || strings.Contains(b.String(), "cores busy") {
		t.Errorf("a measured year without CPU time:\n%s", b.String())
	}
	// A line of one copy: nothing to run at once.
	r.Copies = Copies{Lines: 1}
	b.Reset()
	WriteText(&b, r)
	if !strings.Contains(b.String(), "year, copies  not measured: phone-factory has one line\n") {
		t.Errorf("a line of one copy:\n%s", b.String())
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
