package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/host"
	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// loopback is a broker, a host and an edge runner on 127.0.0.1, with the
// line advanced by the test.
type loopback struct {
	t     *testing.T
	ctx   context.Context
	h     *host.Host
	r     *edgeRunner
	steps chan edgeStep
	// devices is the number of devices the edge node publishes.
	devices int
	// edgeAttemptFailed receives a value (when it has room) each time a
	// connection attempt of the edge fails.
	edgeAttemptFailed <-chan struct{}
	// broker is the running broker's URL; stop and start stop it and start
	// it again on the same address (see restartBroker).
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
	// record, if set, receives the host's recording (Config.Record).
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

func newLoopback(t *testing.T) *loopback { return newLoopbackWith(t, loopbackOptions{}) }

// testLinkOptions are the link options of the loopback's clients: quick
// retries, and a short connect timeout, since a connection accepted by a
// closing broker may never be answered.
func testLinkOptions(broker string, log *zap.Logger) link.Options {
	return link.Options{Broker: broker, Log: log, Retry: 50 * time.Millisecond, ConnectTimeout: time.Second}
}

func newLoopbackWith(t *testing.T, o loopbackOptions) *loopback {
	t.Helper()
	log := zaptest.NewLogger(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	if o.broker == nil {
		o.broker = embeddedBroker
	}
	url, stop, start := o.broker(t)
	lb := &loopback{t: t, ctx: ctx, steps: make(chan edgeStep), broker: url, stopBroker: stop, startBroker: start}
	h, err := host.New(host.Config{HostID: testHostID, Group: testGroup, Log: log, Record: o.record,
		// Rebirth requests are not held back for long, so that every
		// reconnection asks for one.
		RebirthInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Connect(ctx, testLinkOptions(url, log)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close(context.Background()) })
	spec, err := configs.Resolve("demo-line")
	if err != nil {
		t.Fatal(err)
	}
	line, err := twin.NewLine(spec, 7, nil)
	if err != nil {
		t.Fatal(err)
	}
	edgeLog, failed := attemptWatcher(t)
	lb.edgeAttemptFailed = failed
	r, err := newEdgeRunner(line, testGroup, "test", time.Now(), edgeLog)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.connect(ctx, testLinkOptions(url, edgeLog)); err != nil {
		t.Fatal(err)
	}
	lb.h, lb.r = h, r
	rctx, rcancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- r.run(rctx, lb.steps) }()
	t.Cleanup(func() {
		rcancel()
		<-done
		r.shutdown()
	})
	lb.r.mu.Lock()
	snap := line.Snapshot()
	lb.r.mu.Unlock()
	lb.devices = (len(snap.Stations) + len(snap.Arms)) / snap.Lines
	// Wait for the births to start: the loop publishes them all before it
	// takes the next step.
	lb.waitFor("the births", func(m *host.Mirror) bool {
		n, ok := m.Node(testGroup, r.pubs[0].id)
		return ok && n.Online
	})
	return lb
}

// advance steps the line n times by span, each step published before the
// next.
func (lb *loopback) advance(n int, span sim.Time) {
	lb.t.Helper()
	for range n {
		st := edgeStep{span: span, done: make(chan struct{})}
		select {
		case lb.steps <- st:
		case <-lb.ctx.Done():
			lb.t.Fatal("timed out stepping the line")
		}
		select {
		case <-st.done:
		case <-lb.ctx.Done():
			lb.t.Fatal("timed out stepping the line")
		}
	}
}

// waitFor waits until cond holds for the host's mirror, re-checking after
// every change of the mirror.
func (lb *loopback) waitFor(what string, cond func(m *host.Mirror) bool) host.Mirror {
	lb.t.Helper()
	// The host's changes wake the check; a slow tick re-checks too, since a
	// condition may also read the edge's counters, which move just after
	// the host has seen the message (Publish returns after delivery).
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		ch := lb.h.Changed()
		m := lb.h.Mirror()
		if cond(&m) {
			return m
		}
		select {
		case <-ch:
		case <-tick.C:
		case <-lb.ctx.Done():
			p := lb.r.pubs[0]
			lb.t.Fatalf("timed out waiting for %s; host stats %+v, node messages %d; edge published %d; mirror %+v",
				what, m.Stats, m.Messages(testGroup, p.id), p.published.Load(), m.Nodes)
		}
	}
}

// quiet waits until the host has applied every birth and data message the
// edge published and the node and its devices are born. NDEATHs do not
// count: the broker may publish the edge's Will as it shuts down.
func (lb *loopback) quiet() host.Mirror {
	p := lb.r.pubs[0]
	return lb.waitFor("a quiet point", func(m *host.Mirror) bool {
		n, ok := m.Node(testGroup, p.id)
		if !ok || !n.Online || n.AwaitingRebirth || len(n.Devices) != lb.devices {
			return false
		}
		for _, d := range n.Devices {
			if !d.Online || d.Stale {
				return false
			}
		}
		return m.Messages(testGroup, p.id)-m.Deaths(testGroup, p.id) == p.published.Load()
	})
}

// checkMirror compares the mirror with the line's true state: every
// station's processed count, buffer level and PackML state.
func (lb *loopback) checkMirror(m *host.Mirror) {
	lb.t.Helper()
	lb.r.mu.Lock()
	snap := lb.r.line.Snapshot()
	lb.r.mu.Unlock()
	id := lb.r.pubs[0].id
	per := len(snap.Stations) / snap.Lines
	var processed int64
	for _, st := range snap.Stations[:per] {
		want := map[string]string{
			packml.MetricProcessed: "Int64(" + itoa(st.Counts.Processed) + ")",
			packml.MetricBuffer:    "Int32(" + itoa(int64(st.Buffer)) + ")",
			packml.MetricState:     packml.StationState(st.Servers).String(),
		}
		processed += st.Counts.Processed
		for name, w := range want {
			mv, ok := m.Metric(testGroup, id, st.ID, name)
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
		n, _ := m.Node(testGroup, id)
		lb.t.Logf("host: seq %d, stats %+v, node messages %d; edge: next seq %d, published %d",
			n.Seq, m.Stats, m.Messages(testGroup, id), lb.r.pubs[0].node.Session().NextSeq(), lb.r.pubs[0].published.Load())
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
	p := lb.r.pubs[0]
	// Holding the runner's lock stops the edge between two steps and
	// holds its next connection attempt in its Will callback.
	lb.r.mu.Lock()
	gated := true
	defer func() {
		if gated {
			lb.r.mu.Unlock()
		}
	}()
	if err := lb.stopBroker(); err != nil {
		lb.t.Fatal(err)
	}
	lost := lb.waitFor("the host to see the connection lost", func(m *host.Mirror) bool {
		n, ok := m.Node(testGroup, p.id)
		return ok && n.Stale && !n.Online
	})
	if outage != nil {
		gated = false
		lb.r.mu.Unlock()
		outage()
		lb.r.mu.Lock()
		gated = true
	}
	if err := lb.startBroker(); err != nil {
		lb.t.Fatalf("restarting the broker %s: %v", lb.broker, err)
	}
	// The host's own STATE comes back once it has subscribed again.
	lb.waitFor("the host back online", func(m *host.Mirror) bool { return m.Received > lost.Received })
	gated = false
	lb.r.mu.Unlock()
	if err := p.conn.AwaitConnection(lb.ctx); err != nil {
		lb.t.Fatalf("the edge did not reconnect: %v", err)
	}
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func TestTwinLoopback(t *testing.T) { checkLoopback(t, newLoopback(t)) }

// The twin works against another broker than its own: Eclipse Mosquitto,
// when installed (CI installs it; the test is skipped elsewhere).
func TestTwinOverMosquitto(t *testing.T) {
	bin, err := exec.LookPath("mosquitto")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/mosquitto"); serr != nil {
			t.Skip("mosquitto is not installed (apt-get install mosquitto)")
		}
		bin = "/usr/sbin/mosquitto"
	}
	checkLoopback(t, newLoopbackWith(t, loopbackOptions{broker: func(t *testing.T) (string, func() error, func() error) {
		return mosquittoBroker(t, bin)
	}}))
}

// mosquittoBroker runs mosquitto on a free loopback port, anonymous
// clients allowed, nothing persisted.
func mosquittoBroker(t *testing.T, bin string) (string, func() error, func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	_ = ln.Close()
	conf := filepath.Join(t.TempDir(), "mosquitto.conf")
	if err := os.WriteFile(conf, []byte("listener "+port+" 127.0.0.1\nallow_anonymous true\npersistence false\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var cmd *exec.Cmd
	var out bytes.Buffer
	start := func() error {
		cmd = exec.Command(bin, "-c", conf)
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			return err
		}
		// Wait until it accepts connections.
		deadline := time.Now().Add(10 * time.Second)
		for {
			c, err := net.DialTimeout("tcp", addr, time.Second)
			if err == nil {
				return c.Close()
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("mosquitto does not listen on %s: %v\n%s", addr, err, out.String())
			}
			runtime.Gosched()
		}
	}
	stop := func() error {
		if cmd == nil || cmd.Process == nil {
			return nil
		}
		_ = cmd.Process.Signal(syscall.SIGTERM)
		err := cmd.Wait()
		cmd = nil
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil // stopped by the signal
		}
		return err
	}
	if err := start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })
	return "mqtt://" + addr, stop, start
}

