package host_test

import (
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/host"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// driftBound is the most cycles of the slowed placer (demo-line) after
// which its 20% slowdown must be flagged; see
// TestFaultInjectionCycleTimeDrift.
const driftBound = 10 + 1

// rigEpoch is the wall-clock time (ms) of simulated time 0 in a rig: the
// edge stamps metrics with it and the host's clock follows the line.
const rigEpoch = 1_700_000_000_000

// A rig is a modelled line published by an edge.Node straight into a Host,
// without MQTT, the host's clock following the simulated one.
type rig struct {
	t     testing.TB
	spec  *twin.Spec
	line  *twin.Line
	node  *edge.Node
	h     *host.Host
	clock *atomic.Int64 // the host's clock, ms since the epoch
	group string
	id    string // the edge node id
	will  sparkplug.Message

	// hide names the devices whose Status/Speed the host must not see: a
	// station slowed "by wear", not by command.
	hide       map[string]bool
	speedAlias map[string]uint64 // device -> alias of its Status/Speed
	sent       int
}

// newRig builds a rig for copy 1 of an embedded config with a host that
// has the config as its model, and delivers the births.
func newRig(t testing.TB, config string, seed uint64) *rig {
	t.Helper()
	spec, err := configs.Resolve(config)
	if err != nil {
		t.Fatal(err)
	}
	line, err := twin.NewLine(spec, seed, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, spec: spec, line: line, clock: new(atomic.Int64), group: "plant",
		id: spec.Name + "-L1", hide: map[string]bool{}, speedAlias: map[string]uint64{}}
	r.clock.Store(rigEpoch)
	r.node, err = edge.New(line, edge.Config{Group: r.group, EdgeNode: r.id, Epoch: rigEpoch})
	if err != nil {
		t.Fatal(err)
	}
	r.h, err = host.New(host.Config{HostID: "twin", Group: r.group, Spec: spec,
		Log: zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel)),
		Now: func() time.Time { return time.UnixMilli(r.clock.Load()) }})
	if err != nil {
		t.Fatal(err)
	}
	r.birth()
	return r
}

// nowMs is the host's clock.
func (r *rig) nowMs() uint64 { return uint64(r.clock.Load()) }

// birth starts a new MQTT session of the node and delivers its births.
func (r *rig) birth() {
	r.t.Helper()
	var err error
	if r.will, err = r.node.Connect(r.nowMs()); err != nil {
		r.t.Fatal(err)
	}
	msgs, err := r.node.Birth(r.nowMs())
	if err != nil {
		r.t.Fatal(err)
	}
	r.deliver(msgs)
}

// run advances the line by d, publishing every step; the host's clock
// follows the line.
func (r *rig) run(d, step sim.Time, each func()) {
	r.t.Helper()
	for end := r.line.Now() + d; r.line.Now() < end; {
		r.line.RunFor(min(step, end-r.line.Now()))
		r.clock.Store(rigEpoch + int64(r.line.Now()/sim.Millisecond))
		msgs, err := r.node.Update(r.nowMs())
		if err != nil {
			r.t.Fatal(err)
		}
		r.deliver(msgs)
		if each != nil {
			each()
		}
	}
}

// deliver gives messages to the host, taking Status/Speed out of the DDATA
// of hidden devices.
func (r *rig) deliver(msgs []sparkplug.Message) {
	r.t.Helper()
	for _, m := range msgs {
		payload := m.Payload
		switch m.Topic.Type {
		case sparkplug.DBIRTH:
			var p sparkplug.Payload
			if err := sparkplug.Unmarshal(payload, &p); err != nil {
				r.t.Fatal(err)
			}
			for _, mt := range p.Metrics {
				if mt.Name == "Status/Speed" && mt.HasAlias {
					r.speedAlias[m.Topic.Device] = mt.Alias
				}
			}
		case sparkplug.DDATA:
			if r.hide[m.Topic.Device] {
				payload = r.withoutSpeed(m.Topic.Device, payload)
			}
		}
		r.h.Receive(m.Topic.String(), payload)
		r.sent++
	}
}

