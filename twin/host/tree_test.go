package host_test

import (
	"encoding/json"
	"math"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/host"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// trackEpoch is the wall time of simulated time 0 in the track tests.
const trackEpoch = uint64(1_700_000_000_000)

// trackRun is a line published by an edge node straight into a host,
// without MQTT, one Update every step of simulated time.
type trackRun struct {
	t    *testing.T
	spec *twin.Spec
	line *twin.Line
	node *edge.Node
	h    *host.Host
	step sim.Time
	will sparkplug.Message
	// shipped records Line/Shipped after each step, by simulated ms.
	shipped map[uint64]int64
}

// newTrackRun builds config's line (seed 3) as edge node <name>-L1 of
// group "g", a host (given the spec when withSpec) and feeds it the birth.
func newTrackRun(t *testing.T, config string, withSpec bool, step sim.Time) *trackRun {
	t.Helper()
	spec, err := configs.Resolve(config)
	if err != nil {
		t.Fatal(err)
	}
	line, err := twin.NewLine(spec, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	node, err := edge.New(line, edge.Config{Group: "g", EdgeNode: spec.Name + "-L1", Epoch: trackEpoch})
	if err != nil {
		t.Fatal(err)
	}
	cfg := host.Config{HostID: "h", Log: zaptest.NewLogger(t),
		Now: func() time.Time { return time.UnixMilli(int64(trackEpoch)) }}
	if withSpec {
		cfg.Spec = spec
	}
	h, err := host.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := &trackRun{t: t, spec: spec, line: line, node: node, h: h, step: step, shipped: map[uint64]int64{}}
	r.connect()
	return r
}

func (r *trackRun) nowMs() uint64 { return r.node.SimMs(r.line.Now()) }

// connect starts a new MQTT session of the node and delivers its birth.
func (r *trackRun) connect() {
	r.t.Helper()
	will, err := r.node.Connect(r.nowMs())
	if err != nil {
		r.t.Fatal(err)
	}
	r.will = will
	msgs, err := r.node.Birth(r.nowMs())
	if err != nil {
		r.t.Fatal(err)
	}
	r.deliver(msgs)
	r.record()
}

// deliver gives msgs to the host, failing on any message it rejects.
func (r *trackRun) deliver(msgs []sparkplug.Message) {
	r.t.Helper()
	for _, m := range msgs {
		r.h.Receive(m.Topic.String(), m.Payload)
	}
	if m := r.h.Mirror(); m.LastError != "" {
		r.t.Fatalf("host rejected a message: %s", m.LastError)
	}
}

func (r *trackRun) record() {
	snap := r.line.Snapshot()
	var out int64
	st := snap.Stations[len(r.spec.Stations)-1].Counts
	out = st.Out - st.Reworked - st.Scrapped
	r.shipped[uint64(r.line.Now()/sim.Millisecond)] = out
}

// run advances the line by d in steps, delivering each update unless
// silent (the node is dead: what it would publish is lost).
func (r *trackRun) run(d sim.Time, silent bool) {
	r.t.Helper()
	end := r.line.Now() + d
	for r.line.Now() < end {
		r.line.RunFor(min(r.step, end-r.line.Now()))
		if silent {
			continue
		}
		msgs, err := r.node.Update(r.nowMs())
		if err != nil {
			r.t.Fatal(err)
		}
		r.deliver(msgs)
		r.record()
	}
}

// die delivers the node's Will, as the broker would on a lost connection.
func (r *trackRun) die() {
	r.h.Receive(r.will.Topic.String(), r.will.Payload)
}

// line returns the only line of the tree.
func treeLine(t *testing.T, tr host.Tree) host.LineNode {
	t.Helper()
	if len(tr.Areas) != 1 || len(tr.Areas[0].Lines) != 1 {
		t.Fatalf("tree has %d areas, want 1 with 1 line: %+v", len(tr.Areas), tr)
	}
	return tr.Areas[0].Lines[0]
}

// devices returns every device of a line node by id (an arm shared by
// cells once).
func treeDevices(ln host.LineNode) map[string]host.DeviceNode {
	out := map[string]host.DeviceNode{}
	for _, c := range ln.Cells {
		for _, d := range c.Devices {
			out[d.ID] = d
		}
	}
	return out
}

// checkSums checks that each machine's time in states plus unknown time is
// the line's elapsed time.
func checkSums(t *testing.T, ln host.LineNode) {
	t.Helper()
	check := func(what string, s host.StateHistory) {
		sum := s.UnknownS
		for _, st := range s.TimeInState {
			if st.Seconds < 0 {
				t.Errorf("%s: %s %v s", what, st.State, st.Seconds)
			}
			sum += st.Seconds
		}
		if math.Abs(sum-ln.ElapsedS) > 1e-6 {
			t.Errorf("%s: time in states %v s + unknown %v s = %v s, want the elapsed %v s",
				what, sum-s.UnknownS, s.UnknownS, sum, ln.ElapsedS)
		}
	}
	for _, d := range treeDevices(ln) {
		check(d.ID, d.StateHistory)
		for k, s := range d.Servers {
			check(d.ID+" server "+string(rune('1'+k)), s)
		}
	}
}

func TestTreeCellsAndTimeInState(t *testing.T) {
	r := newTrackRun(t, "demo-line", true, 2*sim.Second)
	r.run(2*sim.Hour, false)

	tr := r.h.Tree()
	if tr.Site != "site" || tr.Areas[0].Name != "g" {
		t.Errorf("site %q, area %q", tr.Site, tr.Areas[0].Name)
	}
	ln := treeLine(t, tr)
	if ln.Name != "demo-line-L1" || ln.Copy != 0 || !ln.Online || ln.Stale {
		t.Errorf("line %q copy %d online %v stale %v", ln.Name, ln.Copy, ln.Online, ln.Stale)
	}
	// The line's clock is the simulated time: metric timestamps.
	if want := (2 * sim.Hour).Seconds(); ln.ElapsedS != want || ln.First != trackEpoch {
		t.Errorf("elapsed %v s from %d, want %v s from %d", ln.ElapsedS, ln.First, want, trackEpoch)
	}
	var names []string
	for _, c := range ln.Cells {
		names = append(names, c.Name)
	}
	want := []string{"printer", "placer", "oven", "assembly", "screwing", "test", "pack"}
	if !slices.Equal(names, want) {
		t.Fatalf("cells %v, want %v", names, want)
	}
	for _, c := range ln.Cells {
		kinds := []string{}
		for _, d := range c.Devices {
			kinds = append(kinds, d.ID+":"+d.Kind)
		}
		wantKinds := []string{c.Name + ":station"}
		if c.Name == "assembly" || c.Name == "screwing" {
			wantKinds = append(wantKinds, "arm-1:arm")
		}
		if !slices.Equal(kinds, wantKinds) {
			t.Errorf("cell %s holds %v, want %v", c.Name, kinds, wantKinds)
		}
	}
	checkSums(t, ln)

	// Current states and their start agree with the line itself.
	snap := r.line.Snapshot()
	devs := treeDevices(ln)
	for _, st := range snap.Stations {
		d := devs[st.ID]
		s := packml.StationState(st.Servers)
		if d.State != s.String() || d.StateNumber != int32(s) || d.Stale || !d.Online {
			t.Errorf("%s: state %s (%d) stale %v, want %s (%d)", st.ID, d.State, d.StateNumber, d.Stale, s, s)
		}
		if d.Since < trackEpoch || d.Since > trackEpoch+uint64(2*sim.Hour/sim.Millisecond) ||
			math.Abs(d.InStateS-float64(ln.Clock-d.Since)/1000) > 1e-9 {
			t.Errorf("%s: since %d, in state %v s, clock %d", st.ID, d.Since, d.InStateS, ln.Clock)
		}
	}

	// The same through HTTP.
	srv := httptest.NewServer(r.h.Handler())
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/api/tree")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got host.Tree
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if gl := treeLine(t, got); len(gl.Cells) != len(ln.Cells) || gl.ElapsedS != ln.ElapsedS {
		t.Errorf("/api/tree line %+v, want %+v", gl, ln)
	}
}

func TestTreeWithoutSpec(t *testing.T) {
	r := newTrackRun(t, "demo-line", false, 2*sim.Second)
	r.run(10*sim.Minute, false)
	ln := treeLine(t, r.h.Tree())
	if ln.Copy != -1 {
		t.Errorf("copy %d without a spec", ln.Copy)
	}
	var names []string
	for _, c := range ln.Cells {
		if len(c.Devices) != 1 || c.Devices[0].ID != c.Name {
			t.Errorf("cell %s holds %+v", c.Name, c.Devices)
		}
		names = append(names, c.Name+":"+c.Devices[0].Kind)
	}
	// Stations (they publish ProdProcessedCount) by id, then the arm.
	want := []string{"assembly:station", "oven:station", "pack:station", "placer:station",
		"printer:station", "screwing:station", "test:station", "arm-1:arm"}
	if !slices.Equal(names, want) {
		t.Errorf("cells %v, want %v", names, want)
	}
	checkSums(t, ln)
}

func TestTreeStaleOnDeathAndRebirth(t *testing.T) {
	r := newTrackRun(t, "demo-line", true, 2*sim.Second)
	r.run(30*sim.Minute, false)
	before := treeDevices(treeLine(t, r.h.Tree()))
	k0 := r.h.KPIs().Lines[0]

	r.die()
	ln := treeLine(t, r.h.Tree())
	if ln.Online || !ln.Stale {
		t.Errorf("after NDEATH: online %v, stale %v", ln.Online, ln.Stale)
	}
	for id, d := range treeDevices(ln) {
		if !d.Stale || d.Online {
			t.Errorf("after NDEATH: %s stale %v online %v", id, d.Stale, d.Online)
		}
	}
	checkSums(t, ln)

	// Ten minutes pass unseen, then the node comes back.
	r.run(10*sim.Minute, true)
	r.connect()
	ln = treeLine(t, r.h.Tree())
	if !ln.Online || ln.Stale || ln.UnknownS != 600 {
		t.Errorf("after rebirth: online %v, stale %v, unknown %v s (want 600)", ln.Online, ln.Stale, ln.UnknownS)
	}
	birth := trackEpoch + uint64(40*sim.Minute/sim.Millisecond)
	for id, d := range treeDevices(ln) {
		if d.Stale || !d.Online || d.UnknownS != 600 {
			t.Errorf("after rebirth: %s stale %v online %v unknown %v s", id, d.Stale, d.Online, d.UnknownS)
		}
		// Since moves only when the state changed across the gap.
		if b := before[id]; b.State == d.State && d.Since != b.Since {
			t.Errorf("%s: still %s but since moved from %d to %d", id, d.State, b.Since, d.Since)
		} else if b.State != d.State && d.Since != birth {
			t.Errorf("%s: %s -> %s since %d, want the birth %d", id, b.State, d.State, d.Since, birth)
		}
	}
	// What happened unseen is not counted: the counters restart from the
	// birth's values and the rates are over the observed time only.
	k1 := r.h.KPIs().Lines[0]
	if k1.ObservedS != k0.ObservedS || k1.Shipped != k0.Shipped || k1.ThroughputPerHour != k0.ThroughputPerHour {
		t.Errorf("after an unseen gap: observed %v s, shipped %d, %v/h; before it %v s, %d, %v/h",
			k1.ObservedS, k1.Shipped, k1.ThroughputPerHour, k0.ObservedS, k0.Shipped, k0.ThroughputPerHour)
	}
	for i := range k1.Stations {
		if k1.Stations[i].Processed != k0.Stations[i].Processed {
			t.Errorf("%s: processed %d after the gap, %d before", k1.Stations[i].ID,
				k1.Stations[i].Processed, k0.Stations[i].Processed)
		}
	}
	r.run(10*sim.Minute, false)
	ln = treeLine(t, r.h.Tree())
	checkSums(t, ln)
	if k2 := r.h.KPIs().Lines[0]; k2.ObservedS != k0.ObservedS+600 || k2.Shipped <= k0.Shipped {
		t.Errorf("10 min after the rebirth: observed %v s, shipped %d; before the gap %v s, %d",
			k2.ObservedS, k2.Shipped, k0.ObservedS, k0.Shipped)
	}
}

func TestTreeSeqGapIsUnknownUntilRebirth(t *testing.T) {
	r := newTrackRun(t, "demo-line", true, 2*sim.Second)
	r.run(10*sim.Minute, false)
	// One update is lost: the next ones are out of sequence and dropped
	// until the node is born again, a minute later.
	r.line.RunFor(2 * sim.Second)
	if _, err := r.node.Update(r.nowMs()); err != nil {
		t.Fatal(err)
	}
	for range 30 {
		r.line.RunFor(2 * sim.Second)
		msgs, err := r.node.Update(r.nowMs())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			r.h.Receive(m.Topic.String(), m.Payload)
		}
	}
	if st := r.h.Mirror().Stats; st.SeqGaps != 1 || st.RebirthRequests == 0 {
		t.Fatalf("stats %+v, want one seq gap and a rebirth request", st)
	}
	msgs, err := r.node.Birth(r.nowMs())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		r.h.Receive(m.Topic.String(), m.Payload)
	}
	ln := treeLine(t, r.h.Tree())
	if !ln.Online || ln.ElapsedS != 662 || ln.UnknownS != 62 {
		t.Errorf("online %v, elapsed %v s, unknown %v s; want 662 s of which 62 unseen", ln.Online, ln.ElapsedS, ln.UnknownS)
	}
	for id, d := range treeDevices(ln) {
		if d.UnknownS != 62 || d.Stale {
			t.Errorf("%s: unknown %v s, stale %v", id, d.UnknownS, d.Stale)
		}
	}
	checkSums(t, ln)
}
