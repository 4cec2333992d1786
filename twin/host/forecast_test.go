package host_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/host"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// getJSON GETs url and decodes the answer into v; it returns the status.
func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("GET %s: content type %q", url, ct)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode
}

func TestForecastDeterministic(t *testing.T) {
	l := startLine(t, "demo-line", 11)
	one := l.newHost(host.Config{Workers: 1, Seed: 5, Replications: 6, Shift: time.Hour})
	three := l.newHost(host.Config{Workers: 3, Seed: 5, Replications: 6, Shift: time.Hour})
	l.birth()
	l.advance(300, 2*sim.Second) // 10 minutes

	a, err := one.Forecast(host.ForecastRequest{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := three.Forecast(host.ForecastRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("1 worker: %+v\n3 workers: %+v", a, b)
	}
	if a.From != 10*sim.Minute || a.Until != sim.Hour || a.ShiftStart != 0 || a.Replications != 6 || a.Seed != 5 {
		t.Errorf("window %v-%v (shift from %v), %d reps, seed %d", a.From, a.Until, a.ShiftStart, a.Replications, a.Seed)
	}
	// 50 minutes of a line making ~370 good units an hour.
	if a.Good.P50 < 200 || a.Good.P50 > 400 || a.Good.P10 > a.Good.P50 || a.Good.P50 > a.Good.P90 {
		t.Errorf("good %+v", a.Good)
	}
	st, err := one.State()
	if err != nil {
		t.Fatal(err)
	}
	if a.GoodSoFar == nil || *a.GoodSoFar != st.Counters.Good || a.ShiftTotal == nil ||
		a.ShiftTotal.P50 != a.Good.P50+float64(st.Counters.Good) {
		t.Errorf("first shift: good so far %v, total %v; state counters %+v", a.GoodSoFar, a.ShiftTotal, st.Counters)
	}
	if len(a.GoodRuns) != 6 {
		t.Errorf("%d runs", len(a.GoodRuns))
	}
	latest, ok := one.LatestForecast()
	if !ok || !reflect.DeepEqual(latest, a) {
		t.Errorf("latest forecast %v %+v", ok, latest)
	}

	// Again from the same state: the same (cached) result; another seed
	// differs; the line moving on moves the window.
	again, err := one.Forecast(host.ForecastRequest{})
	if err != nil || !reflect.DeepEqual(again, a) {
		t.Errorf("again: %v %+v", err, again)
	}
	seed := uint64(6)
	other, err := one.Forecast(host.ForecastRequest{Seed: &seed})
	if err != nil || reflect.DeepEqual(other.GoodRuns, a.GoodRuns) {
		t.Errorf("seed 6: %v, runs %v like seed 5's", err, other.GoodRuns)
	}
	l.advance(30, 2*sim.Second)
	later, err := one.Forecast(host.ForecastRequest{Until: 2 * sim.Hour, Replications: 2})
	if err != nil || later.From != 11*sim.Minute || later.Until != 2*sim.Hour || len(later.GoodRuns) != 2 {
		t.Errorf("later: %v %+v", err, later)
	}
}

func TestForecastNoLatestBeforeFirst(t *testing.T) {
	h, err := host.New(host.Config{HostID: "h"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := h.LatestForecast(); ok {
		t.Error("a latest forecast before any")
	}
	if _, err := h.Forecast(host.ForecastRequest{}); !errors.Is(err, host.ErrNoModel) {
		t.Errorf("forecast without a model: %v", err)
	}
}

func TestForecastAPI(t *testing.T) {
	l := startLine(t, "demo-line", 2)
	h := l.newHost(host.Config{Seed: 1, Replications: 3, Shift: 30 * time.Minute})
	l.birth()
	l.advance(60, 2*sim.Second) // 2 minutes
	srv := httptest.NewServer(h.Handler())
	defer srv.Close()

	var f host.ForecastJSON
	if code := getJSON(t, srv.URL+"/api/forecast?until=20m&reps=4&seed=9", &f); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if f.Until != 20*sim.Minute || f.Replications != 4 || f.Seed != 9 || len(f.GoodRuns) != 4 {
		t.Errorf("forecast %+v", f)
	}
	direct, err := h.Forecast(host.ForecastRequest{Until: 20 * sim.Minute, Replications: 4, Seed: &f.Seed})
	if err != nil || !reflect.DeepEqual(direct, f) {
		t.Errorf("API %+v, direct %+v (%v)", f, direct, err)
	}

	for _, c := range []struct{ query, field string }{
		{"reps=0", "reps"},
		{"reps=10001", "reps"},
		{"reps=x", "reps"},
		{"seed=-1", "seed"},
		{"until=1m", "until"},  // before now (2m)
		{"until=10h", "until"}, // more than 3 shifts ahead
		{"until=5", "until"},
		{"until=0s", "until"},
		{"colour=red", "colour"},
		{"reps=2&reps=3", "reps"},
	} {
		var e struct{ Error string }
		code := getJSON(t, srv.URL+"/api/forecast?"+c.query, &e)
		if code != http.StatusBadRequest || !strings.HasPrefix(e.Error, c.field+":") {
			t.Errorf("%s: status %d, error %q (want 400 naming %s)", c.query, code, e.Error, c.field)
		}
	}

	noModel, err := host.New(host.Config{HostID: "h"})
	if err != nil {
		t.Fatal(err)
	}
	srv2 := httptest.NewServer(noModel.Handler())
	defer srv2.Close()
	var e struct{ Error string }
	if code := getJSON(t, srv2.URL+"/api/forecast", &e); code != http.StatusConflict || !strings.Contains(e.Error, "--config") {
		t.Errorf("no model: status %d, %q", code, e.Error)
	}
}

func TestForecastKeepsMirroredSpeed(t *testing.T) {
	p50 := func(speed float64) float64 {
		t.Helper()
		l := startLine(t, "demo-line", 12)
		h := l.newHost(host.Config{Seed: 1, Replications: 4, Shift: time.Hour})
		l.birth()
		if speed != 1 {
			if err := l.line.Do(twin.Command{Kind: twin.SetSpeed, Target: "test", Speed: speed}); err != nil {
				t.Fatal(err)
			}
		}
		l.advance(300, 2*sim.Second)
		f, err := h.Forecast(host.ForecastRequest{})
		if err != nil {
			t.Fatal(err)
		}
		return f.Good.P50
	}
	// Test, the bottleneck (400/h), twice as fast: placer (650/h) limits.
	nominal, fast := p50(1), p50(2)
	if fast < nominal*1.3 {
		t.Errorf("forecast P50 %v with the bottleneck twice as fast, %v at nominal speed", fast, nominal)
	}
}

func TestForecastSeveralCopies(t *testing.T) {
	l := startLine(t, "phone-factory", 3)
	one := l.newHost(host.Config{Workers: 1, Replications: 3, Shift: time.Hour})
	two := l.newHost(host.Config{Workers: 2, Replications: 3, Shift: time.Hour})
	l.birth()
	l.advance(60, 10*sim.Second)
	a, err := one.Forecast(host.ForecastRequest{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := two.Forecast(host.ForecastRequest{})
	if err != nil || !reflect.DeepEqual(a, b) {
		t.Errorf("1 worker %+v\n2 workers %+v (%v)", a, b, err)
	}
	if a.From != 10*sim.Minute || a.Good.P10 <= 0 {
		t.Errorf("forecast %+v", a)
	}
}

func TestForecastWhileMirroring(t *testing.T) {
	l := startLine(t, "demo-line", 5)
	h := l.newHost(host.Config{Replications: 3, Shift: time.Hour})
	l.birth()
	l.advance(30, 2*sim.Second)
	errs := make(chan error, 6)
	for i := range 6 {
		go func() {
			var err error
			if i%2 == 0 {
				_, err = h.Forecast(host.ForecastRequest{})
			} else {
				_, err = h.WhatIf(host.WhatIfRequest{Buffer: &host.BufferChange{Station: "pack", Capacity: 9}})
			}
			errs <- err
		}()
	}
	l.advance(60, 2*sim.Second) // the mirror moves on meanwhile
	deadline := time.After(time.Minute)
	for range 6 {
		select {
		case err := <-errs:
			if err != nil {
				t.Error(err)
			}
		case <-deadline:
			t.Fatal("forecasts did not finish within a minute")
		}
	}
	f, ok := h.LatestForecast()
	if !ok || f.From < sim.Minute {
		t.Errorf("latest forecast %v from %v", ok, f.From)
	}
}

func TestForecastLaterShift(t *testing.T) {
	l := startLine(t, "demo-line", 6)
	h := l.newHost(host.Config{Replications: 2, Shift: 5 * time.Minute})
	l.birth()
	l.advance(149, 2*sim.Second) // to 4m58s, the last update of the first shift
	atEnd := l.line.State().Counters.Good
	l.advance(61, 2*sim.Second) // to 7m0s
	f, err := h.Forecast(host.ForecastRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if f.ShiftStart != 5*sim.Minute || f.Until != 10*sim.Minute {
		t.Errorf("shift from %v, until %v", f.ShiftStart, f.Until)
	}
	switch now := l.line.State().Counters.Good; {
	case f.GoodSoFar == nil && f.ShiftTotal == nil:
		// The host is not told of every message (observe not wired):
		// the shift's start is unknown.
		t.Log("good output of the shift so far unknown")
	case f.GoodSoFar == nil || *f.GoodSoFar != now-atEnd || f.ShiftTotal == nil || f.ShiftTotal.P50 != f.Good.P50+float64(now-atEnd):
		t.Errorf("good so far %v (want %d), shift total %v", f.GoodSoFar, now-atEnd, f.ShiftTotal)
	}
}

// TestForecastFromMirrorCoverage is the forecast check through the twin:
// the state is assembled from what the edge node published (not from the
// line itself), forked, and the line goes on with its own random numbers.
// The realised good output of the window should fall in the forecast's
// P10-P90 band in about 80% of the trials; with the band taken from n = 30
// replications the expected coverage of a new run is (27.1 - 3.9) / 31 =
// 75% (type-7 quantiles sit at order statistics 3.9 and 27.1), and over 60
// trials the count is binomial with sd 5.6%: the bounds are about 2.7 sd.
func TestForecastFromMirrorCoverage(t *testing.T) {
	trials, reps, lo, hi := 60, 30, 0.60, 0.90
	if testing.Short() {
		trials, reps, lo, hi = 8, 10, 0.25, 1
	}
	const fork, horizon = 3 * sim.Hour, 2 * sim.Hour
	inside := 0
	for j := range trials {
		l := startLine(t, "demo-line", uint64(500+j))
		h := l.newHost(host.Config{Group: "g", Log: zap.NewNop()})
		l.birth()
		l.advance(int(fork/(30*sim.Second)), 30*sim.Second)
		seed := uint64(j)
		f, err := h.Forecast(host.ForecastRequest{Until: fork + horizon, Replications: reps, Seed: &seed})
		if err != nil {
			t.Fatal(err)
		}
		if f.From != fork {
			t.Fatalf("forecast from %v, want the fork at %v", f.From, fork)
		}
		before := l.line.State().Counters.Good
		l.line.RunUntil(fork + horizon)
		good := float64(l.line.State().Counters.Good - before)
		if good >= f.Good.P10 && good <= f.Good.P90 {
			inside++
		}
	}
	cov := float64(inside) / float64(trials)
	t.Logf("realised good output inside the mirrored forecast's P10-P90 in %d of %d trials (%.0f%%)", inside, trials, 100*cov)
	if cov < lo || cov > hi {
		t.Errorf("coverage %.0f%%, want %.0f%%-%.0f%%", 100*cov, 100*lo, 100*hi)
	}
}
