package report

import (
	"math"
	"slices"
)

// maxTimePoints bounds the points of a time chart: longer series are shown
// in wider buckets, so a year of hourly buckets stays a readable line.
const maxTimePoints = 600

// bandMinReplications is the number of replications from which the band of
// a time chart is P10–P90; below it the band is min–max.
const bandMinReplications = 10

// timeUnit is how a time axis is labelled.
type timeUnit struct {
	name    string  // "min", "h", "days"
	seconds float64 // seconds per unit
}

// timeUnitFor picks minutes, hours or days so a run of durationS seconds
// has readable ticks.
func timeUnitFor(durationS float64) timeUnit {
	switch {
	case durationS <= 3*3600:
		return timeUnit{"min", 60}
	case durationS <= 4*86400:
		return timeUnit{"h", 3600}
	default:
		return timeUnit{"days", 86400}
	}
}

// band is a time series summarised over replications.
type band struct {
	x, mean, lo, hi []float64 // x in the time unit, at bucket mid-points
	start, end      []float64 // each (merged) bucket's span, seconds
	bandName        string    // "min–max" or "P10–P90"
	bucketS         float64   // width of a (possibly merged) bucket, seconds
}

// summarise merges buckets so at most maxTimePoints remain, turns each
// replication's merged bucket into a value with value(sum, seconds), where
// sum is the sum of raw[b]*weight(b) over the merged buckets, and summarises
// the replications per merged bucket. Buckets are weighted by the part of
// them that lies inside the run, so a short last bucket counts for what it is.
func summarise(rows [][]float64, bucketS, durationS float64, unit timeUnit, weighted bool, value func(sum, seconds float64) float64) band {
	n := len(rows[0])
	k := (n + maxTimePoints - 1) / maxTimePoints
	m := (n + k - 1) / k
	out := band{
		x: make([]float64, m), mean: make([]float64, m),
		lo: make([]float64, m), hi: make([]float64, m),
		start: make([]float64, m), end: make([]float64, m),
		bandName: "min–max",
		bucketS:  float64(k) * bucketS,
	}
	if len(rows) >= bandMinReplications {
		out.bandName = "P10–P90"
	}
	vals := make([]float64, len(rows))
	for j := range m {
		first, last := j*k, min((j+1)*k, n)
		start := float64(first) * bucketS
		end := min(float64(last)*bucketS, durationS)
		out.x[j] = (start + end) / 2 / unit.seconds
		out.start[j], out.end[j] = start, end
		for r, row := range rows {
			sum := 0.0
			for b := first; b < last; b++ {
				w := 1.0
				if weighted {
					w = min(bucketS, durationS-float64(b)*bucketS)
				}
				sum += row[b] * w
			}
			vals[r] = value(sum, end-start)
		}
		out.mean[j] = mean(vals)
		slices.Sort(vals)
		if len(vals) >= bandMinReplications {
			out.lo[j], out.hi[j] = quantile(vals, 0.1), quantile(vals, 0.9)
		} else {
			out.lo[j], out.hi[j] = vals[0], vals[len(vals)-1]
		}
	}
	return out
}

// throughputBand is good units per hour over time.
func throughputBand(b Batch, unit timeUnit) band {
	return summarise(b.GoodPerBucket, b.BucketS, b.DurationS, unit, false,
		func(sum, seconds float64) float64 { return sum / seconds * 3600 })
}

// wipBand is the time-average work in process over time.
func wipBand(b Batch, unit timeUnit) band {
	return summarise(b.WIP, b.BucketS, b.DurationS, unit, true,
		func(sum, seconds float64) float64 { return sum / seconds })
}

// meanAfter is the time-weighted mean of the band's mean line over the part
// of the run after fromS seconds, or NaN when nothing is left.
func (bd band) meanAfter(fromS float64) float64 {
	sum, total := 0.0, 0.0
	for j := range bd.mean {
		start, end := max(bd.start[j], fromS), bd.end[j]
		if end > start {
			sum += bd.mean[j] * (end - start)
			total += end - start
		}
	}
	if total == 0 {
		return math.NaN()
	}
	return sum / total
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// quantile is the q-quantile of sorted values, interpolating linearly
// between order statistics.
func quantile(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	i := int(pos)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	f := pos - float64(i)
	return sorted[i]*(1-f) + sorted[i+1]*f
}
