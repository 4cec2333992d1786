package experiment

import (
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// TestLimitsRefusedBeforeAllocating checks that counts once taken as given
// (--replications 100000000, --pilots 100000000: gigabytes of result
// slices before the first run) are refused, before anything is allocated
// in proportion to them.
func TestLimitsRefusedBeforeAllocating(t *testing.T) {
	spec := tinyLine(t)
	opt := BatchOptions{Options: twin.Options{Duration: sim.Hour}, Replications: 100_000_000}
	for name, run := range map[string]func() error{
		"replications": func() error { _, err := Batch(spec, opt); return err },
		"pilots":       func() error { _, err := DetectWarmup(spec, opt, 100_000_000); return err },
		"precision": func() error {
			_, err := BatchToPrecision(spec, PrecisionOptions{BatchOptions: opt, Target: 1, MaxReplications: 100_000_000})
			return err
		},
		"duration": func() error {
			o := opt
			o.Replications, o.Duration = 1, sim.MaxSpan+1
			_, err := Batch(spec, o)
			return err
		},
	} {
		var err error
		allocs := testing.AllocsPerRun(1, func() { err = run() })
		if err == nil {
			t.Errorf("%s: no error", name)
		}
		if allocs > 20 {
			t.Errorf("%s: %v allocations before the error %v", name, allocs, err)
		}
	}
	plan := demoPlan(t, twin.MaxReplications, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4)
	if err := plan.Validate(); err == nil || !strings.Contains(err.Error(), "11 points x 100000 replications = 1100000 runs: at most 1000000") {
		t.Errorf("Validate of 1,100,000 runs: %v", err)
	}
	plan.Replications = twin.MaxReplications + 1
	if err := plan.Validate(); err == nil || !strings.Contains(err.Error(), "replications 100001: want 1 to 100000") {
		t.Errorf("Validate of 100,001 replications: %v", err)
	}
}

// TestBatchMemory checks what the estimate of a batch adds up and how a
// batch over its budget is refused: one line saying what takes the
// memory.
func TestBatchMemory(t *testing.T) {
	spec := tinyLine(t)
	opt := BatchOptions{Options: twin.Options{Duration: 100 * sim.Hour}, Workers: 4}
	m := BatchMemory("the batch", spec, opt, 10)
	if m.Workers != 4 || m.Runs != 10 || m.Total() != 4*m.Run.Total()+10*m.PerRun {
		t.Errorf("estimate %+v, total %v", m, m.Total())
	}
	if m.Run.Buckets != int64(twin.DefaultSeriesBuckets)+1 || m.PerRun < 24*float64(twin.DefaultSeriesBuckets) {
		t.Errorf("series: %d buckets, %v bytes kept per run: want 501 buckets kept", m.Run.Buckets, m.PerRun)
	}
	if one := BatchMemory("the batch", spec, opt, 1); one.Workers != 1 {
		t.Errorf("one replication on %d workers", one.Workers)
	}
	if err := m.Check(m.Total()); err != nil {
		t.Errorf("Check at the estimate: %v", err)
	}
	for _, tc := range []struct {
		m                Memory
		what, size, most string // the figures depend on the size of structs
	}{
		{BatchMemory("the batch", spec, opt, twin.MaxReplications),
			"the batch", "GB", "the results of 100,000 replications"},
		{BatchMemory("the batch", bigLine(t, 1000, 1000, 0), opt, 1),
			"the batch", "GB", "one run with 10,000,000 servers in 1,000 lines"},
		{BatchMemory("the warm-up pilots", bigLine(t, 1000, 1, 1_000_000), opt, 5),
			"the warm-up pilots", "TB", "4 runs at once, each with room for 10,000,010,000 units in process (its finite buffers, machines and conveyors full)"},
	} {
		err := tc.m.Check(1e6)
		if err == nil {
			t.Errorf("%s: no error", tc.most)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, tc.what+" would need about ") || strings.Contains(msg, "\n") ||
			!strings.Contains(msg, " "+tc.size+" of memory, more than the 1.0 MB allowed: most of it for "+tc.most) {
			t.Errorf("Check:\n%s\nwant %s needing some %s, most of it for %s", msg, tc.what, tc.size, tc.most)
		}
	}
}

// bigLine is a line of lines copies of 10 stations of servers servers
// with buffers of buffer, never run.
func bigLine(t *testing.T, lines, servers, buffer int) *twin.Spec {
	spec := tinyLine(t)
	spec.Lines = lines
	spec.Stations = nil
	for _, id := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"} {
		spec.Stations = append(spec.Stations, tinyLine(t).Stations[0])
		st := &spec.Stations[len(spec.Stations)-1]
		st.ID, st.Servers, st.Buffer = id, servers, stations.Capacity(buffer)
	}
	if err := spec.Validate(); err != nil {
		t.Fatal(err)
	}
	return spec
}

// TestSweepMemory checks that a sweep's estimate counts the largest point
// and a result per run.
func TestSweepMemory(t *testing.T) {
	plan := demoPlan(t, 100, 4, 1000)
	m := SweepMemory(plan, 3)
	big := plan.Points[1].Spec.RunMemory(twin.Options{Duration: plan.Duration})
	if m.Workers != 3 || m.Runs != 200 || m.Run != big {
		t.Errorf("estimate %+v, want 3 workers, 200 runs, the run of the point with buffer 1000 (%+v)", m, big)
	}
	if err := m.Check(1); err == nil || !strings.HasPrefix(err.Error(), "the sweep would need about") {
		t.Errorf("Check(1) = %v", err)
	}
}
