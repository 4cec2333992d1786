package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/zap"
)

// lightsoutEnv runs lightsout in-process like lightsout, with the sweep and
// merge commands added and env as the environment the sweep command sees.
func lightsoutEnv(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{version: "test-version", stdout: &out, stderr: &console{w: &errb}, log: zap.NewNop()}
	root := newRootCmd(a)
	for _, c := range root.Commands() {
		if c.Name() == "sweep" || c.Name() == "merge" {
			root.RemoveCommand(c)
		}
	}
	root.AddCommand(newSweepCmdEnv(a, func(k string) string { return env[k] }), newMergeCmd(a))
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(context.Background())
	_ = a.log.Sync()
	code := report(a.stderr, cmd, err)
	return result{code, out.String(), errb.String()}
}

// smallSweep is a quick sweep of the demo line: three buffer sizes, one
// scenario per grid point, short runs.
const smallSweep = `name: small
base: demo-line
duration: 6h
warmup: 1h
replications: 3
grid:
  stations[test].buffer: [0, 1, 2, 4]
`

// TestSweepShardsMergeEqualUnsharded is the sharding contract: three shards
// (their indexes given three ways) merged give the files of one unsharded
// run, byte for byte.
func TestSweepShardsMergeEqualUnsharded(t *testing.T) {
	file := writeFile(t, "small.yaml", smallSweep)
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole")
	r := lightsoutEnv(t, nil, "sweep", file, "--out", whole, "--workers", "2")
	if r.code != exitOK {
		t.Fatalf("unsharded: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "buffer=0") || !strings.Contains(r.stdout, "Δ good/h vs buffer=0") {
		t.Errorf("table:\n%s", r.stdout)
	}
	shards := filepath.Join(dir, "shards")
	for _, s := range []struct {
		flag string
		env  map[string]string
	}{
		{"1/3", nil},
		{"/3", map[string]string{"JOB_COMPLETION_INDEX": "1"}},
		{"auto", map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "3"}},
	} {
		r := lightsoutEnv(t, s.env, "sweep", file, "--shard", s.flag, "--out", shards, "--workers", "1")
		if r.code != exitOK {
			t.Fatalf("--shard %s: exit %d\n%s", s.flag, r.code, r.stderr)
		}
	}
	for i := 1; i <= 3; i++ {
		if _, err := os.Stat(filepath.Join(shards, fmt.Sprintf("shard-%d-of-3", i), "runs.csv")); err != nil {
			t.Fatal(err)
		}
	}
	// The merged output inside the shards' directory: a second merge skips it.
	merged := filepath.Join(shards, "merged")
	for range 2 {
		if r := lightsoutEnv(t, nil, "merge", shards, "--out", merged); r.code != exitOK {
			t.Fatalf("merge: exit %d\n%s", r.code, r.stderr)
		}
	}
	for _, name := range []string{"runs.csv", "summary.json", "manifest.json"} {
		a, err := os.ReadFile(filepath.Join(whole, name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(merged, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: merged differs from unsharded:\n%s\n---\n%s", name, a, b)
		}
	}
	if _, err := os.Stat(filepath.Join(whole, "timing.json")); err != nil {
		t.Errorf("no timing.json: %v", err)
	}
	csvText, _ := os.ReadFile(filepath.Join(whole, "runs.csv"))
	rows := lines(string(csvText))
	if len(rows) != 1+4*3 || rows[0] != "scenario,point,stations[test].buffer,replication,seed,throughput_per_hour,good_per_hour,oee,yield,mean_wip,mean_flow_time_s,bottleneck" {
		t.Errorf("runs.csv:\n%s", csvText)
	}
	// Points and replications count from 1: the first row is point 1
	// (buffer=0), replication 1; the last is point 4, replication 3.
	if len(rows) == 1+4*3 && (!strings.HasPrefix(rows[1], "buffer=0,1,0,1,") || !strings.HasPrefix(rows[12], "buffer=4,4,4,3,")) {
		t.Errorf("runs.csv does not number points and replications from 1:\n%s", csvText)
	}
	var sum struct {
		Scenarios []struct {
			Point int    `json:"point"`
			Name  string `json:"scenario"`
			KPIs  struct {
				GoodPerHour struct {
					Mean, CI95 float64
					N          int
				} `json:"good_per_hour"`
			} `json:"kpis"`
		} `json:"scenarios"`
	}
	js, _ := os.ReadFile(filepath.Join(whole, "summary.json"))
	if err := json.Unmarshal(js, &sum); err != nil || len(sum.Scenarios) != 4 || sum.Scenarios[3].KPIs.GoodPerHour.N != 3 ||
		sum.Scenarios[0].Point != 1 || sum.Scenarios[3].Point != 4 ||
		sum.Scenarios[3].KPIs.GoodPerHour.Mean <= sum.Scenarios[0].KPIs.GoodPerHour.Mean {
		t.Errorf("summary.json (%v):\n%s", err, js)
	}

	t.Run("missing shard", func(t *testing.T) {
		r := lightsoutEnv(t, nil, "merge", filepath.Join(shards, "shard-1-of-3"), filepath.Join(shards, "shard-3-of-3"), "--out", t.TempDir())
		if r.code != exitBadInput || !strings.Contains(r.stderr, "shards missing out of 3: 2 (points 2)") {
			t.Errorf("exit %d\n%s", r.code, r.stderr)
		}
	})
	t.Run("duplicate shard", func(t *testing.T) {
		r := lightsoutEnv(t, nil, "merge", shards, filepath.Join(shards, "shard-2-of-3"), "--out", t.TempDir())
		if r.code != exitBadInput || !strings.Contains(r.stderr, "shard 2 of 3 is given twice") {
			t.Errorf("exit %d\n%s", r.code, r.stderr)
		}
	})
	t.Run("mixed sweeps", func(t *testing.T) {
		other := writeFile(t, "other.yaml", strings.Replace(smallSweep, "6h", "5h", 1))
		od := t.TempDir()
		if r := lightsoutEnv(t, nil, "sweep", other, "--shard", "2/3", "--out", od); r.code != exitOK {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		r := lightsoutEnv(t, nil, "merge", filepath.Join(shards, "shard-1-of-3"), filepath.Join(od, "shard-2-of-3"),
			filepath.Join(shards, "shard-3-of-3"), "--out", t.TempDir())
		if r.code != exitBadInput || !strings.Contains(r.stderr, "merge shards of one sweep only") {
			t.Errorf("exit %d\n%s", r.code, r.stderr)
		}
	})
}

func TestSweepBadInput(t *testing.T) {
	file := writeFile(t, "small.yaml", smallSweep)
	bad := writeFile(t, "bad.yaml", "base: demo-line\ngrid:\n  stations[tst].buffer: [1]\n")
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"bad sweep", nil, []string{bad}, `bad.yaml: point 1 (buffer=1): stations[tst].buffer: stations has no item with id "tst"`},
		{"no such sweep", nil, []string{"nope.yaml"}, "nope.yaml: no such file, nor an embedded sweep"},
		{"shard without out", nil, []string{file, "--shard", "1/2"}, "--shard needs --out DIR"},
		{"shard conflict", map[string]string{"JOB_COMPLETION_INDEX": "1"}, []string{file, "--shard", "1/2", "--out", t.TempDir()}, "conflicts with JOB_COMPLETION_INDEX (shard 2)"},
		{"shard from 0", nil, []string{file, "--shard", "0/2", "--out", t.TempDir()}, `--shard "0/2": shards count from 1: want 1 to 2`},
		{"shard above N", nil, []string{file, "--shard", "3/2", "--out", t.TempDir()}, "shard 3 is out of range for 2 shards (1-2)"},
		{"bad replications", nil, []string{file, "--replications", "0"}, "--replications 0: need at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := lightsoutEnv(t, tt.env, append([]string{"sweep"}, tt.args...)...)
			if r.code != exitBadInput || !strings.Contains(r.stderr, tt.want) || r.stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant status 2 and %q", r.code, r.stdout, r.stderr, tt.want)
			}
		})
	}
}

