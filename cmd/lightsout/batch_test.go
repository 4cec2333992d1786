package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The tests in this file run real simulations (they need twin.Run).

// quick are batch flags for a short run of the small two-machine line.
var quick = []string{"batch", "--config", "two-machine", "--duration", "2d", "--warmup", "4h", "--replications", "4", "--log-level", "warn"}

func batch(t *testing.T, extra ...string) result {
	t.Helper()
	r := lightsout(t, append(append([]string(nil), quick...), extra...)...)
	if r.code != exitOK {
		t.Fatalf("exit status %d; stderr:\n%s", r.code, r.stderr)
	}
	return r
}

func TestBatchJSON(t *testing.T) {
	r := batch(t, "--json", "--seed", "5")
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	for _, k := range []string{"config", "seed", "duration_s", "warmup_s", "replications", "events",
		"events_per_second", "wall_s", "summary", "bottleneck", "stations", "arms", "runs"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("field %q missing", k)
		}
	}
	if doc["config"] != "two-machine" || doc["seed"] != "5" || doc["duration_s"] != 172800.0 ||
		doc["warmup_s"] != 14400.0 || doc["replications"] != 4.0 {
		t.Errorf("header: config %v seed %v duration_s %v warmup_s %v replications %v",
			doc["config"], doc["seed"], doc["duration_s"], doc["warmup_s"], doc["replications"])
	}
	if n := len(doc["runs"].([]any)); n != 4 {
		t.Errorf("%d runs, want 4", n)
	}
	thr := doc["summary"].(map[string]any)["throughput_per_hour"].(map[string]any)
	if thr["mean"].(float64) <= 0 || thr["ci95"].(float64) <= 0 {
		t.Errorf("throughput %v: want positive mean and interval", thr)
	}
}

// TestBatchSameForAnyWorkerCount checks the reproducibility contract:
// only the timing fields may differ.
func TestBatchSameForAnyWorkerCount(t *testing.T) {
	one := withoutTiming(t, batch(t, "--json", "--workers", "1").stdout)
	three := withoutTiming(t, batch(t, "--json", "--workers", "3").stdout)
	if one != three {
		t.Errorf("reports differ between --workers 1 and 3:\n%s\n---\n%s", one, three)
	}
}

// TestBatchCopiesSameForAnyWorkerCount: one replication of the default
// factory, whose two lines run on two cores with --workers 2, reports the
// same as on one worker, at GOMAXPROCS 1 and 2.
func TestBatchCopiesSameForAnyWorkerCount(t *testing.T) {
	args := []string{"batch", "--config", "phone-factory", "--duration", "1d", "--warmup", "2h", "--replications", "1", "--json"}
	run := func(workers string) string {
		t.Helper()
		r := lightsout(t, append(args, "--workers", workers)...)
		if r.code != exitOK {
			t.Fatalf("exit status %d; stderr:\n%s", r.code, r.stderr)
		}
		return withoutTiming(t, r.stdout)
	}
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	one := run("1")
	runtime.GOMAXPROCS(2)
	if two := run("2"); one != two {
		t.Errorf("reports differ between --workers 1 at GOMAXPROCS 1 and --workers 2 at GOMAXPROCS 2:\n%s\n---\n%s", one, two)
	}
}

