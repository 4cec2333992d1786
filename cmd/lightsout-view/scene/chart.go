package scene

import (
	"math"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// chartWindows are the spans the throughput chart shows, in hours: the
// smallest that holds the run so far, up to the day the history keeps.
var chartWindows = [...]int{1, 2, 4, 8, 12, 24}

// ChartModel is the throughput chart worked out from a snapshot, with no
// drawing: which points show, where the axis ends and where its ticks go.
type ChartModel struct {
	Hours   int       // the span shown
	Buckets int       // history buckets in the span
	Values  []float64 // good units per hour, per bucket, oldest first; NaN before the run began
	AxisMax float64   // the value at the top of the chart
	Step    float64   // between horizontal grid lines
	Target  float64   // the target line (0: none)
	Last    float64   // the last complete value, NaN if none
	// Frac is the share of the bucket in progress (the last) elapsed.
	Frac float64
}

// NewChartModel picks the span from the time now, takes its buckets from
// history (good units per hour per twin.HistoryBucket, oldest first, the
// last in progress), and scales the axis to hold the values and the
// target. The bucket in progress is left out until a minute of it has
// passed (a few seconds of output make a wild rate). values is reused.
func NewChartModel(history []float64, now sim.Time, target float64, values []float64) ChartModel {
	m := ChartModel{Target: target, Last: math.NaN()}
	m.Hours = chartWindows[len(chartWindows)-1]
	for _, h := range chartWindows {
		if sim.Time(h)*sim.Hour >= now {
			m.Hours = h
			break
		}
	}
	m.Buckets = int(sim.Time(m.Hours) * sim.Hour / twin.HistoryBucket)
	m.Buckets = min(m.Buckets, len(history))
	cur := int64(now / twin.HistoryBucket) // the bucket in progress
	into := now - sim.Time(cur)*twin.HistoryBucket
	m.Frac = float64(into) / float64(twin.HistoryBucket)
	showCur := into >= sim.Minute
	m.Values = values[:0]
	top := 0.0
	for k := len(history) - m.Buckets; k < len(history); k++ {
		abs := cur - int64(len(history)-1-k) // absolute bucket index
		v := history[k]
		if abs < 0 || (abs == cur && !showCur) {
			v = math.NaN()
		} else {
			top = math.Max(top, v)
			if abs < cur || showCur {
				m.Last = v
			}
		}
		m.Values = append(m.Values, v)
	}
	m.AxisMax, m.Step = NiceAxis(math.Max(top, target) * 1.08)
	return m
}

// NiceAxis returns a round axis maximum at or above v and a round step
// that divides it into at most five parts (1, 2, 2.5 or 5 times a power
// of ten). A v of zero or less gives the axis of 0 to 100.
func NiceAxis(v float64) (axisMax, step float64) {
	if !(v > 0) || math.IsInf(v, 0) {
		return 100, 25
	}
	p := math.Pow(10, math.Floor(math.Log10(v/5)))
	for _, f := range []float64{1, 2, 2.5, 5, 10} {
		step = f * p
		if v/step <= 5+1e-9 {
			break
		}
	}
	return math.Ceil(v/step-1e-9) * step, step
}

// Y returns the height of value v as a share of the chart's height, 0 at
// the bottom, 1 at the top; values above the axis are capped.
func (m ChartModel) Y(v float64) float64 {
	if m.AxisMax <= 0 {
		return 0
	}
	return clamp01(v / m.AxisMax)
}

// X returns where bucket k's point goes as a share of the chart's width,
// which spans Buckets buckets up to now at its right edge: a complete
// bucket's rate at the time the bucket ended, the bucket in progress (the
// last) at now, so the line reaches now.
func (m ChartModel) X(k int) float64 {
	if m.Buckets == 0 {
		return 0
	}
	if k == m.Buckets-1 {
		return 1
	}
	return (float64(k) + 2 - m.Frac) / float64(m.Buckets)
}

// ChartPlot returns the plotting area of a chart panel r: inside the
// panel, below the title, with room for the axis labels.
func ChartPlot(r Rect) Rect {
	return Rect{r.X + 52, r.Y + 32, r.W - 66, r.H - 56}
}
