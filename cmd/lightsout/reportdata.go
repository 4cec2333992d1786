package main

import (
	"fmt"
	"math"
	"os"

	chart "github.com/lightsout-sim/lightsout/cmd/internal/report"
	"github.com/lightsout-sim/lightsout/twin/experiment"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// batchReportData turns a batch's report into the charts' data: the
// headline KPIs with their CIs, each station's time shares and defects, and
// every replication's time series from time 0.
func batchReportData(title string, rep *experiment.Report) chart.Batch {
	b := chart.Batch{
		Title: title, Config: rep.Config, Seed: rep.Seed, Replications: rep.Replications,
		DurationS: rep.DurationS, WarmupS: rep.WarmupS, WarmupAuto: rep.WarmupAuto != nil,
	}
	s := &rep.Summary
	kpi := func(name, unit string, e experiment.Estimate) chart.KPI {
		return chart.KPI{Name: name, Unit: unit, Mean: e.Mean, HalfWidth: e.CI95, N: rep.Replications}
	}
	b.KPIs = []chart.KPI{
		kpi("Good units per year", "/yr", s.GoodPerYear),
		kpi("Good units per hour", "/h", s.GoodPerHour),
		kpi("Throughput", "/h", s.ThroughputPerHour),
		kpi("OEE", "", s.OEE),
		kpi("Availability", "", s.Availability),
		kpi("Performance", "", s.Performance),
		kpi("Quality", "", s.Quality),
		kpi("Yield", "", s.Yield),
		kpi("Mean WIP", "units", s.MeanWIP),
		kpi("Mean flow time", "s", s.MeanFlowTimeS),
	}
	for _, st := range rep.Stations {
		b.Stations = append(b.Stations, chart.Station{
			ID: st.ID, Working: st.Utilization.Mean, Handling: st.Handling.Mean, Blocked: st.Blocked.Mean,
			Starved: st.Starved.Mean, Down: st.Down.Mean, Maintenance: st.Maintenance.Mean,
			Defects: st.Defects.Mean, Caught: st.Caught.Mean, Scrapped: st.Scrapped.Mean, Reworked: st.Reworked.Mean,
			Bottleneck: st.ID == rep.Bottleneck,
		})
	}
	for _, r := range rep.Runs {
		if r.Series == nil || r.Series.Len() == 0 {
			continue
		}
		b.BucketS = r.Series.Bucket.Seconds()
		good := make([]float64, len(r.Series.Good))
		for i, g := range r.Series.Good {
			good[i] = float64(g)
		}
		b.GoodPerBucket = append(b.GoodPerBucket, good)
		b.WIP = append(b.WIP, r.Series.WIP)
	}
	return b
}

// checkReportDir reports a --report that cannot be a directory.
func checkReportDir(dir string) []string {
	if dir == "" {
		return nil
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return []string{fmt.Sprintf("--report %s: is a file, not a directory", dir)}
	}
	return nil
}

// spanText writes a simulated span the way configs write it: 7d, 8h, 90m.
func spanText(t sim.Time) string {
	switch {
	case t > 0 && t%sim.Day == 0:
		return fmt.Sprintf("%dd", t/sim.Day)
	case t > 0 && t%sim.Hour == 0:
		return fmt.Sprintf("%dh", t/sim.Hour)
	case t > 0 && t%sim.Minute == 0:
		return fmt.Sprintf("%dm", t/sim.Minute)
	}
	return t.String()
}

// sweepKPIs are the sweep's KPIs as charted: key, name and unit, and how to
// read each from a scenario's estimates.
var sweepKPIs = []struct {
	key, name, unit string
	get             func(k *experiment.KPIEstimates) experiment.KPIEstimate
}{
	{"good_per_hour", "Good units per hour", "/h", func(k *experiment.KPIEstimates) experiment.KPIEstimate { return k.GoodPerHour }},
	{"oee", "OEE", "", func(k *experiment.KPIEstimates) experiment.KPIEstimate { return k.OEE }},
	{"mean_wip", "Mean WIP", "units", func(k *experiment.KPIEstimates) experiment.KPIEstimate { return k.MeanWIP }},
	{"mean_flow_time_s", "Mean flow time", "s", func(k *experiment.KPIEstimates) experiment.KPIEstimate { return k.MeanFlowTimeS }},
	{"yield", "Yield", "", func(k *experiment.KPIEstimates) experiment.KPIEstimate { return k.Yield }},
}

// sweepReportData turns a sweep's summary into the charts' data: each KPI
// against the varied parameter (the first one; with several, the
// scenarios as categories), with the paired difference of good output
// against the base.
func sweepReportData(s *experiment.Summary) chart.Sweep {
	out := chart.Sweep{Title: "Sweep " + s.Sweep + " on " + s.Base, Parameter: "scenario"}
	numeric := len(s.Params) == 1
	if numeric {
		out.Parameter = s.Params[0]
	}
	for _, k := range sweepKPIs {
		out.KPIs = append(out.KPIs, k.name)
	}
	const delta = "Gain in good units per hour over the base (paired)"
	out.KPIs = append(out.KPIs, delta)
	for i := range s.Scenarios {
		sc := &s.Scenarios[i]
		p := chart.SweepPoint{Scenario: sc.Name, Label: sc.Name, X: math.NaN(), KPIs: map[string]chart.KPI{}}
		if numeric && len(sc.Values) == 1 {
			if x, ok := sc.Values[0].Float(); ok {
				p.X = x
			}
			p.Label = sc.Values[0].Text()
		}
		for _, k := range sweepKPIs {
			e := k.get(&sc.KPIs)
			p.KPIs[k.name] = chart.KPI{Name: k.name, Unit: k.unit, Mean: e.Mean, HalfWidth: e.CI95, N: e.N}
		}
		if sc.VsBase != nil {
			e := sc.VsBase.GoodPerHour
			p.KPIs[delta] = chart.KPI{Name: delta, Unit: "/h", Mean: e.Mean, HalfWidth: e.CI95, N: e.N}
		}
		out.Points = append(out.Points, p)
	}
	return out
}
