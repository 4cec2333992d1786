package twinmode

import (
	"math"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// goodHistory counts output per twin.HistoryBucket of mirrored time, as
// the view sees the counter grow, for the throughput chart. Buckets before
// the view attached count nothing.
type goodHistory struct {
	counts   [twin.HistoryLen]float64 // by absolute bucket modulo HistoryLen
	bucket   int64                    // the bucket in progress
	last     int64                    // the counter when last seen
	started  bool
	lastTime sim.Time
	from     int64 // the first bucket counted whole
}

// none returns an empty history (dst is reused).
func (h *goodHistory) none(dst []float64) []float64 {
	dst = resizeSlice(dst, twin.HistoryLen)
	clear(dst)
	return dst
}

// add records the counter at mirrored time now and returns the history,
// units per hour per bucket, oldest first, the last scaled by the share
// of it elapsed (dst is reused).
func (h *goodHistory) add(now sim.Time, count int64, dst []float64) []float64 {
	b := int64(now / twin.HistoryBucket)
	switch {
	case !h.started || count < h.last || now < h.lastTime:
		// The first sight, or the edge restarted: start afresh.
		h.counts = [twin.HistoryLen]float64{}
		h.started, h.bucket, h.from = true, b, b+1
	case b > h.bucket:
		for x := h.bucket + 1; x <= b && x <= h.bucket+twin.HistoryLen; x++ {
			h.counts[x%twin.HistoryLen] = 0
		}
		h.bucket = b
		fallthrough
	default:
		if count > h.last {
			h.counts[b%twin.HistoryLen] += float64(count - h.last)
		}
	}
	h.last, h.lastTime = count, now
	dst = resizeSlice(dst, twin.HistoryLen)
	perHour := float64(sim.Hour) / float64(twin.HistoryBucket)
	for i := range dst {
		abs := b - int64(twin.HistoryLen-1-i)
		if abs < 0 {
			dst[i] = 0
			continue
		}
		dst[i] = h.counts[abs%twin.HistoryLen] * perHour
	}
	if share := float64(now-sim.Time(b)*twin.HistoryBucket) / float64(twin.HistoryBucket); share > 0 {
		dst[len(dst)-1] /= share
	}
	return dst
}

// first returns the first bucket counted whole (math.MaxInt64 before the
// first sight).
func (h *goodHistory) first() int64 {
	if !h.started {
		return math.MaxInt64
	}
	return h.from
}
