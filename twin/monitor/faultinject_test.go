package monitor_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/monitor"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// driftBound is the most cycles of the slowed placer (demo-line) after
// which its 20% slowdown must be flagged; see
// TestFaultInjectionCycleTimeDrift.
const driftBound = 10 + 1

// newRig builds copy 1 of an embedded config in group "plant", mirrored
// by a host of that group that has the config as its model, and delivers
// the births. The host's clock follows the line.
func newRig(t *testing.T, config string, seed uint64) (*twintest.Line, *twintest.Host) {
	t.Helper()
	l := twintest.MustLine(t, config, seed)
	l.Group = "plant"
	h := l.MustHost(twintest.HostConfig{Mirror: mirror.Config{HostID: "twin", Group: "plant",
		Log: zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))}})
	l.Birth()
	return l, h
}

// ofKind returns the host's events of kind k.
func ofKind(h *twintest.Host, k deviation.Kind) []monitor.Deviation {
	return twintest.OfKind(h.Monitor, k)
}

// processed returns a station's processed count in the line.
func processed(l *twintest.Line, station string) int64 { return l.Station(station).Counts.Processed }

// Fault injection on demo-line, published every 1.5 s of simulated time.
// The placer, normal(5.5s,300ms), is slowed by 20% (speed 1/1.2) after 20
// minutes, the edge not saying so (its Status/Speed is kept from the host):
// a machine wearing out. Its cycles then average 6.6 s.
//
// The bound, from the CUSUM theory in package deviation's documentation:
// the placer's model sd, measurement noise (1%) included, is
// sqrt(0.3^2 + 0.055^2) = 0.305 s, so Batch is 1 cycle and the shift of
// 1.1 s is 3.61 sd. Each cycle adds about 3.61 - K = 3.11 to C+, which
// crosses H = 14 after 5 cycles on average (Siegmund's approximation of the
// out-of-control ARL: 4.9). After 10 cycles C+ is at least the sum of 10
// N(3.11, 1) steps, N(31.1, 3.16): below 14 with probability about 3e-8.
// So the drift must be flagged within 10 cycles started after the command,
// plus the one in progress when it came (started at the old speed).
//
// The other stations are in control; the two-sided in-control ARL for
// H = 14 is about 3.9 million cycles, against some 2,000 cycles of all
// stations in an hour: a nominal run raises no drift at all.
func TestFaultInjectionCycleTimeDrift(t *testing.T) {
	// The slowed placer's cycles, from its command to the event: see above.
	// (Measured over seeds 1-20: 4 to 8.)
	const (
		slowed   = "placer"
		from     = 20 * sim.Minute
		duration = 60 * sim.Minute
		step     = 1500 * sim.Millisecond
	)
	for _, seed := range []uint64{1, 2} {
		l, h := newRig(t, "demo-line", seed)
		l.Run(from, step, nil)
		if n := len(ofKind(h, deviation.CycleTimeDrift)); n != 0 {
			t.Fatalf("seed %d: %d drift events before the fault: %v", seed, n, h.Monitor.Deviations())
		}
		l.Hide[slowed] = true
		l.Do(twin.Command{Kind: twin.SetSpeed, Target: slowed, Speed: 1 / 1.2})
		start := processed(l, slowed)
		var at int64 = -1 // cycles of the slowed station when flagged
		l.Run(duration-from, step, func() {
			if at < 0 && len(ofKind(h, deviation.CycleTimeDrift)) > 0 {
				at = processed(l, slowed) - start
			}
		})
		drifts := ofKind(h, deviation.CycleTimeDrift)
		if len(drifts) == 0 {
			t.Fatalf("seed %d: no drift raised in %d cycles of the slowed %s", seed, processed(l, slowed)-start, slowed)
		}
		for _, d := range drifts {
			if d.Device != l.NodeID(0)+"/"+slowed || d.Group != l.Group {
				t.Errorf("seed %d: drift on %s/%s, only %s was slowed: %v", seed, d.Group, d.Device, slowed, d)
			}
			if !strings.Contains(d.Reason, "above") {
				t.Errorf("seed %d: a slower station's drift should be above the model: %s", seed, d.Reason)
			}
		}
		if at > driftBound {
			t.Errorf("seed %d: drift flagged after %d cycles of %s, want at most %d", seed, at, slowed, driftBound)
		}
		first := drifts[0]
		if ms := first.Ms(); ms < twintest.Epoch+int64(from/sim.Millisecond) || ms > twintest.Epoch+int64(duration/sim.Millisecond) {
			t.Errorf("seed %d: event time %d ms is not a metric timestamp after the fault", seed, ms)
		}
		t.Logf("seed %d: flagged after %d cycles: %s", seed, at, first.Reason)
	}
}

