package host_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/host"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// liveRun feeds h, whose clock is clock, the messages of a demo-line edge
// node: births, data, a lost message (a seq gap, so a rebirth request), a
// rebirth, garbage, a clock set back, and the node's death. It returns the
// number of messages given.
func liveRun(t testing.TB, h *host.Host, clock *fakeClock) int {
	t.Helper()
	spec, err := configs.Resolve("demo-line")
	if err != nil {
		t.Fatal(err)
	}
	line, err := twin.NewLine(spec, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := edge.New(line, edge.Config{Group: "g", EdgeNode: "n1"})
	if err != nil {
		t.Fatal(err)
	}
	sent := 0
	give := func(msgs []sparkplug.Message, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			h.Receive(m.Topic.String(), m.Payload)
			sent++
		}
	}
	will, err := n.Connect(clock.ms())
	if err != nil {
		t.Fatal(err)
	}
	give(n.Birth(clock.ms()))
	run := func(steps int) {
		for range steps {
			line.RunFor(3 * sim.Second)
			give(n.Update(clock.ms()))
		}
	}
	run(15)
	// Lose one message: the host sees a gap and asks for a rebirth.
	line.RunFor(3 * sim.Second)
	msgs, err := n.Update(clock.ms())
	give(msgs[1:], err)
	run(3)
	give(n.Birth(clock.ms()))
	run(10)
	h.Receive("spBv1.0/g/NDATA/n1", []byte{0xff, 0x01})
	h.Receive("not/sparkplug", []byte("x"))
	clock.back(time.Minute)
	run(5)
	give([]sparkplug.Message{will}, nil)
	return sent + 2
}

// A fakeClock advances by an odd step (with nanoseconds) at every reading.
type fakeClock struct{ t time.Time }

func newFakeClock() *fakeClock { return &fakeClock{t: time.Unix(1_790_000_000, 123_456_789)} }

func (c *fakeClock) now() time.Time {
	c.t = c.t.Add(137*time.Millisecond + 4321*time.Nanosecond)
	return c.t
}

func (c *fakeClock) ms() uint64 { return uint64(c.now().UnixMilli()) }

func (c *fakeClock) back(d time.Duration) { c.t = c.t.Add(-d) }

