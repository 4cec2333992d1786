package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
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
	if doc["config"] != "two-machine" || doc["seed"] != 5.0 || doc["duration_s"] != 172800.0 ||
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

func TestBatchCSV(t *testing.T) {
	r := batch(t, "--csv")
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Header, summary, two stations, no arms.
	if len(recs) != 4 {
		t.Fatalf("%d records, want 4:\n%s", len(recs), r.stdout)
	}
	h := recs[0]
	if h[0] != "section" || h[1] != "id" || h[2] != "throughput_per_hour" || h[3] != "throughput_per_hour_ci95" {
		t.Errorf("header starts %v", h[:4])
	}
	col := map[string]int{}
	for i, name := range h {
		col[name] = i
	}
	if recs[1][0] != "summary" || recs[1][1] != "two-machine" || recs[2][1] != "m1" || recs[3][1] != "m2" {
		t.Errorf("rows: %v / %v / %v", recs[1][:2], recs[2][:2], recs[3][:2])
	}
	if recs[1][col["yield"]] == "" || recs[2][col["yield"]] != "" || recs[2][col["blocked"]] == "" {
		t.Error("line-only and station-only cells are not where they belong")
	}
	if recs[1][col["replications"]] != "4" {
		t.Errorf("replications cell %q", recs[1][col["replications"]])
	}
}

func TestBatchText(t *testing.T) {
	r := batch(t)
	for _, want := range []string{"two-machine", "replications  4", "throughput (units/h)", "±",
		"good phones per year", "station", "m1", "m2", "bottleneck", "Little's law", "events/s"} {
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
