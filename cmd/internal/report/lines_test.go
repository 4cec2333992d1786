package report

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/experiment"
)

// crewSummary is the summary of a sweep over crew size x autopilot policy,
// with upkeep: the sizes given, each with both policies, the points in
// the grid's order (size outer) but the sizes listed high to low, so that
// the series must be sorted.
func crewSummary(sizes ...int) *experiment.Summary {
	est := func(m float64) experiment.KPIEstimate {
		return experiment.KPIEstimate{Estimate: experiment.Estimate{Mean: m, CI95: m / 20}, N: 5}
	}
	sum := &experiment.Summary{Sweep: "crew", Base: "phone-factory", Params: []string{"crew.size", "autopilot.policy"}}
	for _, size := range sizes {
		for k, policy := range []string{"none", "predictive"} {
			good := 1000 + 10*float64(size) + 30*float64(k)
			sum.Scenarios = append(sum.Scenarios, experiment.ScenarioSummary{
				Name: fmt.Sprintf("size=%d policy=%s", size, policy),
				Values: []experiment.Param{
					{Path: "crew.size", Value: json.RawMessage(strconv.Itoa(size))},
					{Path: "autopilot.policy", Value: json.RawMessage(`"` + policy + `"`)},
				},
				KPIs: experiment.KPIEstimates{GoodPerHour: est(good), OEE: est(0.8),
					UpkeepEstimates: &experiment.UpkeepEstimates{UnplannedDownH: est(80 - float64(size)), MaintenanceActions: est(float64(5 * k)),
						WearOuts: est(2), CrewUtilization: est(1 / float64(size)), AutopilotActions: est(float64(4 * k))}},
				VsBase: &experiment.KPIEstimates{GoodPerHour: est(good - 1030)},
			})
		}
	}
	return sum
}

// A sweep over crew size x policy charts good output against the crew
// size with one series per policy, sorted by size, and tabulates its
// upkeep KPIs.
func TestFromSweepLines(t *testing.T) {
	s := FromSweep(crewSummary(5, 3, 4))
	if len(s.Lines) != 1 {
		t.Fatalf("%d line charts, want 1", len(s.Lines))
	}
	lc := s.Lines[0]
	if lc.KPI != "Good units per hour" || lc.Unit != "/h" || lc.X != "crew.size" || lc.By != "autopilot.policy" {
		t.Errorf("chart %q (%s) against %q by %q", lc.KPI, lc.Unit, lc.X, lc.By)
	}
	var names []string
	for _, se := range lc.Series {
		names = append(names, se.Name)
		var xs []float64
		for _, p := range se.Points {
			xs = append(xs, p.X)
			if !strings.HasSuffix(p.Scenario, "policy="+se.Name) {
				t.Errorf("series %s holds scenario %s", se.Name, p.Scenario)
			}
			want := 1000 + 10*p.X
			if se.Name == "predictive" {
				want += 30
			}
			if p.KPI.Mean != want || p.KPI.HalfWidth != want/20 || p.KPI.N != 5 {
				t.Errorf("series %s at %v: %+v, want mean %v ± %v over 5", se.Name, p.X, p.KPI, want, want/20)
			}
		}
		if !slices.Equal(xs, []float64{3, 4, 5}) {
			t.Errorf("series %s at x %v, want 3, 4, 5", se.Name, xs)
		}
	}
	if !slices.Equal(names, []string{"none", "predictive"}) {
		t.Errorf("series %q, want one per policy", names)
	}

	wantUpkeep := []string{"Good units per year", "Unplanned downtime", "Maintenance actions", "Wear-outs", "Crew utilisation", "Autopilot actions"}
	if !slices.Equal(s.UpkeepKPIs, wantUpkeep) {
		t.Errorf("upkeep KPIs %q, want %q", s.UpkeepKPIs, wantUpkeep)
	}
	p := s.Points[1] // size 5, predictive
	if k := p.KPIs["Autopilot actions"]; k.Mean != 4 || k.N != 5 {
		t.Errorf("autopilot actions %+v", k)
	}
	if k := p.KPIs["Good units per year"]; k.Mean != 1080*experiment.HoursPerYear {
		t.Errorf("good units per year %+v, want %v", k, 1080*experiment.HoursPerYear)
	}
	for _, name := range wantUpkeep {
		if slices.Contains(s.KPIs, name) {
			t.Errorf("upkeep KPI %q is charted", name)
		}
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}

	dir := filepath.Join(t.TempDir(), "report")
	if err := WriteSweep(dir, s, nil); err != nil {
		t.Fatal(err)
	}
	files := []string{"sweep-01.png", "sweep-02.png", "sweep-03.png", "sweep-04.png", "sweep-05.png", "sweep-06.png", "sweep-07.png"}
	html := checkReport(t, dir, files)
	for _, want := range []string{"<th>Crew utilisation</th>", "<th>Unplanned downtime (server-h)</th>", "Good units per hour against crew.size, by autopilot.policy", "One line per value of autopilot.policy"} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// No line chart for one parameter, two that are not numbers, or a
// series with two points at the same x; no upkeep table without upkeep.
func TestFromSweepNoLines(t *testing.T) {
	one := crewSummary(3, 4)
	one.Params = one.Params[:1]
	for i := range one.Scenarios {
		one.Scenarios[i].Values = one.Scenarios[i].Values[:1]
		one.Scenarios[i].KPIs.UpkeepEstimates = nil
	}
	if s := FromSweep(one); s.Lines != nil || s.UpkeepKPIs != nil {
		t.Errorf("one parameter without upkeep: lines %+v, upkeep %q", s.Lines, s.UpkeepKPIs)
	}
	words := crewSummary(3, 4)
	for i := range words.Scenarios {
		words.Scenarios[i].Values[0].Value = json.RawMessage(`"` + words.Scenarios[i].Values[0].Text() + `x"`)
	}
	if s := FromSweep(words); s.Lines != nil {
		t.Errorf("no numeric parameter: lines %+v", s.Lines)
	}
	dup := crewSummary(3, 3)
	for i := range dup.Scenarios {
		dup.Scenarios[i].Name += string(rune('a' + i))
	}
	if s := FromSweep(dup); s.Lines != nil {
		t.Errorf("two points of a series at one x: lines %+v", s.Lines)
	}
	// The numeric parameter second: still the x axis.
	swapped := crewSummary(3, 4)
	swapped.Params[0], swapped.Params[1] = swapped.Params[1], swapped.Params[0]
	for i := range swapped.Scenarios {
		v := swapped.Scenarios[i].Values
		v[0], v[1] = v[1], v[0]
	}
	if s := FromSweep(swapped); len(s.Lines) != 1 || s.Lines[0].X != "crew.size" || len(s.Lines[0].Series) != 2 {
		t.Errorf("numeric parameter second: lines %+v", s.Lines)
	}
}
