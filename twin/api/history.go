package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// HistoryJSON is the document GET /api/history returns: the units the
// modelled line counted in each bucket of simulated time (bucket_s, five
// minutes), at most a day of them, oldest first, the last the bucket in
// progress. Times are simulated seconds since the line's start.
type HistoryJSON struct {
	// Bucket is the length of a bucket.
	Bucket sim.Time `json:"bucket_s"`
	// Now is the newest simulated time mirrored.
	Now sim.Time `json:"now_s"`
	// FirstBucket is the index of the first bucket counted whole: the
	// twin was not listening before it.
	FirstBucket int64 `json:"first_bucket"`
	// GoodKnown says the edge nodes publish the good count (a line of one
	// copy); otherwise each bucket's good is null.
	GoodKnown bool `json:"good_known"`
	// Buckets are the buckets, oldest first, the last the one in progress.
	Buckets []HistoryBucketJSON `json:"buckets"`
}

// HistoryBucketJSON is one bucket of [HistoryJSON]: its index counted from
// simulated time 0, where it starts, and the units shipped good, shipped
// and scrapped in it.
type HistoryBucketJSON struct {
	// Index numbers the bucket from simulated time 0: bucket i starts at i
	// times bucket_s.
	Index int64 `json:"index"`
	// Start is the bucket's start, in simulated seconds.
	Start sim.Time `json:"start_s"`
	// Good is the units shipped good in the bucket; null
	// unless good_known.
	Good *int64 `json:"good"`
	// Shipped is the units shipped in the bucket.
	Shipped int64 `json:"shipped"`
	// Scrapped is the units scrapped in the bucket.
	Scrapped int64 `json:"scrapped"`
}

// HistoryOf returns the /api/history document of a history's view.
func HistoryOf(v *mirror.HistoryView) HistoryJSON {
	doc := HistoryJSON{
		Bucket: twin.HistoryBucket, Now: v.Now,
		FirstBucket: v.First, GoodKnown: v.GoodKnown, Buckets: make([]HistoryBucketJSON, 0, len(v.Buckets)),
	}
	for _, b := range v.Buckets {
		bj := HistoryBucketJSON{Index: b.Index, Start: sim.Time(b.Index) * twin.HistoryBucket, Shipped: b.Shipped, Scrapped: b.Scrapped}
		if v.GoodKnown {
			g := b.Good
			bj.Good = &g
		}
		doc.Buckets = append(doc.Buckets, bj)
	}
	return doc
}

// serveHistory answers GET /api/history[?buckets=N]: the latest N buckets
// of the line's output history (all kept, a day, without N).
func (s *server) serveHistory(w http.ResponseWriter, r *http.Request) {
	if s.t.History == nil {
		writeJSON(w, http.StatusConflict, errorJSON{Error: mirror.ErrNoModel.Error()})
		return
	}
	n := twin.HistoryLen
	for k, vs := range r.URL.Query() {
		if k != "buckets" {
			writeJSON(w, http.StatusBadRequest, errorJSON{Error: fmt.Sprintf("%s: unknown query parameter (want buckets)", k)})
			return
		}
		if len(vs) != 1 {
			writeJSON(w, http.StatusBadRequest, errorJSON{Error: "buckets: give it once"})
			return
		}
		v, err := strconv.Atoi(vs[0])
		if err != nil || v < 1 || v > twin.HistoryLen {
			writeJSON(w, http.StatusBadRequest, errorJSON{Error: fmt.Sprintf("buckets: want 1 to %d, got %q", twin.HistoryLen, vs[0])})
			return
		}
		n = v
	}
	v, ok := s.t.History.View(n)
	if !ok {
		writeJSON(w, http.StatusConflict, errorJSON{Error: "no edge node of the line heard yet: " + mirror.ErrNoState.Error()})
		return
	}
	writeJSON(w, http.StatusOK, HistoryOf(&v))
}
