package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
)

//go:embed page.html.tmpl
var pageTemplate string

// section is a part of the page: the page itself or one batch of a sweep.
type section struct {
	Top      bool // the page's own heading
	Title    string
	Meta     []keyValue
	Table    *table
	Tables   []*table // more tables, after Table
	Notes    []string
	Figures  []figure
	Sections []section // only on the page itself
}

type keyValue struct{ Key, Value string }

type table struct {
	Caption string
	Head    []string
	Rows    [][]cell
}

type cell struct {
	Text string
	Num  bool // right-aligned
}

// writePage renders the page with html/template, which escapes every title,
// name and label taken from the input.
func writePage(w io.Writer, page section) error {
	t, err := template.New("page").Parse(pageTemplate)
	if err != nil {
		return fmt.Errorf("report: page template: %w", err)
	}
	if err := t.Execute(w, page); err != nil {
		return fmt.Errorf("report: render page: %w", err)
	}
	return nil
}

// batchMeta describes how a batch was run.
func batchMeta(b Batch) []keyValue {
	meta := []keyValue{
		{"Config", b.Config},
		{"Seed", strconv.FormatUint(b.Seed, 10)},
		{"Replications", strconv.Itoa(b.Replications)},
		{"Simulated time", formatDuration(b.DurationS) + " per replication"},
	}
	warm := "none"
	if b.WarmupS > 0 {
		warm = formatDuration(b.WarmupS)
		if b.WarmupAuto {
			warm += " (chosen by MSER-5)"
		} else {
			warm += " (set)"
		}
	}
	meta = append(meta, keyValue{"Warm-up left out", warm})
	if b.BucketS > 0 && (len(b.GoodPerBucket) > 0 || len(b.WIP) > 0) {
		meta = append(meta, keyValue{"Time-series bucket", formatDuration(b.BucketS)})
	}
	for _, s := range b.Stations {
		if s.Bottleneck {
			meta = append(meta, keyValue{"Bottleneck", s.ID})
		}
	}
	if b.Precision != "" {
		meta = append(meta, keyValue{"Precision", b.Precision})
	}
	if b.Config == "" {
		meta = meta[1:]
	}
	return meta
}

// kpiTable is the headline table of a batch.
func kpiTable(kpis []KPI, level float64) *table {
	if len(kpis) == 0 {
		return nil
	}
	t := &table{
		Caption: "Headline figures: mean over replications with the half-width of its " + ciPercent(level) + " confidence interval.",
		Head:    []string{"KPI", "mean", "± " + ciPercent(level) + " CI", "unit", "replications"},
	}
	for _, k := range kpis {
		t.Rows = append(t.Rows, []cell{
			{Text: k.Name},
			{Text: formatMean(k), Num: true},
			{Text: formatHalfWidth(k), Num: true},
			{Text: unitText(k)},
			{Text: strconv.Itoa(k.N), Num: true},
		})
	}
	return t
}

// sweepTable has one row per scenario and a "mean ± half-width" column per KPI.
func sweepTable(s Sweep, names []string) *table {
	return sweepTableCaption(s, names, "Each cell: mean over replications ± the half-width of its "+ciPercent(s.CILevel)+" confidence interval.")
}

// upkeepTable is sweepTable of the upkeep KPIs; nil when there are none.
func upkeepTable(s Sweep) *table {
	if len(s.UpkeepKPIs) == 0 {
		return nil
	}
	t := sweepTableCaption(s, s.UpkeepKPIs, "Upkeep: wear, maintenance, crew and autopilot per scenario; each cell the mean over replications ± the half-width of its "+ciPercent(s.CILevel)+" confidence interval.")
	first := len(t.Head) - len(s.UpkeepKPIs)
	for i, name := range s.UpkeepKPIs {
		for _, p := range s.Points {
			if k, ok := p.KPIs[name]; ok {
				t.Head[first+i] = kpiAxisLabel(name, k.Unit)
				break
			}
		}
	}
	return t
}

// sweepTableCaption is sweepTable with its caption.
func sweepTableCaption(s Sweep, names []string, caption string) *table {
	t := &table{Caption: caption, Head: []string{"scenario"}}
	numeric := numericX(s)
	if numeric {
		t.Head = append(t.Head, s.Parameter)
	}
	for _, name := range names {
		t.Head = append(t.Head, name)
	}
	for _, p := range s.Points {
		row := []cell{{Text: pointLabel(p)}}
		if numeric {
			row = append(row, cell{Text: formatNumber(p.X), Num: true})
		}
		for _, name := range names {
			k, ok := p.KPIs[name]
			switch {
			case !ok:
				row = append(row, cell{Text: "–", Num: true})
			case halfWidth(k) > 0:
				row = append(row, cell{Text: formatNumber(k.Mean) + " ± " + formatNumber(k.HalfWidth), Num: true})
			default:
				row = append(row, cell{Text: formatNumber(k.Mean), Num: true})
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func formatHalfWidth(k KPI) string {
	if k.N < 2 || math.IsNaN(k.HalfWidth) || math.IsInf(k.HalfWidth, 0) {
		return "–"
	}
	if k.Unit == "%" {
		return percent(k.HalfWidth)
	}
	return formatNumber(k.HalfWidth)
}

// formatMean writes a KPI's mean: a fraction as a percentage with one
// decimal, as the text report does (94.5%), any other as formatNumber.
func formatMean(k KPI) string {
	if k.Unit == "%" {
		return percent(k.Mean)
	}
	return formatNumber(k.Mean)
}

// unitText is a KPI's unit column: empty for a percentage, which carries
// its sign.
func unitText(k KPI) string {
	if k.Unit == "%" {
		return ""
	}
	return k.Unit
}

// percent writes a fraction as a percentage with one decimal.
func percent(f float64) string {
	if math.IsNaN(f) {
		return "–"
	}
	return strconv.FormatFloat(100*f, 'f', 1, 64) + "%"
}

// formatDuration writes seconds in the largest unit that keeps the number
// readable: "45 s", "30 min", "8 h", "365 days".
func formatDuration(s float64) string {
	switch {
	case s < 120:
		return formatNumber(s) + " s"
	case s < 2*3600:
		return formatNumber(s/60) + " min"
	case s < 2*86400:
		return formatNumber(s/3600) + " h"
	}
	return formatNumber(s/86400) + " days"
}
