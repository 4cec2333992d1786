package twinwire_test

import (
	"context"
	"io"
	"strconv"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/cmd/internal/twinwire"
	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// loopback is a broker, a twin host and an edge runner of demo-line on
// 127.0.0.1, with the line advanced by the test.
type loopback struct {
	t     *testing.T
	ctx   context.Context
	h     *twinwire.Host
	r     *edge.Runner
	e     *twinwire.Edge
	steps chan edge.Step
	// stopEdge stops the runner and closes the edge (once) and returns
	// what closing it said.
	stopEdge func() error
	// devices is the number of devices the edge node publishes.
	devices int
	// edgeAttemptFailed receives a value (when it has room) each time a
	// connection attempt of the edge fails.
	edgeAttemptFailed <-chan struct{}
	// broker is the running broker's URL; stopBroker and startBroker stop
	// it and start it again on the same address (see restartBroker).
	broker      string
	stopBroker  func() error
	startBroker func() error
}

const (
	testGroup  = "lightsout"
	testHostID = "test-host"
)

// loopbackOptions change the loopback's host.
type loopbackOptions struct {
	// record, if set, receives the host's recording (mirror.Config.Record).
	record io.Writer
	// broker, if set, is started instead of the embedded broker; it
	// returns the broker's URL and the functions that stop it and start it
	// again on the same address.
	broker func(t *testing.T) (url string, stop, start func() error)
}

// embeddedBroker starts the embedded mochi broker on a free loopback port.
func embeddedBroker(t *testing.T) (string, func() error, func() error) {
	t.Helper()
	b, err := link.StartBroker("127.0.0.1:0", zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	addr, running := b.Addr(), true
	stop := func() error { running = false; return b.Close() }
	start := func() error {
		nb, err := link.StartBroker(addr, zaptest.NewLogger(t))
		if err == nil {
			b, running = nb, true
		}
		return err
	}
	t.Cleanup(func() {
		if running {
			_ = b.Close()
		}
	})
	return b.URL(), stop, start
}

// testLinkOptions are the link options of the loopback's clients: quick
// retries, and a short connect timeout, since a connection accepted by a
// closing broker may never be answered.
func testLinkOptions(broker string, log *zap.Logger) link.Options {
	return link.Options{Broker: broker, Log: log, Retry: 50 * time.Millisecond, ConnectTimeout: time.Second}
}

func newLoopback(t *testing.T) *loopback { return newLoopbackWith(t, loopbackOptions{}) }

func newLoopbackWith(t *testing.T, o loopbackOptions) *loopback {
	t.Helper()
	log := zaptest.NewLogger(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	if o.broker == nil {
		o.broker = embeddedBroker
	}
	url, stop, start := o.broker(t)
	lb := &loopback{t: t, ctx: ctx, steps: make(chan edge.Step), broker: url, stopBroker: stop, startBroker: start}
	h, err := twinwire.New(twinwire.Config{Mirror: mirror.Config{HostID: testHostID, Group: testGroup, Log: log, Record: o.record,
		// Rebirth requests are not held back for long, so that every
		// reconnection asks for one.
		RebirthInterval: 50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Connect(ctx, testLinkOptions(url, log)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close(context.Background()) })
	lb.h = h
	edgeLog, failed := attemptWatcher(t)
	lb.edgeAttemptFailed = failed
	lb.startEdge(edgeLog)
	lb.waitFor("the births", func(v *mirror.View) bool {
		n, ok := v.Node(testGroup, lb.r.NodeID(0))
		return ok && n.Online
	})
	return lb
}

// startEdge builds demo-line (seed 7) and its runner, connects it and runs
// it until the test ends, then shuts it down.
func (lb *loopback) startEdge(log *zap.Logger) {
	t := lb.t
	spec, err := configs.Resolve("demo-line")
	if err != nil {
		t.Fatal(err)
	}
	line, err := twin.NewLine(spec, 7, nil)
	if err != nil {
		t.Fatal(err)
	}
	lb.devices = len(spec.Stations) + len(spec.Arms)
	lb.r, err = edge.NewRunner(line, edge.RunnerConfig{Group: testGroup, Prefix: "test", Log: log})
	if err != nil {
		t.Fatal(err)
	}
	lb.e, err = twinwire.DialEdge(lb.ctx, lb.r, testLinkOptions(lb.broker, log))
	if err != nil {
		t.Fatal(err)
	}
	rctx, rcancel := context.WithCancel(lb.ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		lb.r.Run(rctx, lb.steps)
	}()
	var (
		once     sync.Once
		closeErr error
	)
	lb.stopEdge = func() error {
		once.Do(func() {
			rcancel()
			<-done
			closeErr = lb.e.Close(context.Background())
		})
		return closeErr
	}
	t.Cleanup(func() { _ = lb.stopEdge() })
}

// advance steps the line n times by span, each step published before the
// next.
func (lb *loopback) advance(n int, span sim.Time) {
	lb.t.Helper()
	for range n {
		st := edge.Step{Span: span, Done: make(chan struct{})}
		select {
		case lb.steps <- st:
		case <-lb.ctx.Done():
			lb.t.Fatal("timed out stepping the line")
		}
		select {
		case <-st.Done:
		case <-lb.ctx.Done():
			lb.t.Fatal("timed out stepping the line")
		}
	}
}

// waitFor waits until cond holds for a view of the host's mirror,
// re-checking after every change of the mirror.
func (lb *loopback) waitFor(what string, cond func(v *mirror.View) bool) *mirror.View {
	lb.t.Helper()
	// The mirror's changes wake the check; a slow tick re-checks too, since
	// a condition may also read the edge's counters, which move just after
	// the host has seen the message (Publish returns after delivery).
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		ch := lb.h.Mirror.Changed()
		v := lb.h.Mirror.View()
		if cond(&v) {
			return &v
		}
		select {
		case <-ch:
		case <-tick.C:
		case <-lb.ctx.Done():
			id := lb.r.NodeID(0)
			lb.t.Fatalf("timed out waiting for %s; host stats %+v, node messages %d; edge published %d; mirror %+v",
				what, v.Stats, v.Messages(testGroup, id), lb.r.Published(0), v.Nodes)
		}
	}
}

// quiet waits until the host has applied every birth and data message the
// edge published and the node and its devices are born. NDEATHs do not
// count: the broker may publish the edge's Will as it shuts down.
func (lb *loopback) quiet() *mirror.View {
	id := lb.r.NodeID(0)
	return lb.waitFor("a quiet point", func(v *mirror.View) bool {
		n, ok := v.Node(testGroup, id)
		if !ok || !n.Online || n.AwaitingRebirth || len(n.Devices) != lb.devices {
			return false
		}
		for _, d := range n.Devices {
			if !d.Online || d.Stale {
				return false
			}
		}
		return v.Messages(testGroup, id)-v.Deaths(testGroup, id) == lb.r.Published(0)
	})
}

// checkMirror compares the mirror with the line's true state: every
// station's processed count, buffer level and PackML state.
func (lb *loopback) checkMirror(v *mirror.View) {
	lb.t.Helper()
	var snap twin.Snapshot
	lb.r.WithLine(func(l *twin.Line) { l.SnapshotInto(&snap) })
	id := lb.r.NodeID(0)
	per := len(snap.Stations) / snap.Lines
	var processed int64
	for _, st := range snap.Stations[:per] {
		want := map[string]string{
			packml.MetricProcessed: "Int64(" + strconv.FormatInt(st.Counts.Processed, 10) + ")",
			packml.MetricBuffer:    "Int32(" + strconv.Itoa(st.Buffer) + ")",
			packml.MetricState:     packml.StationState(st.Servers).String(),
		}
		processed += st.Counts.Processed
		for name, w := range want {
			mv, ok := v.Metric(testGroup, id, st.ID, name)
			if !ok {
				lb.t.Errorf("%s %s: not mirrored", st.ID, name)
				continue
			}
			got := mv.Value.String()
			if s, ok := mv.Value.Text(); ok {
				got = s
			}
			if got != w {
				lb.t.Errorf("%s %s: mirror %s, line %s", st.ID, name, got, w)
			}
		}
	}
	if lb.t.Failed() {
		n, _ := v.Node(testGroup, id)
		lb.t.Logf("host: seq %d, stats %+v, node messages %d; edge published %d",
			n.Seq, v.Stats, v.Messages(testGroup, id), lb.r.Published(0))
	}
	if processed == 0 {
		lb.t.Error("nothing processed: the comparison proves little")
	}
}

// restartBroker closes the broker while the host and the edge are
// connected and starts a new one on the same address. The edge's
// reconnection waits until the host is back (subscribed again, its STATE
// received back), so the host sees every message the edge publishes after
// the restart: the births the edge publishes on its own reconnection. The
// host's rebirth request reaches no one (the edge is not subscribed yet).
func (lb *loopback) restartBroker() { lb.restartBrokerAfter(nil) }

// restartBrokerAfter is restartBroker; outage, if not nil, runs while the
// broker is down and the edge is free to try to reconnect.
func (lb *loopback) restartBrokerAfter(outage func()) {
	lb.t.Helper()
	var lost *mirror.View
	stop := func(*twin.Line) {
		if err := lb.stopBroker(); err != nil {
			lb.t.Fatal(err)
		}
		lost = lb.waitFor("the host to see the connection lost", func(v *mirror.View) bool {
			n, ok := v.Node(testGroup, lb.r.NodeID(0))
			return ok && n.Stale && !n.Online
		})
	}
	start := func(*twin.Line) {
		if err := lb.startBroker(); err != nil {
			lb.t.Fatalf("restarting the broker %s: %v", lb.broker, err)
		}
		// The host's own STATE comes back once it has subscribed again.
		lb.waitFor("the host back online", func(v *mirror.View) bool { return v.Received > lost.Received })
	}
	// Holding the line stops the edge between two steps and holds its next
	// connection attempt in its Will callback.
	if outage == nil {
		lb.r.WithLine(func(l *twin.Line) { stop(l); start(l) })
	} else {
		lb.r.WithLine(stop)
		outage()
		lb.r.WithLine(start)
	}
	if err := lb.e.Conn(0).AwaitConnection(lb.ctx); err != nil {
		lb.t.Fatalf("the edge did not reconnect: %v", err)
	}
}

// attemptWatcher returns a test logger for the edge's connections and a
// channel that receives a value (when it has room) for each connection
// attempt the link logs as failed.
func attemptWatcher(t *testing.T) (*zap.Logger, <-chan struct{}) {
	failed := make(chan struct{}, 64)
	hook := zap.Hooks(func(e zapcore.Entry) error {
		if e.Message == "MQTT connection attempt failed" {
			select {
			case failed <- struct{}{}:
			default:
			}
		}
		return nil
	})
	return zaptest.NewLogger(t, zaptest.WrapOptions(hook)), failed
}

// checkOutage stops the broker until the edge has failed to reconnect
// several times, then starts it again: the edge node is born again with
// the next bdSeq, not one per attempt (Sparkplug counts bdSeq by MQTT
// sessions, tck-id-topics-nbirth-bdseq-increment).
func checkOutage(t *testing.T, lb *loopback) {
	id := lb.r.NodeID(0)
	before := lb.quiet()
	n0, _ := before.Node(testGroup, id)
	for len(lb.edgeAttemptFailed) > 0 {
		<-lb.edgeAttemptFailed // from earlier subtests
	}
	const attempts = 4
	lb.restartBrokerAfter(func() {
		for range attempts {
			select {
			case <-lb.edgeAttemptFailed:
			case <-lb.ctx.Done():
				t.Fatalf("the edge did not try to reconnect %d times", attempts)
			}
		}
	})
	v := lb.waitFor("the node born again", func(v *mirror.View) bool {
		n, ok := v.Node(testGroup, id)
		return ok && n.Online && n.BdSeq != n0.BdSeq
	})
	n, _ := v.Node(testGroup, id)
	if want := (n0.BdSeq + 1) % 256; n.BdSeq != want {
		t.Errorf("after %d failed attempts the NBIRTH has bdSeq %d, want %d (was %d)", attempts, n.BdSeq, want, n0.BdSeq)
	}
	lb.checkMirror(lb.quiet())
}
