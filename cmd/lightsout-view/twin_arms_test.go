package main

import (
	"context"
	"image"
	"image/color"
	"math"
	"net/http/httptest"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/cmd/internal/twinwire"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// In twin mode the arms are drawn where the edge says their moves are:
// at each publication every arm's pose is the one the line's own state
// gives, its forearm is painted there, and an arm moves through many
// positions as the edge publishes.
func TestTwinArmsMoveAsTheEdgePublishes(t *testing.T) {
	mt := newMemTwin(t, "demo-line", nil)
	log := zaptest.NewLogger(t)
	g, err := NewGame(NewTwinSession(mt.tl, log), 1, 1280, 800, log)
	if err != nil {
		t.Fatal(err)
	}
	mt.birth(t)
	mt.run(t, 10*sim.Minute)
	mt.step = 370 * sim.Millisecond // not a divisor of a move: the publications fall all along them
	n := len(mt.line.Spec().Stations)
	hands := make([]map[image.Point]bool, len(mt.line.Spec().Arms))
	for j := range hands {
		hands[j] = map[image.Point]bool{}
	}
	painted, checked := 0, 0
	for range 60 {
		mt.run(t, mt.step)
		g.sess.Refresh()
		img := g.frame()
		truth := mt.line.Snapshot()
		for j := range g.poses {
			got, want := g.poses[j], scene.Pose(g.floor, n, &g.floor.Arms[j], &truth.Arms[j], truth)
			// The edge publishes the move's timing in ms: a share done a
			// few ms off moves the hand by a pixel or so at most.
			if got.Station != want.Station || got.Loading != want.Loading || math.Hypot(got.Hand.X-want.Hand.X, got.Hand.Y-want.Hand.Y) > 3 {
				t.Errorf("t=%v arm %d: hand at %v (station %d), the line's at %v (station %d)", truth.Now, j, got.Hand, got.Station,
					want.Hand, want.Station)
			}
			hands[j][image.Pt(int(got.Hand.X), int(got.Hand.Y))] = true
			if g.sess.Snap.Arms[j].Phase != robots.Moving {
				continue
			}
			// The forearm's middle, away from the joints and the unit.
			mid := g.ws(scene.Lerp(got.Elbow, got.Hand, 0.5))
			checked++
			if closeTo(pixel(img, mid.X, mid.Y), palette.ArmLink, 6) {
				painted++
			}
		}
	}
	moved := 0
	for j, h := range hands {
		if len(h) >= 15 {
			moved++
		}
		t.Logf("arm %d: hand at %d places in 60 publications", j, len(h))
	}
	if moved == 0 {
		t.Error("no arm was drawn at 15 places or more")
	}
	// Labels and other arms may cross a forearm now and then.
	if checked == 0 || float64(painted) < 0.8*float64(checked) {
		t.Errorf("forearm painted at %d of %d moving poses", painted, checked)
	}
}

// A view attaching to a twin that has run for hours draws the twin's
// history in its chart at once: the buckets before it came are drawn
// (the chart's area under them), with the twin's values, while a view
// without the twin's HTTP API leaves them blank.
func TestTwinChartBackfilledOnAttach(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	mt := newMemTwin(t, "demo-line", nil)
	spec := mt.tl.Spec
	host, err := twinwire.New(twinwire.Config{
		Mirror: mirror.Config{HostID: "twin", Group: "lightsout", Log: zaptest.NewLogger(t)},
		Model:  mirror.Model{Spec: spec, Group: "lightsout", Prefix: spec.Name}})
	if err != nil {
		t.Fatal(err)
	}
	hd, err := host.Handler(api.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hd)
	defer srv.Close()
	// The twin runs alone for three hours: the view's link is fed
	// nothing (its mirror is not the twin's).
	for _, nd := range mt.nodes {
		if _, err := nd.Connect(mt.ms); err != nil {
			t.Fatal(err)
		}
		msgs, err := nd.Birth(mt.ms)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			host.Mirror.Receive(m.Topic.String(), m.Payload)
		}
	}
	for mt.line.Now() < 3*sim.Hour+sim.Minute {
		mt.line.RunFor(30 * sim.Second)
		mt.ms++
		msgs, err := mt.nodes[0].Update(mt.ms)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			host.Mirror.Receive(m.Topic.String(), m.Payload)
		}
	}
	if err := mt.tl.BackfillFrom(srv.URL, srv.Client()); err != nil {
		t.Fatal(err)
	}
	log := zaptest.NewLogger(t)
	g, err := NewGame(NewTwinSession(mt.tl, log), 1, 1280, 800, log)
	if err != nil {
		t.Fatal(err)
	}
	// A second view attaches at the same time without the twin's API.
	bare := newMemTwin(t, "demo-line", nil).tl
	gb, err := NewGame(NewTwinSession(bare, log), 1, 1280, 800, log)
	if err != nil {
		t.Fatal(err)
	}
	// The view attaches: the edge node is born again for it.
	mt.ms++
	msgs, err := mt.nodes[0].Birth(mt.ms)
	if err != nil {
		t.Fatal(err)
	}
	mt.also = []*mirror.Mirror{host.Mirror, bare.Host.Mirror}
	mt.deliver(msgs)
	g.sess.Refresh() // asks the twin
	if err := mt.tl.AwaitHistory(ctx); err != nil {
		t.Fatal(err)
	}
	mt.run(t, 10*sim.Second)
	g.sess.Refresh() // draws it
	gb.sess.Refresh()
	img, bareImg := g.frame(), gb.frame()

	if !g.overlays[scene.OverlayChart] || !gb.overlays[scene.OverlayChart] {
		t.Fatal("the chart is not shown")
	}
	snap := &g.sess.Snap
	m := scene.NewChartModel(snap.History, snap.Now, snap.Line.TargetPerHour, nil)
	mt.tl.Chart(&m, snap.Now)
	doc, ok := host.History.View(0)
	if !ok || doc.First != 0 {
		t.Fatalf("the twin's history: %v, first %d", ok, doc.First)
	}
	plot := scene.ChartPlot(scene.DashPanels(g.w, g.h)[0])
	base := plot.Y + plot.H
	green := func(c color.RGBA) bool { return int(c.G) > int(c.R)+25 && int(c.G) > int(c.B)+15 }
	cur := int64(snap.Now / twin.HistoryBucket)
	attach := cur // the view attached in the bucket in progress
	drawn := 0
	for k := 1; k < len(m.Values); k++ {
		abs := cur - int64(len(m.Values)-1-k)
		if abs < 1 || abs >= attach {
			continue
		}
		want := float64(doc.Buckets[abs].Good) * float64(sim.Hour/twin.HistoryBucket)
		if doc.Buckets[abs].Index != abs || m.Values[k] != want {
			t.Errorf("bucket %d: the chart has %v an hour, the twin counted %v", abs, m.Values[k], want)
		}
		if plot.H*m.Y(min(m.Values[k-1], m.Values[k])) < 6 {
			continue // too low an area to test (a stop of the line)
		}
		x := plot.X + plot.W*(m.X(k-1)+m.X(k))/2
		if c := pixel(img, x, base-3); !green(c) {
			t.Errorf("bucket %d: no chart area drawn at (%.0f, %.0f): %v", abs, x, base-3, c)
		} else {
			drawn++
		}
		if c := pixel(bareImg, x, base-3); green(c) {
			t.Errorf("bucket %d: the view without the twin's history draws it: %v", abs, c)
		}
	}
	t.Logf("%d buckets before the view attached drawn", drawn)
	if drawn < 25 {
		t.Errorf("%d buckets drawn right after attaching to a twin 3 h into its run", drawn)
	}
}
