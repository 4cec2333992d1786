package mirror_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// updateLog is an observer that writes down every update it is given.
type updateLog []string

func (l *updateLog) Observe(u *mirror.Update) {
	*l = append(*l, fmt.Sprintf("%s %q %v err=%v node=%v/%v/%d device=%v/%v %d metrics",
		u.Time.Format(time.RFC3339Nano), u.Event, u.Topic, u.Err, u.NodeKnown, u.Node.Online, u.Node.Seq,
		u.DeviceKnown, u.Device.Online, len(u.Device.Metrics)))
}

// recordLive feeds a recording mirror observed by o, whose clock ticks
// an odd step (with nanoseconds) at every reading, the messages of a
// demo-line edge node: births, data, a lost message (a seq gap, so a
// rebirth request), a rebirth, the broker restarting, garbage, the clock
// set back, and the node's death. It returns the mirror, the recording and the number of
// messages given.
func recordLive(tb testing.TB, o mirror.Observer) (*mirror.Mirror, []byte, int) {
	tb.Helper()
	var rec bytes.Buffer
	clock := twintest.NewTickingClock(time.Unix(1_790_000_000, 123_456_789), 137*time.Millisecond+4321*time.Nanosecond)
	l := twintest.MustLine(tb, "demo-line", 5)
	m := l.MustMirror(mirror.Config{Record: &rec, Now: clock.Now})
	if o != nil {
		m.Observe(o)
	}
	const step = 3 * sim.Second
	l.Birth()
	l.Run(15*step, step, nil)
	asked := 0 // the first message of the next step is lost
	l.Drop = func(sparkplug.Message) bool { asked++; return asked == 1 }
	for asked == 0 {
		l.Run(step, step, nil)
	}
	l.Drop = nil
	l.Run(3*step, step, nil)
	rebirth := func() {
		births, err := l.Nodes[0].Birth(l.Now()) // the rebirth asked for
		if err != nil {
			tb.Fatal(err)
		}
		l.Deliver(births...)
	}
	rebirth()
	l.Run(10*step, step, nil)
	m.ConnectionLost() // the broker restarts
	if _, rebirths, err := m.Online(); err != nil || len(rebirths) != 1 {
		tb.Fatalf("online again: %v, %d rebirth requests", err, len(rebirths))
	}
	rebirth()
	l.Run(2*step, step, nil)
	m.Receive("spBv1.0/g/NDATA/"+l.NodeID(0), []byte{0xff, 0x01})
	m.Receive("not/sparkplug", []byte("x"))
	clock.Add(-time.Minute)
	l.Run(5*step, step, nil)
	l.Die(0)
	return m, rec.Bytes(), l.Delivered + 2
}

// viewJSON formats a view for a failure message.
func viewJSON(v mirror.View) string {
	b, _ := json.MarshalIndent(v, "", " ")
	return string(b)
}

