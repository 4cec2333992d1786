package experiment

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseShard(t *testing.T) {
	tests := []struct {
		flag string
		env  map[string]string
		want Shard
		err  string // substring of the error; "" for none
	}{
		// Shards count from 1 on the command line, from 0 in Shard.Index
		// and in the environment (JOB_COMPLETION_INDEX 0 is shard 1).
		{"2/3", nil, Shard{1, 3}, ""},
		{"1/1", nil, Shard{0, 1}, ""},
		{"3/3", nil, Shard{2, 3}, ""},
		{"/3", map[string]string{EnvJobIndex: "2"}, Shard{2, 3}, ""},
		{"/3", map[string]string{EnvSlurmID: "0"}, Shard{0, 3}, ""},
		{"/3", map[string]string{EnvSlurmID: "3", EnvSlurmMin: "1"}, Shard{2, 3}, ""},
		{"auto", map[string]string{EnvSlurmID: "1", EnvSlurmCount: "4"}, Shard{1, 4}, ""},
		{"2/4", map[string]string{EnvSlurmID: "1", EnvSlurmCount: "4"}, Shard{1, 4}, ""},
		{"/3", map[string]string{EnvJobIndex: "1", EnvSlurmID: "1"}, Shard{1, 3}, ""},
		// Errors.
		{"3", nil, Shard{}, "want i/N"},
		{"4/3", nil, Shard{}, "shard 4 is out of range for 3 shards (1-3)"},
		{"0/3", nil, Shard{}, "shards count from 1: want 1 to 3"},
		{"-1/3", nil, Shard{}, "not a whole number from 1 to 3"},
		{"/3", map[string]string{EnvJobIndex: "3"}, Shard{}, "JOB_COMPLETION_INDEX gives shard 4 (index 3) but there are 3 shards"},
		{"1/0", nil, Shard{}, "not a whole number >= 1"},
		{"/3", nil, Shard{}, "neither is set"},
		{"auto", map[string]string{EnvJobIndex: "1"}, Shard{}, "pass --shard /N"},
		{"2/3", map[string]string{EnvJobIndex: "2"}, Shard{}, "conflicts with JOB_COMPLETION_INDEX (shard 3)"},
		{"/3", map[string]string{EnvJobIndex: "1", EnvSlurmID: "2"}, Shard{}, "ambiguous"},
		{"/3", map[string]string{EnvSlurmID: "1", EnvSlurmCount: "4"}, Shard{}, "says 3 shards but SLURM_ARRAY_TASK_COUNT=4"},
		{"/3", map[string]string{EnvSlurmID: "x"}, Shard{}, `SLURM_ARRAY_TASK_ID="x"`},
		{"/3", map[string]string{EnvSlurmID: "2", EnvSlurmStep: "2"}, Shard{}, "step 1"},
	}
	for _, tt := range tests {
		got, err := ParseShard(tt.flag, func(k string) string { return tt.env[k] })
		switch {
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("ParseShard(%q, %v) = %v, %v; want %v", tt.flag, tt.env, got, err, tt.want)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("ParseShard(%q, %v) error %v; want one containing %q", tt.flag, tt.env, err, tt.err)
		}
	}
}

func TestShardPoints(t *testing.T) {
	var all []int
	for i := range 3 {
		all = append(all, Shard{i, 3}.Points(8)...)
	}
	if got := joinPoints(all); got != "1, 4, 7, 2, 5, 8, 3, 6" {
		t.Errorf("points of shards 1-3 of 3: %s", got)
	}
	if got := joinPoints(Shard{}.Points(3)); got != "1, 2, 3" {
		t.Errorf("zero shard: %s", got)
	}
}

