package experiment

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// upkeepPlan is a quick plan on the phone factory (wear and a crew): a
// point per crew size and autopilot policy given, reps replications of a
// day after 2 h of warm-up.
func upkeepPlan(t *testing.T, reps int, sizes []int, policies []string) *Plan {
	t.Helper()
	base, err := configs.OpenBase("phone-factory")
	if err != nil {
		t.Fatal(err)
	}
	plan := &Plan{Sweep: "crew", Base: base.Name(), SweepSHA256: "abc", Version: "v",
		Duration: sim.Day, Warmup: 2 * sim.Hour, Seed: 5, Replications: reps,
		Params: []string{"crew.size", "autopilot.policy"}}
	for _, size := range sizes {
		for _, policy := range policies {
			spec, err := base.With([]configs.Override{{Path: "crew.size", Value: size}, {Path: "autopilot.policy", Value: policy}})
			if err != nil {
				t.Fatal(err)
			}
			sv, _ := json.Marshal(size)
			pv, _ := json.Marshal(policy)
			i := len(plan.Points)
			plan.Points = append(plan.Points, Point{Index: i, Name: string(sv) + " " + policy, Spec: spec,
				Values: []Param{{Path: "crew.size", Value: sv}, {Path: "autopilot.policy", Value: pv}}})
		}
	}
	return plan
}