// A replay gives the live mirror back, byte for byte: the same view (host
// times included), the same updates to its observers, and the same
// recording when recorded again.
func TestReplayMatchesLive(t *testing.T) {
	var liveLog updateLog
	live, rec, sent := recordLive(t, &liveLog)
	lv := live.View()
	if lv.Stats.SeqGaps == 0 || lv.Stats.RebirthRequests == 0 || lv.Stats.Malformed == 0 || len(lv.Nodes) != 1 || !lv.Nodes[0].Stale {
		t.Fatalf("the live run misses a case: stats %+v", lv.Stats)
	}
	sum, err := mirror.CheckRecording(bytes.NewReader(rec))
	if err != nil || sum.Messages != sent {
		t.Fatalf("CheckRecording: %+v, %v; want %d messages", sum, err, sent)
	}

	for _, speed := range []float64{0, 1e6} {
		t.Run(fmt.Sprint("speed ", speed), func(t *testing.T) {
			var again bytes.Buffer
			r, err := mirror.NewReplayer(mirror.Config{HostID: "h", Record: &again, Log: zaptest.NewLogger(t)})
			if err != nil {
				t.Fatal(err)
			}
			var replayLog updateLog
			r.Mirror().Observe(&replayLog)
			s, err := r.Replay(context.Background(), bytes.NewReader(rec), speed)
			if err != nil {
				t.Fatal(err)
			}
			if s != sum {
				t.Errorf("replayed %+v, the recording holds %+v", s, sum)
			}
			if rv := r.Mirror().View(); !reflect.DeepEqual(rv, lv) {
				t.Errorf("replayed view differs from the live one:\n%s\nwant\n%s", viewJSON(rv), viewJSON(lv))
			}
			if got, want := r.Mirror().NodeMessages("g", "demo-line-L1"), live.NodeMessages("g", "demo-line-L1"); got != want || got == 0 {
				t.Errorf("node messages %d, want %d", got, want)
			}
			if !slices.Equal(replayLog, liveLog) {
				t.Errorf("observers of the replay saw %d updates, of the live mirror %d; first difference at %d",
					len(replayLog), len(liveLog), firstDiff(replayLog, liveLog))
			}
			if !bytes.Equal(again.Bytes(), rec) {
				t.Error("recording the replay does not give the recording back")
			}
			// The live clock was set back once: the last time is before the first.
			if !r.Now().Equal(s.Last) || !s.Last.Before(s.First) || s.Span() >= 0 {
				t.Errorf("clock %v after the replay, summary %+v", r.Now(), s)
			}
		})
	}
}

