package experiment

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

func TestBatchRejectsBadOptions(t *testing.T) {
	spec := &twin.Spec{}
	base := BatchOptions{Options: twin.Options{Duration: sim.Hour}, Replications: 1}
	for name, mod := range map[string]func(*BatchOptions){
		"no replications": func(o *BatchOptions) { o.Replications = 0 },
		"zero duration":   func(o *BatchOptions) { o.Duration = 0 },
		"long warm-up":    func(o *BatchOptions) { o.Warmup = sim.Hour },
		"negative warm-up": func(o *BatchOptions) {
			o.Warmup = -1
		},
		"negative workers": func(o *BatchOptions) { o.Workers = -1 },
	} {
		opt := base
		mod(&opt)
		if _, err := Batch(spec, opt); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := Batch(nil, base); err == nil {
		t.Error("nil spec: no error")
	}
}

// tinyLine is a two-station line for tests that run the simulation.
func tinyLine(t *testing.T) *twin.Spec {
	t.Helper()
	spec := &twin.Spec{
		Name: "tiny",
		Stations: []stations.Spec{
			{ID: "a", Buffer: 5, Cycle: sim.ExpDist(50 * sim.Second)},
			{ID: "b", Buffer: 5, Cycle: sim.ExpDist(55 * sim.Second), DefectRate: 0.02},
		},
	}
	spec.Defaults()
	if err := spec.Validate(); err != nil {
		t.Fatal(err)
	}
	return spec
}

// TestBatchSameForAnyWorkerCount runs real replications (it needs Run).
func TestBatchSameForAnyWorkerCount(t *testing.T) {
	spec := tinyLine(t)
	var outputs [][]byte
	for _, workers := range []int{1, 3, 8} {
		rep, err := Batch(spec, BatchOptions{
			Options:      twin.Options{Duration: 8 * sim.Hour, Warmup: sim.Hour, Seed: 3},
			Config:       "tiny",
			Replications: 5,
			Workers:      workers,
		})
		if err != nil {
			t.Fatalf("workers=%d: %v", workers, err)
		}
		// Clear the timing fields, the only ones allowed to differ.
		rep.WallSeconds, rep.EventsPerSecond = 0, 0
		for i := range rep.Runs {
			rep.Runs[i].WallSeconds = 0
			if rep.Runs[i].Seed != twin.ReplicationSeed(3, i) {
				t.Errorf("run %d seed %d, want %d", i, rep.Runs[i].Seed, twin.ReplicationSeed(3, i))
			}
		}
		b, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		outputs = append(outputs, b)
	}
	for i := 1; i < len(outputs); i++ {
		if !bytes.Equal(outputs[0], outputs[i]) {
			t.Errorf("report with worker count #%d differs from the first", i)
		}
	}
}

// TestBatchTraceOnlyFirstReplication needs Run.
func TestBatchTraceOnlyFirstReplication(t *testing.T) {
	spec := tinyLine(t)
	run := func(reps int) []byte {
		var trace bytes.Buffer
		_, err := Batch(spec, BatchOptions{
			Options:      twin.Options{Duration: 2 * sim.Hour, Seed: 9, Trace: &trace},
			Replications: reps,
			Workers:      2,
		})
		if err != nil {
			t.Fatal(err)
		}
		return trace.Bytes()
	}
	one, three := run(1), run(3)
	if len(one) == 0 {
		t.Fatal("no trace written")
	}
	if !bytes.Equal(one, three) {
		t.Error("the trace should come from replication 0 alone")
	}
}
