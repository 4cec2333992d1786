package report

import (
	"errors"
	"fmt"
	"math"
)

// DefaultCILevel is the confidence level assumed for the half-widths of KPIs
// when a Batch or Sweep leaves CILevel at zero.
const DefaultCILevel = 0.95

// Batch is one batch of replications of one config, as the report needs it.
type Batch struct {
	// Title heads the page or the batch's section; Config names the config run.
	Title, Config string
	// Seed is the run seed; Replications the number of replications.
	Seed         uint64
	Replications int
	// DurationS is the simulated length of each replication, in seconds.
	DurationS float64
	// WarmupS is the warm-up truncation used for the statistics, in seconds;
	// the time charts mark it. Zero means no warm-up.
	WarmupS float64
	// WarmupAuto says the warm-up was chosen by MSER-5 rather than set by hand.
	WarmupAuto bool
	// CILevel is the confidence level of the KPI half-widths (0: DefaultCILevel).
	CILevel float64
	// BucketS is the width of one time-series bucket, in seconds.
	BucketS float64
	// GoodPerBucket holds the good units finished in each bucket, indexed
	// [replication][bucket], buckets from time 0. Empty: no throughput chart.
	GoodPerBucket [][]float64
	// WIP holds the time-average work in process of each bucket, indexed
	// [replication][bucket]. Empty: no WIP chart.
	WIP [][]float64
	// Stations lists the stations in flow order.
	Stations []Station
	// KPIs are the headline rows of the page's table.
	KPIs []KPI
	// Precision, when the batch ran to a precision target, says whether it
	// was met, in words ("good/h ± 1.20 (0.31% of the mean) after 20
	// replications in 2 rounds: target 1.00% of the mean met").
	Precision string
}

// Station is one station's time shares and quality counts, each a mean over
// the replications.
type Station struct {
	// ID names the station as the config does.
	ID string
	// Working, Handling, Blocked, Starved, Down, Maintenance and Held are
	// fractions of the station's time (0..1, summing to at most 1; any
	// rest is shown as "other").
	Working, Handling, Blocked, Starved, Down, Maintenance, Held float64
	// Defects made, Caught by inspection, Scrapped and Reworked at this
	// station: mean counts per replication.
	Defects, Caught, Scrapped, Reworked float64
	// Bottleneck marks the station that limits the line.
	Bottleneck bool
}

// KPI is one headline figure: a mean over N replications with the half-width
// of its confidence interval.
type KPI struct {
	// Name and Unit label the figure, e.g. "good_per_hour" and "units/h";
	// Unit "%" marks a fraction, written as a percentage (0.945: 94.5%).
	Name, Unit string
	// Mean is the mean over replications; HalfWidth the CI half-width
	// (NaN or 0 when N < 2).
	Mean, HalfWidth float64
	// N is the number of replications behind the mean.
	N int
}

// Sweep is the result of a sweep: the same KPIs measured at each point.
type Sweep struct {
	// Title heads the page; Parameter names the varied config path,
	// e.g. "stations[test].buffer".
	Title, Parameter string
	// CILevel is the confidence level of the KPI half-widths (0: DefaultCILevel).
	CILevel float64
	// KPIs names the KPIs to chart, in order; empty means every KPI found in
	// the points, sorted by name.
	KPIs []string
	// Points are the sweep's points in the sweep's order.
	Points []SweepPoint
	// Lines are charts of a KPI against one numeric parameter with a line
	// per value of another (a sweep over two parameters); drawn after the
	// charts of KPIs.
	Lines []LineChart
	// UpkeepKPIs names KPIs of the points (wear, maintenance, crew and
	// autopilot figures) shown in a table of their own, under the main
	// one, and not charted; empty: no such table.
	UpkeepKPIs []string
}

// LineChart is one KPI against a numeric parameter, one series per value
// of another parameter.
type LineChart struct {
	// KPI names the KPI charted, Unit its unit; X names the parameter on
	// the x axis and By the one whose values are the series.
	KPI, Unit, X, By string
	// Series in the order the sweep first meets their values.
	Series []Series
}

// Series is one line of a LineChart: the points with one value of its By
// parameter.
type Series struct {
	// Name is the By parameter's value.
	Name string
	// Points by ascending X, no two with the same X.
	Points []SeriesPoint
}

// SeriesPoint is one scenario on a Series: its value of the x parameter
// and its KPI.
type SeriesPoint struct {
	Scenario string
	X        float64
	KPI      KPI
}

// SweepPoint is one scenario of a sweep.
type SweepPoint struct {
	// Scenario names the point; Label is how charts show it (empty: Scenario).
	Scenario, Label string
	// X is the numeric value of the varied parameter, NaN when it is not a
	// number (then the KPI charts are bars by scenario).
	X float64
	// KPIs maps a KPI name (e.g. "good_per_hour", "oee") to its value.
	KPIs map[string]KPI
}

// ciPercent formats a confidence level as a percentage, 0 meaning the default.
func ciPercent(level float64) string {
	if level == 0 {
		level = DefaultCILevel
	}
	return fmt.Sprintf("%g%%", level*100)
}

