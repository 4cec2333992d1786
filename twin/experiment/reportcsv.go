package experiment

import (
	"encoding/csv"
	"io"
	"strconv"
)

// reportCSVMetrics returns the metric columns of WriteReportCSV in order;
// each gives two columns (mean and _ci95).
func reportCSVMetrics() []string {
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

// reportCSVUpkeep returns the metric columns WriteReportCSV adds, before
// the plain ones, for a line with upkeep (failures is a column already:
// the summary row has the line's).
func reportCSVUpkeep() []string {
	return []string{
		"maintenance_actions", "wear_outs", "unplanned_down_h", "planned_down_h",
		"crew_utilization", "crew_travel_share", "crew_jobs", "crew_wait_h", "crew_mean_wait_s", "crew_mean_queue",
		"people_per_million_good",
	}
}

// reportCSVAutopilot returns the metric columns WriteReportCSV adds, after
// those of upkeep, for a line flown by an autopilot.
func reportCSVAutopilot() []string {
	return []string{
		"autopilot_epochs", "autopilot_decisions", "autopilot_applied", "autopilot_recommended",
		"autopilot_capped", "autopilot_held", "autopilot_invalid", "autopilot_errors",
		"autopilot_maintains", "autopilot_dispatches", "autopilot_speed_changes", "autopilot_buffer_moves",
		"autopilot_refused",
	}
}

// reportCSVPlain returns the trailing columns of WriteReportCSV, which hold
// plain values.
func reportCSVPlain() []string {
	return []string{"bottleneck_runs", "bottleneck", "replications", "seed", "duration_s", "warmup_s"}
}

// WriteReportCSV writes rep in the layout of `lightsout batch --csv`: one
// header row, then one row per entity: section "summary" (the whole line,
// id = config name), then one "station" row per station in flow order, then
// one "arm" row per robot arm.
//
// Every metric has a column with the mean over replications followed by a
// "<metric>_ci95" column with the half-width of its 95% confidence
// interval. A cell that does not apply to the row's section is empty (a
// station has no yield, the line has no blocked share). A line with wear
// or a crew has the upkeep columns too (maintenance_actions to
// people_per_million_good; the summary's failures are then the line's),
// and one flown by an autopilot the autopilot_* columns, each after the
// other metrics. The last columns (bottleneck_runs, then the run settings,
// then crew_size and autopilot_policy when the line has them) are plain
// values, not estimates.
// Numbers are written in plain decimal notation with as many digits as
// needed to read them back exactly.
func WriteReportCSV(w io.Writer, rep *Report) error {
	metrics, plain := reportCSVMetrics(), reportCSVPlain()
	s := rep.Summary
	line := map[string]Estimate{
		"throughput_per_hour": s.ThroughputPerHour, "oee": s.OEE, "scrapped": s.Scrapped,
		"good_per_hour": s.GoodPerHour, "good_per_year": s.GoodPerYear,
		"mean_flow_time_s": s.MeanFlowTimeS, "mean_wip": s.MeanWIP,
		"started": s.Started, "shipped": s.Shipped, "good": s.Good,
		"escaped_defects": s.EscapedDefects, "reworked": s.Reworked,
		"yield": s.Yield, "first_pass_yield": s.FirstPassYield,
		"availability": s.Availability, "performance": s.Performance, "quality": s.Quality,
		"littles_law_rel_err": s.LittlesLawRelErr,
	}
	lineValues := map[string]string{
		"bottleneck_runs": strconv.Itoa(rep.BottleneckRuns), "bottleneck": rep.Bottleneck,
		"replications": strconv.Itoa(rep.Replications), "seed": strconv.FormatUint(rep.Seed, 10),
		"duration_s": formatFloat(rep.DurationS), "warmup_s": formatFloat(rep.WarmupS),
	}
	if u := s.Upkeep; u != nil {
		metrics = append(metrics, reportCSVUpkeep()...)
		line["maintenance_actions"], line["failures"], line["wear_outs"] = u.MaintenanceActions, u.Failures, u.WearOuts
		line["unplanned_down_h"], line["planned_down_h"] = u.UnplannedDownH, u.PlannedDownH
		if c := u.Crew; c != nil {
			line["crew_utilization"], line["crew_travel_share"], line["crew_jobs"] = c.Utilization, c.TravelShare, c.Jobs
			line["crew_wait_h"], line["crew_mean_wait_s"], line["crew_mean_queue"] = c.WaitH, c.MeanWaitS, c.MeanQueue
			line["people_per_million_good"] = c.PeoplePerMillionGood
		}
		plain = append(plain, "crew_size")
		lineValues["crew_size"] = "0"
		if u.Crew != nil {
			lineValues["crew_size"] = strconv.Itoa(u.Crew.Size)
		}
	}
	if a := s.Autopilot; a != nil {
		metrics = append(metrics, reportCSVAutopilot()...)
		for name, e := range map[string]Estimate{
			"epochs": a.Epochs, "decisions": a.Decisions, "applied": a.Applied, "recommended": a.Recommended,
			"capped": a.Capped, "held": a.Held, "invalid": a.Invalid, "errors": a.Errors,
			"maintains": a.Maintains, "dispatches": a.Dispatches, "speed_changes": a.SpeedChanges,
			"buffer_moves": a.BufferMoves, "refused": a.Refused,
		} {
			line["autopilot_"+name] = e
		}
		plain = append(plain, "autopilot_policy")
		lineValues["autopilot_policy"] = a.Policy
	}
	header := []string{"section", "id"}
	for _, m := range metrics {
		header = append(header, m, m+"_ci95")
	}
	header = append(header, plain...)

	cw := csv.NewWriter(w)
	cw.Write(header)
	row := func(section, id string, est map[string]Estimate, values map[string]string) {
		rec := []string{section, id}
		for _, m := range metrics {
			if e, ok := est[m]; ok {
				rec = append(rec, formatFloat(e.Mean), formatFloat(e.CI95))
			} else {
				rec = append(rec, "", "")
			}
		}
		for _, p := range plain {
			rec = append(rec, values[p])
		}
		cw.Write(rec)
	}

	row("summary", rep.Config, line, lineValues)
	for _, st := range rep.Stations {
		row("station", st.ID, map[string]Estimate{
			"throughput_per_hour": st.ThroughputPerHour, "oee": st.OEE, "scrapped": st.Scrapped,
			"utilization": st.Utilization, "handling": st.Handling, "blocked": st.Blocked,
			"starved": st.Starved, "down": st.Down, "maintenance": st.Maintenance,
			"processed": st.Processed, "defects": st.Defects, "caught": st.Caught,
			"reworked": st.Reworked, "failures": st.Failures, "mean_buffer": st.MeanBuffer,
		}, map[string]string{"bottleneck_runs": strconv.Itoa(st.BottleneckRuns)})
	}
	for _, arm := range rep.Arms {
		row("arm", arm.ID, map[string]Estimate{
			"utilization": arm.Utilization, "down": arm.Down, "moves": arm.Moves, "mean_queue": arm.MeanQueue,
		}, nil)
	}
	cw.Flush()
	return cw.Error()
}

// WriteReportJSON writes rep as one indented JSON document: what `lightsout
// batch --json` prints, with the field names of Report (a public contract,
// documented in the README). encoding/json writes floats deterministically
// and a Report holds no NaN or infinity, so identical reports give
// identical bytes.
func WriteReportJSON(w io.Writer, rep *Report) error { return writeJSON(w, rep) }
