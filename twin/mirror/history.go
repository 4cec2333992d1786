package mirror

import (
	"sync"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// HistoryCounts are the units a modelled line's edge nodes counted in one
// bucket of simulated time, over all its copies: good (-1 when the edge
// nodes do not publish it: a line of several copies), shipped and
// scrapped.
type HistoryCounts struct {
	Good, Shipped, Scrapped int64
}

// A HistoryBucket is one bucket of a [HistoryView]: its index (counted
// from simulated time 0 in twin.HistoryBucket) and what was counted in
// it.
type HistoryBucket struct {
	Index int64
	HistoryCounts
}

// A HistoryView is the recent output history a [History] kept.
type HistoryView struct {
	// Now is the newest simulated time mirrored.
	Now sim.Time
	// First is the index of the first bucket counted whole: the history
	// says nothing of earlier ones (the host was not listening).
	First int64
	// GoodKnown says the edge nodes publish the good count.
	GoodKnown bool
	// Buckets run from the oldest kept (at most twin.HistoryLen, none
	// before First) to the one in progress, which holds Now (or ends
	// there). A bucket counts what the edge nodes published in the
	// simulated time it spans, start excluded, end included.
	Buckets []HistoryBucket
}

// A History is a mirror observer that counts, in buckets of
// twin.HistoryBucket of the edge's simulated time, the units each copy of
// a modelled line ships, ships good and scraps, from the growth of its
// node's Line/Shipped, Line/Good and Line/Scrapped as they are mirrored.
// It keeps the last twin.HistoryLen buckets (a day), so that a client
// attaching to the twin mid-shift sees the hours before it came. An edge
// node whose clock goes back (its line restarted) starts the history
// afresh; counters that go down (statistics reset) are counted from
// anew. Its methods are safe for concurrent use.
type History struct {
	model Model

	mu      sync.Mutex
	copies  []historyCopy
	buckets [twin.HistoryLen]HistoryCounts // by absolute bucket modulo HistoryLen
	started bool
	cur     int64 // the newest bucket
	first   int64 // the first bucket counted whole
	now     sim.Time
}

// historyCopy is what a History last saw of one copy's edge node.
type historyCopy struct {
	seen     bool
	at       sim.Time
	counts   HistoryCounts
	goodSeen bool
}

// NewHistory returns an empty history of model's line (nil without one).
func NewHistory(model Model) *History {
	if model.Spec == nil {
		return nil
	}
	return &History{model: model, copies: make([]historyCopy, max(model.Spec.Lines, 1))}
}

// Observe counts what a message of one of the line's edge nodes says.
func (h *History) Observe(u *Update) {
	if u.Event != "" || !u.NodeKnown {
		return
	}
	k, ok := h.model.CopyOf(u.Topic.Group, u.Topic.EdgeNode)
	if !ok {
		return
	}
	now, _, ok := Clock(&u.Node)
	if !ok {
		return
	}
	count := func(name string) (int64, bool) {
		mv, ok := u.NodeMetric(name)
		if !ok || mv.IsNull {
			return 0, false
		}
		return mv.Value.Int64()
	}
	var c HistoryCounts
	c.Shipped, _ = count(packml.MetricShipped)
	c.Scrapped, _ = count(packml.MetricLineScrap)
	good, goodSeen := count(packml.MetricGood)
	c.Good = good
	h.mu.Lock()
	defer h.mu.Unlock()
	h.add(k, now, c, goodSeen)
}

// add counts copy k's counters c at simulated time now: what they grew
// by since the copy's last message went into the bucket of the time just
// before now (its interval's end, so that a line published on the bucket
// boundaries is counted exactly as it ran).
func (h *History) add(k int, now sim.Time, c HistoryCounts, goodSeen bool) {
	cp := &h.copies[k]
	if cp.seen && now < cp.at {
		// The line restarted: what came before is another run.
		clear(h.copies)
		h.started = false
	}
	b := int64(max(now-1, 0) / twin.HistoryBucket)
	if !h.started {
		h.buckets = [twin.HistoryLen]HistoryCounts{}
		h.started, h.cur, h.now = true, b, now
		// Counting starts just after now: its bucket is whole only
		// when now is where it begins.
		h.first = int64(now / twin.HistoryBucket)
		if now%twin.HistoryBucket != 0 {
			h.first++
		}
	}
	if b > h.cur {
		for x := h.cur + 1; x <= b && x <= h.cur+twin.HistoryLen; x++ {
			h.buckets[x%twin.HistoryLen] = HistoryCounts{}
		}
		h.cur = b
		h.first = max(h.first, h.cur-twin.HistoryLen+1)
	}
	// Counters that went down were reset (the line's statistics, after
	// its warm-up): count from them on.
	down := c.Shipped < cp.counts.Shipped || c.Scrapped < cp.counts.Scrapped || c.Good < cp.counts.Good
	if cp.seen && !down && b > h.cur-twin.HistoryLen {
		d := &h.buckets[b%twin.HistoryLen]
		d.Shipped += c.Shipped - cp.counts.Shipped
		d.Scrapped += c.Scrapped - cp.counts.Scrapped
		d.Good += c.Good - cp.counts.Good
	}
	*cp = historyCopy{seen: true, at: now, counts: c, goodSeen: goodSeen}
	h.now = max(h.now, now)
}

// View returns at most n of the latest buckets (all that are kept when n
// is 0 or more than twin.HistoryLen), oldest first; ok is false before
// the first message of the line.
func (h *History) View(n int) (v HistoryView, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.started {
		return HistoryView{}, false
	}
	if n <= 0 || n > twin.HistoryLen {
		n = twin.HistoryLen
	}
	v = HistoryView{Now: h.now, First: h.first, GoodKnown: true}
	for _, cp := range h.copies {
		v.GoodKnown = v.GoodKnown && cp.seen && cp.goodSeen
	}
	from := max(h.first, h.cur-int64(n)+1, 0)
	for b := from; b <= h.cur; b++ {
		c := h.buckets[b%twin.HistoryLen]
		if !v.GoodKnown {
			c.Good = -1
		}
		v.Buckets = append(v.Buckets, HistoryBucket{Index: b, HistoryCounts: c})
	}
	return v, true
}
