package main

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/lightsout-sim/lightsout/twin/experiment"
)

// csvMetrics returns the metric columns in order; each gives rise to two
// CSV columns (mean and _ci95).
func csvMetrics() []string {
	return []string{
		// Line and station.
		"throughput_per_hour", "oee", "scrapped",
		// Line only (reworked also for stations).
		"good_per_hour", "good_per_year", "mean_flow_time_s", "mean_wip",
		"started", "shipped", "good", "escaped_defects", "reworked",
		"yield", "first_pass_yield", "availability", "performance", "quality",
		"littles_law_rel_err",
		// Stations (utilization and down also for arms).
		"utilization", "handling", "blocked", "starved", "down", "maintenance",
		"processed", "defects", "caught", "failures", "mean_buffer",
		// Arms only.
		"moves", "mean_queue",
	}
}

// csvPlain lists the trailing columns that hold plain values.
func csvPlain() []string {
	return []string{"bottleneck_runs", "bottleneck", "replications", "seed", "duration_s", "warmup_s"}
}

// writeCSV writes rep in the layout of "lightsout batch --csv": one header
// row, then one row per entity: section "summary" (the whole line, id =
// config name), then one "station" row per station in flow order, then one
// "arm" row per robot arm.
// Every metric has a column with the mean over replications followed by a
// "<metric>_ci95" column with the half-width of its 95% confidence
// interval. A cell that does not apply to the row's section is empty (a
// station has no yield, the line has no blocked share). The last columns
// (bottleneck_runs, then the run settings) are plain values, not estimates.
// Numbers are written in plain decimal notation with as many digits as
// needed to read them back exactly.
func writeCSV(w io.Writer, rep *experiment.Report) error {
	metrics, plain := csvMetrics(), csvPlain()
	header := []string{"section", "id"}
	for _, m := range metrics {
		header = append(header, m, m+"_ci95")
	}
	header = append(header, plain...)

	cw := csv.NewWriter(w)
	cw.Write(header)
	row := func(section, id string, est map[string]experiment.Estimate, values map[string]string) {
		rec := []string{section, id}
		for _, m := range metrics {
			if e, ok := est[m]; ok {
				rec = append(rec, num(e.Mean), num(e.CI95))
			} else {
				rec = append(rec, "", "")
			}
		}
		for _, p := range plain {
			rec = append(rec, values[p])
		}
		cw.Write(rec)
	}

	s := rep.Summary
	row("summary", rep.Config, map[string]experiment.Estimate{
		"throughput_per_hour": s.ThroughputPerHour, "oee": s.OEE, "scrapped": s.Scrapped,
		"good_per_hour": s.GoodPerHour, "good_per_year": s.GoodPerYear,
		"mean_flow_time_s": s.MeanFlowTimeS, "mean_wip": s.MeanWIP,
		"started": s.Started, "shipped": s.Shipped, "good": s.Good,
		"escaped_defects": s.EscapedDefects, "reworked": s.Reworked,
		"yield": s.Yield, "first_pass_yield": s.FirstPassYield,
		"availability": s.Availability, "performance": s.Performance, "quality": s.Quality,
		"littles_law_rel_err": s.LittlesLawRelErr,
	}, map[string]string{
		"bottleneck_runs": strconv.Itoa(rep.BottleneckRuns), "bottleneck": rep.Bottleneck,
		"replications": strconv.Itoa(rep.Replications), "seed": strconv.FormatUint(rep.Seed, 10),
		"duration_s": num(rep.DurationS), "warmup_s": num(rep.WarmupS),
	})
	for _, st := range rep.Stations {
		row("station", st.ID, map[string]experiment.Estimate{
			"throughput_per_hour": st.ThroughputPerHour, "oee": st.OEE, "scrapped": st.Scrapped,
			"utilization": st.Utilization, "handling": st.Handling, "blocked": st.Blocked,
			"starved": st.Starved, "down": st.Down, "maintenance": st.Maintenance,
			"processed": st.Processed, "defects": st.Defects, "caught": st.Caught,
			"reworked": st.Reworked, "failures": st.Failures, "mean_buffer": st.MeanBuffer,
		}, map[string]string{"bottleneck_runs": strconv.Itoa(st.BottleneckRuns)})
	}
	for _, arm := range rep.Arms {
		row("arm", arm.ID, map[string]experiment.Estimate{
			"utilization": arm.Utilization, "down": arm.Down, "moves": arm.Moves, "mean_queue": arm.MeanQueue,
		}, nil)
	}
	cw.Flush()
	return cw.Error()
}

// num formats x in plain decimal notation, shortest exact form.
func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
