package report

import "fmt"

// batchSection renders the charts of one batch into dir, their file names
// starting with prefix, and returns the section of the page that shows them.
func batchSection(dir, prefix string, b Batch, t *theme) (section, error) {
	sec := section{Title: b.Title, Meta: batchMeta(b), Table: kpiTable(b.KPIs, b.CILevel)}
	unit := timeUnitFor(b.DurationS)
	add := func(name, caption string, d drawing) error {
		f, err := render(dir, prefix+name, d)
		if err != nil {
			return err
		}
		f.Title, f.Caption = d.plot.Title.Text, caption
		sec.Figures = append(sec.Figures, f)
		return nil
	}

	if len(b.GoodPerBucket) > 0 {
		bd := throughputBand(b, unit)
		d, err := t.timeChart(b, bd, unit, "Throughput over simulated time", "good units per hour", "units/h")
		if err != nil {
			return section{}, err
		}
		caption := fmt.Sprintf("Good units per hour in each %s bucket: the line is the mean over %d replications, "+
			"the band their %s; the grey strip is the warm-up, left out of the statistics, and the dashed red line the mean after it.",
			formatDuration(bd.bucketS), b.Replications, bd.bandName)
		if err := add("throughput.png", caption, d); err != nil {
			return section{}, err
		}
	}
	if len(b.Stations) > 0 {
		d, err := t.stationStatesChart(b.Stations)
		if err != nil {
			return section{}, err
		}
		caption := "One bar per station, in flow order from the top, splitting its time into states (mean over replications). " +
			"The outlined bar is the bottleneck: the stations before it tend to be blocked, those after it starved."
		if err := add("stations.png", caption, d); err != nil {
			return section{}, err
		}
	}
	if len(b.WIP) > 0 {
		bd := wipBand(b, unit)
		d, err := t.timeChart(b, bd, unit, "Work in process over simulated time", "units in process", "units")
		if err != nil {
			return section{}, err
		}
		caption := fmt.Sprintf("Units in the line, time-averaged over each %s bucket: the line is the mean over %d replications, the band their %s. "+
			"Level after the warm-up means steady state; a steady climb means the line cannot keep up with its input.",
			formatDuration(bd.bucketS), b.Replications, bd.bandName)
		if err := add("wip.png", caption, d); err != nil {
			return section{}, err
		}
	}
	if len(b.Stations) > 0 {
		d, ok, err := t.qualityChart(b.Stations)
		switch {
		case err != nil:
			return section{}, err
		case ok:
			caption := "Per station, mean units per replication: defects made there, defects its inspection caught, " +
				"and units reworked or scrapped there. Stations with none of these are left out."
			if err := add("quality.png", caption, d); err != nil {
				return section{}, err
			}
		default:
			sec.Notes = append(sec.Notes, "No defects, rework or scrap at any station: no quality chart.")
		}
	}
	return sec, nil
}
