package report

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/experiment"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

func TestFromBatch(t *testing.T) {
	series := func(good ...int64) *twin.Series {
		return &twin.Series{Bucket: 30 * sim.Minute, End: sim.Hour, Good: good, WIP: []float64{1.5, 2.5}}
	}
	rep := &experiment.Report{
		Config: "demo-line", Seed: 7, Replications: 3, DurationS: 3600, WarmupS: 600,
		WarmupAuto: &experiment.WarmupEstimate{},
		Summary: experiment.LineSummary{
			GoodPerYear: experiment.Estimate{Mean: 8760, CI95: 87.6},
			OEE:         experiment.Estimate{Mean: 0.8, CI95: 0.01},
		},
		Bottleneck: "test",
		Stations: []experiment.StationSummary{
			{ID: "printer", Utilization: experiment.Estimate{Mean: 0.5}, Defects: experiment.Estimate{Mean: 2}},
			{ID: "test", Utilization: experiment.Estimate{Mean: 0.9}, Blocked: experiment.Estimate{Mean: 0.05}},
		},
		Runs: []twin.Result{{Series: series(3, 4)}, {Series: series(4, 5)}, {Series: series(5, 6)}},
	}
	b := FromBatch(rep, sim.Hour)
	if b.Title != "demo-line: 3 replications of 1h" || b.Config != "demo-line" || b.Seed != 7 ||
		b.DurationS != 3600 || b.WarmupS != 600 || !b.WarmupAuto {
		t.Errorf("header %+v", b)
	}
	if len(b.KPIs) != 10 || b.KPIs[0] != (KPI{"Good units per year", "/yr", 8760, 87.6, 3}) || b.KPIs[3] != (KPI{"OEE", "%", 0.8, 0.01, 3}) {
		t.Errorf("KPIs %+v", b.KPIs)
	}
	if len(b.Stations) != 2 || b.Stations[0].Bottleneck || !b.Stations[1].Bottleneck ||
		b.Stations[0].Working != 0.5 || b.Stations[0].Defects != 2 || b.Stations[1].Blocked != 0.05 {
		t.Errorf("stations %+v", b.Stations)
	}
	if b.BucketS != 1800 || len(b.GoodPerBucket) != 3 || b.GoodPerBucket[2][1] != 6 || len(b.WIP) != 3 || b.WIP[0][1] != 2.5 {
		t.Errorf("series: bucket %v, good %v, wip %v", b.BucketS, b.GoodPerBucket, b.WIP)
	}
	if err := b.Validate(); err != nil {
		t.Errorf("FromBatch gives a batch that does not validate: %v", err)
	}
	// A line with upkeep, a crew and an autopilot: their rows follow.
	rep.Summary.Upkeep = &experiment.UpkeepSummary{UnplannedDownH: experiment.Estimate{Mean: 70, CI95: 9},
		Crew: &experiment.CrewSummary{Size: 4, Utilization: experiment.Estimate{Mean: 0.2, CI95: 0.02}}}
	rep.Summary.Autopilot = &experiment.AutopilotSummary{Policy: "predictive", Applied: experiment.Estimate{Mean: 5, CI95: 1}}
	b = FromBatch(rep, sim.Hour)
	if len(b.KPIs) != 16 || b.KPIs[10] != (KPI{"Unplanned downtime", "server-h", 70, 9, 3}) ||
		b.KPIs[13] != (KPI{"Crew utilisation", "%", 0.2, 0.02, 3}) || b.KPIs[15] != (KPI{"Autopilot actions (predictive)", "", 5, 1, 3}) {
		t.Errorf("KPIs with upkeep %+v", b.KPIs)
	}
	rep.Summary.Upkeep, rep.Summary.Autopilot = nil, nil
	// Runs without series (or with empty ones) give no time charts.
	rep.Runs = []twin.Result{{}, {Series: &twin.Series{}}, {}}
	if b := FromBatch(rep, sim.Hour); len(b.GoodPerBucket) != 0 || len(b.WIP) != 0 || b.Validate() != nil {
		t.Errorf("no series: good %v, wip %v, %v", b.GoodPerBucket, b.WIP, b.Validate())
	}
}

func TestSpanText(t *testing.T) {
	for in, want := range map[sim.Time]string{
		7 * sim.Day: "7d", 36 * sim.Hour: "36h", 90 * sim.Minute: "90m", 90 * sim.Second: "1m30s", 0: "0s",
	} {
		if got := spanText(in); got != want {
			t.Errorf("spanText(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestFromSweep(t *testing.T) {
	est := func(m float64) experiment.KPIEstimate {
		return experiment.KPIEstimate{Estimate: experiment.Estimate{Mean: m, CI95: m / 10}, N: 4}
	}
	param := func(js string) experiment.Param {
		return experiment.Param{Path: "stations[test].buffer", Value: json.RawMessage(js)}
	}
	sum := &experiment.Summary{
		Sweep: "buffers", Base: "demo-line", Params: []string{"stations[test].buffer"},
		Scenarios: []experiment.ScenarioSummary{
			{Name: "buffer=0", Values: []experiment.Param{param("0")}, KPIs: experiment.KPIEstimates{GoodPerHour: est(300), OEE: est(0.8)},
				VsBase: &experiment.KPIEstimates{GoodPerHour: est(0)}},
			{Name: "buffer=inf", Values: []experiment.Param{param(`"inf"`)}, KPIs: experiment.KPIEstimates{GoodPerHour: est(400)}},
		},
	}
	s := FromSweep(sum)
	if s.Title != "Sweep buffers on demo-line" || s.Parameter != "stations[test].buffer" || len(s.KPIs) != 6 || len(s.Points) != 2 {
		t.Fatalf("sweep %+v", s)
	}
	p0, p1 := s.Points[0], s.Points[1]
	if p0.X != 0 || p0.Label != "0" || p0.KPIs["Good units per hour"] != (KPI{"Good units per hour", "/h", 300, 30, 4}) {
		t.Errorf("point 0: %+v", p0)
	}
	if _, ok := p0.KPIs[sweepGain]; !ok {
		t.Error("point 0 has no paired difference")
	}
	if !math.IsNaN(p1.X) || p1.Label != "inf" || p1.Scenario != "buffer=inf" {
		t.Errorf("point 1 (not a number): %+v", p1)
	}
	if _, ok := p1.KPIs[sweepGain]; ok {
		t.Error("a point without VsBase has a paired difference")
	}
	if err := s.Validate(); err != nil {
		t.Errorf("FromSweep gives a sweep that does not validate: %v", err)
	}

	// Two varied paths: the scenarios are categories.
	sum.Params = append(sum.Params, "arms[arm-1].speed")
	if s := FromSweep(sum); s.Parameter != "scenario" || !math.IsNaN(s.Points[0].X) || s.Points[0].Label != "buffer=0" {
		t.Errorf("two params: parameter %q, point 0 %+v", s.Parameter, s.Points[0])
	}
}