// checkLoopback runs the loopback checks: the mirror equals the edge's true
// counts at quiet points, a seq gap triggers a rebirth, a broker restart
// loses nothing after the rebirth, a dropped connection marks the devices
// stale.
func checkLoopback(t *testing.T, lb *loopback) {
	lb.advance(60, 2*sim.Second)
	m := lb.quiet()
	lb.checkMirror(&m)

	t.Run("seq gap triggers a rebirth", func(t *testing.T) {
		lb.r.dropNext.Store(true)
		lb.advance(20, 2*sim.Second)
		m := lb.quiet()
		if m.Stats.SeqGaps == 0 || m.Stats.RebirthRequests == 0 {
			t.Fatalf("no gap or no rebirth request: %+v", m.Stats)
		}
		lb.checkMirror(&m)
	})

	t.Run("broker restart", func(t *testing.T) {
		before := lb.quiet()
		n0, _ := before.Node(testGroup, lb.r.pubs[0].id)
		lb.restartBroker()
		m := lb.waitFor("a rebirth after the restart", func(m *host.Mirror) bool {
			n, ok := m.Node(testGroup, lb.r.pubs[0].id)
			return ok && n.Online && n.BdSeq != n0.BdSeq && m.Stats.RebirthRequests > before.Stats.RebirthRequests
		})
		m = lb.quiet()
		lb.checkMirror(&m)
		// Nothing is lost after the rebirth.
		lb.advance(30, 2*sim.Second)
		m = lb.quiet()
		lb.checkMirror(&m)
	})

	t.Run("a broker outage moves bdSeq by one", func(t *testing.T) { checkOutage(t, lb) })

	t.Run("a dropped connection marks the devices stale", func(t *testing.T) {
		p := lb.r.pubs[0]
		p.conn.Abort()
		lb.waitFor("stale devices", func(m *host.Mirror) bool {
			n, ok := m.Node(testGroup, p.id)
			if !ok || !n.Stale || n.Online {
				return false
			}
			for _, d := range n.Devices {
				if !d.Stale {
					return false
				}
			}
			return true
		})
	})
}

