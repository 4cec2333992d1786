package monitor_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/monitor"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// observed returns a mirror on clock observed by a new monitor with cfg.
func observed(t *testing.T, clock *twintest.Clock, cfg monitor.Config) (*mirror.Mirror, *monitor.Monitor) {
	t.Helper()
	m, err := mirror.New(mirror.Config{HostID: "h", Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	mon, err := monitor.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m.Observe(mon)
	return m, mon
}

// The monitor keeps the last DeviationCapacity events, oldest first, and
// counts them all.
func TestDeviationsRing(t *testing.T) {
	clock := twintest.NewClock(time.UnixMilli(twintest.Epoch))
	m, mon := observed(t, clock, monitor.Config{})
	const n = monitor.DeviationCapacity + 5
	for range n {
		m.Receive("spBv1.0/g/NDATA/n", []byte{0xff})
		clock.Add(monitor.FaultInterval)
	}
	evs := mon.Deviations()
	if len(evs) != monitor.DeviationCapacity {
		t.Fatalf("%d events kept, want %d", len(evs), monitor.DeviationCapacity)
	}
	for i, e := range evs {
		if e.Seq != uint64(i+6) || e.Kind != deviation.ProtocolFault || e.Device != "n" || e.Group != "g" {
			t.Fatalf("event %d: %+v", i, e)
		}
		if want := twintest.Epoch + int64(i+5)*monitor.FaultInterval.Milliseconds(); e.Ms() != want {
			t.Fatalf("event %d at %d, want %d", i, e.Ms(), want)
		}
	}
	if c := mon.DeviationCounts(); c[deviation.ProtocolFault] != n || c[deviation.Stale] != 0 {
		t.Errorf("counts %v", c)
	}
	// DeviationsSince keeps those at or after a time.
	cut := evs[len(evs)-3].Ms()
	if since := mon.DeviationsSince(cut); len(since) != 3 || since[0] != evs[len(evs)-3] {
		t.Errorf("since %d: %v", cut, since)
	}
	if since := mon.DeviationsSince(cut + 1e9); len(since) != 0 || since == nil {
		t.Errorf("since after all: %#v", since)
	}
}

// An event raised elsewhere (the output band) is kept for the model's
// group, numbered after the monitor's own, and formats on one line.
func TestAddKeepsEventsForTheModelGroup(t *testing.T) {
	clock := twintest.NewClock(time.UnixMilli(twintest.Epoch))
	m, mon := observed(t, clock, monitor.Config{Model: mirror.Model{Group: "plant"}})
	m.Receive("spBv1.0/plant/NDATA/n", []byte{0xff})
	mon.Add(deviation.Event{Time: sim.Time(twintest.Epoch+1500) * sim.Millisecond, Device: "demo-line",
		Kind: deviation.OutputOutsideBand, Reason: "good output 12 is below the forecast band"})
	evs := mon.Deviations()
	if len(evs) != 2 || evs[1].Seq != 2 || evs[1].Group != "plant" || evs[1].Kind != deviation.OutputOutsideBand {
		t.Fatalf("events %+v", evs)
	}
	if c := mon.DeviationCounts(); c[deviation.OutputOutsideBand] != 1 || c[deviation.ProtocolFault] != 1 {
		t.Errorf("counts %v", c)
	}
	want := "2023-11-14T22:13:21.500Z plant/demo-line OutputOutsideBand: good output 12 is below the forecast band"
	if got := evs[1].String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// Losing the broker connection takes the nodes offline in the mirror:
// CheckStale reports each node and its devices stale, once.
func TestConnectionLostIsStale(t *testing.T) {
	l, h := newRig(t, "demo-line", 1)
	l.Run(30*sim.Second, sim.Second, nil)
	h.Mirror.ConnectionLost()
	h.CheckStale(l.Clock.Now())
	stale := ofKind(h, deviation.Stale)
	if len(stale) != len(deviceIDs(l)) {
		t.Fatalf("%d stale events, want one for the node and each device: %v", len(stale), stale)
	}
	if stale[0].Device != l.NodeID(0) || !strings.Contains(stale[0].Reason, "connection lost") {
		t.Errorf("after losing the broker: %v", stale[0])
	}
	h.CheckStale(l.Clock.Now())
	if n := len(ofKind(h, deviation.Stale)); n != len(stale) {
		t.Errorf("a second check raised %d more", n-len(stale))
	}
}

// A monitor's configuration has its defaults filled in.
func TestNewMonitorDefaults(t *testing.T) {
	mon, err := monitor.New(monitor.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if c := mon.Config(); c.Site != "site" || c.Log == nil {
		t.Errorf("defaults %+v", c)
	}
}
