package host_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/host"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// bandEvents returns the host's OutputOutsideBand events.
func bandEvents(h *host.Host) []host.Deviation {
	var out []host.Deviation
	for _, d := range h.Deviations() {
		if d.Kind == deviation.OutputOutsideBand {
			out = append(out, d)
		}
	}
	return out
}

// Tick forecasts the next hour's good output from the mirror and, an hour
// later, flags output below the band: here the bottleneck breaks for the
// whole window. The window before it, run as forecast, is checked too.
func TestTickFlagsOutputBelowBand(t *testing.T) {
	l := startLine(t, "demo-line", 11)
	h := l.newHost(host.Config{Group: "g", Replications: 40})
	if err := h.SetBandHorizon(30 * time.Minute); err != nil {
		t.Fatal(err)
	}
	l.birth()
	l.advance(300, 2*sim.Second) // 10 minutes in
	if err := h.Tick(); err != nil {
		t.Fatal(err)
	}
	if h.BandChecks() != 0 {
		t.Fatalf("%d windows closed before any ended", h.BandChecks())
	}
	l.advance(900, 2*sim.Second) // to the end of the first window
	if err := h.Tick(); err != nil {
		t.Fatal(err)
	}
	if h.BandChecks() != 1 {
		t.Fatalf("%d windows closed, want 1", h.BandChecks())
	}
	nominal := len(bandEvents(h))
	if err := l.line.Do(twin.Command{Kind: twin.BreakStation, Target: "test"}); err != nil {
		t.Fatal(err)
	}
	l.advance(900, 2*sim.Second)
	if err := h.Tick(); err != nil {
		t.Fatal(err)
	}
	evs := bandEvents(h)
	if h.BandChecks() != 2 || len(evs) != nominal+1 {
		t.Fatalf("after the broken window: %d checks, band events %v", h.BandChecks(), evs)
	}
	ev := evs[len(evs)-1]
	if ev.Device != "demo-line" || !strings.Contains(ev.Reason, "below the forecast band") || ev.Value >= ev.Limit {
		t.Errorf("event %+v: want the line's output below P10", ev)
	}
}

// Without a model Tick only checks for silent nodes.
func TestTickWithoutModel(t *testing.T) {
	h, err := host.New(host.Config{HostID: "h"})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Tick(); err != nil || h.BandChecks() != 0 {
		t.Fatalf("Tick: %v, %d checks", err, h.BandChecks())
	}
	if err := h.SetBandHorizon(time.Second); err == nil {
		t.Error("a 1 s horizon was accepted")
	}
}