func TestSweepCheck(t *testing.T) {
	r := lightsoutEnv(t, nil, "sweep", "demo-buffer", "--check", "--replications", "4")
	if r.code != exitOK || !strings.Contains(r.stdout, "demo-buffer: ok, 11 points x 4 replications = 44 runs of 2d (warm-up 4h)") {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// sweep --report charts each KPI against the varied parameter; a shard
// cannot (it has not every point), merge --report can.
func TestSweepReport(t *testing.T) {
	file := writeFile(t, "small.yaml", smallSweep)
	dir := t.TempDir()
	rep := filepath.Join(dir, "report")
	if r := lightsoutEnv(t, nil, "sweep", file, "--report", rep); r.code != exitOK {
		t.Fatalf("sweep --report: exit %d\n%s", r.code, r.stderr)
	}
	page, err := os.ReadFile(filepath.Join(rep, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"stations[test].buffer", "Good units per hour", "Gain in good units per hour over the base", "sweep-01.png"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the page does not say %q", want)
		}
	}
	if r := lightsoutEnv(t, nil, "sweep", file, "--shard", "1/2", "--out", filepath.Join(dir, "s"), "--report", rep); r.code != exitBadInput || !strings.Contains(r.stderr, "--report") {
		t.Errorf("--shard with --report: exit %d, %q", r.code, r.stderr)
	}
	if r := lightsoutEnv(t, nil, "sweep", file, "--shard", "2/2", "--out", filepath.Join(dir, "s")); r.code != exitOK {
		t.Fatalf("shard: exit %d\n%s", r.code, r.stderr)
	}
	if r := lightsoutEnv(t, nil, "sweep", file, "--shard", "1/2", "--out", filepath.Join(dir, "s")); r.code != exitOK {
		t.Fatalf("shard: exit %d\n%s", r.code, r.stderr)
	}
	rep2 := filepath.Join(dir, "report2")
	if r := lightsoutEnv(t, nil, "merge", filepath.Join(dir, "s"), "--out", filepath.Join(dir, "m"), "--report", rep2); r.code != exitOK {
		t.Fatalf("merge --report: exit %d\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(rep2, "sweep-01.png")); err != nil {
		t.Error(err)
	}
}
