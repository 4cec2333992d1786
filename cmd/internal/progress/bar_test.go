package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

func TestRender(t *testing.T) {
	tests := []struct {
		f       float64
		elapsed time.Duration
		want    string
	}{
		{0, 0, "x [>                             ]   0%  ETA --"},
		{0.5, 10 * time.Second, "x [===============>              ]  50%  ETA 10s"},
		{0.999, time.Minute, "x [=============================>]  99%  ETA 0s"},
		{1, 90 * time.Second, "x [==============================] 100%  done in 1m30s"},
		{1.5, time.Second, "x [==============================] 100%  done in 1s"},
	}
	for _, tt := range tests {
		if got := render("x", tt.f, tt.elapsed); got != tt.want {
			t.Errorf("render(%v, %v) =\n%q, want\n%q", tt.f, tt.elapsed, got, tt.want)
		}
	}
}

func TestConsoleKeepsBarBelowLogs(t *testing.T) {
	var buf bytes.Buffer
	c := NewConsole(&buf)
	c.Write([]byte("before\n"))
	c.drawBar("[bar]")
	c.Write([]byte("log line\n"))
	c.clearBar()
	c.clearBar() // nothing left to erase
	c.Write([]byte("after\n"))
	want := "before\n" + eraseLine + "[bar]" + eraseLine + "log line\n" + "[bar]" + eraseLine + "after\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

// fakeClock is a clock that moves only when told.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestBarThrottlesAndStops(t *testing.T) {
	var buf bytes.Buffer
	clock := &fakeClock{t: time.Unix(1000, 0)}
	b := newBar(NewConsole(&buf), "x", clock.now)
	draws := func() int { return strings.Count(buf.String(), "%") }
	b.Update(0.1)
	clock.t = clock.t.Add(redrawEvery - time.Millisecond)
	b.Update(0.2) // within redrawEvery of the first: skipped
	if n := draws(); n != 1 {
		t.Errorf("%d draws, want 1 (throttled)", n)
	}
	clock.t = clock.t.Add(time.Millisecond)
	b.Update(0.3)
	if n := draws(); n != 2 || !strings.HasSuffix(buf.String(), " 30%  ETA 0s") {
		t.Errorf("%d draws, screen %q: want a second draw at 30%%", n, buf.String())
	}
	b.Update(1) // the final draw always happens
	if !strings.Contains(buf.String(), "100%  done in 0s") {
		t.Errorf("final draw missing: %q", buf.String())
	}
	b.Done()
	buf.Reset()
	clock.t = clock.t.Add(time.Hour)
	b.Update(1)
	if buf.Len() != 0 {
		t.Errorf("drew after Done: %q", buf.String())
	}
}

func TestLogEveryTenth(t *testing.T) {
	core, logs := observer.New(zapcore.InfoLevel)
	progress := Log(zap.New(core), "sweep progress")
	for _, f := range []float64{0.05, 0.1, 0.15, 0.35, 0.36, 1} {
		progress(f)
	}
	var got []int64
	for _, e := range logs.FilterMessage("sweep progress").All() {
		got = append(got, e.ContextMap()["percent"].(int64))
	}
	want := []int64{10, 35, 100}
	if len(got) != len(want) {
		t.Fatalf("logged %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("logged %v, want %v", got, want)
		}
	}
}
