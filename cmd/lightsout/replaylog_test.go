package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/cmd/internal/twinwire"
	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

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

const (
	testGroup  = "lightsout"
	testHostID = "test-host"
)

// liveTwin is a twin host fed with demo-line's edge node (seed 7, edge
// node test-L1) without a broker, recording what it receives.
type liveTwin struct {
	t    *testing.T
	h    *twinwire.Host
	line *twin.Line
	node *edge.Node
	rec  bytes.Buffer
	ms   uint64
}

func newLiveTwin(t *testing.T) *liveTwin {
	t.Helper()
	lt := &liveTwin{t: t, ms: 1_800_000_000_000}
	h, err := twinwire.New(twinwire.Config{Mirror: mirror.Config{HostID: testHostID, Group: testGroup, Record: &lt.rec}})
	if err != nil {
		t.Fatal(err)
	}
	spec, err := configs.Resolve("demo-line")
	if err != nil {
		t.Fatal(err)
	}
	if lt.line, err = twin.NewLine(spec, 7, nil); err != nil {
		t.Fatal(err)
	}
	if lt.node, err = edge.New(lt.line, edge.Config{Group: testGroup, EdgeNode: "test-L1", Epoch: lt.ms}); err != nil {
		t.Fatal(err)
	}
	lt.h = h
	if _, err := lt.node.Connect(lt.ms); err != nil {
		t.Fatal(err)
	}
	lt.deliver(lt.node.Birth(lt.ms))
	return lt
}

// deliver gives msgs to the host, answering its rebirth requests as the
// edge node does.
func (lt *liveTwin) deliver(msgs []sparkplug.Message, err error) {
	lt.t.Helper()
	if err != nil {
		lt.t.Fatal(err)
	}
	for _, m := range msgs {
		if req := lt.h.Mirror.Receive(m.Topic.String(), m.Payload); req != nil {
			lt.rebirth(*req)
		}
	}
}

// rebirth hands a rebirth request to the edge node and delivers its births.
func (lt *liveTwin) rebirth(req sparkplug.Message) {
	lt.t.Helper()
	lt.deliver(lt.node.HandleCommand(req.Topic.String(), req.Payload, lt.ms))
}

// advance runs the line n times for span, delivering its changes; with
// drop, the first change of the first step is lost (a seq gap).
func (lt *liveTwin) advance(n int, span sim.Time, drop bool) {
	lt.t.Helper()
	for range n {
		lt.line.RunFor(span)
		lt.ms += 100
		msgs, err := lt.node.Update(lt.ms)
		if drop && len(msgs) > 0 {
			msgs, drop = msgs[1:], false
		}
		lt.deliver(msgs, err)
	}
}

// state returns the live host's /api/state document.
func (lt *liveTwin) state() []byte {
	lt.t.Helper()
	handler, err := lt.h.Handler(api.Policy{})
	if err != nil {
		lt.t.Fatal(err)
	}
	srv := httptest.NewServer(handler)
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/api/state")
	if err != nil {
		lt.t.Fatal(err)
	}
	defer resp.Body.Close()
	state, err := io.ReadAll(resp.Body)
	if err != nil {
		lt.t.Fatal(err)
	}
	return state
}

