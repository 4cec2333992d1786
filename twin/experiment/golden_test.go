package experiment_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/experiment"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.json from the current engine")

// batchJSON runs a short batch of an embedded config and returns its report
// as JSON with the timing fields zeroed: all that may differ between runs.
func batchJSON(t *testing.T, name string, workers int) []byte {
	t.Helper()
	return batchJSONOf(t, name, 3, workers)
}

// batchJSONOf is batchJSON with the number of replications.
func batchJSONOf(t *testing.T, name string, replications, workers int) []byte {
	t.Helper()
	spec, err := configs.Embedded(name)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := experiment.Batch(spec, experiment.BatchOptions{
		Options:      twin.Options{Duration: 2 * sim.Day, Warmup: 6 * sim.Hour, Seed: 42},
		Config:       name,
		Replications: replications,
		Workers:      workers,
	})
	if err != nil {
		t.Fatal(err)
	}
	rep.WallSeconds, rep.EventsPerSecond = 0, 0
	for i := range rep.Runs {
		rep.Runs[i].WallSeconds = 0
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// Each shipped config has a golden batch report; run with -update to
// rewrite them after a deliberate change to the model, and review the diff.
func TestGoldenBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("golden batches take a few seconds")
	}
	for _, name := range configs.Names() {
		t.Run(name, func(t *testing.T) {
			got := batchJSON(t, name, 2)
			path := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./twin/experiment -run Golden -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("batch report of %s differs from %s; if the change is meant, rerun with -update and review the diff", name, path)
			}
		})
	}
}

// The same config and seed give identical results whatever the number of
// workers and GOMAXPROCS.
func TestDeterministicAcrossWorkersAndGOMAXPROCS(t *testing.T) {
	name := configs.Default
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	one := batchJSON(t, name, 1)
	runtime.GOMAXPROCS(2)
	two := batchJSON(t, name, 2)
	again := batchJSON(t, name, 3)
	if !bytes.Equal(one, two) {
		t.Error("GOMAXPROCS=1 with 1 worker and GOMAXPROCS=2 with 2 workers differ")
	}
	if !bytes.Equal(two, again) {
		t.Error("two runs with the same seed differ")
	}
}

// A single replication of the default factory (two copies of its line)
// gives the same report on one worker as on two, which run its copies at
// once, and at GOMAXPROCS 1 as at 2.
func TestCopyWorkersChangeNothing(t *testing.T) {
	name := configs.Default
	spec, err := configs.Embedded(name)
	if err != nil {
		t.Fatal(err)
	}
	if spec.Lines < 2 {
		t.Fatalf("%s has %d copies: the test needs two or more", name, spec.Lines)
	}
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	one := batchJSONOf(t, name, 1, 1)
	two1 := batchJSONOf(t, name, 1, 2)
	runtime.GOMAXPROCS(2)
	two2 := batchJSONOf(t, name, 1, 2)
	if !bytes.Equal(one, two1) || !bytes.Equal(one, two2) {
		t.Error("one replication on 1 worker, and on 2 workers at GOMAXPROCS 1 and 2, differ")
	}
}
