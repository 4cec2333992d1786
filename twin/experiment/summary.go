package experiment

import (
	"fmt"
	"io"

	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

// KPIEstimate is the Estimate of a KPI over a point's replications with
// the number of finite values it is over: {mean, ci95, n} in summary.json.
type KPIEstimate struct {
	Estimate
	N int `json:"n"`
}

// KPIEstimates holds a KPIEstimate per KPI (see KPIs). The upkeep KPIs
// are there only for a sweep with upkeep (Plan.Upkeep); in summary.json
// they sit beside the others.
type KPIEstimates struct {
	ThroughputPerHour KPIEstimate `json:"throughput_per_hour"`
	GoodPerHour       KPIEstimate `json:"good_per_hour"`
	OEE               KPIEstimate `json:"oee"`
	Yield             KPIEstimate `json:"yield"`
	MeanWIP           KPIEstimate `json:"mean_wip"`
	MeanFlowTimeS     KPIEstimate `json:"mean_flow_time_s"`
	// UpkeepEstimates is nil for a sweep without upkeep.
	*UpkeepEstimates
}

// UpkeepEstimates holds a KPIEstimate per upkeep KPI (see KPIs).
type UpkeepEstimates struct {
	UnplannedDownH     KPIEstimate `json:"unplanned_down_h"`
	MaintenanceActions KPIEstimate `json:"maintenance_actions"`
	WearOuts           KPIEstimate `json:"wear_outs"`
	CrewUtilization    KPIEstimate `json:"crew_utilization"`
	AutopilotActions   KPIEstimate `json:"autopilot_actions"`
}

// values returns the estimates in the order of kpiNames: the line KPIs,
// then the upkeep KPIs if k has them.
func (k *KPIEstimates) values() []*KPIEstimate {
	v := []*KPIEstimate{&k.ThroughputPerHour, &k.GoodPerHour, &k.OEE, &k.Yield, &k.MeanWIP, &k.MeanFlowTimeS}
	if u := k.UpkeepEstimates; u != nil {
		v = append(v, &u.UnplannedDownH, &u.MaintenanceActions, &u.WearOuts, &u.CrewUtilization, &u.AutopilotActions)
	}
	return v
}

// ScenarioSummary summarises one point of a sweep.
type ScenarioSummary struct {
	// Point is the point's number in the sweep, from 1.
	Point int    `json:"point"`
	Name  string `json:"scenario"`
	// Values are the point's parameter values, in the plan's Params order.
	Values []Param      `json:"values"`
	KPIs   KPIEstimates `json:"kpis"`
	// VsBase is the paired difference (this point minus the first point)
	// replication by replication: under common random numbers its interval
	// is much narrower than that of the difference of two independent
	// means. It is nil when the first point's runs are not at hand (a shard).
	VsBase *KPIEstimates `json:"vs_base,omitempty"`
	// Bottleneck is the station the most runs named bottleneck (ties go to
	// the one that reached that count first, in replication order);
	// BottleneckRuns counts them.
	Bottleneck     string `json:"bottleneck"`
	BottleneckRuns int    `json:"bottleneck_runs"`
}

// Summary is summary.json: the sweep's settings and a summary per point.
// It holds no wall-clock figure.
type Summary struct {
	Format       string   `json:"format"`
	Sweep        string   `json:"sweep"`
	Base         string   `json:"base"`
	SweepSHA256  string   `json:"sweep_sha256"`
	Duration     sim.Time `json:"duration_s"`
	Warmup       sim.Time `json:"warmup_s"`
	Seed         uint64   `json:"seed,string"`
	Replications int      `json:"replications"`
	Params       []string `json:"params"`
	// BaseScenario names the first point, which VsBase compares against.
	BaseScenario string            `json:"base_scenario"`
	Scenarios    []ScenarioSummary `json:"scenarios"`
}

// Summarize summarises runs (in Execute's order) per point of m; points
// without runs are left out.
func Summarize(m *Manifest, runs []RunResult) *Summary {
	s := &Summary{Format: Format, Sweep: m.Sweep, Base: m.Base, SweepSHA256: m.SweepSHA256,
		Duration: m.Duration, Warmup: m.Warmup, Seed: uint64(m.Seed), Replications: m.Replications,
		Params: m.Params, Scenarios: []ScenarioSummary{}}
	if len(m.Points) > 0 {
		s.BaseScenario = m.Points[0].Name
	}
	byPoint := make([][]RunResult, len(m.Points))
	for _, r := range runs {
		byPoint[r.Point] = append(byPoint[r.Point], r)
	}
	base := map[int]KPIs{}
	for _, r := range byPoint[0] {
		base[r.Replication] = r.KPIs
	}
	for i, rs := range byPoint {
		if len(rs) == 0 {
			continue
		}
		sc := ScenarioSummary{Point: i + 1, Name: m.Points[i].Name, Values: m.Points[i].Values}
		if m.Upkeep {
			sc.KPIs.UpkeepEstimates = &UpkeepEstimates{}
		}
		var stats, diffs [numKPIs]Stat
		paired := len(base) > 0
		counts := map[string]int{}
		for _, r := range rs {
			b, ok := base[r.Replication]
			paired = paired && ok
			bv := b.values()
			for j, x := range r.values() {
				stats[j].Add(*x)
				if ok {
					diffs[j].Add(*x - *bv[j])
				}
			}
			counts[r.Bottleneck]++
			if c := counts[r.Bottleneck]; c > sc.BottleneckRuns {
				sc.Bottleneck, sc.BottleneckRuns = r.Bottleneck, c
			}
		}
		for j, e := range sc.KPIs.values() {
			*e = kpiEstimate(&stats[j])
		}
		if paired {
			sc.VsBase = &KPIEstimates{}
			if m.Upkeep {
				sc.VsBase.UpkeepEstimates = &UpkeepEstimates{}
			}
			for j, e := range sc.VsBase.values() {
				*e = kpiEstimate(&diffs[j])
			}
		}
		s.Scenarios = append(s.Scenarios, sc)
	}
	return s
}

// kpiEstimate returns the Estimate of s and its count.
func kpiEstimate(s *Stat) KPIEstimate {
	return KPIEstimate{Estimate: s.Estimate(), N: s.N()}
}

// WriteSummaryJSON writes s as indented JSON.
func WriteSummaryJSON(w io.Writer, s *Summary) error { return writeJSON(w, s) }

// WriteSummaryText writes s as a table for people (what `lightsout sweep`
// prints): per scenario, good units per hour and OEE with the half-widths
// of their 95% confidence intervals, and the paired difference in good/h
// against the base scenario; for a sweep with upkeep, a second table of
// the upkeep KPIs per scenario; then the run settings.
func WriteSummaryText(w io.Writer, s *Summary) error {
	t := textfmt.NewTable(w)
	t.Row("scenario", "good/h", "±95%", "OEE", "±95%", "Δ good/h vs "+s.BaseScenario, "±95%")
	upkeep := false
	for _, sc := range s.Scenarios {
		d, dci := "-", "-"
		if sc.VsBase != nil {
			d, dci = textfmt.Grouped(sc.VsBase.GoodPerHour.Mean, 1), textfmt.Grouped(sc.VsBase.GoodPerHour.CI95, 1)
			if sc.VsBase.GoodPerHour.Mean > 0 {
				d = "+" + d
			}
		}
		t.Row(sc.Name, textfmt.Grouped(sc.KPIs.GoodPerHour.Mean, 1), textfmt.Grouped(sc.KPIs.GoodPerHour.CI95, 1),
			textfmt.Percent(sc.KPIs.OEE.Mean), textfmt.Percent(sc.KPIs.OEE.CI95), d, dci)
		upkeep = upkeep || sc.KPIs.UpkeepEstimates != nil
	}
	if err := t.Flush(); err != nil {
		return err
	}
	if upkeep {
		if err := writeSweepUpkeepText(w, s); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "%d replications per scenario, seed %d, %s after %s of warm-up each.\n",
		s.Replications, s.Seed, textfmt.Span(s.Duration-s.Warmup), textfmt.Span(s.Warmup))
	return err
}

// writeSweepUpkeepText writes, after a blank line, the upkeep KPIs of each
// scenario that has them, with the half-widths of their 95% confidence
// intervals.
func writeSweepUpkeepText(w io.Writer, s *Summary) error {
	if _, err := fmt.Fprintln(w); err != nil {
		return err
	}
	t := textfmt.NewTable(w)
	t.Row("scenario", "unplanned down (h)", "±95%", "maintenances", "±95%", "wear-outs", "±95%",
		"crew util", "±95%", "autopilot actions", "±95%")
	d1 := func(e KPIEstimate) (string, string) {
		return textfmt.Grouped(e.Mean, 1), textfmt.Grouped(e.CI95, 1)
	}
	for _, sc := range s.Scenarios {
		u := sc.KPIs.UpkeepEstimates
		if u == nil {
			continue
		}
		down, downCI := d1(u.UnplannedDownH)
		maint, maintCI := d1(u.MaintenanceActions)
		worn, wornCI := d1(u.WearOuts)
		acts, actsCI := d1(u.AutopilotActions)
		t.Row(sc.Name, down, downCI, maint, maintCI, worn, wornCI,
			textfmt.Percent(u.CrewUtilization.Mean), textfmt.Percent(u.CrewUtilization.CI95), acts, actsCI)
	}
	return t.Flush()
}