func TestReplayLogMatchesLiveTwin(t *testing.T) {
	lt := newLiveTwin(t)
	lt.advance(40, 2*sim.Second, false)
	lt.advance(10, 2*sim.Second, true) // a seq gap and a rebirth, recorded too
	// The host loses the broker and comes back: its own connection events
	// are recorded, so the replay goes through the same stale nodes.
	lt.h.Mirror.ConnectionLost()
	_, rebirths, err := lt.h.Mirror.Online()
	if err != nil || len(rebirths) != 1 {
		t.Fatalf("back online: %d rebirth requests, %v", len(rebirths), err)
	}
	lt.rebirth(rebirths[0])
	lt.advance(5, 2*sim.Second, false)
	m := lt.h.Mirror.View()
	if m.Stats.SeqGaps == 0 {
		t.Fatalf("no seq gap: %+v", m.Stats)
	}
	live, data := lt.state(), lt.rec.Bytes()
	if !bytes.Contains(data, []byte(`"event":"connection_lost"`)) {
		t.Fatalf("the recording has no connection event:\n%s", data)
	}
	devices := len(lt.line.Spec().Stations) + len(lt.line.Spec().Arms)
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
			"node " + testGroup + "/test-L1: online",
			strconv.Itoa(devices) + " devices (0 stale)",
			strconv.FormatUint(m.Received, 10) + " messages received",
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
		awaitAPI(hctx, t, "http://"+addr, done, func(resp *http.Response) bool {
			var s struct{ Received uint64 }
			return json.NewDecoder(resp.Body).Decode(&s) == nil && s.Received == m.Received
		})
		cancel()
		if code := <-done; code != exitInterrupted {
			t.Errorf("exit %d after Ctrl-C, want %d", code, exitInterrupted)
		}
	})
}

func TestReplayLogBadInput(t *testing.T) {
	dir := t.TempDir()
	line := `{"time":"2026-01-01T00:00:00Z","topic":"a/b","payload":""}` + "\n"
	bad := filepath.Join(dir, "bad.jsonl") // a bad line in the middle: not a cut
	if err := os.WriteFile(bad, []byte(line+"not json\n"+line), 0o600); err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.jsonl")
	if err := os.WriteFile(cut, []byte(line+line[:20]), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"replay"}, "--log is required"},
		{[]string{"replay", "--log", filepath.Join(dir, "missing.jsonl")}, "no such file"},
		{[]string{"replay", "--log", bad}, "line 2: invalid character"},
		{[]string{"replay", "--log", cut, "--strict"}, "--log " + cut + ": line 2 is cut short (the recording ends mid-line)"},
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

// A recording whose last line was cut (the twin killed mid-write) is
// replayed up to that line, with a warning naming it; --strict refuses it.
func TestReplayLogCutRecording(t *testing.T) {
	lt := newLiveTwin(t)
	lt.advance(20, 2*sim.Second, false)
	data := lt.rec.Bytes()
	n := bytes.Count(data, []byte("\n"))
	start := bytes.LastIndexByte(data[:len(data)-1], '\n') + 1 // of the last line
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	ctx := context.Background()
	args := []string{"--json", "--host-id", testHostID, "--group", testGroup}
	want, errs, code := runWithReplay(ctx, append([]string{"replay", "--log", write("before.jsonl", data[:start])}, args...)...)
	if code != exitOK {
		t.Fatalf("the lines before the last: exit %d: %s", code, errs)
	}
	for _, at := range []int{1, (len(data) - start) / 2, len(data) - start - 2} {
		path := write(fmt.Sprintf("cut-%d.jsonl", at), data[:start+at])
		out, errs, code := runWithReplay(ctx, append([]string{"replay", "--log", path}, args...)...)
		warning := fmt.Sprintf("--log %s: line %d is cut short (the recording ends mid-line): replayed the %d lines before it", path, n, n-1)
		if code != exitOK || !strings.Contains(errs, warning) {
			t.Errorf("cut at byte %d of the last line: exit %d, stderr %q; want 0 and %q", at, code, errs, warning)
		}
		if out != want {
			t.Errorf("cut at byte %d: the mirror is not the replay of the lines before the cut:\n%s\nwant\n%s", at, out, want)
		}
		out, errs, code = runWithReplay(ctx, append([]string{"replay", "--log", path, "--strict"}, args...)...)
		if code != exitBadInput || out != "" || len(lines(errs)) != 1 || !strings.Contains(errs, fmt.Sprintf("line %d is cut short", n)) {
			t.Errorf("--strict: exit %d, stdout %q, stderr %q; want %d, one line and nothing replayed", code, out, errs, exitBadInput)
		}
	}
}