// A nominal run of the same length raises no drift, and neither does a
// slowdown the edge reports (Status/Speed): the model then expects the
// slower cycle.
func TestFaultInjectionNominal(t *testing.T) {
	for _, commanded := range []bool{false, true} {
		for _, seed := range []uint64{1, 2} {
			l, h := newRig(t, "demo-line", seed)
			l.Run(20*sim.Minute, 1500*sim.Millisecond, nil)
			before := processed(l, "placer")
			if commanded {
				l.Do(twin.Command{Kind: twin.SetSpeed, Target: "placer", Speed: 1 / 1.2})
			}
			l.Run(40*sim.Minute, 1500*sim.Millisecond, nil)
			if processed(l, "placer")-before < 200 {
				t.Fatalf("placer processed only %d units", processed(l, "placer")-before)
			}
			if d := ofKind(h, deviation.CycleTimeDrift); len(d) != 0 {
				t.Errorf("commanded slowdown %v, seed %d: %d drift events, first %v", commanded, seed, len(d), d[0])
			}
			if v := h.Mirror.View(); v.Stats.ProtocolErrors != 0 {
				t.Errorf("protocol errors %+v: %s", v.Stats, v.LastError)
			}
		}
	}
}

// A gap in seq is a ProtocolFault of the node, and the messages dropped
// until the rebirth are counted but rate-limited to one event.
func TestFaultInjectionSeqGap(t *testing.T) {
	l, h := newRig(t, "demo-line", 1)
	l.Run(10*sim.Second, sim.Second, nil)
	for lost := false; !lost; {
		if msgs := l.Step(sim.Second); len(msgs) > 1 {
			l.Deliver(msgs[1:]...) // the first message is lost
			lost = true
		}
	}
	l.Run(3*sim.Second, sim.Second, nil)
	faults := ofKind(h, deviation.ProtocolFault)
	if len(faults) != 1 {
		t.Fatalf("%d protocol fault events, want 1 (rate-limited): %v", len(faults), faults)
	}
	f := faults[0]
	if f.Device != l.NodeID(0) || f.Group != l.Group || !strings.Contains(f.Reason, "seq") {
		t.Errorf("fault event %+v", f)
	}
	if n := h.Monitor.DeviationCounts()[deviation.ProtocolFault]; n != 1 {
		t.Errorf("ProtocolFault count %d, want 1", n)
	}
	// After the rebirth the node reports again. Two malformed payloads in a
	// row are one event (the recorder's interval), counting both faults; one
	// after the interval is a new event that says one was suppressed.
	l.Birth()
	l.Run(20*sim.Second, sim.Second, nil)
	bad := sparkplug.NodeTopic(l.Group, sparkplug.NDATA, l.NodeID(0)).String()
	h.Mirror.Receive(bad, []byte{0xff})
	h.Mirror.Receive(bad, []byte{0xff})
	faults = ofKind(h, deviation.ProtocolFault)
	if len(faults) != 2 || faults[1].Value != 2 || !strings.Contains(faults[1].Reason, "malformed") {
		t.Fatalf("after two malformed payloads: %v", faults)
	}
	l.Clock.Add(monitor.FaultInterval)
	h.Mirror.Receive(bad, []byte{0xff})
	faults = ofKind(h, deviation.ProtocolFault)
	if len(faults) != 3 || faults[2].Value != 4 || !strings.Contains(faults[2].Reason, "1 more suppressed") {
		t.Errorf("after the interval: %v", faults)
	}
}

// deviceIDs returns the node's id and every device's, node/device.
func deviceIDs(l *twintest.Line) []string {
	want := []string{l.NodeID(0)}
	for _, st := range l.Spec.Stations {
		want = append(want, l.NodeID(0)+"/"+st.ID)
	}
	for _, a := range l.Spec.Arms {
		want = append(want, l.NodeID(0)+"/"+a.ID)
	}
	slices.Sort(want)
	return want
}

