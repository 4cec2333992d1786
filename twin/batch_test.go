package twin

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// handRuns returns three hand-made results: throughput 10, 12, 14; the
// bottleneck is "b" twice and "a" once.
func handRuns() []Result {
	mk := func(thr float64, bottleneck string, util float64) Result {
		return Result{
			Seed: uint64(thr), Events: 1000, WallSeconds: 0.5,
			ThroughputPerHour: thr, GoodPerHour: thr - 1, MeanFlowTimeS: 60, MeanWIP: thr / 60,
			Good: int64(thr) * 10, Scrapped: 3, Yield: 0.9, OEE: 0.7,
			Bottleneck: bottleneck,
			Little:     LittleCheck{RelErr: 0.01},
			Stations: []StationResult{
				{ID: "a", Utilization: util, Blocked: 0.1, ThroughputPerHour: thr},
				{ID: "b", Utilization: 0.9, Starved: 0.05, ThroughputPerHour: thr},
			},
			Arms: []ArmResult{{ID: "arm1", Utilization: 0.4, Moves: 100}},
		}
	}
	return []Result{mk(10, "b", 0.5), mk(12, "a", 0.6), mk(14, "b", 0.7)}
}

func TestSummarizeMeansAndIntervals(t *testing.T) {
	opt := Options{Duration: 8 * sim.Hour, Warmup: sim.Hour, Seed: 42}
	rep := summarize("test-line", opt, handRuns())

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
	rep := summarize("x", Options{Duration: sim.Hour}, handRuns()[:1])
	if e := rep.Summary.ThroughputPerHour; e != (Estimate{Mean: 10, CI95: 0}) {
		t.Errorf("one run: %+v, want 10 ± 0", e)
	}
}

func TestSummarizeBottleneckTies(t *testing.T) {
	runs := handRuns()
	// One run each for b, a, and (not a station) zz: the tie goes to the
	// earliest station in flow order, a.
	runs[0].Bottleneck, runs[1].Bottleneck, runs[2].Bottleneck = "zz", "b", "a"
	if rep := summarize("x", Options{}, runs); rep.Bottleneck != "a" || rep.BottleneckRuns != 1 {
		t.Errorf("bottleneck = %q (%d), want a (1)", rep.Bottleneck, rep.BottleneckRuns)
	}
	for i := range runs {
		runs[i].Bottleneck = ""
	}
	if rep := summarize("x", Options{}, runs); rep.Bottleneck != "" || rep.BottleneckRuns != 0 {
		t.Errorf("no bottleneck named: got %q (%d)", rep.Bottleneck, rep.BottleneckRuns)
	}
}

func TestSummarizeNonFinite(t *testing.T) {
	runs := handRuns()
	runs[1].MeanFlowTimeS = math.NaN()
	runs[2].Stations[0].OEE = math.Inf(1)
	runs[0].Little.RelErr = math.NaN()
	rep := summarize("x", Options{}, runs)

	if e := rep.Summary.MeanFlowTimeS; e.Mean != 60 || e.CI95 != 0 {
		t.Errorf("mean_flow_time_s = %+v: NaN should be left out of the estimate", e)
	}
	if rep.Runs[1].MeanFlowTimeS != 0 || rep.Runs[2].Stations[0].OEE != 0 || rep.Runs[0].Little.RelErr != 0 {
		t.Error("non-finite per-run values should be reported as 0")
	}
	if !math.IsNaN(runs[1].MeanFlowTimeS) || !math.IsInf(runs[2].Stations[0].OEE, 1) {
		t.Error("summarize modified the caller's results")
	}
	if _, err := json.Marshal(rep); err != nil {
		t.Errorf("json.Marshal: %v", err)
	}
	// All NaN: 0 ± 0.
	for i := range runs {
		runs[i].Yield = math.NaN()
	}
	if e := summarize("x", Options{}, runs).Summary.Yield; e != (Estimate{}) {
		t.Errorf("all-NaN yield = %+v, want 0 ± 0", e)
	}
}

