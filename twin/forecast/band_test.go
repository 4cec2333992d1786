package forecast_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/forecast"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// mustBand returns an output-band check of f with windows of horizon.
func mustBand(t *testing.T, f *forecast.Forecaster, horizon time.Duration) *forecast.Band {
	t.Helper()
	b, err := forecast.NewBand(f, horizon)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The band forecasts the next window's good output from the mirror and,
// once the mirror is past it, flags output below the band: here the
// bottleneck breaks for the whole window. The window before it, run as
// forecast, is checked too.
func TestBandFlagsOutputBelowBand(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 11)
	f := l.MustHost(twintest.HostConfig{Mirror: mirror.Config{Group: "g"}, Forecast: forecast.Config{Replications: 40}}).Forecast
	b := mustBand(t, f, 30*time.Minute)
	l.Birth()
	l.Run(10*sim.Minute, 2*sim.Second, nil)
	if ev, err := b.Check(); err != nil || ev != nil || b.Checks() != 0 {
		t.Fatalf("first check: %v, %v; %d windows closed before any ended", ev, err, b.Checks())
	}
	l.Run(30*sim.Minute, 2*sim.Second, nil) // to the end of the first window
	nominal, err := b.Check()
	if err != nil || b.Checks() != 1 {
		t.Fatalf("%d windows closed, want 1 (%v)", b.Checks(), err)
	}
	if nominal != nil {
		t.Logf("the nominal window was outside its band: %+v", nominal)
	}
	l.Do(twin.Command{Kind: twin.BreakStation, Target: "test"})
	l.Run(30*sim.Minute, 2*sim.Second, nil)
	ev, err := b.Check()
	if err != nil || ev == nil || b.Checks() != 2 {
		t.Fatalf("after the broken window: %d checks, event %v (%v)", b.Checks(), ev, err)
	}
	if ev.Device != "demo-line" || !strings.Contains(ev.Reason, "below the forecast band") || ev.Value >= ev.Limit {
		t.Errorf("event %+v: want the line's output below P10", ev)
	}
	if ev.Time != sim.Time(l.Now())*sim.Millisecond {
		t.Errorf("event at %v, want the host's clock %d ms", ev.Time, l.Now())
	}
	// The next window is open: checking again before its end raises
	// nothing.
	if ev, err := b.Check(); ev != nil || err != nil || b.Checks() != 2 {
		t.Errorf("check within the next window: %v, %v, %d checks", ev, err, b.Checks())
	}
}

// Without a model, or before the mirror holds the line's state, the band
// checks nothing and fails nothing; a window under a minute is refused.
func TestBandWithoutModelOrState(t *testing.T) {
	m, err := mirror.New(mirror.Config{HostID: "h"})
	if err != nil {
		t.Fatal(err)
	}
	noModel, err := forecast.New(forecast.Config{}, m)
	if err != nil {
		t.Fatal(err)
	}
	l := twintest.MustLine(t, "demo-line", 1)
	unborn := forecaster(l, forecast.Config{})
	for name, f := range map[string]*forecast.Forecaster{"no model": noModel, "no state": unborn} {
		b := mustBand(t, f, time.Minute)
		if ev, err := b.Check(); ev != nil || err != nil || b.Checks() != 0 {
			t.Errorf("%s: %v, %v, %d checks", name, ev, err, b.Checks())
		}
	}
	if _, err := forecast.NewBand(noModel, time.Second); err == nil {
		t.Error("a 1 s horizon was accepted")
	}
}
