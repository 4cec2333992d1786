package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// batch --report writes a page whose charts exist, with the run's series
// and its MSER-5 warm-up; a --report that is a file is refused up front.
func TestBatchReport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rep")
	ctx := context.Background()
	_, errs, code := runWithReplay(ctx, "batch", "--config", "demo-line", "--duration", "12h",
		"--replications", "3", "--warmup", "auto", "--pilots", "2", "--report", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"demo-line: 3 replications of 12h", "throughput.png", "stations.png", "wip.png", "MSER-5", "Good units per year"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the page does not say %q", want)
		}
	}
	for _, png := range []string{"throughput.png", "stations.png", "wip.png"} {
		if fi, err := os.Stat(filepath.Join(dir, png)); err != nil || fi.Size() < 1000 {
			t.Errorf("%s: %v", png, err)
		}
	}
	file := filepath.Join(t.TempDir(), "afile")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, errs, code = runWithReplay(ctx, "batch", "--config", "demo-line", "--duration", "1h", "--report", file)
	if code != exitBadInput || !strings.Contains(errs, "--report") {
		t.Errorf("--report on a file: exit %d, %q", code, errs)
	}
}
