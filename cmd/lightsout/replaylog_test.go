package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

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

// runWithReplay runs lightsout with args and ctx.
func runWithReplay(ctx context.Context, args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	a := &app{version: "test", stdout: &out, stderr: &console{w: &errb}, log: zap.NewNop()}
	root := newRootCmd(a)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	code = report(a.stderr, cmd, err)
	return out.String(), errb.String(), code
}

// liveState returns the live host's /api/state document and its recording
// at one point, waiting until the recording holds exactly the messages the
// state counts.
func (lb *loopback) liveState(rec *lockedBuffer) ([]byte, []byte) {
	lb.t.Helper()
	srv := httptest.NewServer(lb.h.Handler())
	defer srv.Close()
	for {
		changed := lb.h.Changed()
		resp, err := srv.Client().Get(srv.URL + "/api/state")
		if err != nil {
			lb.t.Fatal(err)
		}
		state, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			lb.t.Fatal(err)
		}
		var s struct{ Received int }
		if err := json.Unmarshal(state, &s); err != nil {
			lb.t.Fatal(err)
		}
		data := rec.Bytes()
		// One line per message received, and one per connection event.
		if bytes.Count(data, []byte("\n"))-bytes.Count(data, []byte(`"event":`)) == s.Received {
			return state, data
		}
		select {
		case <-changed:
		case <-lb.ctx.Done():
			lb.t.Fatalf("the recording never matched the state's %d messages", s.Received)
		}
	}
}

func TestReplayLogMatchesLiveTwin(t *testing.T) {
	rec := &lockedBuffer{}
	lb := newLoopbackWith(t, loopbackOptions{record: rec})
	lb.advance(40, 2*sim.Second)
	lb.r.dropNext.Store(true) // a seq gap and a rebirth, recorded too
	lb.advance(10, 2*sim.Second)
	m := lb.quiet()
	if m.Stats.SeqGaps == 0 {
		t.Fatalf("no seq gap: %+v", m.Stats)
	}
	// The host loses the broker and comes back: its own connection events
	// are recorded, so the replay goes through the same stale nodes.
	lb.restartBroker()
	lb.advance(5, 2*sim.Second)
	m = lb.quiet()
	live, data := lb.liveState(rec)
	if !bytes.Contains(data, []byte(`"event":"connection_lost"`)) {
		t.Fatalf("the recording has no connection event:\n%s", data)
	}
	path := filepath.Join(t.TempDir(), "run.jsonl")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	t.Run("json is the live /api/state", func(t *testing.T) {
		out, errs, code := runWithReplay(ctx, "replay", "--log", path, "--json", "--host-id", testHostID, "--group", testGroup)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		if out != string(live) {
			t.Errorf("replay --json differs from the live twin's /api/state:\n%s\nwant\n%s", out, live)
		}
	})
	t.Run("summary", func(t *testing.T) {
		out, errs, code := runWithReplay(ctx, "replay", "--log", path, "--host-id", testHostID)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		t.Logf("summary:\n%s", out)
		for _, want := range []string{
			"node " + testGroup + "/" + lb.r.pubs[0].id + ": online",
			itoa(int64(lb.devices)) + " devices (0 stale)",
			itoa(int64(m.Received)) + " messages received",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("summary %q does not say %q", out, want)
			}
		}
	})
	t.Run("http serves until interrupted", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		_ = ln.Close()
		hctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		done := make(chan int, 1)
		go func() {
			_, _, code := runWithReplay(hctx, "replay", "--log", path, "--host-id", testHostID, "--http", addr)
			done <- code
		}()
		// Poll until the API answers with the whole replay.
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			resp, err := http.Get("http://" + addr + "/api/state")
			if err == nil {
				var s struct{ Received uint64 }
				err = json.NewDecoder(resp.Body).Decode(&s)
				resp.Body.Close()
				if err == nil && s.Received == m.Received {
					break
				}
			}
			select {
			case <-tick.C:
			case code := <-done:
				t.Fatalf("replay --http ended (exit %d) before serving", code)
			case <-hctx.Done():
				t.Fatal("the HTTP API never served the replayed mirror")
			}
		}
		cancel()
		if code := <-done; code != exitOK {
			t.Errorf("exit %d after Ctrl-C, want 0", code)
		}
	})
}

func TestReplayLogBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, []byte(`{"time":"2026-01-01T00:00:00Z","topic":"a/b","payload":""}`+"\nnot json\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"replay"}, "--log is required"},
		{[]string{"replay", "--log", filepath.Join(dir, "missing.jsonl")}, "no such file"},
		{[]string{"replay", "--log", bad}, "line 2"},
		{[]string{"replay", "--log", bad, "--speed", "-1"}, "--speed"},
		{[]string{"replay", "--log", bad, "--host-id", "a/b"}, "host-id"},
		// A config problem is worded by package configs: no "lightsout: ".
		{[]string{"replay", "--log", bad, "--config", "no-such-line"}, "no-such-line"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			out, errs, code := runWithReplay(context.Background(), c.args...)
			if code != exitBadInput || !strings.Contains(errs, c.want) ||
				(!strings.HasPrefix(errs, "lightsout: ") && !strings.HasPrefix(errs, "no-such-line: ")) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, errs, exitBadInput, c.want)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
		})
	}
}
