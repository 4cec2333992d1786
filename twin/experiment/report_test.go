package experiment

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"sort"
	"testing"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// handRuns returns three hand-made results: throughput 10, 12, 14; the
// bottleneck is "b" twice and "a" once.
func handRuns() []twin.Result {
	mk := func(thr float64, bottleneck string, util float64) twin.Result {
		return twin.Result{
			Seed: uint64(thr), Events: 1000, WallSeconds: 0.5,
			ThroughputPerHour: thr, GoodPerHour: thr - 1, MeanFlowTimeS: 60, MeanWIP: thr / 60,
			Good: int64(thr) * 10, Scrapped: 3, Yield: 0.9, OEE: 0.7,
			Bottleneck: bottleneck,
			Little:     twin.LittleCheck{RelErr: 0.01},
			Stations: []twin.StationResult{
				{ID: "a", Utilization: util, Blocked: 0.1, ThroughputPerHour: thr, BottleneckSole: 0.2},
				{ID: "b", Utilization: 0.9, Starved: 0.05, ThroughputPerHour: thr, BottleneckSole: 0.6, BottleneckShifting: 0.2},
			},
			Arms: []twin.ArmResult{{ID: "arm1", Utilization: 0.4, Moves: 100}},
		}
	}
	return []twin.Result{mk(10, "b", 0.5), mk(12, "a", 0.6), mk(14, "b", 0.7)}
}

func TestSummarizeMeansAndIntervals(t *testing.T) {
	opt := twin.Options{Duration: 8 * sim.Hour, Warmup: sim.Hour, Seed: 42}
	rep := newReport("test-line", opt, handRuns())

	if rep.Config != "test-line" || rep.Seed != 42 || rep.Replications != 3 {
		t.Errorf("header: %q seed %d reps %d", rep.Config, rep.Seed, rep.Replications)
	}
	if rep.DurationS != 8*3600 || rep.WarmupS != 3600 {
		t.Errorf("duration_s %v warmup_s %v", rep.DurationS, rep.WarmupS)
	}
	if rep.Events != 3000 {
		t.Errorf("events = %d, want 3000", rep.Events)
	}
	// Throughput 10, 12, 14: mean 12, s = 2, half-width t(0.975, 2) x 2 / sqrt(3).
	wantCI := 4.302652729749464 * 2 / math.Sqrt(3)
	got := rep.Summary.ThroughputPerHour
	if got.Mean != 12 || math.Abs(got.CI95-wantCI) > 1e-9 {
		t.Errorf("throughput = %+v, want 12 ± %v", got, wantCI)
	}
	if g := rep.Summary.GoodPerYear; g.Mean != 11*HoursPerYear || math.Abs(g.CI95-wantCI*HoursPerYear) > 1e-6 {
		t.Errorf("good_per_year = %+v, want %v ± %v", g, 11*HoursPerYear, wantCI*HoursPerYear)
	}
	// Constant across runs: exact mean, zero interval.
	for name, e := range map[string]Estimate{
		"yield": rep.Summary.Yield, "oee": rep.Summary.OEE, "scrapped": rep.Summary.Scrapped,
		"mean_flow_time_s": rep.Summary.MeanFlowTimeS, "littles_law_rel_err": rep.Summary.LittlesLawRelErr,
	} {
		want := map[string]float64{"yield": 0.9, "oee": 0.7, "scrapped": 3, "mean_flow_time_s": 60, "littles_law_rel_err": 0.01}[name]
		if e.Mean != want || e.CI95 != 0 {
			t.Errorf("%s = %+v, want %v ± 0", name, e, want)
		}
	}
	if len(rep.Stations) != 2 || rep.Stations[0].ID != "a" || rep.Stations[1].ID != "b" {
		t.Fatalf("stations = %+v, want a, b in order", rep.Stations)
	}
	if u := rep.Stations[0].Utilization; math.Abs(u.Mean-0.6) > 1e-15 {
		t.Errorf("a utilization = %+v, want mean 0.6", u)
	}
	if len(rep.Arms) != 1 || rep.Arms[0].ID != "arm1" || rep.Arms[0].Moves.Mean != 100 {
		t.Errorf("arms = %+v", rep.Arms)
	}
	if rep.Bottleneck != "b" || rep.BottleneckRuns != 2 {
		t.Errorf("bottleneck = %q (%d runs), want b (2)", rep.Bottleneck, rep.BottleneckRuns)
	}
	if rep.Stations[0].BottleneckRuns != 1 || rep.Stations[1].BottleneckRuns != 2 {
		t.Errorf("bottleneck_runs per station = %d, %d; want 1, 2", rep.Stations[0].BottleneckRuns, rep.Stations[1].BottleneckRuns)
	}
	if len(rep.Runs) != 3 || rep.Runs[1].ThroughputPerHour != 12 {
		t.Errorf("runs not kept in order: %+v", rep.Runs)
	}
}

func TestSummarizeOneRun(t *testing.T) {
	rep := newReport("x", twin.Options{Duration: sim.Hour}, handRuns()[:1])
	if e := rep.Summary.ThroughputPerHour; e != (Estimate{Mean: 10, CI95: 0}) {
		t.Errorf("one run: %+v, want 10 ± 0", e)
	}
}