// withoutSpeed returns payload without the device's Status/Speed metric.
func (r *rig) withoutSpeed(device string, payload []byte) []byte {
	var p sparkplug.Payload
	if err := sparkplug.Unmarshal(payload, &p); err != nil {
		r.t.Fatal(err)
	}
	alias, hasAlias := r.speedAlias[device]
	p.Metrics = slices.DeleteFunc(p.Metrics, func(m sparkplug.Metric) bool {
		return m.Name == "Status/Speed" || hasAlias && m.HasAlias && m.Alias == alias
	})
	b, err := sparkplug.Marshal(&p)
	if err != nil {
		r.t.Fatal(err)
	}
	return b
}

// processed returns a station's processed count in the line.
func (r *rig) processed(station string) int64 {
	r.t.Helper()
	for _, st := range r.line.Snapshot().Stations {
		if st.Line == 0 && st.ID == station {
			return st.Counts.Processed
		}
	}
	r.t.Fatalf("no station %q", station)
	return 0
}

// do gives the line a command.
func (r *rig) do(c twin.Command) {
	r.t.Helper()
	if err := r.line.Do(c); err != nil {
		r.t.Fatal(err)
	}
}

// ofKind returns the host's events of kind k.
func ofKind(h *host.Host, k deviation.Kind) []host.Deviation {
	var out []host.Deviation
	for _, d := range h.Deviations() {
		if d.Kind == k {
			out = append(out, d)
		}
	}
	return out
}

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
		r := newRig(t, "demo-line", seed)
		r.run(from, step, nil)
		if n := len(ofKind(r.h, deviation.CycleTimeDrift)); n != 0 {
			t.Fatalf("seed %d: %d drift events before the fault: %v", seed, n, r.h.Deviations())
		}
		r.hide[slowed] = true
		r.do(twin.Command{Kind: twin.SetSpeed, Target: slowed, Speed: 1 / 1.2})
		start := r.processed(slowed)
		var at int64 = -1 // cycles of the slowed station when flagged
		r.run(duration-from, step, func() {
			if at < 0 && len(ofKind(r.h, deviation.CycleTimeDrift)) > 0 {
				at = r.processed(slowed) - start
			}
		})
		drifts := ofKind(r.h, deviation.CycleTimeDrift)
		if len(drifts) == 0 {
			t.Fatalf("seed %d: no drift raised in %d cycles of the slowed %s", seed, r.processed(slowed)-start, slowed)
		}
		for _, d := range drifts {
			if d.Device != r.id+"/"+slowed || d.Group != r.group {
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
		if ms := first.Ms(); ms < rigEpoch+int64(from/sim.Millisecond) || ms > rigEpoch+int64(duration/sim.Millisecond) {
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
			r := newRig(t, "demo-line", seed)
			r.run(20*sim.Minute, 1500*sim.Millisecond, nil)
			before := r.processed("placer")
			if commanded {
				r.do(twin.Command{Kind: twin.SetSpeed, Target: "placer", Speed: 1 / 1.2})
			}
			r.run(40*sim.Minute, 1500*sim.Millisecond, nil)
			if r.processed("placer")-before < 200 {
				t.Fatalf("placer processed only %d units", r.processed("placer")-before)
			}
			if d := ofKind(r.h, deviation.CycleTimeDrift); len(d) != 0 {
				t.Errorf("commanded slowdown %v, seed %d: %d drift events, first %v", commanded, seed, len(d), d[0])
			}
			if m := r.h.Mirror(); m.Stats.ProtocolErrors != 0 {
				t.Errorf("protocol errors %+v: %s", m.Stats, m.LastError)
			}
		}
	}
}

