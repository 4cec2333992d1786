package report

import (
	"fmt"
	"math"
	"slices"

	"github.com/lightsout-sim/lightsout/twin/experiment"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// FromBatch turns a batch's report into a Batch to chart: the headline KPIs
// with their intervals (with the upkeep KPIs and the autopilot's actions
// for a line that has them), each station's time shares and defects, and every
// replication's time series from time 0. duration is the length of each
// run the batch was given; the title names it as configs write it
// ("demo-line: 3 replications of 12h").
func FromBatch(rep *experiment.Report, duration sim.Time) Batch {
	b := Batch{
		Title:  fmt.Sprintf("%s: %d replications of %s", rep.Config, rep.Replications, spanText(duration)),
		Config: rep.Config, Seed: rep.Seed, Replications: rep.Replications,
		DurationS: rep.DurationS, WarmupS: rep.WarmupS, WarmupAuto: rep.WarmupAuto != nil,
	}
	if p := rep.Precision; p != nil {
		target := fmt.Sprintf("%.2f good units/h", p.Target)
		if p.Relative {
			target = fmt.Sprintf("%.2f%% of the mean", 100*p.Target)
		}
		verdict := "met"
		if !p.Met {
			verdict = fmt.Sprintf("NOT met within %d replications", p.MaxReplications)
		}
		rounds := "rounds"
		if p.Rounds == 1 {
			rounds = "round"
		}
		b.Precision = fmt.Sprintf("good/h ± %.2f (%.2f%% of the mean) after %d replications in %d %s: target %s %s",
			p.HalfWidthPerHour, 100*p.RelativeHalfWidth, rep.Replications, p.Rounds, rounds, target, verdict)
	}
	s := &rep.Summary
	kpi := func(name, unit string, e experiment.Estimate) KPI {
		return KPI{Name: name, Unit: unit, Mean: e.Mean, HalfWidth: e.CI95, N: rep.Replications}
	}
	b.KPIs = []KPI{
		kpi("Good units per year", "/yr", s.GoodPerYear),
		kpi("Good units per hour", "/h", s.GoodPerHour),
		kpi("Throughput", "/h", s.ThroughputPerHour),
		kpi("OEE", "%", s.OEE),
		kpi("Availability", "%", s.Availability),
		kpi("Performance", "%", s.Performance),
		kpi("Quality", "%", s.Quality),
		kpi("Yield", "%", s.Yield),
		kpi("Mean WIP", "units", s.MeanWIP),
		kpi("Mean flow time", "s", s.MeanFlowTimeS),
	}
	if u := s.Upkeep; u != nil {
		b.KPIs = append(b.KPIs,
			kpi("Unplanned downtime", "server-h", u.UnplannedDownH),
			kpi("Maintenance actions", "", u.MaintenanceActions),
			kpi("Wear-outs", "", u.WearOuts))
		if c := u.Crew; c != nil {
			b.KPIs = append(b.KPIs,
				kpi("Crew utilisation", "%", c.Utilization),
				kpi("People per million good a year", "", c.PeoplePerMillionGood))
		}
	}
	if a := s.Autopilot; a != nil {
		b.KPIs = append(b.KPIs, kpi("Autopilot actions ("+a.Policy+")", "", a.Applied))
	}
	for _, st := range rep.Stations {
		b.Stations = append(b.Stations, Station{
			ID: st.ID, Working: st.Utilization.Mean, Handling: st.Handling.Mean, Blocked: st.Blocked.Mean,
			Starved: st.Starved.Mean, Down: st.Down.Mean, Maintenance: st.Maintenance.Mean, Held: st.Held.Mean,
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

// spanText writes a simulated span in one unit, as configs write it: 7d,
// 36h, 90m; any other span as sim.Time writes it.
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

// summaryKPI is a KPI of a sweep as charted: its name and unit, and how to
// read it from a scenario's estimates.
type summaryKPI struct {
	name, unit string
	get        func(k *experiment.KPIEstimates) experiment.KPIEstimate
}

// summaryKPIs returns the KPIs FromSweep charts, in order.
func summaryKPIs() []summaryKPI {
	return []summaryKPI{
		{"Good units per hour", "/h", func(k *experiment.KPIEstimates) experiment.KPIEstimate { return k.GoodPerHour }},
		{"OEE", "%", func(k *experiment.KPIEstimates) experiment.KPIEstimate { return k.OEE }},
		{"Mean WIP", "units", func(k *experiment.KPIEstimates) experiment.KPIEstimate { return k.MeanWIP }},
		{"Mean flow time", "s", func(k *experiment.KPIEstimates) experiment.KPIEstimate { return k.MeanFlowTimeS }},
		{"Yield", "%", func(k *experiment.KPIEstimates) experiment.KPIEstimate { return k.Yield }},
	}
}

// upkeepKPIs returns the KPIs FromSweep puts in the upkeep table, in
// order, for a sweep with upkeep: good units per year first, the
// headline.
func upkeepKPIs() []summaryKPI {
	up := func(get func(u *experiment.UpkeepEstimates) experiment.KPIEstimate) func(k *experiment.KPIEstimates) experiment.KPIEstimate {
		return func(k *experiment.KPIEstimates) experiment.KPIEstimate { return get(k.UpkeepEstimates) }
	}
	return []summaryKPI{
		{"Good units per year", "/yr", func(k *experiment.KPIEstimates) experiment.KPIEstimate {
			e := k.GoodPerHour
			e.Mean, e.CI95 = e.Mean*experiment.HoursPerYear, e.CI95*experiment.HoursPerYear
			return e
		}},
		{"Unplanned downtime", "server-h", up(func(u *experiment.UpkeepEstimates) experiment.KPIEstimate { return u.UnplannedDownH })},
		{"Maintenance actions", "", up(func(u *experiment.UpkeepEstimates) experiment.KPIEstimate { return u.MaintenanceActions })},
		{"Wear-outs", "", up(func(u *experiment.UpkeepEstimates) experiment.KPIEstimate { return u.WearOuts })},
		{"Crew utilisation", "", up(func(u *experiment.UpkeepEstimates) experiment.KPIEstimate { return u.CrewUtilization })},
		{"Autopilot actions", "", up(func(u *experiment.UpkeepEstimates) experiment.KPIEstimate { return u.AutopilotActions })},
	}
}

// sweepGain names the chart of the paired difference against the base.
const sweepGain = "Gain in good units per hour over the base (paired)"

// FromSweep turns a sweep's summary into a Sweep to chart: each KPI against
// the varied parameter (the first one; with several, the scenarios as
// categories), and the paired difference of good output against the base.
// A sweep over two parameters, one of them numeric, also gets a chart of
// good output against that one, a line per value of the other (see
// lineCharts); a sweep with upkeep, the table of its upkeep KPIs.
func FromSweep(s *experiment.Summary) Sweep {
	out := Sweep{Title: "Sweep " + s.Sweep + " on " + s.Base, Parameter: "scenario"}
	numeric := len(s.Params) == 1
	if numeric {
		out.Parameter = s.Params[0]
	}
	kpis := summaryKPIs()
	for _, k := range kpis {
		out.KPIs = append(out.KPIs, k.name)
	}
	out.KPIs = append(out.KPIs, sweepGain)
	for i := range s.Scenarios {
		sc := &s.Scenarios[i]
		p := SweepPoint{Scenario: sc.Name, Label: sc.Name, X: math.NaN(), KPIs: map[string]KPI{}}
		if numeric && len(sc.Values) == 1 {
			if x, ok := sc.Values[0].Float(); ok {
				p.X = x
			}
			p.Label = sc.Values[0].Text()
		}
		for _, k := range kpis {
			e := k.get(&sc.KPIs)
			p.KPIs[k.name] = KPI{Name: k.name, Unit: k.unit, Mean: e.Mean, HalfWidth: e.CI95, N: e.N}
		}
		if sc.VsBase != nil {
			e := sc.VsBase.GoodPerHour
			p.KPIs[sweepGain] = KPI{Name: sweepGain, Unit: "/h", Mean: e.Mean, HalfWidth: e.CI95, N: e.N}
		}
		if sc.KPIs.UpkeepEstimates != nil {
			if out.UpkeepKPIs == nil {
				for _, k := range upkeepKPIs() {
					out.UpkeepKPIs = append(out.UpkeepKPIs, k.name)
				}
			}
			for _, k := range upkeepKPIs() {
				e := k.get(&sc.KPIs)
				p.KPIs[k.name] = KPI{Name: k.name, Unit: k.unit, Mean: e.Mean, HalfWidth: e.CI95, N: e.N}
			}
		}
		out.Points = append(out.Points, p)
	}
	out.Lines = lineCharts(s)
	return out
}

// lineCharts returns, for a sweep over two parameters of which one is a
// number at every scenario, the chart of good units per hour against that
// one (the first, if both are) with a series per value of the other, in
// the order the sweep first meets them. It returns nil for any other
// sweep, or when two scenarios of a series share a value of the number.
func lineCharts(s *experiment.Summary) []LineChart {
	if len(s.Params) != 2 || len(s.Scenarios) == 0 {
		return nil
	}
	numeric := func(j int) bool {
		for _, sc := range s.Scenarios {
			if len(sc.Values) != 2 {
				return false
			}
			if _, ok := sc.Values[j].Float(); !ok {
				return false
			}
		}
		return true
	}
	x, by := 0, 1
	switch {
	case numeric(0):
	case numeric(1):
		x, by = 1, 0
	default:
		return nil
	}
	k := summaryKPIs()[0]
	lc := LineChart{KPI: k.name, Unit: k.unit, X: s.Params[x], By: s.Params[by]}
	index := map[string]int{}
	for i := range s.Scenarios {
		sc := &s.Scenarios[i]
		name := sc.Values[by].Text()
		j, ok := index[name]
		if !ok {
			j = len(lc.Series)
			index[name] = j
			lc.Series = append(lc.Series, Series{Name: name})
		}
		xv, _ := sc.Values[x].Float()
		e := k.get(&sc.KPIs)
		lc.Series[j].Points = append(lc.Series[j].Points, SeriesPoint{Scenario: sc.Name, X: xv,
			KPI: KPI{Name: k.name, Unit: k.unit, Mean: e.Mean, HalfWidth: e.CI95, N: e.N}})
	}
	for _, se := range lc.Series {
		pts := se.Points
		slices.SortStableFunc(pts, func(a, b SeriesPoint) int { return cmpFloat(a.X, b.X) })
		for i := 1; i < len(pts); i++ {
			if pts[i].X == pts[i-1].X {
				return nil
			}
		}
	}
	return []LineChart{lc}
}
