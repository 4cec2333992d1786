package forecast_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/forecast"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// forecaster returns a forecaster of l configured by cfg, fed by l.
func forecaster(l *twintest.Line, cfg forecast.Config) *forecast.Forecaster {
	return l.MustHost(twintest.HostConfig{Forecast: cfg}).Forecast
}

// mustForecast forecasts req with f.
func mustForecast(t *testing.T, f *forecast.Forecaster, req forecast.ForecastRequest) forecast.ForecastJSON {
	t.Helper()
	out, err := f.Forecast(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestForecastDeterministic(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 11)
	one := forecaster(l, forecast.Config{Workers: 1, Seed: 5, Replications: 6, Shift: time.Hour})
	three := forecaster(l, forecast.Config{Workers: 3, Seed: 5, Replications: 6, Shift: time.Hour})
	l.Birth()
	l.Run(10*sim.Minute, 2*sim.Second, nil)

	a := mustForecast(t, one, forecast.ForecastRequest{})
	if b := mustForecast(t, three, forecast.ForecastRequest{}); !reflect.DeepEqual(a, b) {
		t.Errorf("1 worker: %+v\n3 workers: %+v", a, b)
	}
	if a.From != 10*sim.Minute || a.Until != sim.Hour || a.ShiftStart != 0 || a.Replications != 6 || a.Seed != 5 {
		t.Errorf("window %v-%v (shift from %v), %d reps, seed %d", a.From, a.Until, a.ShiftStart, a.Replications, a.Seed)
	}
	// 50 minutes of a line making ~370 good units an hour.
	if a.Good.P50 < 200 || a.Good.P50 > 400 || a.Good.P10 > a.Good.P50 || a.Good.P50 > a.Good.P90 {
		t.Errorf("good %+v", a.Good)
	}
	st, _, err := one.State()
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
	// What a caller does with a forecast changes neither the cache nor the
	// latest forecast.
	a.GoodRuns[0], *a.GoodSoFar = -1, -1
	if latest, _ := one.LatestForecast(); latest.GoodRuns[0] == -1 || *latest.GoodSoFar == -1 {
		t.Error("the latest forecast shares its memory with the caller's")
	}

	// Again from the same state: the same (cached) result; another seed
	// differs; the line moving on moves the window.
	again := mustForecast(t, one, forecast.ForecastRequest{})
	if again.GoodRuns[0] == -1 || !reflect.DeepEqual(again, latest) {
		t.Errorf("again: %+v", again)
	}
	seed := uint64(6)
	if other := mustForecast(t, one, forecast.ForecastRequest{Seed: &seed}); reflect.DeepEqual(other.GoodRuns, latest.GoodRuns) {
		t.Errorf("seed 6: runs %v like seed 5's", other.GoodRuns)
	}
	l.Run(sim.Minute, 2*sim.Second, nil)
	later := mustForecast(t, one, forecast.ForecastRequest{Until: 2 * sim.Hour, Replications: 2})
	if later.From != 11*sim.Minute || later.Until != 2*sim.Hour || len(later.GoodRuns) != 2 {
		t.Errorf("later: %+v", later)
	}
}

func TestForecastNoModel(t *testing.T) {
	m, err := mirror.New(mirror.Config{HostID: "h"})
	if err != nil {
		t.Fatal(err)
	}
	f, err := forecast.New(forecast.Config{}, m)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := f.LatestForecast(); ok {
		t.Error("a latest forecast before any")
	}
	if _, err := f.Forecast(context.Background(), forecast.ForecastRequest{}); !errors.Is(err, mirror.ErrNoModel) {
		t.Errorf("forecast without a model: %v", err)
	}
	if _, err := f.WhatIf(context.Background(), forecast.WhatIfRequest{RepairArm: "arm-1"}); !errors.Is(err, mirror.ErrNoModel) {
		t.Errorf("what-if without a model: %v", err)
	}
	if c := f.Config(); c.Replications != 40 || c.Shift != 8*time.Hour || c.Now == nil {
		t.Errorf("defaults %+v", c)
	}
	if c := f.Config(); c.MaxReplications != forecast.MaxReplications || c.MaxHorizon != 24*time.Hour {
		t.Errorf("default caps: %d replications, horizon %v", c.MaxReplications, c.MaxHorizon)
	}
	for _, c := range []forecast.Config{{Replications: -1}, {Replications: forecast.MaxReplications + 1},
		{Shift: -time.Hour}, {Workers: -1}, {MaxReplications: -1}, {MaxReplications: forecast.MaxReplications + 1},
		{Replications: 50, MaxReplications: 10}, {MaxHorizon: -time.Hour}} {
		if _, err := forecast.New(c, m); err == nil {
			t.Errorf("New(%+v) accepted", c)
		}
	}
	if _, err := forecast.New(forecast.Config{}, nil); err == nil {
		t.Error("New without a source accepted")
	}
}

// Before the copies' births the mirror cannot give the state.
func TestForecastNoStateYet(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 1)
	f := forecaster(l, forecast.Config{})
	if _, err := f.Forecast(context.Background(), forecast.ForecastRequest{}); !errors.Is(err, mirror.ErrNoState) {
		t.Errorf("forecast before any birth: %v", err)
	}
}