func TestSummarizeDeterministic(t *testing.T) {
	encode := func() []byte {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(summarize("x", Options{Seed: 7, Duration: sim.Day}, handRuns())); err != nil {
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
	b, err := json.Marshal(summarize("x", Options{}, handRuns()))
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
	b, err := json.Marshal(summarize("x", Options{}, []Result{{}}))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"stations":[]`, `"arms":[]`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("want %s in %s", want, b)
		}
	}
}

func TestReplicationSeed(t *testing.T) {
	seen := map[uint64]int{}
	for i := range 1000 {
		s := ReplicationSeed(1, i)
		if j, dup := seen[s]; dup {
			t.Fatalf("replications %d and %d share seed %d", j, i, s)
		}
		seen[s] = i
		if ReplicationSeed(1, i) != s {
			t.Fatal("ReplicationSeed is not a function of its arguments")
		}
	}
	if ReplicationSeed(1, 0) == ReplicationSeed(2, 0) {
		t.Error("different base seeds give the same replication seed")
	}
}

func TestBatchRejectsBadOptions(t *testing.T) {
	spec := &Spec{}
	base := BatchOptions{Options: Options{Duration: sim.Hour}, Replications: 1}
	for name, mod := range map[string]func(*BatchOptions){
		"no replications": func(o *BatchOptions) { o.Replications = 0 },
		"zero duration":   func(o *BatchOptions) { o.Duration = 0 },
		"long warm-up":    func(o *BatchOptions) { o.Warmup = sim.Hour },
		"negative warm-up": func(o *BatchOptions) {
			o.Warmup = -1
		},
		"negative workers": func(o *BatchOptions) { o.Workers = -1 },
	} {
		opt := base
		mod(&opt)
		if _, err := Batch(spec, opt); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := Batch(nil, base); err == nil {
		t.Error("nil spec: no error")
	}
}

// TestBatchProgress checks that progress reports never overlap, never
// decrease, and end at 1, with replications reporting from many goroutines.
func TestBatchProgress(t *testing.T) {
	const reps = 8
	var (
		inside atomic.Int32
		last   float64
		calls  int
	)
	report := func(f float64) {
		if inside.Add(1) != 1 {
			t.Error("overlapping progress calls")
		}
		if f < last {
			t.Errorf("progress went back from %v to %v", last, f)
		}
		last = f
		calls++
		inside.Add(-1)
	}
	p := newBatchProgress(report, reps, sim.Hour)
	var wg sync.WaitGroup
	for i := range reps {
		wg.Go(func() {
			r := p.reporter(i)
			for k := 1; k <= 100; k++ {
				r(sim.Hour * sim.Time(k) / 100)
			}
			p.finish(i)
		})
	}
	wg.Wait()
	if last != 1 || calls < reps {
		t.Errorf("last report %v after %d calls, want 1 after at least %d", last, calls, reps)
	}
	if newBatchProgress(nil, 1, sim.Hour).reporter(0) != nil {
		t.Error("no callback: reporter should be nil")
	}
}

// tinyLine is a two-station line for tests that run the simulation.
func tinyLine(t *testing.T) *Spec {
	t.Helper()
	spec := &Spec{
		Name: "tiny",
		Stations: []stations.Spec{
			{ID: "a", Buffer: 5, Cycle: sim.ExpDist(50 * sim.Second)},
			{ID: "b", Buffer: 5, Cycle: sim.ExpDist(55 * sim.Second), DefectRate: 0.02},
		},
	}
	spec.Defaults()
	if err := spec.Validate(); err != nil {
		t.Fatal(err)
	}
	return spec
}

// TestBatchSameForAnyWorkerCount runs real replications (it needs Run).
func TestBatchSameForAnyWorkerCount(t *testing.T) {
	spec := tinyLine(t)
	var outputs [][]byte
	for _, workers := range []int{1, 3, 8} {
		rep, err := Batch(spec, BatchOptions{
			Options:      Options{Duration: 8 * sim.Hour, Warmup: sim.Hour, Seed: 3},
			Config:       "tiny",
			Replications: 5,
			Workers:      workers,
		})
		if err != nil {
			t.Fatalf("workers=%d: %v", workers, err)
		}
		// Clear the timing fields, the only ones allowed to differ.
		rep.WallSeconds, rep.EventsPerSecond = 0, 0
		for i := range rep.Runs {
			rep.Runs[i].WallSeconds = 0
			if rep.Runs[i].Seed != ReplicationSeed(3, i) {
				t.Errorf("run %d seed %d, want %d", i, rep.Runs[i].Seed, ReplicationSeed(3, i))
			}
		}
		b, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		outputs = append(outputs, b)
	}
	for i := 1; i < len(outputs); i++ {
		if !bytes.Equal(outputs[0], outputs[i]) {
			t.Errorf("report with worker count #%d differs from the first", i)
		}
	}
}

// TestBatchTraceOnlyFirstReplication needs Run.
func TestBatchTraceOnlyFirstReplication(t *testing.T) {
	spec := tinyLine(t)
	run := func(reps int) []byte {
		var trace bytes.Buffer
		_, err := Batch(spec, BatchOptions{
			Options:      Options{Duration: 2 * sim.Hour, Seed: 9, Trace: &trace},
			Replications: reps,
			Workers:      2,
		})
		if err != nil {
			t.Fatal(err)
		}
		return trace.Bytes()
	}
	one, three := run(1), run(3)
	if len(one) == 0 {
		t.Fatal("no trace written")
	}
	if !bytes.Equal(one, three) {
		t.Error("the trace should come from replication 0 alone")
	}
}
