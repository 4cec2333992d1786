package main

import (
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
)

// --csv --per-replication has one row per replication, each with the
// figures the JSON report's runs hold for it.
func TestBatchCSVPerReplication(t *testing.T) {
	r := batch(t, "--csv", "--per-replication", "--seed", "5")
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := batchDoc(t, "--seed", "5")
	runs := doc["runs"].([]any)
	if len(rows) != len(runs)+1 {
		t.Fatalf("%d rows, want a header and %d replications:\n%s", len(rows), len(runs), r.stdout)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, h := range []string{"replication", "seed", "good_per_hour", "oee", "littles_law_rel_err", "bottleneck"} {
		if _, ok := col[h]; !ok {
			t.Errorf("no column %s in %v", h, rows[0])
		}
	}
	for i, run := range runs {
		row, m := rows[i+1], run.(map[string]any)
		if row[col["replication"]] != strconv.Itoa(i+1) || row[col["seed"]] != m["seed"] || row[col["bottleneck"]] != m["bottleneck"] {
			t.Errorf("row %d %v does not match run %d", i+1, row, i)
		}
		good, err := strconv.ParseFloat(row[col["good_per_hour"]], 64)
		if err != nil || good != m["good_per_hour"].(float64) {
			t.Errorf("row %d good_per_hour %q, JSON %v", i+1, row[col["good_per_hour"]], m["good_per_hour"])
		}
	}
	if r := lightsout(t, append(append([]string(nil), quick...), "--per-replication")...); r.code != exitBadInput || !strings.Contains(r.stderr, "--csv") {
		t.Errorf("--per-replication without --csv: %d %q", r.code, r.stderr)
	}
}