// Users see shards numbered from 1: in directory names, in String (logs,
// timing.json) and in manifest.json; Shard.Index counts from 0.
func TestShardNumbersFromOne(t *testing.T) {
	s := Shard{Index: 0, Count: 3}
	if got := ShardDirName(s); got != "shard-1-of-3" {
		t.Errorf("ShardDirName(first of 3) = %q, want shard-1-of-3", got)
	}
	if got := s.String(); got != "1/3" {
		t.Errorf("String(first of 3) = %q, want 1/3", got)
	}
	plan := &Plan{Points: make([]Point, 4)}
	if m := NewManifest(plan, Shard{Index: 2, Count: 3}); m.Shard != 3 || m.Shards != 3 {
		t.Errorf("manifest of the third of 3 shards says shard %d of %d", m.Shard, m.Shards)
	}
	if m := NewManifest(plan, Shard{}); m.Shard != 1 || m.Shards != 1 {
		t.Errorf("manifest of an unsharded run says shard %d of %d, want 1 of 1", m.Shard, m.Shards)
	}
	// A directory named from 0 is not taken for a shard.
	dir := t.TempDir()
	for _, name := range []string{"shard-0-of-3", "shard-1-of-3"} {
		if err := os.MkdirAll(filepath.Join(dir, name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name, "manifest.json"), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	found, err := ShardDirs([]string{dir})
	if err != nil || len(found) != 1 || filepath.Base(found[0]) != "shard-1-of-3" {
		t.Errorf("ShardDirs = %v, %v; want only shard-1-of-3", found, err)
	}
}

// A shard's manifest.json writes its seed as a string and reads it back
// from a string or a JSON number (a file edited by hand or by a tool).
func TestManifestSeedNumberOrString(t *testing.T) {
	plan := &Plan{Points: []Point{{Index: 0}, {Index: 1}}, Seed: 12345}
	var b bytes.Buffer
	if err := WriteManifestJSON(&b, NewManifest(plan, Shard{Index: 1, Count: 2})); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"seed": "12345"`) {
		t.Fatalf("manifest.json does not write the seed as a string:\n%s", b.String())
	}
	for _, seed := range []string{`"12345"`, `12345`} {
		text := strings.Replace(b.String(), `"seed": "12345"`, `"seed": `+seed, 1)
		m, err := ReadManifestJSON(strings.NewReader(text))
		if err != nil || m.Seed != 12345 || m.Shard != 2 {
			t.Errorf("seed %s: %+v, %v", seed, m, err)
		}
	}
	text := strings.Replace(b.String(), `"seed": "12345"`, `"seed": 9007199254740993`, 1)
	if _, err := ReadManifestJSON(strings.NewReader(text)); err == nil || !strings.Contains(err.Error(), "write it as a string") {
		t.Errorf("seed above 2^53: %v", err)
	}
}

// manifest.json numbers points from 1 (each point's index and the assigned
// list) and reading it gives them back from 0; a point outside 1..N is
// refused.
func TestManifestPointsFromOne(t *testing.T) {
	plan := &Plan{Points: []Point{{Index: 0}, {Index: 1}, {Index: 2}}}
	m := NewManifest(plan, Shard{Index: 0, Count: 2})
	var b bytes.Buffer
	if err := WriteManifestJSON(&b, m); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	compact := strings.Join(strings.Fields(text), "")
	for _, want := range []string{`"assigned":[1,3]`, `"index":1,`, `"index":3,`} {
		if !strings.Contains(compact, want) {
			t.Errorf("manifest.json lacks %s:\n%s", want, text)
		}
	}
	if strings.Contains(compact, `"index":0,`) {
		t.Errorf("manifest.json numbers a point 0:\n%s", text)
	}
	back, err := ReadManifestJSON(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Assigned, m.Assigned) || back.Points[2].Index != 2 {
		t.Errorf("read back assigned %v and point indexes %d %d %d; want %v and 0 1 2",
			back.Assigned, back.Points[0].Index, back.Points[1].Index, back.Points[2].Index, m.Assigned)
	}
	if m.Assigned[1] != 2 || plan.Points[2].Index != 2 {
		t.Errorf("writing changed the manifest: assigned %v, index %d", m.Assigned, plan.Points[2].Index)
	}
	for _, tt := range []struct{ from, to, want string }{
		{`"assigned":[1,3]`, `"assigned":[0,2]`, "assigned point 0 is not one of the sweep's 1-3"},
		{`"assigned":[1,3]`, `"assigned":[1,4]`, "assigned point 4 is not one of the sweep's 1-3"},
		{`"index":1,`, `"index":0,`, "points[0] has index 0, want 1"},
	} {
		bad := strings.Replace(compact, tt.from, tt.to, 1)
		if bad == compact {
			t.Fatalf("%s not in %s", tt.from, compact)
		}
		if _, err := ReadManifestJSON(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error containing %q", tt.to, err, tt.want)
		}
	}
}
