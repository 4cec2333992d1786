package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

func TestRenderBar(t *testing.T) {
	tests := []struct {
		f       float64
		elapsed time.Duration
		want    string
	}{
		{0, 0, "x [>                             ]   0%  ETA --"},
		{0.5, 10 * time.Second, "x [===============>              ]  50%  ETA 10s"},
		{0.999, time.Minute, "x [=============================>]  99%  ETA 0s"},
		{1, 90 * time.Second, "x [==============================] 100%  done in 1m30s"},
	}
	for _, tt := range tests {
		if got := renderBar("x", tt.f, tt.elapsed); got != tt.want {
			t.Errorf("renderBar(%v, %v) =\n%q, want\n%q", tt.f, tt.elapsed, got, tt.want)
		}
	}
}

func TestConsoleKeepsBarBelowLogs(t *testing.T) {
	var buf bytes.Buffer
	c := &console{w: &buf}
	c.drawBar("[bar]")
	c.Write([]byte("log line\n"))
	c.clearBar()
	want := eraseLine + "[bar]" + eraseLine + "log line\n" + "[bar]" + eraseLine
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func TestFormatSpan(t *testing.T) {
	for in, want := range map[sim.Time]string{
		0: "0s", 7 * sim.Day: "7d", 36 * sim.Hour: "1d12h", 90 * sim.Minute: "1h30m",
		2500 * sim.Millisecond: "2.5s", sim.Day + 1500*sim.Millisecond: "1d1.5s",
	} {
		if got := formatSpan(in); got != want {
			t.Errorf("formatSpan(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestGrouped(t *testing.T) {
	for _, tt := range []struct {
		x    float64
		d    int
		want string
	}{
		{0, 0, "0"}, {999, 0, "999"}, {1000, 0, "1,000"}, {1234567.89, 1, "1,234,567.9"},
		{-1234.5, 1, "-1,234.5"}, {-0.01, 1, "0.0"}, {123456, 2, "123,456.00"},
	} {
		if got := grouped(tt.x, tt.d); got != tt.want {
			t.Errorf("grouped(%v, %d) = %q, want %q", tt.x, tt.d, got, tt.want)
		}
	}
}

func TestOneLine(t *testing.T) {
	got := oneLine("unknown command \"bach\" for \"lightsout\"\n\nDid you mean this?\n\tbatch\n")
	if strings.Contains(got, "\n") || !strings.Contains(got, "did you mean batch?") {
		t.Errorf("oneLine: %q", got)
	}
}

func TestProgressBarThrottlesAndStops(t *testing.T) {
	var buf bytes.Buffer
	b := newProgressBar(&console{w: &buf}, "x")
	b.update(0.1)
	b.update(0.2) // within redrawEvery of the first: skipped
	if n := strings.Count(buf.String(), "%"); n != 1 {
		t.Errorf("%d draws, want 1 (throttled)", n)
	}
	b.update(1) // the final draw always happens
	if !strings.Contains(buf.String(), "100%") {
		t.Error("final draw missing")
	}
	b.done()
	buf.Reset()
	b.update(1)
	if buf.Len() != 0 {
		t.Errorf("drew after done: %q", buf.String())
	}
}
