package experiment

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeShards runs plan in n shards and writes each into dir/shard-i and
// returns the directories.
func writeShards(t *testing.T, plan *Plan, n int, dir string) []string {
	t.Helper()
	var dirs []string
	for i := range n {
		s := Shard{i, n}
		d := filepath.Join(dir, ShardDirName(s))
		runs, _, err := Execute(context.Background(), plan, Options{Shard: s})
		if err != nil {
			t.Fatal(err)
		}
		writeFiles(t, d, NewManifest(plan, s), runs)
		dirs = append(dirs, d)
	}
	return dirs
}

func writeFiles(t *testing.T, dir string, m *Manifest, runs []RunResult) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range Files(m, runs) {
		var b bytes.Buffer
		if err := f.Write(&b); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMerge(t *testing.T) {
	plan := demoPlan(t, 2, 1, 2, 3, 4, 5)
	dir := t.TempDir()
	dirs := writeShards(t, plan, 3, dir)
	if _, err := os.Stat(filepath.Join(dirs[0], "summary.json")); err == nil {
		t.Error("a shard wrote summary.json")
	}

	// The same files as one unsharded run, byte for byte.
	runs, _, err := Execute(context.Background(), plan, Options{})
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, filepath.Join(dir, "whole"), NewManifest(plan, Shard{}), runs)
	found, err := ShardDirs([]string{dir})
	if err != nil || len(found) != 3 { // "whole" is not a shard-<i>-of-<N> directory
		t.Fatalf("ShardDirs found %v, %v", found, err)
	}
	m, merged, err := Merge([]string{dirs[2], dirs[0], dirs[1]})
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, filepath.Join(dir, "merged"), m, merged)
	for _, name := range []string{"runs.csv", "summary.json", "manifest.json"} {
		a, _ := os.ReadFile(filepath.Join(dir, "whole", name))
		b, err := os.ReadFile(filepath.Join(dir, "merged", name))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between a merged and an unsharded run (%v)", name, err)
		}
	}

	t.Run("errors", func(t *testing.T) {
		other := demoPlan(t, 2, 1, 2, 3, 4, 5)
		other.SweepSHA256 = "def"
		otherDirs := writeShards(t, other, 3, t.TempDir())
		moreReps := demoPlan(t, 3, 1, 2, 3, 4, 5)
		repDirs := writeShards(t, moreReps, 3, t.TempDir())
		split2 := writeShards(t, plan, 2, t.TempDir())

		unfinished := filepath.Join(t.TempDir(), "cut")
		m0, r0, err := ReadDir(dirs[0])
		if err != nil {
			t.Fatal(err)
		}
		writeFiles(t, unfinished, m0, r0[:len(r0)-1])

		tests := []struct {
			name string
			dirs []string
			want string
		}{
			{"missing shard", dirs[:2], "shards missing out of 3: 3 (points 3)"},
			{"duplicate shard", []string{dirs[0], dirs[1], dirs[1], dirs[2]}, "shard 2 of 3 is given twice"},
			{"mixed sweeps", []string{dirs[0], otherDirs[1], dirs[2]}, "merge shards of one sweep only"},
			{"mixed settings", []string{dirs[0], repDirs[1], dirs[2]}, "different settings"},
			{"mixed splits", []string{dirs[0], split2[1]}, "split in two ways"},
			{"unfinished shard", []string{unfinished, dirs[1], dirs[2]}, "the shard did not finish"},
		}
		for _, tt := range tests {
			_, _, err := Merge(tt.dirs)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: got %v, want an error containing %q", tt.name, err, tt.want)
			}
		}
	})
}

func TestReadRunsCSVChecks(t *testing.T) {
	plan := demoPlan(t, 1, 1, 2)
	m := NewManifest(plan, Shard{})
	runs, _, err := Execute(context.Background(), plan, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteRunsCSV(&b, m, runs); err != nil {
		t.Fatal(err)
	}
	back, err := ReadRunsCSV(bytes.NewReader(b.Bytes()), m)
	if err != nil || !equalRuns(back, runs) {
		t.Fatalf("read back %+v, %v; want %+v", back, err, runs)
	}
	// Users see points and replications numbered from 1: the first row is
	// point 1 (scenario "1"), replication 1.
	if rows := strings.Split(b.String(), "\n"); len(rows) < 3 || !strings.HasPrefix(rows[1], "1,1,1,1,") || !strings.HasPrefix(rows[2], "2,2,2,1,") {
		t.Errorf("runs.csv does not number points and replications from 1:\n%s", b.String())
	}
	for _, tt := range []struct{ from, to, want string }{
		{"\n1,1,1,", "\n1,1,7,", `stations[test].buffer is "7", but point 1 has "1"`},
		{"\n1,1,1,", "\n1,0,1,", `point "0" is not one of the sweep's 1-2`},
		{"\n2,2,", "\n2,3,", `point "3" is not one of the sweep's 1-2`},
		{"\n2,2,2,1,", "\n2,2,2,0,", `replication "0" is not one of 1-1`},
		{"\n2,2,2,1,", "\n2,2,2,2,", `replication "2" is not one of 1-1`},
		{"scenario,", "name,", "header"},
	} {
		bad := strings.Replace(b.String(), tt.from, tt.to, 1)
		if bad == b.String() {
			t.Fatalf("%q not in\n%s", tt.from, b.String())
		}
		if _, err := ReadRunsCSV(strings.NewReader(bad), m); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("got %v, want an error containing %q", err, tt.want)
		}
	}
}

// OutputNames names every file a whole run or a shard writes.
func TestOutputNames(t *testing.T) {
	plan := demoPlan(t, 1, 0, 1)
	for _, s := range []Shard{{}, {0, 2}} {
		m := NewManifest(plan, s)
		for _, f := range append(Files(m, nil), TimingFile(m, Timing{})) {
			if !slices.Contains(OutputNames(), f.Name) {
				t.Errorf("shard %v writes %s, which OutputNames lacks", s, f.Name)
			}
		}
	}
}
