package experiment

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ShardDirs expands the directories given to merge: a directory holding a
// manifest.json is a shard; otherwise its subdirectories named
// shard-<i>-of-<N> that hold one are (so the --out directory of the shards
// can be given, even with the merged output inside it).
func ShardDirs(args []string) ([]string, error) {
	var dirs []string
	for _, a := range args {
		if fileExists(filepath.Join(a, "manifest.json")) {
			dirs = append(dirs, a)
			continue
		}
		entries, err := os.ReadDir(a)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a, err)
		}
		found := 0
		for _, e := range entries {
			var i, n int
			if _, err := fmt.Sscanf(e.Name(), "shard-%d-of-%d", &i, &n); err != nil || i < 1 || e.Name() != ShardDirName(Shard{i - 1, n}) {
				continue
			}
			if d := filepath.Join(a, e.Name()); e.IsDir() && fileExists(filepath.Join(d, "manifest.json")) {
				dirs, found = append(dirs, d), found+1
			}
		}
		if found == 0 {
			return nil, fmt.Errorf("%s: no manifest.json in it nor in shard-<i>-of-<N> subdirectories: not a sweep's output", a)
		}
	}
	return dirs, nil
}

// ShardDirName is the directory a shard's files go into under the --out
// directory: "shard-1-of-3" for the first of three, counting from 1.
func ShardDirName(s Shard) string { return fmt.Sprintf("shard-%d-of-%d", s.Number(), max(s.Count, 1)) }

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// ReadDir reads a sweep output directory: its manifest.json and runs.csv.
func ReadDir(dir string) (*Manifest, []RunResult, error) {
	f, err := os.Open(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	m, err := ReadManifestJSON(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", f.Name(), err)
	}
	c, err := os.Open(filepath.Join(dir, "runs.csv"))
	if err != nil {
		return nil, nil, err
	}
	defer c.Close()
	runs, err := ReadRunsCSV(c, m)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", c.Name(), err)
	}
	return m, runs, nil
}

// Merge reads the shard directories and combines them into the manifest
// and runs of one run that was not sharded. The shards must come from the
// same sweep (file, base config, settings and lightsout version), be split
// the same way, and cover every point exactly once with every replication;
// otherwise the error says what is wrong with which directory.
func Merge(dirs []string) (*Manifest, []RunResult, error) {
	if len(dirs) == 0 {
		return nil, nil, errors.New("no shard directories")
	}
	var first *Manifest
	var firstPlan []byte
	var all []RunResult
	from := map[int]string{} // shard number -> directory
	for _, d := range dirs {
		m, runs, err := ReadDir(d)
		if err != nil {
			return nil, nil, err
		}
		plan, err := json.Marshal(m.Plan)
		if err != nil {
			return nil, nil, err
		}
		if first == nil {
			first, firstPlan = m, plan
		} else {
			switch {
			case m.SweepSHA256 != first.SweepSHA256:
				return nil, nil, fmt.Errorf("%s is from sweep %s (sha256 %.12s…) but %s from sweep %s (sha256 %.12s…): merge shards of one sweep only",
					d, m.Sweep, m.SweepSHA256, dirs[0], first.Sweep, first.SweepSHA256)
			case m.Version != first.Version:
				return nil, nil, fmt.Errorf("%s was written by lightsout %s but %s by %s: run every shard with the same build", d, m.Version, dirs[0], first.Version)
			case m.Shards != first.Shards:
				return nil, nil, fmt.Errorf("%s is shard %d of %d but %s of %d: the sweep was split in two ways", d, m.Shard, m.Shards, dirs[0], first.Shards)
			case !bytes.Equal(plan, firstPlan):
				return nil, nil, fmt.Errorf("%s and %s ran the same sweep with different settings (replications, duration, warm-up or seed)", d, dirs[0])
			}
		}
		if m.Shard < 1 || m.Shard > m.Shards {
			return nil, nil, fmt.Errorf("%s: manifest.json says shard %d of %d: want a shard from 1 to %d", d, m.Shard, m.Shards, m.Shards)
		}
		if prev, dup := from[m.Shard]; dup {
			return nil, nil, fmt.Errorf("shard %d of %d is given twice: %s and %s", m.Shard, m.Shards, prev, d)
		}
		from[m.Shard] = d
		if want := m.shard().Points(len(m.Points)); !slices.Equal(m.Assigned, want) {
			return nil, nil, fmt.Errorf("%s: manifest.json assigns points %s to shard %d of %d, want %s", d, joinPoints(m.Assigned), m.Shard, m.Shards, joinPoints(want))
		}
		if err := checkRuns(m, runs); err != nil {
			return nil, nil, fmt.Errorf("%s: runs.csv: %w", d, err)
		}
		all = append(all, runs...)
	}
	var missing []string
	for i := range first.Shards {
		if _, ok := from[i+1]; !ok {
			missing = append(missing, fmt.Sprintf("%d (points %s)", i+1, joinPoints((Shard{i, first.Shards}).Points(len(first.Points)))))
		}
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("shards missing out of %d: %s", first.Shards, strings.Join(missing, ", "))
	}
	slices.SortFunc(all, func(a, b RunResult) int {
		if a.Point != b.Point {
			return a.Point - b.Point
		}
		return a.Replication - b.Replication
	})
	return NewManifest(&first.Plan, Shard{}), all, nil
}

// checkRuns checks that runs hold every replication of the points m
// assigns, once each.
func checkRuns(m *Manifest, runs []RunResult) error {
	seen := map[[2]int]bool{}
	for _, r := range runs {
		if !slices.Contains(m.Assigned, r.Point) {
			return fmt.Errorf("point %d is not this shard's", r.Point+1)
		}
		k := [2]int{r.Point, r.Replication}
		if seen[k] {
			return fmt.Errorf("point %d replication %d appears twice", r.Point+1, r.Replication+1)
		}
		seen[k] = true
	}
	if want := len(m.Assigned) * m.Replications; len(seen) != want {
		return fmt.Errorf("%d runs, want %d (%d points x %d replications): the shard did not finish", len(seen), want, len(m.Assigned), m.Replications)
	}
	return nil
}

// joinPoints lists point indexes as users number them, from 1: "1, 4, 7".
func joinPoints(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x + 1)
	}
	return strings.Join(s, ", ")
}
