package main

import (
	"fmt"
	"io"

	"github.com/lightsout-sim/lightsout/twin/experiment"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// writeText writes rep as aligned tables for people: the run settings, the
// line KPIs (mean ± 95% CI half-width), good phones per year, stations,
// arms, the bottleneck, the Little's law check and the run's speed.
func writeText(w io.Writer, rep *experiment.Report) error {
	ew := &errWriter{w: w}
	p := func(format string, a ...any) { fmt.Fprintf(ew, format, a...) }

	p("config        %s\n", rep.Config)
	p("duration      %s per run, of which warm-up %s (not measured)\n",
		formatSpan(sim.Seconds(rep.DurationS)), formatSpan(sim.Seconds(rep.WarmupS)))
	p("replications  %d, base seed %d; ± is the 95%% confidence half-width\n\n", rep.Replications, rep.Seed)

	writeSummary(ew, rep)
	p("\n")
	writeGoodPerYear(ew, rep)
	p("\n")
	writeStations(ew, rep)
	if len(rep.Arms) > 0 {
		p("\n")
		writeArms(ew, rep)
	}
	p("\n")
	if rep.Bottleneck != "" {
		p("bottleneck    %s (named in %d of %d runs)\n", rep.Bottleneck, rep.BottleneckRuns, rep.Replications)
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
		grouped(float64(rep.Events), 0), rep.WallSeconds, grouped(rep.EventsPerSecond, 0))
	return ew.err
}

// writeSummary writes the line KPIs.
func writeSummary(w io.Writer, rep *experiment.Report) {
	s := rep.Summary
	tw := newTable(w)
	row := func(label string, e experiment.Estimate, format func(float64) string) {
		tw.row(label, format(e.Mean), "±", format(e.CI95))
	}
	d0 := func(x float64) string { return grouped(x, 0) }
	d1 := func(x float64) string { return grouped(x, 1) }
	tw.row("line", "mean", "", "95% CI")
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
	tw.flush()
}

// writeGoodPerYear writes the headline figure, against the target if any.
func writeGoodPerYear(w io.Writer, rep *experiment.Report) {
	g := rep.Summary.GoodPerYear
	fmt.Fprintf(w, "good phones per year (24/7): %s ± %s million", grouped(g.Mean/1e6, 2), grouped(g.CI95/1e6, 2))
	if t := rep.TargetPerHour * experiment.HoursPerYear; t > 0 {
		fmt.Fprintf(w, " (target %s million: %s)", grouped(t/1e6, 2), pct(g.Mean/t))
	}
	fmt.Fprintln(w)
}

// writeStations writes one row per station: time shares (means) and
// throughput and OEE with their intervals.
func writeStations(w io.Writer, rep *experiment.Report) {
	tw := newTable(w)
	tw.row("station", "util", "handling", "blocked", "starved", "down", "maint", "OEE", "throughput/h", "bottleneck")
	for _, s := range rep.Stations {
		tw.row(s.ID,
			pct(s.Utilization.Mean), pct(s.Handling.Mean), pct(s.Blocked.Mean), pct(s.Starved.Mean),
			pct(s.Down.Mean), pct(s.Maintenance.Mean),
			pct(s.OEE.Mean)+" ± "+pct(s.OEE.CI95),
			grouped(s.ThroughputPerHour.Mean, 1)+" ± "+grouped(s.ThroughputPerHour.CI95, 1),
			runsOf(s.BottleneckRuns, rep.Replications))
	}
	tw.flush()
}

// writeArms writes one row per robot arm.
func writeArms(w io.Writer, rep *experiment.Report) {
	tw := newTable(w)
	tw.row("arm", "util", "down", "moves/run", "mean queue")
	for _, a := range rep.Arms {
		tw.row(a.ID,
			pct(a.Utilization.Mean)+" ± "+pct(a.Utilization.CI95), pct(a.Down.Mean),
			grouped(a.Moves.Mean, 0), grouped(a.MeanQueue.Mean, 2))
	}
	tw.flush()
}

func pct(f float64) string { return percent(f) }

// pct2 formats a small fraction as a percentage with two decimals.
func pct2(f float64) string { return fmt.Sprintf("%.2f%%", 100*f) }

// runsOf writes "3/5" or "" for none.
func runsOf(n, of int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", n, of)
}

// errWriter remembers the first write error, so a long sequence of prints
// can be checked once.
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