// A gap in seq is a ProtocolFault of the node, and the messages dropped
// until the rebirth are counted but rate-limited to one event.
func TestFaultInjectionSeqGap(t *testing.T) {
	r := newRig(t, "demo-line", 1)
	r.run(10*sim.Second, sim.Second, nil)
	lost := false
	for !lost {
		r.line.RunFor(sim.Second)
		r.clock.Store(rigEpoch + int64(r.line.Now()/sim.Millisecond))
		msgs, err := r.node.Update(r.nowMs())
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) > 1 {
			r.deliver(msgs[1:]) // the first message is lost
			lost = true
		}
	}
	r.run(3*sim.Second, sim.Second, nil)
	faults := ofKind(r.h, deviation.ProtocolFault)
	if len(faults) != 1 {
		t.Fatalf("%d protocol fault events, want 1 (rate-limited): %v", len(faults), faults)
	}
	f := faults[0]
	if f.Device != r.id || f.Group != r.group || !strings.Contains(f.Reason, "seq") {
		t.Errorf("fault event %+v", f)
	}
	if n := r.h.DeviationCounts()[deviation.ProtocolFault]; n != 1 {
		t.Errorf("ProtocolFault count %d, want 1", n)
	}
	// After the rebirth the node reports again. Two malformed payloads in a
	// row are one event (the recorder's interval), counting both faults; one
	// after the interval is a new event that says one was suppressed.
	r.birth()
	r.run(20*sim.Second, sim.Second, nil)
	bad := sparkplug.NodeTopic(r.group, sparkplug.NDATA, r.id).String()
	r.h.Receive(bad, []byte{0xff})
	r.h.Receive(bad, []byte{0xff})
	faults = ofKind(r.h, deviation.ProtocolFault)
	if len(faults) != 2 || faults[1].Value != 2 || !strings.Contains(faults[1].Reason, "malformed") {
		t.Fatalf("after two malformed payloads: %v", faults)
	}
	r.clock.Add(host.FaultInterval.Milliseconds())
	r.h.Receive(bad, []byte{0xff})
	faults = ofKind(r.h, deviation.ProtocolFault)
	if len(faults) != 3 || faults[2].Value != 4 || !strings.Contains(faults[2].Reason, "1 more suppressed") {
		t.Errorf("after the interval: %v", faults)
	}
}

