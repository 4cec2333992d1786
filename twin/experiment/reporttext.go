package experiment

import (
	"fmt"
	"io"

	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

// WriteReportText writes rep as aligned tables for people (`lightsout
// batch` without --json or --csv): the run settings, the line KPIs (mean ±
// 95% CI half-width), good units per year, the upkeep KPIs and what the
// autopilot did (for a line with them), stations, arms, the bottleneck,
// the Little's law check and the run's speed; then, when they were used,
// how the warm-up was chosen and whether the precision target was met.
func WriteReportText(w io.Writer, rep *Report) error {
	ew := &errWriter{w: w}
	p := func(format string, a ...any) { fmt.Fprintf(ew, format, a...) }

	p("config        %s\n", rep.Config)
	p("duration      %s per run, of which warm-up %s (not measured)\n",
		textfmt.Span(sim.Seconds(rep.DurationS)), textfmt.Span(sim.Seconds(rep.WarmupS)))
	p("replications  %d, base seed %d; ± is the 95%% confidence half-width\n\n", rep.Replications, rep.Seed)

	writeLineText(ew, rep)
	p("\n")
	writeGoodPerYear(ew, rep)
	p("\n")
	if rep.Summary.Upkeep != nil {
		writeUpkeepReportText(ew, rep.Summary.Upkeep)
		p("\n")
	}
	if rep.Summary.Autopilot != nil {
		writeAutopilotReportText(ew, rep.Summary.Autopilot)
		p("\n")
	}
	writeStationsText(ew, rep)
	if len(rep.Arms) > 0 {
		p("\n")
		writeArmsText(ew, rep)
	}
	p("\n")
	if rep.Bottleneck != "" {
		share := ""
		for _, s := range rep.Stations {
			if s.ID == rep.Bottleneck {
				share = fmt.Sprintf("; sole or shifting bottleneck %s of the time", textfmt.Percent(s.BottleneckShare.Mean))
			}
		}
		p("bottleneck    %s (named in %d of %d runs%s; active period method)\n", rep.Bottleneck, rep.BottleneckRuns, rep.Replications, share)
	} else {
		p("bottleneck    none named\n")
	}
	ll := rep.Summary.LittlesLawRelErr
	p("Little's law  L = λW holds to %s ± %s (mean relative error)", pct2(ll.Mean), pct2(ll.CI95))
	if ll.Mean > 0.05 {
		p(": more than 5%%, check that the run is long enough")
	}
	p("\n")
	p("speed         %s events in %.2f s wall time (%s events/s)\n",
		textfmt.Grouped(float64(rep.Events), 0), rep.WallSeconds, textfmt.Grouped(rep.EventsPerSecond, 0))
	writeExperimentText(ew, rep)
	return ew.err
}

// writeLineText writes the line KPIs.
func writeLineText(w io.Writer, rep *Report) {
	s := rep.Summary
	tw := textfmt.NewTable(w)
	row := func(label string, e Estimate, format func(float64) string) {
		tw.Row(label, format(e.Mean), "±", format(e.CI95))
	}
	d0 := func(x float64) string { return textfmt.Grouped(x, 0) }
	d1 := func(x float64) string { return textfmt.Grouped(x, 1) }
	pct := textfmt.Percent
	tw.Row("line", "mean", "", "95% CI")
	row("throughput (units/h)", s.ThroughputPerHour, d1)
	row("good output (units/h)", s.GoodPerHour, d1)
	row("mean flow time (s)", s.MeanFlowTimeS, d1)
	row("mean WIP (units)", s.MeanWIP, d1)
	row("good (units)", s.Good, d0)
	row("scrapped (units)", s.Scrapped, d0)
	row("escaped defects (units)", s.EscapedDefects, d0)
	row("reworked (units)", s.Reworked, d0)
	row("yield", s.Yield, pct)
	row("first-pass yield", s.FirstPassYield, pct)
	row("OEE", s.OEE, pct)
	row("  availability", s.Availability, pct)
	row("  performance", s.Performance, pct)
	row("  quality", s.Quality, pct)
	tw.Flush()
}

// writeGoodPerYear writes the headline figure, against the target if any.
func writeGoodPerYear(w io.Writer, rep *Report) {
	g := rep.Summary.GoodPerYear
	fmt.Fprintf(w, "good units per year (24/7): %s ± %s million", textfmt.Grouped(g.Mean/1e6, 2), textfmt.Grouped(g.CI95/1e6, 2))
	if t := rep.TargetPerHour * HoursPerYear; t > 0 {
		fmt.Fprintf(w, " (target %s million: %s)", textfmt.Grouped(t/1e6, 2), textfmt.Percent(g.Mean/t))
	}
	fmt.Fprintln(w)
}

// writeUpkeepReportText writes the wear, maintenance and crew KPIs.
func writeUpkeepReportText(w io.Writer, u *UpkeepSummary) {
	tw := textfmt.NewTable(w)
	row := func(label string, e Estimate, format func(float64) string) {
		tw.Row(label, format(e.Mean), "±", format(e.CI95))
	}
	d1 := func(x float64) string { return textfmt.Grouped(x, 1) }
	d2 := func(x float64) string { return textfmt.Grouped(x, 2) }
	pct := textfmt.Percent
	tw.Row("upkeep", "mean", "", "95% CI")
	row("maintenance actions", u.MaintenanceActions, d1)
	row("failures", u.Failures, d1)
	row("  wear-outs", u.WearOuts, d1)
	row("unplanned downtime (server-h)", u.UnplannedDownH, d1)
	row("planned downtime (server-h)", u.PlannedDownH, d1)
	if c := u.Crew; c != nil {
		row(fmt.Sprintf("crew utilisation (%d people)", c.Size), c.Utilization, pct)
		row("  travel share of busy time", c.TravelShare, pct)
		row("  jobs", c.Jobs, d1)
		row("  wait for the crew (s/job)", c.MeanWaitS, d1)
		row("  jobs waiting (mean)", c.MeanQueue, d2)
		row("people per million good/year", c.PeoplePerMillionGood, d2)
	}
	tw.Flush()
}

// writeAutopilotReportText writes what the autopilot did: its epochs,
// decisions and actions, and the counts of actions not applied (those
// that are 0 in every run are left out).
func writeAutopilotReportText(w io.Writer, a *AutopilotSummary) {
	tw := textfmt.NewTable(w)
	d1 := func(x float64) string { return textfmt.Grouped(x, 1) }
	row := func(label string, e Estimate) { tw.Row(label, d1(e.Mean), "±", d1(e.CI95)) }
	some := func(label string, e Estimate) {
		if e.Mean != 0 || e.CI95 != 0 {
			row(label, e)
		}
	}
	tw.Row("autopilot "+a.Policy, "mean", "", "95% CI")
	row("decision epochs", a.Epochs)
	row("decisions", a.Decisions)
	row("applied", a.Applied)
	row("  maintenances", a.Maintains)
	row("  crew dispatches", a.Dispatches)
	some("  speed changes", a.SpeedChanges)
	some("  buffer moves", a.BufferMoves)
	some("  refused by the line", a.Refused)
	some("recommended only", a.Recommended)
	some("over the cap", a.Capped)
	some("held", a.Held)
	some("invalid", a.Invalid)
	some("epochs failed", a.Errors)
	tw.Flush()
}

// writeStationsText writes one row per station: time shares (means) and
// throughput and OEE with their intervals.
func writeStationsText(w io.Writer, rep *Report) {
	pct := textfmt.Percent
	tw := textfmt.NewTable(w)
	tw.Row("station", "util", "handling", "blocked", "starved", "down", "maint", "OEE", "throughput/h", "bottleneck")
	for _, s := range rep.Stations {
		tw.Row(s.ID,
			pct(s.Utilization.Mean), pct(s.Handling.Mean), pct(s.Blocked.Mean), pct(s.Starved.Mean),
			pct(s.Down.Mean), pct(s.Maintenance.Mean),
			pct(s.OEE.Mean)+" ± "+pct(s.OEE.CI95),
			textfmt.Grouped(s.ThroughputPerHour.Mean, 1)+" ± "+textfmt.Grouped(s.ThroughputPerHour.CI95, 1),
			bottleneckOf(s, rep.Replications))
	}
	tw.Flush()
}

// writeArmsText writes one row per robot arm.
func writeArmsText(w io.Writer, rep *Report) {
	pct := textfmt.Percent
	tw := textfmt.NewTable(w)
	tw.Row("arm", "util", "down", "moves/run", "mean queue")
	for _, a := range rep.Arms {
		tw.Row(a.ID,
			pct(a.Utilization.Mean)+" ± "+pct(a.Utilization.CI95), pct(a.Down.Mean),
			textfmt.Grouped(a.Moves.Mean, 0), textfmt.Grouped(a.MeanQueue.Mean, 2))
	}
	tw.Flush()
}

// writeExperimentText tells how the warm-up was chosen (WarmupAuto) and
// whether the precision target was met (Precision), when they are set.
func writeExperimentText(w io.Writer, rep *Report) {
	if wa := rep.WarmupAuto; wa != nil {
		fmt.Fprintf(w, "warm-up auto  MSER-5 on the mean good output of %d pilot runs (%d batches of 5 buckets of %s): the first %s cut, warm-up %s",
			wa.Pilots, wa.Batches, textfmt.Span(sim.Seconds(wa.BucketS)), count(wa.MSERBatches, "batch", "batches"), textfmt.Span(wa.Warmup))
		if wa.AtLimit {
			fmt.Fprint(w, " (half the run: too short to reach steady state? try a longer --duration)")
		}
		fmt.Fprintln(w)
	}
	if p := rep.Precision; p != nil {
		target := textfmt.Grouped(p.Target, 2) + " good units/h"
		if p.Relative {
			target = pct2(p.Target) + " of the mean"
		}
		verdict := "met"
		if !p.Met {
			verdict = fmt.Sprintf("NOT met within %d replications", p.MaxReplications)
		}
		fmt.Fprintf(w, "precision     good/h ± %s (%s of the mean) after %d replications in %s: target %s %s\n",
			textfmt.Grouped(p.HalfWidthPerHour, 2), pct2(p.RelativeHalfWidth), rep.Replications, count(p.Rounds, "round", "rounds"), target, verdict)
	}
}

// count writes n with the singular or plural noun: "1 round", "3 rounds",
// "0 batches".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// pct2 writes a small fraction as a percentage with two decimals.
func pct2(f float64) string { return fmt.Sprintf("%.2f%%", 100*f) }

// runsOf writes "3/5", or "" for none.
// bottleneckOf says in how many runs a station was named the bottleneck
// and the mean share of time it was the sole or a shifting bottleneck
// ("5/5, 93%"), "" for a station never a bottleneck.
func bottleneckOf(s StationSummary, of int) string {
	share := s.BottleneckShare.Mean
	switch {
	case s.BottleneckRuns > 0:
		return runsOf(s.BottleneckRuns, of) + ", " + textfmt.Percent(share)
	case share >= 0.005:
		return textfmt.Percent(share)
	}
	return ""
}

func runsOf(n, of int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", n, of)
}

// errWriter remembers the first write error, so that a long sequence of
// prints can be checked once; after an error it writes nothing more.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