func TestBadBrokerURL(t *testing.T) {
	for _, args := range [][]string{
		{"twin", "--broker", "foo://x"},
		{"twin", "--broker", "mqtt://"},
		{"edge", "--broker", "localhost:1883", "--config", "demo-line"},
		{"demo-twin", "--every", "1ms"},
		{"twin"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := execute(args, &out, &errb, "test"); code != exitBadInput {
				t.Fatalf("exit %d, want %d; stderr %q", code, exitBadInput, errb.String())
			}
			if !strings.HasPrefix(errb.String(), "lightsout: ") {
				t.Errorf("stderr %q", errb.String())
			}
		})
	}
}

// A broker that refuses the credentials is bad input (status 2), said at
// once, not retried until the connect timeout.
func TestTwinRefusedCredentials(t *testing.T) {
	b, err := link.StartBrokerWith("127.0.0.1:0", link.BrokerOptions{Username: "twin", Password: "right"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var out, errb bytes.Buffer
	start := time.Now()
	code := execute([]string{"twin", "--broker", b.URL(), "--username", "twin", "--password", "wrong", "--http", ""}, &out, &errb, "test")
	if code != exitBadInput || !strings.Contains(errb.String(), "refused") {
		t.Fatalf("exit %d, stderr %q; want %d and a refusal", code, errb.String(), exitBadInput)
	}
	if d := time.Since(start); d > connectTimeout/2 {
		t.Errorf("took %v: the refusal was retried", d)
	}
	for _, args := range [][]string{
		{"twin", "--embedded", "--username", "u", "--http", ""},
		{"edge", "--config", "demo-line", "--password", "p"},
	} {
		errb.Reset()
		t.Setenv("LIGHTSOUT_MQTT_PASSWORD", "")
		if code := execute(args, &out, &errb, "test"); code != exitBadInput {
			t.Errorf("%v: exit %d, stderr %q; want %d", args, code, errb.String(), exitBadInput)
		}
	}
}
