package api_test

import (
	"encoding/json"
	"math"
	"net/http"
	"regexp"
	"testing"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// historyHandler returns demo-line (seed 2), its host with the output
// history the twin keeps, and their API, before any birth.
func historyHandler(t *testing.T) (*twintest.Line, *mirror.History, http.Handler) {
	t.Helper()
	l := twintest.MustLine(t, "demo-line", 2)
	h := l.MustHost(twintest.HostConfig{})
	hist := mirror.NewHistory(mirror.Model{Spec: l.Spec, Group: h.Mirror.Config().Group, Prefix: l.Spec.Name})
	h.Mirror.Observe(hist)
	hd, err := api.Handler(api.Twin{Mirror: h.Mirror, Monitor: h.Monitor, History: hist}, testPolicy())
	if err != nil {
		t.Fatal(err)
	}
	return l, hist, hd
}

// GET /api/history serves the line's output per five simulated minutes
// as the mirror saw it: each complete bucket equals the line's own
// history, the last day at most, in snake_case JSON; ?buckets bounds it.
func TestHistoryAPI(t *testing.T) {
	l, _, hd := historyHandler(t)
	if rec := getQuery(hd, "/api/history", ""); rec.Code != http.StatusConflict {
		t.Errorf("before any birth: %d %s, want 409", rec.Code, rec.Body)
	}
	l.Birth()
	// 26 hours in steps of 60 s, which fall on the bucket boundaries.
	l.Run(26*sim.Hour+150*sim.Second, 60*sim.Second, nil)

	rec := getQuery(hd, "/api/history", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET: %d %s", rec.Code, rec.Body)
	}
	// Every key is snake_case.
	for _, k := range regexp.MustCompile(`"([^"]+)":`).FindAllStringSubmatch(rec.Body.String(), -1) {
		if !regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`).MatchString(k[1]) {
			t.Errorf("key %q is not snake_case", k[1])
		}
	}
	var doc api.HistoryJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	want := l.Line.Snapshot()
	cur := int64(want.Now / twin.HistoryBucket)
	if doc.Bucket != 5*sim.Minute || doc.Now != want.Now || !doc.GoodKnown {
		t.Errorf("bucket %v, now %v, good known %v; want 5m, %v, true", doc.Bucket, doc.Now, doc.GoodKnown, want.Now)
	}
	// Bounded: a day of buckets, the oldest gone, the last in progress.
	if len(doc.Buckets) != twin.HistoryLen || doc.FirstBucket != cur-twin.HistoryLen+1 {
		t.Fatalf("%d buckets from %d, want %d from %d", len(doc.Buckets), doc.FirstBucket, twin.HistoryLen, cur-twin.HistoryLen+1)
	}
	perHour := float64(sim.Hour / twin.HistoryBucket)
	var total int64
	for k, b := range doc.Buckets {
		if b.Index != doc.FirstBucket+int64(k) || b.Start != sim.Time(b.Index)*5*sim.Minute || b.Good == nil {
			t.Fatalf("bucket %d: %+v", k, b)
		}
		total += b.Shipped
		if k == len(doc.Buckets)-1 {
			continue // in progress: the line scales it
		}
		if g, s := float64(*b.Good)*perHour, float64(b.Shipped)*perHour; math.Abs(g-want.History[k]) > 1e-6 || math.Abs(s-want.HistoryShipped[k]) > 1e-6 {
			t.Errorf("bucket %d: good %d shipped %d an hour-rate %v %v, want the line's %v %v", b.Index, *b.Good, b.Shipped,
				g, s, want.History[k], want.HistoryShipped[k])
		}
	}
	if total < 1000 {
		t.Errorf("%d units shipped in a day", total)
	}

	var last api.HistoryJSON
	code := getJSON(t, hd, "/api/history?buckets=12", &last)
	if code != http.StatusOK || len(last.Buckets) != 12 || last.FirstBucket != doc.FirstBucket {
		t.Fatalf("?buckets=12: %d, %d buckets from %d", code, len(last.Buckets), last.FirstBucket)
	}
	for k, b := range last.Buckets {
		w := doc.Buckets[len(doc.Buckets)-12+k]
		if b.Index != w.Index || b.Shipped != w.Shipped || b.Scrapped != w.Scrapped || *b.Good != *w.Good {
			t.Errorf("?buckets=12: bucket %d is %+v, want %+v", k, b, w)
		}
	}
	for _, q := range []string{"buckets=0", "buckets=289", "buckets=x", "buckets=1&buckets=2", "since=3"} {
		if rec := getQuery(hd, "/api/history", q); rec.Code != http.StatusBadRequest {
			t.Errorf("?%s: %d %s, want 400", q, rec.Code, rec.Body)
		}
	}
}

// A twin that attaches to a running line counts from the first bucket it
// sees whole; a line that restarts (its clock goes back) starts the
// history afresh; without a model there is none.
func TestHistoryFromAttachAndRestart(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 2)
	m := l.MustMirror(mirror.Config{})
	model := mirror.Model{Spec: l.Spec, Prefix: l.Spec.Name}
	hist := mirror.NewHistory(model)
	m.Observe(hist)
	l.Pass(17 * sim.Minute) // unseen
	l.Birth()
	l.Run(20*sim.Minute, 60*sim.Second, nil)
	v, ok := hist.View(0)
	if !ok || v.First != 4 || len(v.Buckets) != 4 || v.Buckets[0].Index != 4 || v.Now != 37*sim.Minute {
		t.Fatalf("attached at 17 min: ok %v, first %d, %+v", ok, v.First, v)
	}
	for _, b := range v.Buckets[:3] {
		if b.Shipped == 0 || b.Good < 0 {
			t.Errorf("bucket %d: %+v", b.Index, b)
		}
	}
	// The line restarts: a new line from time 0 publishes as the same
	// edge nodes, on a clock that went back.
	l2 := twintest.MustLine(t, "demo-line", 5)
	l2.Feed(m)
	l2.Birth()
	l2.Run(12*sim.Minute, 60*sim.Second, nil)
	v, ok = hist.View(0)
	if !ok || v.First != 0 || len(v.Buckets) != 3 || v.Now != 12*sim.Minute {
		t.Fatalf("after the restart: ok %v, %+v", ok, v)
	}
	own := l2.Line.Snapshot()
	for k, b := range v.Buckets[:2] {
		if got, want := float64(b.Shipped)*12, own.HistoryShipped[twin.HistoryLen-3+k]; got != want {
			t.Errorf("after the restart, bucket %d: %v an hour, want the new line's %v", b.Index, got, want)
		}
	}
	if mirror.NewHistory(mirror.Model{}) != nil {
		t.Error("a history without a model")
	}
}