// The upkeep KPIs have columns, a manifest flag and estimates only when
// the line has upkeep; a sweep without keeps its former files.
func TestUpkeepColumnsOnlyWithUpkeep(t *testing.T) {
	upkeepNames := []string{"unplanned_down_h", "maintenance_actions", "wear_outs", "crew_utilization", "autopilot_actions"}
	files := func(plan *Plan) (string, string, string, *Summary) {
		t.Helper()
		runs, _, err := Execute(context.Background(), plan, Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		m := NewManifest(plan, Shard{})
		var csv, man, sum bytes.Buffer
		s := Summarize(m, runs)
		if err := WriteRunsCSV(&csv, m, runs); err != nil {
			t.Fatal(err)
		}
		if err := WriteManifestJSON(&man, m); err != nil {
			t.Fatal(err)
		}
		if err := WriteSummaryJSON(&sum, s); err != nil {
			t.Fatal(err)
		}
		return csv.String(), man.String(), sum.String(), s
	}

	csv, man, sum, s := files(demoPlan(t, 2, 1, 4))
	header, _, _ := strings.Cut(csv, "\n")
	if want := "scenario,point,stations[test].buffer,replication,seed,throughput_per_hour,good_per_hour,oee,yield,mean_wip,mean_flow_time_s,bottleneck"; header != want {
		t.Errorf("runs.csv of a line without upkeep: header\n%s\nwant\n%s", header, want)
	}
	if strings.Contains(man, "upkeep") {
		t.Errorf("manifest.json of a line without upkeep mentions upkeep:\n%s", man)
	}
	for _, n := range upkeepNames {
		if strings.Contains(sum, n) {
			t.Errorf("summary.json of a line without upkeep has %s", n)
		}
	}
	if s.Scenarios[0].KPIs.UpkeepEstimates != nil || s.Scenarios[1].VsBase.UpkeepEstimates != nil {
		t.Error("a line without upkeep has upkeep estimates")
	}

	csv, man, sum, s = files(upkeepPlan(t, 3, []int{3}, []string{"none", "predictive"}))
	header, _, _ = strings.Cut(csv, "\n")
	cols := strings.Split(header, ",")
	if want := append(append([]string{"scenario", "point", "crew.size", "autopilot.policy", "replication", "seed",
		"throughput_per_hour", "good_per_hour", "oee", "yield", "mean_wip", "mean_flow_time_s"}, upkeepNames...), "bottleneck"); !slices.Equal(cols, want) {
		t.Errorf("runs.csv of a line with upkeep: header\n%q\nwant\n%q", cols, want)
	}
	if !strings.Contains(man, `"upkeep": true`) {
		t.Errorf("manifest.json of a line with upkeep lacks \"upkeep\": true:\n%s", man)
	}
	var doc struct {
		Scenarios []struct {
			KPIs   map[string]KPIEstimate `json:"kpis"`
			VsBase map[string]KPIEstimate `json:"vs_base"`
		} `json:"scenarios"`
	}
	if err := json.Unmarshal([]byte(sum), &doc); err != nil {
		t.Fatal(err)
	}
	for i, sc := range doc.Scenarios {
		for _, n := range upkeepNames {
			if e, ok := sc.KPIs[n]; !ok || e.N != 3 {
				t.Errorf("summary.json scenario %d: kpis.%s is %+v (present %t), want over 3 runs", i, n, e, ok)
			}
			if _, ok := sc.VsBase[n]; !ok {
				t.Errorf("summary.json scenario %d: vs_base.%s missing", i, n)
			}
		}
	}
	none, pred := s.Scenarios[0].KPIs.UpkeepEstimates, s.Scenarios[1].KPIs.UpkeepEstimates
	if none.AutopilotActions.Mean != 0 || !(pred.AutopilotActions.Mean > 0) {
		t.Errorf("autopilot actions: none %v, predictive %v; want 0 and some", none.AutopilotActions.Mean, pred.AutopilotActions.Mean)
	}
	if !(none.CrewUtilization.Mean > 0 && none.CrewUtilization.Mean < 1) || !(none.UnplannedDownH.Mean > 0) {
		t.Errorf("crew utilisation %v, unplanned downtime %v h: want a share in (0, 1) and some downtime",
			none.CrewUtilization.Mean, none.UnplannedDownH.Mean)
	}
	d := s.Scenarios[1].VsBase.UpkeepEstimates.AutopilotActions
	if d.Mean != pred.AutopilotActions.Mean || d.N != 3 {
		t.Errorf("paired difference in autopilot actions %+v, want %v over 3 (the base has none)", d, pred.AutopilotActions.Mean)
	}
}

// The upkeep columns read back exactly, and shards of a sweep with upkeep
// merge into the files of an unsharded run, byte for byte.
func TestUpkeepMergeRoundTrip(t *testing.T) {
	plan := upkeepPlan(t, 2, []int{2, 4}, []string{"none", "predictive"})
	runs, _, err := Execute(context.Background(), plan, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := NewManifest(plan, Shard{})
	var b bytes.Buffer
	if err := WriteRunsCSV(&b, m, runs); err != nil {
		t.Fatal(err)
	}
	back, err := ReadRunsCSV(bytes.NewReader(b.Bytes()), m)
	if err != nil || !equalRuns(back, runs) {
		t.Fatalf("read back %+v, %v; want %+v", back, err, runs)
	}
	if runs[2].AutopilotActions == 0 || runs[0].CrewUtilization == 0 || runs[0].UnplannedDownH == 0 { // runs[2]: point 1, predictive
		t.Fatalf("runs without upkeep figures to round-trip: %+v", runs[:3])
	}

	dir := t.TempDir()
	dirs := writeShards(t, plan, 3, dir)
	writeFiles(t, filepath.Join(dir, "whole"), m, runs)
	mm, merged, err := Merge(dirs)
	if err != nil {
		t.Fatal(err)
	}
	if !mm.Upkeep {
		t.Error("the merged manifest lost upkeep")
	}
	writeFiles(t, filepath.Join(dir, "merged"), mm, merged)
	for _, name := range []string{"runs.csv", "summary.json", "manifest.json"} {
		a, _ := os.ReadFile(filepath.Join(dir, "whole", name))
		b, err := os.ReadFile(filepath.Join(dir, "merged", name))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between a merged and an unsharded run (%v)", name, err)
		}
	}
}

func TestWriteSummaryTextUpkeep(t *testing.T) {
	s := handSummary()
	s.Scenarios = s.Scenarios[:2]
	up := func(down, maint, worn, util, acts float64) *UpkeepEstimates {
		e := func(m, ci float64) KPIEstimate { return KPIEstimate{Estimate{Mean: m, CI95: ci}, 10} }
		return &UpkeepEstimates{UnplannedDownH: e(down, 2.5), MaintenanceActions: e(maint, 1), WearOuts: e(worn, 0.5),
			CrewUtilization: e(util, 0.02), AutopilotActions: e(acts, 1.5)}
	}
	s.Scenarios[0].KPIs.UpkeepEstimates = up(80.64, 0, 1.7, 0.275, 0)
	s.Scenarios[1].KPIs.UpkeepEstimates = up(71.3, 4.7, 0, 0.152, 4.66)
	var b strings.Builder
	if err := WriteSummaryText(&b, s); err != nil {
		t.Fatal(err)
	}
	want := `scenario    good/h  ±95%    OEE  ±95%  Δ good/h vs buffer=0  ±95%
buffer=0     344.6   3.5  86.2%  0.9%                   0.0   0.0
buffer=10  1,377.5   3.8  94.4%  0.9%              +1,032.8   1.2

scenario   unplanned down (h)  ±95%  maintenances  ±95%  wear-outs  ±95%  crew util  ±95%  autopilot actions  ±95%
buffer=0                 80.6   2.5           0.0   1.0        1.7   0.5      27.5%  2.0%                0.0   1.5
buffer=10                71.3   2.5           4.7   1.0        0.0   0.5      15.2%  2.0%                4.7   1.5
10 replications per scenario, seed 7, 1d20h after 4h of warm-up each.
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// handUpkeepReport is handReport with upkeep and an autopilot in every run.
func handUpkeepReport() *Report {
	runs := handRuns()
	for i := range runs {
		k := int64(i)
		runs[i].Upkeep = &twin.UpkeepResult{MaintenanceActions: 2 + k, Failures: 10 + k, WearOuts: k, UnplannedDownH: 3 + float64(k),
			PlannedDownH: 1, Crew: &twin.CrewResult{Size: 2, Utilization: 0.25, TravelShare: 0.1, Jobs: 12 + k,
				WaitH: 0.5, MeanWaitS: 150, MeanQueue: 0.02, PeoplePerMillionGood: 20}}
		runs[i].Autopilot = &twin.AutopilotResult{Policy: "predictive", Epochs: 48, Decisions: 3 + k, Applied: 2 + k,
			Capped: 1, Maintains: 2 + k}
	}
	rep := newReport("test-line", twin.Options{Duration: 8 * sim.Hour, Warmup: sim.Hour, Seed: 42}, runs)
	rep.WallSeconds, rep.EventsPerSecond = 0.25, 12000
	return rep
}

func TestReportUpkeep(t *testing.T) {
	if s := handReport().Summary; s.Upkeep != nil || s.Autopilot != nil {
		t.Fatalf("runs without upkeep nor autopilot give %+v, %+v", s.Upkeep, s.Autopilot)
	}
	rep := handUpkeepReport()
	u, a := rep.Summary.Upkeep, rep.Summary.Autopilot
	if u == nil || u.Crew == nil || a == nil {
		t.Fatalf("upkeep %+v, autopilot %+v: want both, with the crew", u, a)
	}
	// 2, 3, 4: mean 3, s = 1, half-width t(0.975, 2) / sqrt(3).
	ci := 4.302652729749464 / math.Sqrt(3)
	for name, e := range map[string]Estimate{"maintenance_actions": u.MaintenanceActions, "wear_outs": {Mean: u.WearOuts.Mean + 2, CI95: u.WearOuts.CI95},
		"crew jobs": {Mean: u.Crew.Jobs.Mean - 10, CI95: u.Crew.Jobs.CI95}, "applied": a.Applied} {
		if math.Abs(e.Mean-3) > 1e-12 || math.Abs(e.CI95-ci) > 1e-9 {
			t.Errorf("%s: %+v, want 3 ± %v", name, e, ci)
		}
	}
	if u.Crew.Size != 2 || u.Crew.Utilization != (Estimate{Mean: 0.25}) || a.Policy != "predictive" || a.Capped != (Estimate{Mean: 1}) {
		t.Errorf("crew %+v, autopilot %+v", u.Crew, a)
	}

	var text strings.Builder
	if err := WriteReportText(&text, rep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"\nupkeep                          mean     95% CI\nmaintenance actions              3.0  ±     2.5\n",
		"crew utilisation (2 people)    25.0%  ±    0.0%\n",
		"people per million good/year   20.00  ±    0.00\n",
		"\nautopilot predictive  mean     95% CI\ndecision epochs       48.0  ±     0.0\ndecisions              4.0  ±     2.5\napplied                3.0  ±     2.5\n",
		"over the cap           1.0  ±     0.0\n",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the text lacks\n%s\nin\n%s", want, text.String())
		}
	}
	if strings.Contains(text.String(), "held") || strings.Contains(text.String(), "speed changes") {
		t.Errorf("the text shows counts that are 0 in every run:\n%s", text.String())
	}

	var b bytes.Buffer
	if err := WriteReportCSV(&b, rep); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, name := range recs[0] {
		col[name] = i
	}
	n := 2 + 2*(len(reportCSVMetrics())+len(reportCSVUpkeep())+len(reportCSVAutopilot())) + len(reportCSVPlain()) + 2
	if len(recs[0]) != n || len(col) != n {
		t.Errorf("header has %d columns (%d distinct), want %d", len(recs[0]), len(col), n)
	}
	for name, want := range map[string]string{"maintenance_actions": "3", "failures": "11", "crew_utilization": "0.25",
		"people_per_million_good": "20", "autopilot_applied": "3", "autopilot_capped": "1", "crew_size": "2",
		"autopilot_policy": "predictive", "warmup_s": "3600"} {
		if i, ok := col[name]; !ok || recs[1][i] != want {
			t.Errorf("summary %s: %q (column %t), want %q", name, recs[1][i], ok, want)
		}
	}
	if i := col["maintenance_actions"]; recs[2][i] != "" {
		t.Errorf("a station row has maintenance_actions %q", recs[2][i])
	}

	var j bytes.Buffer
	if err := WriteReportJSON(&j, rep); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Summary struct {
			Upkeep    map[string]json.RawMessage `json:"upkeep"`
			Autopilot map[string]json.RawMessage `json:"autopilot"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(j.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"maintenance_actions", "failures", "wear_outs", "unplanned_down_h", "planned_down_h", "crew"} {
		if _, ok := doc.Summary.Upkeep[k]; !ok {
			t.Errorf("summary.upkeep.%s missing", k)
		}
	}
	if p := string(doc.Summary.Autopilot["policy"]); p != `"predictive"` {
		t.Errorf("summary.autopilot.policy %s", p)
	}
}