func TestForecastKeepsMirroredSpeed(t *testing.T) {
	p50 := func(speed float64) float64 {
		t.Helper()
		l := twintest.MustLine(t, "demo-line", 12)
		f := forecaster(l, forecast.Config{Seed: 1, Replications: 4, Shift: time.Hour})
		l.Birth()
		if speed != 1 {
			l.Do(twin.Command{Kind: twin.SetSpeed, Target: "test", Speed: speed})
		}
		l.Run(10*sim.Minute, 2*sim.Second, nil)
		return mustForecast(t, f, forecast.ForecastRequest{}).Good.P50
	}
	// Test, the bottleneck (400/h), twice as fast: placer (650/h) limits.
	nominal, fast := p50(1), p50(2)
	if fast < nominal*1.3 {
		t.Errorf("forecast P50 %v with the bottleneck twice as fast, %v at nominal speed", fast, nominal)
	}
}

func TestForecastSeveralCopies(t *testing.T) {
	l := twintest.MustLine(t, "phone-factory", 3)
	one := forecaster(l, forecast.Config{Workers: 1, Replications: 3, Shift: time.Hour})
	two := forecaster(l, forecast.Config{Workers: 2, Replications: 3, Shift: time.Hour})
	l.Birth()
	l.Run(10*sim.Minute, 10*sim.Second, nil)
	a := mustForecast(t, one, forecast.ForecastRequest{})
	if b := mustForecast(t, two, forecast.ForecastRequest{}); !reflect.DeepEqual(a, b) {
		t.Errorf("1 worker %+v\n2 workers %+v", a, b)
	}
	if a.From != 10*sim.Minute || a.Good.P10 <= 0 {
		t.Errorf("forecast %+v", a)
	}
}

func TestForecastWhileMirroring(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 5)
	f := forecaster(l, forecast.Config{Replications: 3, Shift: time.Hour})
	l.Birth()
	l.Run(sim.Minute, 2*sim.Second, nil)
	errs := make(chan error, 6)
	for i := range 6 {
		go func() {
			var err error
			if i%2 == 0 {
				_, err = f.Forecast(context.Background(), forecast.ForecastRequest{})
			} else {
				_, err = f.WhatIf(context.Background(), forecast.WhatIfRequest{Buffer: &forecast.BufferChange{Station: "pack", Capacity: 9}})
			}
			errs <- err
		}()
	}
	l.Run(2*sim.Minute, 2*sim.Second, nil) // the mirror moves on meanwhile
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
	if fc, ok := f.LatestForecast(); !ok || fc.From < sim.Minute {
		t.Errorf("latest forecast %v from %v", ok, fc.From)
	}
}