// firstDiff returns the first index where a and b differ.
func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestReplayPacedStopsWithContext(t *testing.T) {
	rec := recLine(time.Unix(1_790_000_000, 0), "a/b", "AQ==") + recLine(time.Unix(1_790_003_600, 0), "a/c", "Ag==")
	r, err := mirror.NewReplayer(mirror.Config{HostID: "h"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		s   mirror.RecordingSummary
		err error
	}
	done := make(chan result, 1)
	first := r.Mirror().Changed()
	go func() {
		s, err := r.Replay(ctx, strings.NewReader(rec), 1) // an hour's gap in real time
		done <- result{s, err}
	}()
	timeout := time.After(10 * time.Second)
	select {
	case <-first:
	case <-timeout:
		t.Fatal("the first message was not applied")
	}
	cancel()
	select {
	case res := <-done:
		if !errors.Is(res.err, context.Canceled) || res.s.Messages != 1 {
			t.Fatalf("Replay = %+v, %v; want 1 message and context.Canceled", res.s, res.err)
		}
	case <-timeout:
		t.Fatal("Replay did not stop when its context was cancelled")
	}
	if v := r.Mirror().View(); v.Received != 1 {
		t.Errorf("the mirror received %d messages, want 1", v.Received)
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
		{"truncated at the end", `{"time":"2026-01-01T00:00:00Z","top`, "cut short"},
		{"unknown event", `{"time":"2026-01-01T00:00:00Z","event":"lunch"}` + "\n", `unknown event "lunch"`},
		{"event with a topic", `{"time":"2026-01-01T00:00:00Z","event":"online","topic":"a"}` + "\n", `an "event" line has no "topic"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := good + c.bad
			if strings.HasSuffix(c.bad, "\n") {
				rec += recLine(t0.Add(2*time.Second), "a/d", "")
			}
			_, err := mirror.CheckRecording(strings.NewReader(rec))
			var re *mirror.RecordingError
			if !errors.As(err, &re) || re.Line != 3 || !strings.Contains(err.Error(), c.want) ||
				!strings.Contains(err.Error(), "line 3") {
				t.Fatalf("CheckRecording: %v; want line 3 and %q", err, c.want)
			}
			r, err := mirror.NewReplayer(mirror.Config{HostID: "h"})
			if err != nil {
				t.Fatal(err)
			}
			s, err := r.Replay(context.Background(), strings.NewReader(rec), 0)
			if !errors.As(err, &re) || re.Line != 3 {
				t.Fatalf("Replay: %v; want the error of line 3", err)
			}
			// The lines before the bad one are applied, none after.
			if v := r.Mirror().View(); s.Messages != 2 || v.Received != 2 {
				t.Errorf("applied %d (the mirror received %d), want the 2 lines before the bad one", s.Messages, v.Received)
			}
		})
	}
}

func TestRecordingReaderTooLongAndBroken(t *testing.T) {
	rr := mirror.NewRecordingReader(io.MultiReader(strings.NewReader(recLine(time.Unix(1_790_000_000, 0), "a", "")),
		&endlessReader{}))
	if _, err := rr.Next(); err != nil {
		t.Fatal(err)
	}
	_, err := rr.Next()
	var re *mirror.RecordingError
	if !errors.As(err, &re) || re.Line != 2 || !strings.Contains(err.Error(), "longer than") {
		t.Fatalf("err = %v, want line 2 too long", err)
	}
	if _, again := rr.Next(); again != err {
		t.Errorf("after an error Next returned %v, want the same error", again)
	}

	broken := errors.New("disk on fire")
	rr = mirror.NewRecordingReader(io.MultiReader(strings.NewReader(recLine(time.Unix(1_790_000_000, 0), "a", "")),
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
	if _, err := mirror.NewReplayer(mirror.Config{HostID: "h", Now: time.Now}); err == nil {
		t.Error("NewReplayer accepted a Config.Now")
	}
	if _, err := mirror.NewReplayer(mirror.Config{HostID: "a/b"}); err == nil {
		t.Error("NewReplayer accepted a bad host id")
	}
	r, err := mirror.NewReplayer(mirror.Config{HostID: "h"})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Now().Equal(time.Unix(0, 0)) {
		t.Errorf("clock %v before the replay, want the Unix epoch", r.Now())
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
	_, rec, _ := recordLive(f, nil)
	lines := strings.SplitAfter(string(rec), "\n")
	f.Add([]byte(lines[0]))
	f.Add([]byte(lines[1] + lines[len(lines)-2]))
	f.Add([]byte(recLine(time.Unix(1_790_000_000, 5), "spBv1.0/g/NBIRTH/n", "CAE=")))
	f.Add([]byte("{}\n\n{\"time\":null}"))
	f.Add([]byte(`{"time":"2026-01-01T00:00:00Z","topic":"spBv1.0/STATE/h","payload":"eyJvbmxpbmUiOnRydWV9"}`))
	f.Add([]byte(`{"time":"2026-01-01T00:00:00Z","event":"connection_lost"}` + "\n" + `{"time":"2026-01-01T00:00:01Z","event":"online"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rr := mirror.NewRecordingReader(bytes.NewReader(data))
		n, lines := 0, 0 // messages, and lines of any kind
		for {
			rec, err := rr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				var re *mirror.RecordingError
				if !errors.As(err, &re) || re.Line != lines+1 || re.Line != rr.Line() {
					t.Fatalf("after %d lines: %v (line %d)", lines, err, rr.Line())
				}
				break
			}
			if rec.Time.Before(time.Unix(0, 0)) ||
				(rec.Event == "") == (rec.Topic == "") ||
				(rec.Event != "" && rec.Event != mirror.EventConnectionLost && rec.Event != mirror.EventOnline) {
				t.Fatalf("accepted %+v", rec)
			}
			lines++
			if rec.Event == "" {
				n++ // a message
			}
		}
		// Replaying whatever is readable never panics, and applies
		// exactly the records read.
		r, err := mirror.NewReplayer(mirror.Config{HostID: "h"})
		if err != nil {
			t.Fatal(err)
		}
		s, _ := r.Replay(context.Background(), bytes.NewReader(data), 0)
		if v := r.Mirror().View(); s.Messages != n || v.Received != uint64(n) {
			t.Fatalf("replayed %d, the mirror received %d, the reader read %d", s.Messages, v.Received, n)
		}
	})
}