// withoutTiming drops the timing fields from a JSON report.
func withoutTiming(t *testing.T, s string) string {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(s), &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "wall_s")
	delete(doc, "events_per_second")
	for _, run := range doc["runs"].([]any) {
		delete(run.(map[string]any), "wall_s")
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBatchOutIsAtomic(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.json")
	r := batch(t, "--json", "--out", out)
	if r.stdout != "" {
		t.Errorf("stdout should be empty with --out:\n%s", r.stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(data) {
		t.Errorf("%s is not valid JSON", out)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only report.json (no temporary file)", len(entries))
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
}

// --csv and the default print the report's CSV and text forms (their
// layouts are tested in twin/experiment) of the run the flags ask for.
func TestBatchCSV(t *testing.T) {
	r := batch(t, "--csv")
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Header, summary, two stations, no arms.
	if len(recs) != 4 || recs[0][0] != "section" || recs[1][0] != "summary" || recs[1][1] != "two-machine" {
		t.Fatalf("want a header, the summary of two-machine and two stations:\n%s", r.stdout)
	}
	col := map[string]int{}
	for i, name := range recs[0] {
		col[name] = i
	}
	if recs[1][col["replications"]] != "4" || recs[1][col["duration_s"]] != "172800" || recs[1][col["warmup_s"]] != "14400" {
		t.Errorf("replications %q, duration_s %q, warmup_s %q: want the flags' 4, 2d and 4h",
			recs[1][col["replications"]], recs[1][col["duration_s"]], recs[1][col["warmup_s"]])
	}
}

func TestBatchText(t *testing.T) {
	r := batch(t)
	for _, want := range []string{"config        two-machine\n", "duration      2d per run, of which warm-up 4h", "replications  4, base seed",
		"throughput (units/h)", "Little's law", "events/s"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("text output lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestBatchTrace(t *testing.T) {
	dir := t.TempDir()
	trace := filepath.Join(dir, "readings.jsonl")
	batch(t, "--json", "--trace", trace)
	f, err := os.Open(trace)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		if !json.Valid(sc.Bytes()) {
			t.Fatalf("line %d is not JSON: %s", n+1, sc.Text())
		}
		n++
	}
	if n == 0 {
		t.Error("empty trace")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the trace", len(entries))
	}
}

func TestBatchDefaultsFromConfig(t *testing.T) {
	// demo-line's run: block gives the duration; only --replications is set.
	r := lightsout(t, "batch", "--config", "demo-line", "--replications", "2", "--json", "--log-level", "warn")
	if r.code != exitOK {
		t.Fatalf("status %d: %s", r.code, r.stderr)
	}
	var doc struct {
		DurationS    float64 `json:"duration_s"`
		Replications int     `json:"replications"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Replications != 2 || doc.DurationS <= 0 {
		t.Errorf("replications %d, duration_s %v", doc.Replications, doc.DurationS)
	}
}

func TestBatchLogs(t *testing.T) {
	r := batch(t, "--json", "--log-level", "info", "--log-format", "json")
	for _, line := range lines(r.stderr) {
		if !json.Valid([]byte(line)) {
			t.Errorf("log line is not JSON: %s", line)
		}
	}
	if !bytes.Contains([]byte(r.stderr), []byte("batch done")) {
		t.Errorf("no end-of-batch log line in:\n%s", r.stderr)
	}
}

// batchDoc runs a batch with --json and decodes the report.
func batchDoc(t *testing.T, extra ...string) (map[string]any, result) {
	t.Helper()
	r := batch(t, append([]string{"--json"}, extra...)...)
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	return doc, r
}

// Without --warmup auto or --precision the report has neither block, so
// the JSON of a plain batch is unchanged.
func TestBatchPlainHasNoExperimentFields(t *testing.T) {
	doc, _ := batchDoc(t)
	for _, k := range []string{"warmup_auto", "precision"} {
		if _, ok := doc[k]; ok {
			t.Errorf("plain batch reports %q", k)
		}
	}
}

func TestBatchWarmupAuto(t *testing.T) {
	doc, r := batchDoc(t, "--warmup", "auto", "--pilots", "3", "--log-level", "info")
	wa, ok := doc["warmup_auto"].(map[string]any)
	if !ok {
		t.Fatalf("no warmup_auto block in %s", r.stdout)
	}
	if wa["pilots"] != 3.0 || wa["warmup_s"] != doc["warmup_s"] || wa["batches"].(float64) < 2 {
		t.Errorf("warmup_auto %v with warmup_s %v: want 3 pilots and the same warm-up", wa, doc["warmup_s"])
	}
	// 2 days in buckets of 2d/500 = 345.6 s; the cut is whole batches of 5.
	if want := wa["mser_batches"].(float64) * 5 * 345.6; math.Abs(doc["warmup_s"].(float64)-want) > 1e-6 {
		t.Errorf("warmup_s %v, want mser_batches x 5 x 345.6 = %v", doc["warmup_s"], want)
	}
	if !strings.Contains(r.stderr, "warm-up chosen by MSER-5") {
		t.Errorf("the chosen warm-up is not logged:\n%s", r.stderr)
	}
	text := batch(t, "--warmup", "auto", "--pilots", "3").stdout
	if !strings.Contains(text, "warm-up auto  MSER-5") {
		t.Errorf("text report does not say how the warm-up was chosen:\n%s", text)
	}
}

func TestBatchPrecision(t *testing.T) {
	// quick has --replications 4: the first round.
	loose, _ := batchDoc(t, "--precision", "50%")
	p := loose["precision"].(map[string]any)
	if loose["replications"] != 4.0 || p["met"] != true || p["rounds"] != 1.0 {
		t.Errorf("loose target: replications %v, precision %v; want 4 in one round, met", loose["replications"], p)
	}
	tight, r := batchDoc(t, "--precision", "0.0001", "--max-replications", "8", "--log-level", "warn")
	p = tight["precision"].(map[string]any)
	if tight["replications"] != 8.0 || p["met"] != false || p["max_replications"] != 8.0 {
		t.Errorf("tight target: replications %v, precision %v; want 8 (the cap), not met", tight["replications"], p)
	}
	if !strings.Contains(r.stderr, "precision target not met") {
		t.Errorf("no warning for a target not met:\n%s", r.stderr)
	}
	abs, _ := batchDoc(t, "--precision", "1000/h")
	if p := abs["precision"].(map[string]any); p["relative"] != false || p["target"] != 1000.0 || p["met"] != true {
		t.Errorf("absolute target: precision %v", p)
	}
	text := batch(t, "--precision", "0.0001", "--max-replications", "6").stdout
	if !strings.Contains(text, "after 6 replications") || !strings.Contains(text, "NOT met") {
		t.Errorf("text report does not tell the precision outcome:\n%s", text)
	}
}

func TestBatchPrecisionSameForAnyWorkerCount(t *testing.T) {
	args := []string{"--json", "--precision", "3%", "--replications", "3", "--max-replications", "40"}
	one := withoutTiming(t, batch(t, append(args, "--workers", "1")...).stdout)
	two := withoutTiming(t, batch(t, append(args, "--workers", "2")...).stdout)
	if one != two {
		t.Errorf("precision reports differ between --workers 1 and 2:\n%s\n---\n%s", one, two)
	}
	if !strings.Contains(one, `"met":true`) || strings.Contains(one, `"rounds":1,`) {
		t.Errorf("want a target met after more than one round: %s", one[:min(len(one), 400)])
	}
}

func TestBatchExperimentFlagProblems(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--pilots", "3"}, "--pilots needs --warmup auto"},
		{[]string{"--warmup", "auto", "--pilots", "0"}, "--pilots 0"},
		{[]string{"--max-replications", "9"}, "--max-replications needs --precision"},
		{[]string{"--precision", "1%", "--max-replications", "1"}, "--max-replications 1"},
		{[]string{"--precision", "fast"}, `--precision "fast"`},
	} {
		r := lightsout(t, append(append([]string(nil), quick...), tc.args...)...)
		if r.code != exitBadInput || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: status %d, stderr %q; want status %d mentioning %q", tc.args, r.code, r.stderr, exitBadInput, tc.want)
		}
	}
}
