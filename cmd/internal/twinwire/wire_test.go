package twinwire_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/cmd/internal/twinwire"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

func TestLoopback(t *testing.T) { checkLoopback(t, newLoopback(t)) }

// The twin works against another broker than its own: Eclipse Mosquitto,
// when installed (CI installs it; the test is skipped elsewhere).
func TestOverMosquitto(t *testing.T) {
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
	lb.checkMirror(lb.quiet())
	id := lb.r.NodeID(0)

	t.Run("seq gap triggers a rebirth", func(t *testing.T) {
		lb.r.DropNextData()
		lb.advance(20, 2*sim.Second)
		v := lb.quiet()
		if v.Stats.SeqGaps == 0 || v.Stats.RebirthRequests == 0 {
			t.Fatalf("no gap or no rebirth request: %+v", v.Stats)
		}
		lb.checkMirror(v)
	})

	t.Run("broker restart", func(t *testing.T) {
		before := lb.quiet()
		n0, _ := before.Node(testGroup, id)
		lb.restartBroker()
		lb.waitFor("a rebirth after the restart", func(v *mirror.View) bool {
			n, ok := v.Node(testGroup, id)
			return ok && n.Online && n.BdSeq != n0.BdSeq && v.Stats.RebirthRequests > before.Stats.RebirthRequests
		})
		lb.checkMirror(lb.quiet())
		// Nothing is lost after the rebirth.
		lb.advance(30, 2*sim.Second)
		lb.checkMirror(lb.quiet())
	})

	t.Run("a broker outage moves bdSeq by one", func(t *testing.T) { checkOutage(t, lb) })

	t.Run("a dropped connection marks the devices stale", func(t *testing.T) {
		lb.e.Conn(0).Abort()
		lb.waitFor("stale devices", func(v *mirror.View) bool {
			n, ok := v.Node(testGroup, id)
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

// lockedBuffer is a recording destination safe to read while the host
// writes to it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}

// A recording of the live twin over MQTT, replayed into a host built
// around the replay's mirror (as 'lightsout replay' does), gives the
// mirror the live host had: the same /api/state document, host times
// included, through a seq gap and a lost broker.
func TestReplayOfTheRecordingIsTheLiveMirror(t *testing.T) {
	rec := &lockedBuffer{}
	lb := newLoopbackWith(t, loopbackOptions{record: rec})
	lb.advance(40, 2*sim.Second)
	lb.r.DropNextData() // a seq gap and a rebirth, recorded too
	lb.advance(10, 2*sim.Second)
	if v := lb.quiet(); v.Stats.SeqGaps == 0 {
		t.Fatalf("no seq gap: %+v", v.Stats)
	}
	lb.restartBroker()
	lb.advance(5, 2*sim.Second)
	lb.quiet()
	// The recording holds one line per message received, and one per
	// connection event.
	var data []byte
	v := lb.waitFor("the recording of every message", func(v *mirror.View) bool {
		data = rec.Bytes()
		return bytes.Count(data, []byte("\n"))-bytes.Count(data, []byte(`"event":`)) == int(v.Received)
	})
	if !bytes.Contains(data, []byte(`"event":"connection_lost"`)) {
		t.Fatalf("the recording has no connection event:\n%s", data)
	}
	live, err := json.Marshal(api.StateOf(v))
	if err != nil {
		t.Fatal(err)
	}

	r, err := mirror.NewReplayer(mirror.Config{HostID: testHostID, Group: testGroup})
	if err != nil {
		t.Fatal(err)
	}
	h, err := twinwire.Around(r.Mirror(), twinwire.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Replay(context.Background(), bytes.NewReader(data), 0); err != nil {
		t.Fatal(err)
	}
	rv := h.Mirror.View()
	replayed, err := json.Marshal(api.StateOf(&rv))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(replayed, live) {
		t.Errorf("the replay differs from the live mirror:\n%s\nwant\n%s", replayed, live)
	}
	if got, want := len(h.Monitor.Deviations()), len(lb.h.Monitor.Deviations()); got != want {
		t.Errorf("the replay raised %d deviations, the live host %d", got, want)
	}
}

// A command sent by the host crosses the broker to the edge node, which
// applies it to the line; closing the edge publishes its NDEATH.
func TestCommandsReachTheEdgeAndCloseSaysGoodbye(t *testing.T) {
	lb := newLoopback(t)
	lb.advance(10, 2*sim.Second)
	lb.quiet()
	id := lb.r.NodeID(0)
	topic, err := lb.h.SendCommand(lb.ctx, mirror.CommandRequest{Node: id, Device: "placer", Command: "hold"})
	if err != nil {
		t.Fatal(err)
	}
	if topic.String() != "spBv1.0/"+testGroup+"/DCMD/"+id+"/placer" {
		t.Errorf("sent on %s", topic)
	}
	// Step until the edge has published the hold: the command crosses the
	// broker while the line runs.
	for held := false; !held; {
		if lb.ctx.Err() != nil {
			t.Fatal("the placer was never held")
		}
		lb.advance(1, sim.Second)
		m, ok := lb.quiet().Metric(testGroup, id, "placer", "Status/Held")
		held, _ = m.Value.Boolean()
		held = held && ok
	}
	var line bool
	lb.r.WithLine(func(l *twin.Line) { line = l.Snapshot().Stations[1].Held })
	if !line {
		t.Error("the mirror shows the placer held, the line does not")
	}
	errs := lb.quiet().Stats.ProtocolErrors
	if err := lb.stopEdge(); err != nil {
		t.Fatal(err)
	}
	v := lb.waitFor("the NDEATH", func(v *mirror.View) bool {
		n, ok := v.Node(testGroup, id)
		return ok && !n.Online && v.Deaths(testGroup, id) > 0
	})
	if v.Stats.ProtocolErrors != errs {
		t.Errorf("the NDEATH broke a rule: %+v", v.Stats)
	}
}
