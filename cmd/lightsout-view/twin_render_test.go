package main

import (
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/cmd/internal/twinwire"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/twinmode"
	"github.com/lightsout-sim/lightsout/configs/configstest"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// mqttEdge publishes copy 0 of a line as an edge node over a real MQTT
// connection, driven by the test goroutine.
type mqttEdge struct {
	line *twin.Line
	node *edge.Node
	conn *link.Conn
	sent uint64 // messages published
	ms   uint64
}

// dialEdge connects config's line (seed 1) as edge node <config>-L1 of
// group "lightsout" to the broker at url, with its NDEATH as the Will.
func dialEdge(t *testing.T, ctx context.Context, url, config string) *mqttEdge {
	t.Helper()
	spec := configstest.Embedded(t, config)
	line, err := twin.NewLine(spec, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	node, err := edge.New(line, edge.Config{Group: "lightsout", EdgeNode: spec.Name + "-L1"})
	if err != nil {
		t.Fatal(err)
	}
	e := &mqttEdge{line: line, node: node, ms: uint64(time.Now().UnixMilli())}
	// The Will is built on the connection's goroutine before Dial returns;
	// the test goroutine touches the node only after that.
	e.conn, err = link.Dial(ctx, link.Options{Broker: url, ClientID: "edge-" + spec.Name, Will: func() (*link.Message, error) {
		m, err := node.Connect(e.ms)
		if err != nil {
			return nil, err
		}
		lm := twinwire.ToLink(m)
		return &lm, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.conn.Close(context.Background()) })
	return e
}

// publish sends msgs in order.
func (e *mqttEdge) publish(t *testing.T, ctx context.Context, msgs []sparkplug.Message) {
	t.Helper()
	for _, m := range msgs {
		if err := e.conn.Publish(ctx, twinwire.ToLink(m)); err != nil {
			t.Fatal(err)
		}
		e.sent++
	}
}

// step runs the line for d and publishes what changed.
func (e *mqttEdge) step(t *testing.T, ctx context.Context, d sim.Time) {
	t.Helper()
	e.line.RunFor(d)
	e.ms += 100
	msgs, err := e.node.Update(e.ms)
	if err != nil {
		t.Fatal(err)
	}
	e.publish(t, ctx, msgs)
}

// waitFor waits, until ctx is done, for cond to hold on h's mirror.
func waitFor(t *testing.T, ctx context.Context, h *twinwire.Host, what string, cond func(v *mirror.View) bool) {
	t.Helper()
	if _, err := h.Await(ctx, cond); err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

// twinOverBroker starts an embedded broker and a twin link on demo-line
// with host id hostID, connected before it returns (so subscribed before
// any birth). The broker closes after every other cleanup of the test,
// the edge's connection (dialEdge) included; the link closes with the test.
func twinOverBroker(t *testing.T, hostID string) (context.Context, *link.Broker, *twin.Spec, *twinmode.Link, *zap.Logger) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	b, err := link.StartBroker("127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	log := zaptest.NewLogger(t)
	spec := configstest.Embedded(t, "demo-line")
	tl, err := twinmode.New(twinmode.Config{Spec: spec, Group: "lightsout", Prefix: spec.Name, HostID: hostID, Broker: b.URL(), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	if err := tl.Host.Connect(ctx, link.Options{Broker: b.URL()}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tl.Close() })
	return ctx, b, spec, tl, log
}

func TestTwinRenderOverMQTT(t *testing.T) {
	ctx, b, spec, tl, log := twinOverBroker(t, "lightsout-view-test")
	g, err := NewGame(NewTwinSession(tl, log), 1, 1280, 800, log)
	if err != nil {
		t.Fatal(err)
	}
	if !tl.Status.Waiting() {
		t.Fatal("the twin has data before any edge node was born")
	}
	unknown := g.frame()
	for i := range g.floor.Stations {
		p := g.serverSpot(i, 0)
		if got := pixel(unknown, p.X, p.Y); !closeTo(got, palette.Phase(mirror.PhaseUnknown), 2) {
			t.Errorf("before any data station %d shows %v, want the unknown grey", i, got)
		}
	}

	e := dialEdge(t, ctx, b.URL(), "demo-line")
	msgs, err := e.node.Birth(e.ms)
	if err != nil {
		t.Fatal(err)
	}
	e.publish(t, ctx, msgs)
	for range 90 {
		e.step(t, ctx, 20*sim.Second) // 30 minutes
	}
	node := spec.Name + "-L1"
	waitFor(t, ctx, tl.Host, "every message mirrored", func(m *mirror.View) bool {
		return m.Messages("lightsout", node) >= e.sent
	})
	for range 5 {
		if err := g.Update(); err != nil {
			t.Fatal(err)
		}
	}
	if g.sess.Snap.Now != e.line.Now() {
		t.Errorf("the view shows %v, the line is at %v", g.sess.Snap.Now, e.line.Now())
	}
	img := g.frame()
	truth := e.line.Snapshot()
	// The edge node publishes each server's phase, so the view draws the
	// line's own.
	m := tl.Host.Mirror.View()
	if _, ok := m.Metric("lightsout", node, spec.Stations[0].ID, packml.ServerMetric(1, packml.MetricServerPhase)); !ok {
		t.Fatal("the edge node publishes no Server 1/Phase")
	}
	seen := map[stations.Phase]int{}
	for i := range g.floor.Stations {
		w := &truth.Stations[i]
		for k := range g.floor.Stations[i].Servers {
			want := palette.Phase(w.Servers[k].Phase)
			p := g.serverSpot(i, k)
			if got := pixel(img, p.X, p.Y); !closeTo(got, want, 2) {
				t.Errorf("%s server %d shows %v, want %v (the line's %v)", w.ID, k+1, got, want, w.Servers[k].Phase)
			}
			seen[w.Servers[k].Phase]++
		}
	}
	t.Logf("servers by phase: %v", seen)

	// The edge dies without a word: the broker publishes its NDEATH.
	e.conn.Abort()
	waitFor(t, ctx, tl.Host, "the node's death", func(m *mirror.View) bool {
		n, ok := m.Node("lightsout", node)
		return ok && n.Stale
	})
	if err := g.Update(); err != nil {
		t.Fatal(err)
	}
	checkStale(t, g, g.frame())
}

// checkStale checks that every server of every station shows the stale
// grey, and that a STALE sign is drawn.
func checkStale(t *testing.T, g *Game, img *image.RGBA) {
	t.Helper()
	for i := range g.floor.Stations {
		if mk := g.twinStation(i); mk == nil || !mk.Stale {
			t.Fatalf("station slot %d is not marked stale: %+v", i, mk)
		}
		pill := g.stalePill(i)
		for k := range g.floor.Stations[i].Servers {
			p := g.serverSpot(i, k)
			if pill.Inset(-2).Contains(p) {
				continue // under the sign
			}
			if got := pixel(img, p.X, p.Y); !closeTo(got, colStale, 2) {
				t.Errorf("stale station %d server %d shows %v, want grey %v", i, k+1, got, colStale)
			}
		}
		c := pill.Center()
		if got := pixel(img, c.X, pill.Y+1.5); !closeTo(got, palette.Machine, 2) {
			t.Errorf("station %d: no STALE sign at %v (%v)", i, c, got)
		}
	}
}

// TestTwinShots writes screenshots of twin mode to look at: a deviation
// flagged, then the edge node dead: go test -run TwinShots -shots DIR.
func TestTwinShots(t *testing.T) {
	if *shots == "" {
		t.Skip("no -shots directory")
	}
	mt := newMemTwin(t, "phone-factory", nil)
	log := zaptest.NewLogger(t)
	g, err := NewGame(NewTwinSession(mt.tl, log), 1, 1280, 800, log)
	if err != nil {
		t.Fatal(err)
	}
	save := func(name string) {
		img := ebiten.NewImage(g.w, g.h)
		g.render(img)
		f, err := os.Create(filepath.Join(*shots, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, Pixels(img)); err != nil {
			t.Fatal(err)
		}
	}
	save("twin-waiting")
	mt.birth(t)
	mt.run(t, 3*sim.Hour)
	g.sess.Refresh()
	m := mt.tl.Host.Mirror.View()
	now := sim.Time(mt.nodes[0].SimMs(mt.line.Now())) * sim.Millisecond
	mt.tl.Show(&m, []deviation.Event{{Time: now, Device: "phone-factory-L1/aoi", Kind: deviation.CycleTimeDrift,
		Reason: "cycle time drifted above the model (CUSUM 9.1 > 5)"}}, &g.sess.Snap)
	g.sel = scene.Selection{Kind: scene.SelStation, Slot: 5, Server: -1} // aoi
	save("twin-deviation")
	death, err := mt.nodes[1].Death(mt.ms)
	if err != nil {
		t.Fatal(err)
	}
	mt.deliver([]sparkplug.Message{death})
	g.sess.Refresh()
	g.sel = scene.Selection{Server: -1}
	save("twin-stale")
}

func TestTwinBreakIsSentToTheEdge(t *testing.T) {
	ctx, b, spec, tl, log := twinOverBroker(t, "lightsout-view-cmd")
	e := dialEdge(t, ctx, b.URL(), "demo-line")
	node := spec.Name + "-L1"
	cmds := make(chan link.Message, 4)
	// The edge's connection has no OnMessage: a second one listens for
	// the DCMDs, as the edge's own subscription would.
	listen, err := link.Dial(ctx, link.Options{Broker: b.URL(), ClientID: "edge-listener", OnMessage: func(topic string, payload []byte) {
		cmds <- link.Message{Topic: topic, Payload: append([]byte(nil), payload...)}
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer listen.Close(context.Background())
	if err := listen.Subscribe(ctx, sparkplug.DeviceTopic("lightsout", sparkplug.DCMD, node, "+").String(), 1); err != nil {
		t.Fatal(err)
	}
	msgs, err := e.node.Birth(e.ms)
	if err != nil {
		t.Fatal(err)
	}
	e.publish(t, ctx, msgs)
	e.step(t, ctx, 10*sim.Minute)
	waitFor(t, ctx, tl.Host, "the births", func(m *mirror.View) bool { return m.Messages("lightsout", node) >= e.sent })
	g, err := NewGame(NewTwinSession(tl, log), 1, 1280, 800, log)
	if err != nil {
		t.Fatal(err)
	}
	const placer = 1
	g.sel = scene.Selection{Kind: scene.SelStation, Slot: placer, Server: -1}
	g.handleCommands(scene.Intents{Break: true})
	var m link.Message
	select {
	case m = <-cmds:
	case <-ctx.Done():
		t.Fatal("no DCMD reached the edge")
	}
	out, err := e.node.HandleCommand(m.Topic, m.Payload, e.ms)
	if err != nil {
		t.Fatalf("the edge refused %s: %v", m.Topic, err)
	}
	e.publish(t, ctx, out)
	e.step(t, ctx, 30*sim.Second)
	waitFor(t, ctx, tl.Host, "the break mirrored", func(m *mirror.View) bool { return m.Messages("lightsout", node) >= e.sent })
	if err := g.Update(); err != nil {
		t.Fatal(err)
	}
	v := g.sess.Snap.Stations[placer].Servers[0]
	if v.Phase != stations.Down || !v.Broken {
		t.Fatalf("placer after the break: %v broken %v", scene.PhaseName(v.Phase), v.Broken)
	}
	p := g.serverSpot(placer, 0)
	if got := pixel(g.frame(), p.X, p.Y); !closeTo(got, palette.Phase(stations.Down), 2) {
		t.Errorf("broken placer shows %v", got)
	}
}