// The good output of the current shift so far is known from the good
// count the forecaster saw at the shift's start.
func TestForecastLaterShift(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 6)
	f := forecaster(l, forecast.Config{Replications: 2, Shift: 5 * time.Minute})
	l.Birth()
	l.Run(149*2*sim.Second, 2*sim.Second, nil) // to 4m58s, the last update of the first shift
	atEnd := l.Line.State().Counters.Good
	l.Run(61*2*sim.Second, 2*sim.Second, nil) // to 7m0s
	fc := mustForecast(t, f, forecast.ForecastRequest{})
	if fc.ShiftStart != 5*sim.Minute || fc.Until != 10*sim.Minute {
		t.Errorf("shift from %v, until %v", fc.ShiftStart, fc.Until)
	}
	now := l.Line.State().Counters.Good
	if fc.GoodSoFar == nil || *fc.GoodSoFar != now-atEnd || fc.ShiftTotal == nil || fc.ShiftTotal.P50 != fc.Good.P50+float64(now-atEnd) {
		t.Errorf("good so far %v (want %d), shift total %v", fc.GoodSoFar, now-atEnd, fc.ShiftTotal)
	}
}

// A forecaster that did not see the shift start (it joined later) does
// not know the good output of the shift so far.
func TestForecastJoinedMidShift(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 6)
	l.Birth()
	l.Run(7*sim.Minute, 2*sim.Second, nil)
	f := forecaster(l, forecast.Config{Replications: 2, Shift: 5 * time.Minute})
	l.Birth() // the new host's rebirth
	l.Run(10*sim.Second, 2*sim.Second, nil)
	if fc := mustForecast(t, f, forecast.ForecastRequest{}); fc.GoodSoFar != nil || fc.ShiftTotal != nil {
		t.Errorf("good so far %v, shift total %v: not seen", fc.GoodSoFar, fc.ShiftTotal)
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
		l := twintest.MustLine(t, "demo-line", uint64(500+j))
		f := l.MustHost(twintest.HostConfig{Mirror: mirror.Config{Group: "g", Log: zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))}}).Forecast
		l.Birth()
		l.Run(fork, 30*sim.Second, nil)
		seed := uint64(j)
		fc := mustForecast(t, f, forecast.ForecastRequest{Until: fork + horizon, Replications: reps, Seed: &seed})
		if fc.From != fork {
			t.Fatalf("forecast from %v, want the fork at %v", fc.From, fork)
		}
		before := l.Line.State().Counters.Good
		l.Line.RunUntil(fork + horizon)
		good := float64(l.Line.State().Counters.Good - before)
		if good >= fc.Good.P10 && good <= fc.Good.P90 {
			inside++
		}
	}
	cov := float64(inside) / float64(trials)
	t.Logf("realised good output inside the mirrored forecast's P10-P90 in %d of %d trials (%.0f%%)", inside, trials, 100*cov)
	if cov < lo || cov > hi {
		t.Errorf("coverage %.0f%%, want %.0f%%-%.0f%%", 100*cov, 100*lo, 100*hi)
	}
}

// The caps on replications and horizon are the configured ones: a request
// beyond them is a *RequestError naming reps or until, and the band
// cannot look further ahead than forecasts may.
func TestForecastCaps(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 4)
	f := forecaster(l, forecast.Config{Replications: 2, MaxReplications: 5, MaxHorizon: 30 * time.Minute, Shift: time.Hour})
	l.Birth()
	l.Run(5*sim.Minute, 2*sim.Second, nil)
	for _, c := range []struct {
		req   forecast.ForecastRequest
		field string
	}{
		{forecast.ForecastRequest{Replications: 6}, "replications"},
		{forecast.ForecastRequest{Until: 36 * sim.Minute}, "until"},
	} {
		var re *forecast.RequestError
		if _, err := f.Forecast(context.Background(), c.req); !errors.As(err, &re) || re.Field != c.field {
			t.Errorf("%+v: %v, want a request error naming %s", c.req, err, c.field)
		}
	}
	if out := mustForecast(t, f, forecast.ForecastRequest{Replications: 5, Until: 35 * sim.Minute}); len(out.GoodRuns) != 5 {
		t.Errorf("at the caps: %d runs", len(out.GoodRuns))
	}
	var re *forecast.RequestError
	if _, err := f.WhatIf(context.Background(), forecast.WhatIfRequest{RepairArm: "arm-1", Replications: 6}); !errors.As(err, &re) || re.Field != "replications" {
		t.Errorf("what-if beyond the cap: %v", err)
	}
	if _, err := forecast.NewBand(f, time.Hour); err == nil {
		t.Error("a band looking further ahead than the horizon cap accepted")
	}
}
