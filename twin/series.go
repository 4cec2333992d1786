package twin

import "github.com/lightsout-sim/lightsout/twin/sim"

// Series is a replication's output over simulated time, from time 0 (the
// warm-up included) in buckets of equal width: bucket i covers
// [i*Bucket, (i+1)*Bucket), except the last, which ends at the run's end and
// may be shorter. The three slices have one entry per bucket. A Series is
// plain data, safe to keep after the run.
type Series struct {
	// Bucket is the width of a bucket.
	Bucket sim.Time
	// End is the simulated time the series ends: the run's duration.
	End sim.Time
	// Good is the number of good units shipped in each bucket.
	Good []int64
	// Shipped is the number of units shipped (good or with an escaped
	// defect) in each bucket.
	Shipped []int64
	// WIP is the time-average number of units in the line in each bucket.
	WIP []float64
}

// Len returns the number of buckets.
func (s *Series) Len() int { return len(s.Good) }

// Span returns the length of bucket i: Bucket, or less for the last one.
func (s *Series) Span(i int) sim.Time {
	start := sim.Time(i) * s.Bucket
	return min(start+s.Bucket, s.End) - start
}

// GoodPerHour returns the good output of each bucket as a rate in units
// per hour, in a new slice.
func (s *Series) GoodPerHour() []float64 {
	out := make([]float64, len(s.Good))
	for i, g := range s.Good {
		if h := s.Span(i).Hours(); h > 0 {
			out[i] = float64(g) / h
		}
	}
	return out
}

// DefaultSeriesBuckets is the number of buckets a run's series has when
// Options.SeriesBucket is 0, and MinSeriesBucket the narrowest bucket
// chosen by default.
const (
	DefaultSeriesBuckets = 500
	MinSeriesBucket      = sim.Minute
)

// seriesBucket returns the bucket width for a run of the given duration:
// the requested width, or duration/DefaultSeriesBuckets but at least
// MinSeriesBucket when requested is 0.
func seriesBucket(duration, requested sim.Time) sim.Time {
	if requested > 0 {
		return requested
	}
	return max(duration/DefaultSeriesBuckets, MinSeriesBucket)
}

// seriesRecorder fills a Series as one copy of the line runs (its WIP is
// left empty: mergeSeries computes it from area). Its slices are allocated
// once, when recording starts, so recording never allocates.
type seriesRecorder struct {
	s     Series
	area  []float64 // unit-nanoseconds of WIP per bucket
	wip   int       // units in the line since `since`
	since sim.Time
}

// newSeriesRecorder prepares a series from now = 0 to end in buckets of
// width bucket (> 0).
func newSeriesRecorder(bucket, end sim.Time) *seriesRecorder {
	n := int((end + bucket - 1) / bucket)
	n = max(n, 1)
	return &seriesRecorder{
		s:    Series{Bucket: bucket, End: end, Good: make([]int64, n), Shipped: make([]int64, n)},
		area: make([]float64, n),
	}
}

// index returns the bucket holding time t; times at or past the end count
// in the last bucket.
func (r *seriesRecorder) index(t sim.Time) int {
	return min(int(t/r.s.Bucket), len(r.area)-1)
}

// ship records a unit shipped at now.
func (r *seriesRecorder) ship(now sim.Time, good bool) {
	i := r.index(now)
	r.s.Shipped[i]++
	if good {
		r.s.Good[i]++
	}
}

// wipChange records the WIP changing by delta at now.
func (r *seriesRecorder) wipChange(now sim.Time, delta int) {
	r.accrue(now)
	r.wip += delta
}

// accrue adds the WIP held since r.since up to now to the buckets it spans.
func (r *seriesRecorder) accrue(now sim.Time) {
	if r.wip != 0 {
		last := len(r.area) - 1
		for t := r.since; t < now; {
			i := r.index(t)
			end := now
			if i < last {
				end = min(sim.Time(i+1)*r.s.Bucket, now)
			}
			r.area[i] += float64(r.wip) * float64(end-t)
			t = end
		}
	}
	r.since = now
}

// mergeSeries returns the series of every recorder in rs (one per copy of
// the line, all with the same buckets) up to now, added up in their order,
// in new slices.
func mergeSeries(rs []*seriesRecorder, now sim.Time) *Series {
	r0 := rs[0]
	n := len(r0.area)
	s := &Series{Bucket: r0.s.Bucket, End: r0.s.End,
		Good: make([]int64, n), Shipped: make([]int64, n), WIP: make([]float64, n)}
	area := make([]float64, n)
	for _, r := range rs {
		r.accrue(now)
		for i := range n {
			s.Good[i] += r.s.Good[i]
			s.Shipped[i] += r.s.Shipped[i]
			area[i] += r.area[i]
		}
	}
	for i, a := range area {
		if span := s.Span(i); span > 0 {
			s.WIP[i] = a / float64(span)
		}
	}
	return s
}

// RecordSeries starts recording the line's Series in buckets of width
// bucket up to end (the run's duration), allocating its buffers now so that
// recording never allocates. Call it on a new line, at time 0: what
// happened before the call is not recorded. bucket must be positive and
// end after now; otherwise RecordSeries panics. Each copy records its
// own, added up when read.
func (l *Line) RecordSeries(bucket, end sim.Time) {
	if bucket <= 0 || end <= l.Now() {
		panic("twin: RecordSeries needs a positive bucket and an end after now")
	}
	for _, lc := range l.copies {
		r := newSeriesRecorder(bucket, end)
		r.wip, r.since = lc.stats.wip, l.Now()
		lc.series = r
	}
}

// Series returns the series recorded so far (buckets after now are empty),
// in new slices, or nil when RecordSeries was not called.
func (l *Line) Series() *Series {
	if l.copies[0].series == nil {
		return nil
	}
	rs := make([]*seriesRecorder, len(l.copies))
	for c, lc := range l.copies {
		rs[c] = lc.series
	}
	return mergeSeries(rs, l.Now())
}
