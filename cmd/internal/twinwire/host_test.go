package twinwire_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/cmd/internal/twinwire"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/forecast"
	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/monitor"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// mustHost returns a twin host of l's line (its model unless noModel)
// fed by l, with cfg's other settings.
func mustHost(t *testing.T, l *twintest.Line, noModel bool, cfg twinwire.Config) *twinwire.Host {
	t.Helper()
	if cfg.Mirror.HostID == "" {
		cfg.Mirror.HostID = "twin"
	}
	cfg.Mirror.Group = l.Group
	cfg.Mirror.Now = l.Clock.Now
	if cfg.Mirror.Log == nil {
		cfg.Mirror.Log = zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))
	}
	if !noModel {
		cfg.Model = mirror.Model{Spec: l.Spec}
	}
	h, err := twinwire.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l.Feed(h.Mirror)
	return h
}

// Over a real (embedded) MQTT broker, the host publishes its STATE and
// the DCMDs it is asked for, which the edge node applies; losing the
// broker takes the node offline in the mirror, and Tick reports it stale.
func TestCommandOverMQTT(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an MQTT broker")
	}
	l := twintest.MustLine(t, "demo-line", 1)
	l.Group = "plant"
	h := mustHost(t, l, false, twinwire.Config{})
	l.Birth()
	l.Run(sim.Minute, sim.Second, nil)
	b, err := link.StartBroker("127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	brokerUp := true // link.Broker.Close panics when called twice
	defer func() {
		if brokerUp {
			_ = b.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	got := make(chan sparkplug.Message, 8)
	sub, err := link.Dial(ctx, link.Options{Broker: b.URL(), ClientID: "edge-side",
		OnMessage: func(topic string, payload []byte) {
			t, err := sparkplug.ParseTopic(topic)
			if err == nil && (t.Type == sparkplug.DCMD || t.Type == sparkplug.STATE) {
				got <- sparkplug.Message{Topic: t, Payload: bytes.Clone(payload)}
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close(context.Background())
	for _, f := range []string{"spBv1.0/plant/DCMD/#", "spBv1.0/STATE/#"} {
		if err := sub.Subscribe(ctx, f, 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.Connect(ctx, link.Options{Broker: b.URL()}); err != nil {
		t.Fatal(err)
	}
	defer h.Close(context.Background())
	if err := h.Connect(ctx, link.Options{Broker: b.URL()}); err == nil {
		t.Error("a second Connect succeeded")
	}
	next := func(what string) sparkplug.Message {
		t.Helper()
		select {
		case m := <-got:
			return m
		case <-ctx.Done():
			t.Fatalf("no %s received", what)
			return sparkplug.Message{}
		}
	}
	if m := next("STATE"); m.Topic.String() != "spBv1.0/STATE/twin" || !strings.Contains(string(m.Payload), `"online":true`) {
		t.Errorf("STATE %v %s, want the host online", m.Topic, m.Payload)
	}

	topic, err := h.SendCommand(ctx, mirror.CommandRequest{Node: l.NodeID(0), Device: "assembly", Command: packml.Hold.String()})
	if err != nil {
		t.Fatal(err)
	}
	m := next("DCMD")
	for m.Topic.Type == sparkplug.STATE {
		// The host publishes its STATE again when its client reconnects,
		// which a loaded machine can make happen; only a host online is
		// right here.
		if !strings.Contains(string(m.Payload), `"online":true`) {
			t.Fatalf("STATE %s while waiting for the command, want the host online", m.Payload)
		}
		m = next("DCMD")
	}
	if m.Topic != topic || m.Topic.Device != "assembly" || m.Topic.EdgeNode != l.NodeID(0) {
		t.Fatalf("command on %v, SendCommand said %v", m.Topic, topic)
	}
	l.Command(m)
	l.Run(30*sim.Second, sim.Second, nil)
	if !l.Station("assembly").Held {
		t.Errorf("assembly not held")
	}

	// Losing the broker takes the node offline in the mirror; Tick
	// reports it and its devices stale, once.
	brokerUp = false
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	for {
		changed := h.Mirror.Changed()
		v := h.Mirror.View()
		if n, ok := v.Node(l.Group, l.NodeID(0)); ok && !n.Online {
			break
		}
		select {
		case <-changed:
		case <-ctx.Done():
			t.Fatal("the host did not notice the broker closing")
		}
	}
	if err := h.Tick(); err != nil {
		t.Fatal(err)
	}
	stale := twintest.OfKind(h.Monitor, deviation.Stale)
	if len(stale) == 0 || stale[0].Device != l.NodeID(0) || !strings.Contains(stale[0].Reason, "connection lost") {
		t.Errorf("after losing the broker: %v", stale)
	}
	if err := h.Tick(); err != nil {
		t.Fatal(err)
	}
	if n := len(twintest.OfKind(h.Monitor, deviation.Stale)); n != len(stale) {
		t.Errorf("a second check raised %d more", n-len(stale))
	}
}

// Without a broker connection a command is built, then refused.
func TestCommandNotConnected(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 1)
	h := mustHost(t, l, false, twinwire.Config{})
	l.Birth()
	ok := mirror.CommandRequest{Node: l.NodeID(0), Device: "placer", Command: "hold"}
	if _, err := h.SendCommand(context.Background(), ok); !errors.Is(err, mirror.ErrNotConnected) {
		t.Errorf("not connected: %v", err)
	}
	if _, err := h.SendCommand(context.Background(), mirror.CommandRequest{Node: "nope", Device: "placer", Command: "hold"}); !errors.Is(err, mirror.ErrUnknownNode) {
		t.Errorf("unknown node, not connected: %v", err)
	}
	hold := sparkplug.NamedValue{Name: packml.MetricCmdHold, Value: sparkplug.BooleanValue(true)}
	if err := h.Command(context.Background(), l.Group, l.NodeID(0), "placer", hold); !errors.Is(err, mirror.ErrNotConnected) {
		t.Errorf("Command, not connected: %v", err)
	}
	if err := h.Close(context.Background()); err != nil {
		t.Errorf("Close without a connection: %v", err)
	}
	if err := h.Connect(context.Background(), link.Options{Broker: "mqtt://127.0.0.1:1"}); err == nil {
		t.Error("Connect after Close succeeded")
	}
}

// Without a model Tick only checks for silent nodes: a node silent for
// longer than the timeout is reported stale.
func TestTickWithoutModel(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 1)
	h := mustHost(t, l, true, twinwire.Config{})
	if h.Forecast != nil {
		t.Error("a forecaster without a model")
	}
	l.Birth()
	l.Run(10*sim.Second, sim.Second, nil)
	if err := h.Tick(); err != nil || h.BandChecks() != 0 || len(h.Monitor.Deviations()) != 0 {
		t.Fatalf("Tick: %v, %d checks, deviations %v", err, h.BandChecks(), h.Monitor.Deviations())
	}
	l.Clock.Add(monitor.DefaultStaleTimeout + time.Second)
	if err := h.Tick(); err != nil {
		t.Fatal(err)
	}
	if stale := twintest.OfKind(h.Monitor, deviation.Stale); len(stale) != 1 || stale[0].Device != l.NodeID(0) {
		t.Errorf("after a silence: %v", stale)
	}
	if _, err := twinwire.New(twinwire.Config{Mirror: mirror.Config{HostID: "h"}, Model: mirror.Model{Spec: l.Spec},
		BandHorizon: time.Second}); err == nil {
		t.Error("a 1 s band horizon was accepted")
	}
}

// With a model, Tick runs the output-band check and raises its event on
// the monitor, for the model's group: here the bottleneck breaks for the
// whole window.
func TestTickRaisesTheOutputBand(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 11)
	h := mustHost(t, l, false, twinwire.Config{BandHorizon: 10 * time.Minute,
		Forecast: forecast.Config{Replications: 20}})
	l.Birth()
	l.Run(5*sim.Minute, 2*sim.Second, nil)
	if err := h.Tick(); err != nil || h.BandChecks() != 0 {
		t.Fatalf("first tick: %v, %d checks", err, h.BandChecks())
	}
	l.Do(twin.Command{Kind: twin.BreakStation, Target: "test"})
	l.Run(10*sim.Minute, 2*sim.Second, nil)
	if err := h.Tick(); err != nil || h.BandChecks() != 1 {
		t.Fatalf("tick after the window: %v, %d checks", err, h.BandChecks())
	}
	band := twintest.OfKind(h.Monitor, deviation.OutputOutsideBand)
	if len(band) != 1 || band[0].Group != l.Group || band[0].Device != l.Spec.Name || !strings.Contains(band[0].Reason, "below") {
		t.Errorf("band events %v", band)
	}
}

// Watch ticks until its context ends.
func TestWatchStops(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 1)
	h := mustHost(t, l, true, twinwire.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.Watch(ctx, time.Millisecond)
	}()
	cancel()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("Watch did not return when its context ended")
	}
}

// A host built around a replay's mirror gives the analytics of the live
// host that recorded it.
func TestAroundAReplay(t *testing.T) {
	var rec bytes.Buffer
	l := twintest.MustLine(t, "demo-line", 2)
	live := mustHost(t, l, false, twinwire.Config{Mirror: mirror.Config{Record: &rec}})
	l.Birth()
	l.Run(10*sim.Minute, 2*sim.Second, nil)
	l.Do(twin.Command{Kind: twin.BreakStation, Target: "pack"})
	l.Run(2*sim.Minute, 2*sim.Second, nil)
	l.Die(0)

	r, err := mirror.NewReplayer(mirror.Config{HostID: "twin", Group: l.Group})
	if err != nil {
		t.Fatal(err)
	}
	replayed, err := twinwire.Around(r.Mirror(), twinwire.Config{Model: mirror.Model{Spec: l.Spec}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Replay(context.Background(), &rec, 0); err != nil {
		t.Fatal(err)
	}
	lv, rv := live.Mirror.View(), replayed.Mirror.View()
	lt, lk := live.Monitor.TreeAndKPIs(&lv)
	rt, rk := replayed.Monitor.TreeAndKPIs(&rv)
	if !reflect.DeepEqual(rt, lt) || !reflect.DeepEqual(rk, lk) {
		t.Errorf("replayed tree and KPIs differ from the live ones")
	}
	if got, want := replayed.Monitor.Deviations(), live.Monitor.Deviations(); !reflect.DeepEqual(got, want) || len(want) == 0 {
		t.Errorf("replayed deviations %v, live %v", got, want)
	}
	if _, err := replayed.Handler(api.Policy{}); err != nil {
		t.Error(err)
	}
}
