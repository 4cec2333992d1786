package report

import (
	"flag"
	"path/filepath"
	"testing"
)

var (
	writeExample = flag.Bool("example", false, "write the example batch report into testdata/example")
	sweepExample = flag.String("example-sweep", "", "write an example sweep report into this directory")
)

// TestWriteExample writes reports from synthetic data, to be looked at in a
// browser: the batch report into testdata/example with -example, a sweep
// report into the directory given with -example-sweep.
func TestWriteExample(t *testing.T) {
	if !*writeExample && *sweepExample == "" {
		t.Skip("run with -example or -example-sweep DIR to write example reports")
	}
	if *writeExample {
		if err := WriteBatch(filepath.Join("testdata", "example"), synthBatch("Demo line, 8 h shift", 10, 1, 4)); err != nil {
			t.Fatal(err)
		}
	}
	if *sweepExample != "" {
		batches := []Batch{synthBatch("buffer=1", 5, 2, 1), synthBatch("buffer=10", 5, 3, 10)}
		if err := WriteSweep(*sweepExample, synthSweep(), batches); err != nil {
			t.Fatal(err)
		}
	}
}