func TestSummarizeBottleneckTies(t *testing.T) {
	runs := handRuns()
	// One run each for b, a, and (not a station) zz: the tie goes to the
	// earliest station in flow order, a.
	runs[0].Bottleneck, runs[1].Bottleneck, runs[2].Bottleneck = "zz", "b", "a"
	if rep := newReport("x", twin.Options{}, runs); rep.Bottleneck != "a" || rep.BottleneckRuns != 1 {
		t.Errorf("bottleneck = %q (%d), want a (1)", rep.Bottleneck, rep.BottleneckRuns)
	}
	for i := range runs {
		runs[i].Bottleneck = ""
	}
	if rep := newReport("x", twin.Options{}, runs); rep.Bottleneck != "" || rep.BottleneckRuns != 0 {
		t.Errorf("no bottleneck named: got %q (%d)", rep.Bottleneck, rep.BottleneckRuns)
	}
}

func TestSummarizeNonFinite(t *testing.T) {
	runs := handRuns()
	runs[1].MeanFlowTimeS = math.NaN()
	runs[2].Stations[0].OEE = math.Inf(1)
	runs[0].Little.RelErr = math.NaN()
	rep := newReport("x", twin.Options{}, runs)

	if e := rep.Summary.MeanFlowTimeS; e.Mean != 60 || e.CI95 != 0 {
		t.Errorf("mean_flow_time_s = %+v: NaN should be left out of the estimate", e)
	}
	if rep.Runs[1].MeanFlowTimeS != 0 || rep.Runs[2].Stations[0].OEE != 0 || rep.Runs[0].Little.RelErr != 0 {
		t.Error("non-finite per-run values should be reported as 0")
	}
	if !math.IsNaN(runs[1].MeanFlowTimeS) || !math.IsInf(runs[2].Stations[0].OEE, 1) {
		t.Error("newReport modified the caller's results")
	}
	if _, err := json.Marshal(rep); err != nil {
		t.Errorf("json.Marshal: %v", err)
	}
	// All NaN: 0 ± 0.
	for i := range runs {
		runs[i].Yield = math.NaN()
	}
	if e := newReport("x", twin.Options{}, runs).Summary.Yield; e != (Estimate{}) {
		t.Errorf("all-NaN yield = %+v, want 0 ± 0", e)
	}
}

func TestSummarizeDeterministic(t *testing.T) {
	encode := func() []byte {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(newReport("x", twin.Options{Seed: 7, Duration: sim.Day}, handRuns())); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	first := encode()
	for range 20 { // map iteration order must not leak into the output
		if got := encode(); !bytes.Equal(got, first) {
			t.Fatalf("summaries differ:\n%s\n---\n%s", first, got)
		}
	}
}

// TestReportJSONFields pins the public JSON contract of `lightsout batch --json`.
func TestReportJSONFields(t *testing.T) {
	b, err := json.Marshal(newReport("x", twin.Options{}, handRuns()))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	wantTop := []string{"arms", "bottleneck", "bottleneck_runs", "config", "duration_s", "events", "events_per_second",
		"replications", "runs", "seed", "stations", "summary", "target_per_hour", "wall_s", "warmup_s"}
	if got := keys(doc); !slices.Equal(got, wantTop) {
		t.Errorf("top-level fields:\n got %v\nwant %v", got, wantTop)
	}
	wantSummary := []string{"availability", "escaped_defects", "first_pass_yield", "good", "good_per_hour", "good_per_year",
		"littles_law_rel_err", "mean_flow_time_s", "mean_wip", "oee", "performance", "quality", "reworked",
		"scrapped", "shipped", "started", "throughput_per_hour", "yield"}
	summary := doc["summary"].(map[string]any)
	if got := keys(summary); !slices.Equal(got, wantSummary) {
		t.Errorf("summary fields:\n got %v\nwant %v", got, wantSummary)
	}
	if got := keys(summary["oee"].(map[string]any)); !slices.Equal(got, []string{"ci95", "mean"}) {
		t.Errorf("estimate fields: %v, want ci95, mean", got)
	}
	st := doc["stations"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "utilization", "blocked", "starved", "down", "oee", "throughput_per_hour",
		"handling", "maintenance", "defects", "scrapped"} {
		if _, ok := st[k]; !ok {
			t.Errorf("station field %q missing", k)
		}
	}
	arm := doc["arms"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "utilization", "down", "moves"} {
		if _, ok := arm[k]; !ok {
			t.Errorf("arm field %q missing", k)
		}
	}
	run := doc["runs"].([]any)[0].(map[string]any)
	for _, k := range []string{"seed", "events", "wall_s", "throughput_per_hour", "stations"} {
		if _, ok := run[k]; !ok {
			t.Errorf("run field %q missing", k)
		}
	}
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestSummarizeEmptyListsAreArrays(t *testing.T) {
	b, err := json.Marshal(newReport("x", twin.Options{}, []twin.Result{{}}))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"stations":[]`, `"arms":[]`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("want %s in %s", want, b)
		}
	}
}