// An NDEATH makes the node and each of its devices Stale, once; after a
// rebirth a new death is reported again.
func TestFaultInjectionDeath(t *testing.T) {
	l, h := newRig(t, "demo-line", 1)
	l.Run(30*sim.Second, sim.Second, nil)
	deathAt := l.Now()
	l.Die(0)
	want := deviceIDs(l)
	var got []string
	for _, d := range ofKind(h, deviation.Stale) {
		got = append(got, d.Device)
		if d.Ms() != int64(deathAt) || !strings.Contains(d.Reason, "NDEATH") {
			t.Errorf("stale event %v at %d ms, want the death at %d", d, d.Ms(), deathAt)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("stale devices %v, want %v", got, want)
	}
	l.Die(0) // a repeated Will changes nothing
	if n := len(ofKind(h, deviation.Stale)); n != len(want) {
		t.Errorf("%d stale events after a repeated NDEATH, want %d", n, len(want))
	}
	l.Birth()
	l.Run(5*sim.Second, sim.Second, nil)
	l.Die(0)
	if n := len(ofKind(h, deviation.Stale)); n != 2*len(want) {
		t.Errorf("%d stale events after a second life, want %d", n, 2*len(want))
	}
}

// A node that stops sending while online is Stale once the timeout has
// passed on the host's clock, once, and is cleared when it sends again.
func TestFaultInjectionSilence(t *testing.T) {
	l, h := newRig(t, "demo-line", 1)
	l.Run(30*sim.Second, sim.Second, nil)
	last := l.Clock.Now()
	h.CheckStale(l.Clock.Now())
	if n := len(ofKind(h, deviation.Stale)); n != 0 {
		t.Fatalf("%d stale events while reporting", n)
	}
	l.Clock.Set(last.Add(monitor.DefaultStaleTimeout))
	h.CheckStale(l.Clock.Now())
	if n := len(ofKind(h, deviation.Stale)); n != 0 {
		t.Fatalf("%d stale events at exactly the timeout", n)
	}
	l.Clock.Add(time.Second)
	h.CheckStale(l.Clock.Now())
	h.CheckStale(l.Clock.Now())
	stale := ofKind(h, deviation.Stale)
	if len(stale) != 1 || stale[0].Device != l.NodeID(0) || stale[0].Value <= monitor.DefaultStaleTimeout.Seconds() {
		t.Fatalf("stale events %v", stale)
	}
	// It reports again (its clock jumps to the host's), then goes silent
	// again: a new event.
	l.Line.RunUntil(sim.Time(l.Clock.Now().UnixMilli()-twintest.Epoch) * sim.Millisecond)
	l.Run(sim.Second, sim.Second, nil)
	l.Clock.Add(monitor.DefaultStaleTimeout + time.Millisecond)
	h.CheckStale(l.Clock.Now())
	if n := len(ofKind(h, deviation.Stale)); n != 2 {
		t.Errorf("%d stale events after a second silence, want 2", n)
	}
}

// A DDEATH makes that device Stale at the death's timestamp; after its
// DBIRTH a new death is reported again.
func TestFaultInjectionDeviceDeath(t *testing.T) {
	l, h := newRig(t, "demo-line", 1)
	l.Run(10*sim.Second, sim.Second, nil)
	die := func() {
		t.Helper()
		m, err := l.Nodes[0].Session().DeviceDeath("pack", l.Now())
		if err != nil {
			t.Fatal(err)
		}
		l.Deliver(m)
	}
	at := l.Now()
	die()
	stale := ofKind(h, deviation.Stale)
	if len(stale) != 1 || stale[0].Device != l.NodeID(0)+"/pack" || stale[0].Ms() != int64(at) ||
		!strings.Contains(stale[0].Reason, "DDEATH") {
		t.Fatalf("stale events %v", stale)
	}
	l.Clock.Add(500 * time.Millisecond)
	m, err := l.Nodes[0].Session().DeviceBirth("pack", l.Now())
	if err != nil {
		t.Fatal(err)
	}
	l.Deliver(m)
	l.Run(2*sim.Second, sim.Second, nil)
	die()
	if stale = ofKind(h, deviation.Stale); len(stale) != 2 || stale[1].Device != l.NodeID(0)+"/pack" {
		t.Errorf("after a rebirth and death: %v", stale)
	}
	if v := h.Mirror.View(); v.Stats.ProtocolErrors != 0 {
		t.Errorf("protocol errors: %s", v.LastError)
	}
}

// Counters that go back (the line's statistics reset, as after a warm-up)
// restart the baseline: no false drift, and a later slowdown is still
// caught within the bound.
func TestFaultInjectionStatsReset(t *testing.T) {
	l, h := newRig(t, "demo-line", 3)
	l.Run(10*sim.Minute, 1500*sim.Millisecond, nil)
	l.Line.ResetStats()
	l.Run(10*sim.Minute, 1500*sim.Millisecond, nil)
	if n, _ := l.Mirrored(h.Mirror, "placer", packml.MetricProcessed).Int64(); n != processed(l, "placer") || n > 150 {
		t.Fatalf("the mirror's count %d did not restart", n)
	}
	if d := ofKind(h, deviation.CycleTimeDrift); len(d) != 0 {
		t.Fatalf("drift after a statistics reset: %v", d)
	}
	l.Hide["placer"] = true
	l.Do(twin.Command{Kind: twin.SetSpeed, Target: "placer", Speed: 1 / 1.2})
	start := processed(l, "placer")
	var at int64 = -1
	l.Run(10*sim.Minute, 1500*sim.Millisecond, func() {
		if at < 0 && len(ofKind(h, deviation.CycleTimeDrift)) > 0 {
			at = processed(l, "placer") - start
		}
	})
	if at < 0 || at > driftBound {
		t.Errorf("drift flagged after %d cycles, want 0 to %d", at, driftBound)
	}
}
