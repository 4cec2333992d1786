package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/experiment"
)

// resultFiles returns a sweep's result files holding version; the last
// one's write fails half-way with failLast (a full disk).
func resultFiles(version string, failLast error) []experiment.File {
	var files []experiment.File
	names := experiment.OutputNames()
	for i, name := range names {
		files = append(files, experiment.File{Name: name, Write: func(w io.Writer) error {
			if i == len(names)-1 && failLast != nil {
				io.WriteString(w, version[:1])
				return failLast
			}
			_, err := io.WriteString(w, version)
			return err
		}})
	}
	return files
}

// assertResults fails unless dir holds exactly the result files, each
// holding version, and its parent nothing but dir (no temporary directory).
func assertResults(t *testing.T, dir, version string) {
	t.Helper()
	for _, name := range experiment.OutputNames() {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(b) != version {
			t.Errorf("%s holds %q (%v), want %q: a mixed set", name, b, err, version)
		}
	}
	for d, want := range map[string][]string{dir: experiment.OutputNames(), filepath.Dir(dir): {filepath.Base(dir)}} {
		entries, err := os.ReadDir(d)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, e.Name())
		}
		want = slices.Sorted(slices.Values(want))
		if !slices.Equal(got, want) {
			t.Errorf("%s holds %q, want %q", d, got, want)
		}
	}
}

// writeResults writes files into dir as sweep and merge do.
func writeResults(t *testing.T, ctx context.Context, dir string, files []experiment.File) error {
	t.Helper()
	out, err := openSweepOut(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer out.abort()
	_, err = out.commit(ctx, files, nil)
	return err
}

// The results are a set: a full disk on the last file, or an interrupt
// before they are in place, leaves the old set whole and no temporary
// directory.
func TestSweepResultsAreASet(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "results")
	if err := writeResults(t, context.Background(), dir, resultFiles("old", nil)); err != nil {
		t.Fatal(err)
	}
	assertResults(t, dir, "old")

	full := errors.New("no space left on device")
	if err := writeResults(t, context.Background(), dir, resultFiles("new", full)); !errors.Is(err, full) {
		t.Errorf("error %v, want the full disk's", err)
	}
	assertResults(t, dir, "old")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := writeResults(t, ctx, dir, resultFiles("new", nil))
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != exitInterrupted {
		t.Errorf("interrupted: %v, want status %d", err, exitInterrupted)
	}
	assertResults(t, dir, "old")

	if err := writeResults(t, context.Background(), dir, resultFiles("new", nil)); err != nil {
		t.Fatal(err)
	}
	assertResults(t, dir, "new")
}

// --out is replaced whole, so a directory holding anything but a sweep's
// results is refused before anything runs, and left as it was.
func TestSweepOutRefusesAForeignDirectory(t *testing.T) {
	file := writeFile(t, "small.yaml", smallSweep)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"sweep", file, "--out", dir},
		{"merge", dir, "--out", dir},
		{"sweep", file, "--out", dir + "/r", "--report", dir + "/r"},
	} {
		r := lightsoutEnv(t, nil, args...)
		if r.code != exitBadInput || r.stdout != "" || len(lines(r.stderr)) != 1 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %d and one line", args, r.code, r.stdout, r.stderr, exitBadInput)
		}
	}
	r := lightsoutEnv(t, nil, "sweep", file, "--out", dir)
	if !strings.Contains(r.stderr, "holds entries a sweep does not write (notes.txt)") {
		t.Errorf("stderr %q", r.stderr)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "notes.txt")); err != nil || string(b) != "mine" {
		t.Errorf("notes.txt: %q, %v", b, err)
	}
}

// A report inside --out is part of the set: a second run with the same
// flags replaces both.
func TestSweepReportInsideOut(t *testing.T) {
	file := writeFile(t, "small.yaml", smallSweep)
	dir := filepath.Join(t.TempDir(), "results")
	for range 2 {
		r := lightsoutEnv(t, nil, "sweep", file, "--replications", "1", "--out", dir, "--report", filepath.Join(dir, "report"))
		if r.code != exitOK {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
	}
	for _, name := range append(experiment.OutputNames(), "report/index.html", "report/sweep-01.png") {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		t.Errorf("beside the results: %v, want nothing", entries)
	}
}

// A sweep over crew size x policy on the phone factory (wear and a crew)
// writes the upkeep KPIs in every output: runs.csv, summary.json, the
// table on stdout and the report, with its chart per policy.
func TestSweepUpkeepOutputs(t *testing.T) {
	file := writeFile(t, "crew.yaml", "name: crew\nbase: phone-factory\nduration: 2d\nwarmup: 12h\nseed: 3\nreplications: 2\n"+
		"grid:\n  crew.size: [2, 4]\n  autopilot.policy: [none, predictive]\n")
	dir := t.TempDir()
	out, rep := filepath.Join(dir, "out"), filepath.Join(dir, "out", "report")
	r := lightsoutEnv(t, nil, "sweep", file, "--out", out, "--report", rep, "--log-level", "warn")
	if r.code != exitOK {
		t.Fatalf("sweep: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "unplanned down (h)") || !strings.Contains(r.stdout, "autopilot actions") {
		t.Errorf("stdout lacks the upkeep table:\n%s", r.stdout)
	}
	runs, err := os.ReadFile(filepath.Join(out, "runs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if header, _, _ := strings.Cut(string(runs), "\n"); !strings.HasSuffix(header, ",unplanned_down_h,maintenance_actions,wear_outs,crew_utilization,autopilot_actions,bottleneck") {
		t.Errorf("runs.csv header %q lacks the upkeep columns", header)
	}
	m, back, err := experiment.ReadDir(out)
	if err != nil || !m.Upkeep || len(back) != 8 {
		t.Fatalf("read back: upkeep %t, %d runs, %v", m != nil && m.Upkeep, len(back), err)
	}
	page, err := os.ReadFile(filepath.Join(rep, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Good units per hour against crew.size, by autopilot.policy", "Crew utilisation", "sweep-07.png"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the report does not say %q", want)
		}
	}
}
