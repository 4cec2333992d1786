package twinmode

import (
	"context"
	"encoding/json"
	"math"
	"net/http/httptest"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/cmd/internal/twinwire"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// twinServing returns demo-line (seed 1) published in group "lightsout"
// into a twin host (its mirror, history and HTTP API, served by srv) that
// has followed it from the start for d.
func twinServing(t *testing.T, d sim.Time) (*twintest.Line, *twinwire.Host, *httptest.Server) {
	t.Helper()
	l := twintest.MustLine(t, "demo-line", 1)
	l.Group, l.Strict = "lightsout", true
	host, err := twinwire.New(twinwire.Config{
		Mirror: mirror.Config{HostID: "twin", Group: l.Group, Log: zaptest.NewLogger(t), Now: l.Clock.Now},
		Model:  mirror.Model{Spec: l.Spec, Group: l.Group, Prefix: l.Spec.Name}})
	if err != nil {
		t.Fatal(err)
	}
	l.Feed(host.Mirror)
	hd, err := host.Handler(api.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hd)
	t.Cleanup(srv.Close)
	l.Birth()
	l.Run(d, 60*sim.Second, nil)
	return l, host, srv
}

// twinHistory reads the twin's GET /api/history.
func twinHistory(t *testing.T, srv *httptest.Server) api.HistoryJSON {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + "/api/history")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc api.HistoryJSON
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// chartOf returns the chart the window draws from snap, as twin mode
// leaves out what it does not know.
func chartOf(tl *Link, snap *twin.Snapshot) scene.ChartModel {
	m := scene.NewChartModel(snap.History, snap.Now, 0, nil)
	tl.Chart(&m, snap.Now)
	return m
}

// A view attaching to a twin that has run for three hours fills its chart
// with the twin's history at once: every bucket before the one it
// attached in, as the twin counted it (which is the line's own), and that
// bucket once the twin has counted it whole.
func TestBackfillFillsTheChartFromTheTwin(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	l, host, srv := twinServing(t, 3*sim.Hour+2*sim.Minute)

	clock := twintest.NewClock(time.Unix(1_800_000_000, 0))
	tl, err := New(Config{Spec: l.Spec, Group: l.Group, Prefix: l.Spec.Name, HostID: "view", Broker: "mem://test",
		Log: zaptest.NewLogger(t), Clock: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := tl.BackfillFrom("ftp://twin", nil); err == nil {
		t.Error("an ftp:// twin accepted")
	}
	if err := tl.BackfillFrom(srv.URL, srv.Client()); err != nil {
		t.Fatal(err)
	}
	l.Feed(tl.Host.Mirror)
	l.Birth() // the view attaches: the edge nodes are born again for it
	var snap twin.Snapshot
	refresh(t, tl, &snap) // asks the twin
	attach := int64(snap.Now / twin.HistoryBucket)
	if err := tl.AwaitHistory(ctx); err != nil {
		t.Fatal(err)
	}
	l.Run(sim.Minute, sim.Minute, nil)
	refresh(t, tl, &snap) // merges the answer
	if tl.Backfilled() {
		t.Fatal("backfilled whole although the twin has not counted the bucket the view attached in")
	}
	doc := twinHistory(t, srv)
	if doc.FirstBucket != 0 || !doc.GoodKnown {
		t.Fatalf("the twin's history starts at %d (good known %v)", doc.FirstBucket, doc.GoodKnown)
	}
	own := l.Line.Snapshot()
	checkChart := func(upTo int64) {
		t.Helper()
		m := chartOf(tl, &snap)
		cur := int64(snap.Now / twin.HistoryBucket)
		shown := 0
		for k, v := range m.Values {
			abs := cur - int64(len(m.Values)-1-k)
			if abs > upTo || abs < 0 {
				continue
			}
			want := float64(*doc.Buckets[abs].Good) * 12
			if doc.Buckets[abs].Index != abs || v != want || own.History[len(own.History)-1-int(cur-abs)] != want {
				t.Errorf("bucket %d: the chart shows %v an hour, the twin counted %v, the line %v", abs, v, want,
					own.History[len(own.History)-1-int(cur-abs)])
			}
			shown++
		}
		if shown != int(upTo)+1 {
			t.Errorf("%d buckets up to %d shown, want %d", shown, upTo, upTo+1)
		}
	}
	checkChart(attach - 1)

	// Once the twin and the view are past it, the bucket the view attached
	// in comes whole from the twin, at the next try.
	l.Run(4*sim.Minute, sim.Minute, nil)
	refresh(t, tl, &snap)
	if err := tl.AwaitHistory(ctx); err != nil {
		t.Fatal(err)
	}
	clock.Add(2 * backfillRetry)
	l.Run(sim.Minute, sim.Minute, nil)
	refresh(t, tl, &snap) // asks again
	if err := tl.AwaitHistory(ctx); err != nil {
		t.Fatal(err)
	}
	l.Run(sim.Minute, sim.Minute, nil)
	refresh(t, tl, &snap) // merges
	if !tl.Backfilled() {
		t.Fatal("not backfilled whole after the bucket the view attached in")
	}
	doc = twinHistory(t, srv)
	own = l.Line.Snapshot()
	checkChart(attach)
	if m := chartOf(tl, &snap); math.IsNaN(m.Values[len(m.Values)-2]) {
		t.Error("the view's own buckets after attaching are left out")
	}

	// The line restarts (a new run from time 0, the same edge nodes): the
	// view counts afresh and asks the twin again, whose history starts
	// afresh too; nothing of the first run is left in the chart.
	l2 := twintest.MustLine(t, "demo-line", 7)
	l2.Group, l2.Strict = l.Group, true
	l2.Feed(host.Mirror)
	l2.Feed(tl.Host.Mirror)
	l2.Birth()
	refresh(t, tl, &snap)
	if tl.Backfilled() {
		t.Error("still backfilled after the line restarted")
	}
	for i := 0; !tl.Backfilled() && i < 20; i++ {
		if err := tl.AwaitHistory(ctx); err != nil {
			t.Fatal(err)
		}
		clock.Add(2 * backfillRetry)
		l2.Run(sim.Minute, sim.Minute, nil)
		refresh(t, tl, &snap)
	}
	if !tl.Backfilled() || snap.Now >= 20*sim.Minute {
		t.Fatalf("after the restart: backfilled %v at %v", tl.Backfilled(), snap.Now)
	}
	doc = twinHistory(t, srv)
	m := chartOf(tl, &snap)
	cur := int64(snap.Now / twin.HistoryBucket)
	for k, v := range m.Values {
		abs := cur - int64(len(m.Values)-1-k)
		switch {
		case abs < 0 && !math.IsNaN(v):
			t.Errorf("bucket %d, before the new run, shows %v", abs, v)
		case abs == 0 && v != float64(*doc.Buckets[0].Good)*12:
			t.Errorf("the new run's first bucket shows %v, the twin counted %v", v, float64(*doc.Buckets[0].Good)*12)
		}
	}
}