// An NDEATH makes the node and each of its devices Stale, once; after a
// rebirth a new death is reported again.
func TestFaultInjectionDeath(t *testing.T) {
	r := newRig(t, "demo-line", 1)
	r.run(30*sim.Second, sim.Second, nil)
	deathAt := r.nowMs()
	r.deliver([]sparkplug.Message{r.will})
	stale := ofKind(r.h, deviation.Stale)
	want := []string{r.id}
	for _, st := range r.spec.Stations {
		want = append(want, r.id+"/"+st.ID)
	}
	for _, a := range r.spec.Arms {
		want = append(want, r.id+"/"+a.ID)
	}
	var got []string
	for _, d := range stale {
		got = append(got, d.Device)
		if d.Ms() != int64(deathAt) || !strings.Contains(d.Reason, "NDEATH") {
			t.Errorf("stale event %v at %d ms, want the death at %d", d, d.Ms(), deathAt)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("stale devices %v, want %v", got, want)
	}
	r.deliver([]sparkplug.Message{r.will}) // a repeated Will changes nothing
	if n := len(ofKind(r.h, deviation.Stale)); n != len(want) {
		t.Errorf("%d stale events after a repeated NDEATH, want %d", n, len(want))
	}
	r.birth()
	r.run(5*sim.Second, sim.Second, nil)
	r.deliver([]sparkplug.Message{r.will})
	if n := len(ofKind(r.h, deviation.Stale)); n != 2*len(want) {
		t.Errorf("%d stale events after a second life, want %d", n, 2*len(want))
	}
}

// A node that stops sending while online is Stale once the timeout has
// passed on the host's clock, once, and is cleared when it sends again.
func TestFaultInjectionSilence(t *testing.T) {
	r := newRig(t, "demo-line", 1)
	r.run(30*sim.Second, sim.Second, nil)
	last := r.nowMs()
	r.h.CheckStale()
	if n := len(ofKind(r.h, deviation.Stale)); n != 0 {
		t.Fatalf("%d stale events while reporting", n)
	}
	r.clock.Store(int64(last) + host.DefaultStaleTimeout.Milliseconds())
	r.h.CheckStale()
	if n := len(ofKind(r.h, deviation.Stale)); n != 0 {
		t.Fatalf("%d stale events at exactly the timeout", n)
	}
	r.clock.Add(1000)
	r.h.CheckStale()
	r.h.CheckStale()
	stale := ofKind(r.h, deviation.Stale)
	if len(stale) != 1 || stale[0].Device != r.id || stale[0].Value <= host.DefaultStaleTimeout.Seconds() {
		t.Fatalf("stale events %v", stale)
	}
	// It reports again (its clock jumps to the host's), then goes silent
	// again: a new event.
	r.line.RunUntil(sim.Time(r.clock.Load()-rigEpoch) * sim.Millisecond)
	r.run(sim.Second, sim.Second, nil)
	r.clock.Add(host.DefaultStaleTimeout.Milliseconds() + 1)
	r.h.CheckStale()
	if n := len(ofKind(r.h, deviation.Stale)); n != 2 {
		t.Errorf("%d stale events after a second silence, want 2", n)
	}
}

// A DDEATH makes that device Stale at the death's timestamp; after its
// DBIRTH a new death is reported again.
func TestFaultInjectionDeviceDeath(t *testing.T) {
	r := newRig(t, "demo-line", 1)
	r.run(10*sim.Second, sim.Second, nil)
	die := func() {
		t.Helper()
		m, err := r.node.Session().DeviceDeath("pack", r.nowMs())
		if err != nil {
			t.Fatal(err)
		}
		r.deliver([]sparkplug.Message{m})
	}
	at := r.nowMs()
	die()
	stale := ofKind(r.h, deviation.Stale)
	if len(stale) != 1 || stale[0].Device != r.id+"/pack" || stale[0].Ms() != int64(at) ||
		!strings.Contains(stale[0].Reason, "DDEATH") {
		t.Fatalf("stale events %v", stale)
	}
	r.clock.Add(500)
	m, err := r.node.Session().DeviceBirth("pack", r.nowMs())
	if err != nil {
		t.Fatal(err)
	}
	r.deliver([]sparkplug.Message{m})
	r.run(2*sim.Second, sim.Second, nil)
	die()
	if stale = ofKind(r.h, deviation.Stale); len(stale) != 2 || stale[1].Device != r.id+"/pack" {
		t.Errorf("after a rebirth and death: %v", stale)
	}
	if m := r.h.Mirror(); m.Stats.ProtocolErrors != 0 {
		t.Errorf("protocol errors: %s", m.LastError)
	}
}

// Counters that go back (the line's statistics reset, as after a warm-up)
// restart the baseline: no false drift, and a later slowdown is still
// caught within the bound.
func TestFaultInjectionStatsReset(t *testing.T) {
	r := newRig(t, "demo-line", 3)
	r.run(10*sim.Minute, 1500*sim.Millisecond, nil)
	r.line.ResetStats()
	r.run(10*sim.Minute, 1500*sim.Millisecond, nil)
	if n, _ := r.mirrored("placer", "Admin/ProdProcessedCount").Int64(); n != r.processed("placer") || n > 150 {
		t.Fatalf("the mirror's count %d did not restart", n)
	}
	if d := ofKind(r.h, deviation.CycleTimeDrift); len(d) != 0 {
		t.Fatalf("drift after a statistics reset: %v", d)
	}
	r.hide["placer"] = true
	r.do(twin.Command{Kind: twin.SetSpeed, Target: "placer", Speed: 1 / 1.2})
	start := r.processed("placer")
	var at int64 = -1
	r.run(10*sim.Minute, 1500*sim.Millisecond, func() {
		if at < 0 && len(ofKind(r.h, deviation.CycleTimeDrift)) > 0 {
			at = r.processed("placer") - start
		}
	})
	if at < 0 || at > driftBound {
		t.Errorf("drift flagged after %d cycles, want 0 to %d", at, driftBound)
	}
}