// Validate reports the first problem that would make the batch's report
// wrong or unreadable.
func (b Batch) Validate() error {
	if b.Replications < 1 {
		return fmt.Errorf("report: batch %q: replications %d, want at least 1", b.Title, b.Replications)
	}
	if !(b.DurationS > 0) || math.IsInf(b.DurationS, 0) {
		return fmt.Errorf("report: batch %q: duration %gs, want a positive finite number", b.Title, b.DurationS)
	}
	if !(b.WarmupS >= 0 && b.WarmupS < b.DurationS) {
		return fmt.Errorf("report: batch %q: warm-up %gs, want 0 <= warm-up < duration %gs", b.Title, b.WarmupS, b.DurationS)
	}
	if l := b.CILevel; l != 0 && !(l > 0 && l < 1) {
		return fmt.Errorf("report: batch %q: CI level %g, want 0 < level < 1", b.Title, l)
	}
	if len(b.GoodPerBucket) > 0 || len(b.WIP) > 0 {
		if !(b.BucketS > 0) || math.IsInf(b.BucketS, 0) {
			return fmt.Errorf("report: batch %q: bucket width %gs, want a positive finite number", b.Title, b.BucketS)
		}
	}
	if err := b.checkSeries("good units per bucket", b.GoodPerBucket); err != nil {
		return err
	}
	if err := b.checkSeries("WIP", b.WIP); err != nil {
		return err
	}
	for i, s := range b.Stations {
		if err := s.validate(); err != nil {
			return fmt.Errorf("report: batch %q: station %d: %w", b.Title, i, err)
		}
	}
	for _, k := range b.KPIs {
		if k.Name == "" {
			return fmt.Errorf("report: batch %q: a KPI has no name", b.Title)
		}
	}
	return nil
}

// checkSeries checks a [replication][bucket] series: one row per
// replication, rows of equal length, every bucket starting before the end of
// the run, values finite and not negative.
func (b Batch) checkSeries(what string, s [][]float64) error {
	if len(s) == 0 {
		return nil
	}
	if len(s) != b.Replications {
		return fmt.Errorf("report: batch %q: %s has %d replications, want %d", b.Title, what, len(s), b.Replications)
	}
	n := len(s[0])
	if n == 0 {
		return fmt.Errorf("report: batch %q: %s has no buckets", b.Title, what)
	}
	if float64(n-1)*b.BucketS >= b.DurationS {
		return fmt.Errorf("report: batch %q: %s has %d buckets of %gs, more than a run of %gs holds", b.Title, what, n, b.BucketS, b.DurationS)
	}
	for r, row := range s {
		if len(row) != n {
			return fmt.Errorf("report: batch %q: %s: replication %d has %d buckets, replication 0 has %d", b.Title, what, r, len(row), n)
		}
		for i, v := range row {
			if !(v >= 0) || math.IsInf(v, 0) {
				return fmt.Errorf("report: batch %q: %s: replication %d bucket %d is %g, want a finite number >= 0", b.Title, what, r, i, v)
			}
		}
	}
	return nil
}

func (s Station) validate() error {
	if s.ID == "" {
		return errors.New("no ID")
	}
	shares := [...]float64{s.Working, s.Handling, s.Blocked, s.Starved, s.Down, s.Maintenance, s.Held}
	sum := 0.0
	for _, v := range shares {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("%q: a time share is %g, want 0..1", s.ID, v)
		}
		sum += v
	}
	if sum > 1+1e-6 {
		return fmt.Errorf("%q: time shares sum to %g, want at most 1", s.ID, sum)
	}
	for _, v := range [...]float64{s.Defects, s.Caught, s.Scrapped, s.Reworked} {
		if !(v >= 0) || math.IsInf(v, 0) {
			return fmt.Errorf("%q: a quality count is %g, want a finite number >= 0", s.ID, v)
		}
	}
	return nil
}

// Validate reports the first problem that would make the sweep's report
// wrong or unreadable.
func (s Sweep) Validate() error {
	if len(s.Points) == 0 {
		return fmt.Errorf("report: sweep %q has no points", s.Title)
	}
	if l := s.CILevel; l != 0 && !(l > 0 && l < 1) {
		return fmt.Errorf("report: sweep %q: CI level %g, want 0 < level < 1", s.Title, l)
	}
	seen := make(map[string]bool, len(s.Points))
	for i, p := range s.Points {
		if p.Scenario == "" {
			return fmt.Errorf("report: sweep %q: point %d has no scenario name", s.Title, i)
		}
		if seen[p.Scenario] {
			return fmt.Errorf("report: sweep %q: scenario %q appears twice", s.Title, p.Scenario)
		}
		seen[p.Scenario] = true
		if math.IsInf(p.X, 0) {
			return fmt.Errorf("report: sweep %q: scenario %q: X is infinite", s.Title, p.Scenario)
		}
	}
	for _, lc := range s.Lines {
		if err := lc.validate(); err != nil {
			return fmt.Errorf("report: sweep %q: %w", s.Title, err)
		}
	}
	for _, name := range append(append([]string(nil), s.KPIs...), s.UpkeepKPIs...) {
		found := false
		for _, p := range s.Points {
			if _, ok := p.KPIs[name]; ok {
				found = true
				break
			}
		}
		if !found {
			return fmt.Errorf("report: sweep %q: KPI %q is in no point", s.Title, name)
		}
	}
	return nil
}

// validate checks that every series has points, at finite and distinct
// x values in ascending order.
func (lc LineChart) validate() error {
	if lc.KPI == "" || len(lc.Series) == 0 {
		return fmt.Errorf("a line chart of %q has no KPI name or no series", lc.KPI)
	}
	for _, se := range lc.Series {
		if len(se.Points) == 0 {
			return fmt.Errorf("line chart of %q: series %q has no points", lc.KPI, se.Name)
		}
		for i, p := range se.Points {
			if math.IsNaN(p.X) || math.IsInf(p.X, 0) || (i > 0 && !(p.X > se.Points[i-1].X)) {
				return fmt.Errorf("line chart of %q: series %q: x values must be finite and ascending", lc.KPI, se.Name)
			}
		}
	}
	return nil
}