// recordLive runs liveRun on a recording host and returns it, the
// recording and the number of messages.
func recordLive(t testing.TB) (*host.Host, []byte, int) {
	t.Helper()
	var rec bytes.Buffer
	clock := newFakeClock()
	h, err := host.New(host.Config{HostID: "h", Record: &rec, Log: zaptest.NewLogger(t), Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	sent := liveRun(t, h, clock)
	return h, rec.Bytes(), sent
}

// replayedStateJSON returns h's /api/state document.
func replayedStateJSON(t *testing.T, h *host.Host) []byte {
	t.Helper()
	m := h.Mirror()
	b, err := json.MarshalIndent(m.JSON(), "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReplayMatchesLive(t *testing.T) {
	live, rec, sent := recordLive(t)
	lm := live.Mirror()
	if lm.Stats.SeqGaps == 0 || lm.Stats.RebirthRequests == 0 || lm.Stats.Malformed == 0 || len(lm.Nodes) != 1 || !lm.Nodes[0].Stale {
		t.Fatalf("the live run misses a case: stats %+v", lm.Stats)
	}

	for _, speed := range []float64{0, 1e6} {
		var again bytes.Buffer
		r, err := host.NewReplayer(host.Config{HostID: "h", Record: &again, Log: zaptest.NewLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		s, err := r.Replay(context.Background(), bytes.NewReader(rec), speed)
		if err != nil {
			t.Fatal(err)
		}
		if s.Messages != sent {
			t.Errorf("speed %g: replayed %d messages, want %d", speed, s.Messages, sent)
		}
		if got, want := replayedStateJSON(t, r.Host()), replayedStateJSON(t, live); !bytes.Equal(got, want) {
			t.Errorf("speed %g: replayed state differs from the live one:\n%s\nwant\n%s", speed, got, want)
		}
		rm := r.Host().Mirror()
		if rm.Messages("g", "n1") != lm.Messages("g", "n1") {
			t.Errorf("speed %g: node messages %d, want %d", speed, rm.Messages("g", "n1"), lm.Messages("g", "n1"))
		}
		if !bytes.Equal(again.Bytes(), rec) {
			t.Errorf("speed %g: recording the replay does not give the recording back", speed)
		}
		// The live clock was set back once: the last time is before the first.
		if !r.Now().Equal(s.Last) || !s.Last.Before(s.First) {
			t.Errorf("speed %g: clock %v after the replay, summary %+v", speed, r.Now(), s)
		}
	}
}

func TestReplayPacedStopsWithContext(t *testing.T) {
	rec := recLine(time.Unix(1_790_000_000, 0), "a/b", "AQ==") + recLine(time.Unix(1_790_003_600, 0), "a/c", "Ag==")
	r, err := host.NewReplayer(host.Config{HostID: "h"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		s   host.RecordingSummary
		err error
	}
	done := make(chan result, 1)
	first := r.Host().Changed()
	go func() {
		s, err := r.Replay(ctx, strings.NewReader(rec), 1) // an hour's gap in real time
		done <- result{s, err}
	}()
	deadline := time.After(10 * time.Second)
	select {
	case <-first:
	case <-deadline:
		t.Fatal("the first message was not applied")
	}
	cancel()
	select {
	case res := <-done:
		if !errors.Is(res.err, context.Canceled) || res.s.Messages != 1 {
			t.Fatalf("Replay = %+v, %v; want 1 message and context.Canceled", res.s, res.err)
		}
	case <-deadline:
		t.Fatal("Replay did not stop when its context was cancelled")
	}
	if m := r.Host().Mirror(); m.Received != 1 {
		t.Errorf("host received %d messages, want 1", m.Received)
	}
}

// recLine returns one recording line.
func recLine(t time.Time, topic, payload string) string {
	return `{"time":"` + t.UTC().Format(time.RFC3339Nano) + `","topic":"` + topic + `","payload":"` + payload + "\"}\n"
}

func TestRecordingErrors(t *testing.T) {
	t0 := time.Unix(1_790_000_000, 0)
	good := recLine(t0, "a/b", "AQ==") + recLine(t0.Add(time.Second), "a/c", "")
	for _, c := range []struct {
		name, bad, want string
	}{
		{"not JSON", "hello\n", "invalid character"},
		{"empty line", "\n", "empty line"},
		{"no time", `{"topic":"a","payload":""}` + "\n", `no "time"`},
		{"no topic", `{"time":"2026-01-01T00:00:00Z","payload":""}` + "\n", `no "topic"`},
		{"null payload", `{"time":"2026-01-01T00:00:00Z","topic":"a","payload":null}` + "\n", `no "payload"`},
		{"empty topic", `{"time":"2026-01-01T00:00:00Z","topic":"","payload":""}` + "\n", "empty topic"},
		{"bad base64", `{"time":"2026-01-01T00:00:00Z","topic":"a","payload":"!!"}` + "\n", "base64"},
		{"bad time", `{"time":"yesterday","topic":"a","payload":""}` + "\n", "yesterday"},
		{"before 1970", `{"time":"1969-12-31T23:59:59Z","topic":"a","payload":""}` + "\n", "before 1970"},
		{"unknown field", `{"time":"2026-01-01T00:00:00Z","topic":"a","payload":"","qos":1}` + "\n", "qos"},
		{"two values", `{"time":"2026-01-01T00:00:00Z","topic":"a","payload":""} {}` + "\n", "more than one"},
		{"truncated at the end", `{"time":"2026-01-01T00:00:00Z","top`, "truncated"},
		{"unknown event", `{"time":"2026-01-01T00:00:00Z","event":"lunch"}` + "\n", `unknown event "lunch"`},
		{"event with a topic", `{"time":"2026-01-01T00:00:00Z","event":"online","topic":"a"}` + "\n", `an "event" line has no "topic"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := good + c.bad
			if strings.HasSuffix(c.bad, "\n") {
				rec += recLine(t0.Add(2*time.Second), "a/d", "")
			}
			_, err := host.CheckRecording(strings.NewReader(rec))
			var re *host.RecordingError
			if !errors.As(err, &re) || re.Line != 3 || !strings.Contains(err.Error(), c.want) ||
				!strings.Contains(err.Error(), "line 3") {
				t.Fatalf("CheckRecording: %v; want line 3 and %q", err, c.want)
			}
			r, err := host.NewReplayer(host.Config{HostID: "h"})
			if err != nil {
				t.Fatal(err)
			}
			s, err := r.Replay(context.Background(), strings.NewReader(rec), 0)
			if !errors.As(err, &re) || re.Line != 3 {
				t.Fatalf("Replay: %v; want the error of line 3", err)
			}
			// The lines before the bad one are applied, none after.
			if m := r.Host().Mirror(); s.Messages != 2 || m.Received != 2 {
				t.Errorf("applied %d (host received %d), want the 2 lines before the bad one", s.Messages, m.Received)
			}
		})
	}
}

func TestRecordingReaderTooLongAndBroken(t *testing.T) {
	rr := host.NewRecordingReader(io.MultiReader(strings.NewReader(recLine(time.Unix(1_790_000_000, 0), "a", "")),
		&endlessReader{}))
	if _, err := rr.Next(); err != nil {
		t.Fatal(err)
	}
	_, err := rr.Next()
	var re *host.RecordingError
	if !errors.As(err, &re) || re.Line != 2 || !strings.Contains(err.Error(), "longer than") {
		t.Fatalf("err = %v, want line 2 too long", err)
	}
	if _, again := rr.Next(); again != err {
		t.Errorf("after an error Next returned %v, want the same error", again)
	}

	broken := errors.New("disk on fire")
	rr = host.NewRecordingReader(io.MultiReader(strings.NewReader(recLine(time.Unix(1_790_000_000, 0), "a", "")),
		&failingReader{err: broken}))
	if _, err := rr.Next(); err != nil {
		t.Fatal(err)
	}
	if _, err := rr.Next(); !errors.Is(err, broken) || errors.As(err, &re) {
		t.Errorf("err = %v, want the read error (not a line's)", err)
	}
}

// endlessReader is a reader of one endless line.
type endlessReader struct{}

func (*endlessReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

// failingReader is a reader that fails.
type failingReader struct{ err error }

func (f *failingReader) Read([]byte) (int, error) { return 0, f.err }

func TestNewReplayerChecks(t *testing.T) {
	if _, err := host.NewReplayer(host.Config{HostID: "h", Now: time.Now}); err == nil {
		t.Error("NewReplayer accepted a Config.Now")
	}
	r, err := host.NewReplayer(host.Config{HostID: "h"})
	if err != nil {
		t.Fatal(err)
	}
	for _, speed := range []float64{-1, math.Inf(1), math.NaN()} {
		if _, err := r.Replay(context.Background(), strings.NewReader(""), speed); err == nil {
			t.Errorf("speed %v accepted", speed)
		}
	}
}

func FuzzRecordingReader(f *testing.F) {
	// Seeds are short: every input is also replayed, and the fuzzer
	// minimises what it finds.
	_, rec, _ := recordLive(f)
	lines := strings.SplitAfter(string(rec), "\n")
	f.Add([]byte(lines[0]))
	f.Add([]byte(lines[1] + lines[len(lines)-2]))
	f.Add([]byte(recLine(time.Unix(1_790_000_000, 5), "spBv1.0/g/NBIRTH/n", "CAE=")))
	f.Add([]byte("{}\n\n{\"time\":null}"))
	f.Add([]byte(`{"time":"2026-01-01T00:00:00Z","topic":"spBv1.0/STATE/h","payload":"eyJvbmxpbmUiOnRydWV9"}`))
	f.Add([]byte(`{"time":"2026-01-01T00:00:00Z","event":"connection_lost"}` + "\n" + `{"time":"2026-01-01T00:00:01Z","event":"online"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rr := host.NewRecordingReader(bytes.NewReader(data))
		n, lines := 0, 0 // messages, and lines of any kind
		for {
			rec, err := rr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				var re *host.RecordingError
				if !errors.As(err, &re) || re.Line != lines+1 || re.Line != rr.Line() {
					t.Fatalf("after %d lines: %v (line %d)", lines, err, rr.Line())
				}
				break
			}
			if rec.Time.Before(time.Unix(0, 0)) ||
				(rec.Event == "") == (rec.Topic == "") ||
				(rec.Event != "" && rec.Event != host.EventConnectionLost && rec.Event != host.EventOnline) {
				t.Fatalf("accepted %+v", rec)
			}
			lines++
			if rec.Event == "" {
				n++ // a message
			}
		}
		// Replaying whatever is readable never panics, and applies
		// exactly the records read.
		r, err := host.NewReplayer(host.Config{HostID: "h"})
		if err != nil {
			t.Fatal(err)
		}
		s, _ := r.Replay(context.Background(), bytes.NewReader(data), 0)
		if m := r.Host().Mirror(); s.Messages != n || m.Received != uint64(n) {
			t.Fatalf("replayed %d, host received %d, reader read %d", s.Messages, m.Received, n)
		}
	})
}
