package main

import (
	"strconv"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/configs/configstest"
	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/monitor"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// memTwin is a line published by edge nodes straight into a view's twin
// link, without MQTT: what the host would receive from a broker.
type memTwin struct {
	line  *twin.Line
	nodes []*edge.Node
	tl    *TwinLink
	ms    uint64 // the host-side clock of the messages, ms
}

// newMemTwin builds config's line (seed 1), one edge node per copy in
// group "lightsout" named <config>-L<k>, and a twin link over the config.
func newMemTwin(t *testing.T, config string) *memTwin {
	t.Helper()
	spec := configstest.Embedded(t, config)
	line, err := twin.NewLine(spec, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	tl, err := NewTwinLink(spec, "view-test", "lightsout", spec.Name, "mem://test", zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	mt := &memTwin{line: line, tl: tl, ms: 1}
	for k := range spec.Lines {
		n, err := edge.New(line, edge.Config{Group: "lightsout", EdgeNode: spec.Name + "-L" + strconv.Itoa(k+1), Copy: k})
		if err != nil {
			t.Fatal(err)
		}
		mt.nodes = append(mt.nodes, n)
	}
	return mt
}

// deliver hands messages to the host.
func (mt *memTwin) deliver(msgs []sparkplug.Message) {
	for _, m := range msgs {
		mt.tl.Host.Mirror.Receive(m.Topic.String(), m.Payload)
	}
}

// birth connects and births every node.
func (mt *memTwin) birth(t *testing.T) {
	t.Helper()
	for _, n := range mt.nodes {
		if _, err := n.Connect(mt.ms); err != nil {
			t.Fatal(err)
		}
		msgs, err := n.Birth(mt.ms)
		if err != nil {
			t.Fatal(err)
		}
		mt.deliver(msgs)
	}
}

// run advances the line by d in steps of 2 s, publishing every node's
// changes after each step.
func (mt *memTwin) run(t *testing.T, d sim.Time) {
	t.Helper()
	for end := mt.line.Now() + d; mt.line.Now() < end; {
		mt.line.RunFor(min(2*sim.Second, end-mt.line.Now()))
		mt.ms++
		for _, n := range mt.nodes {
			msgs, err := n.Update(mt.ms)
			if err != nil {
				t.Fatal(err)
			}
			mt.deliver(msgs)
		}
	}
}

// wantPhase is the phase the view should show for a server whose true
// state is v in a station whose buffer holds buffer units: the phase
// itself when the edge publishes Server k/Phase, else what its PackML
// state maps to.
func wantPhase(v stations.ServerView, buffer int, published bool) stations.Phase {
	if published {
		return v.Phase
	}
	srv, ok := packml.ServerFromState(packml.ServerState(v), v.Held, buffer)
	if !ok {
		return mirror.PhaseUnknown
	}
	return srv.Phase
}

// hasServerPhase reports whether the edge publishes Server k/Phase.
func hasServerPhase(mt *memTwin, station string) bool {
	v := mt.tl.Host.Mirror.View()
	_, ok := v.Metric("lightsout", mt.nodes[0].Config().EdgeNode, station, "Server 1/Phase")
	return ok
}

func TestTwinSnapshotEqualsTheLines(t *testing.T) {
	for _, config := range []string{"demo-line", "phone-factory"} {
		t.Run(config, func(t *testing.T) {
			mt := newMemTwin(t, config)
			sess := NewTwinSession(mt.tl, zaptest.NewLogger(t))
			if st := &mt.tl.Status; !st.Waiting() || st.WaitingFor() != "waiting for lightsout/"+config+"-L1 on mem://test" {
				t.Fatalf("before any birth: waiting %v, %q", st.Waiting(), st.WaitingFor())
			}
			for s := range sess.Snap.Stations {
				for k, v := range sess.Snap.Stations[s].Servers {
					if v.Phase != mirror.PhaseUnknown {
						t.Fatalf("station %d server %d is %v before any data", s, k, v.Phase)
					}
				}
			}
			mt.birth(t)
			for _, d := range []sim.Time{0, 3 * sim.Minute, 40 * sim.Minute, 2 * sim.Hour} {
				mt.run(t, d)
				sess.Refresh()
				checkTwinSnapshot(t, mt, &sess.Snap)
			}
			if mt.tl.Status.Waiting() {
				t.Error("still waiting after the births")
			}
		})
	}
}

// checkTwinSnapshot compares the snapshot converted from the mirror with
// the line's own.
func checkTwinSnapshot(t *testing.T, mt *memTwin, got *twin.Snapshot) {
	t.Helper()
	want := mt.line.Snapshot()
	if got.Now != want.Now/sim.Millisecond*sim.Millisecond {
		t.Errorf("time %v, want %v", got.Now, want.Now)
	}
	if len(got.Stations) != len(want.Stations) || len(got.Arms) != len(want.Arms) || got.Lines != want.Lines {
		t.Fatalf("%d stations, %d arms, %d lines; want %d, %d, %d", len(got.Stations), len(got.Arms), got.Lines,
			len(want.Stations), len(want.Arms), want.Lines)
	}
	published := hasServerPhase(mt, want.Stations[0].ID)
	var shipped int64
	n := len(mt.line.Spec().Stations)
	for i := range want.Stations {
		g, w := &got.Stations[i], &want.Stations[i]
		if g.ID != w.ID || g.Line != w.Line || g.Buffer != w.Buffer || g.Capacity != w.Capacity || g.Inside != w.Inside {
			t.Errorf("line %d %s: buffer %d/%v inside %d, want %s %d/%v inside %d", g.Line+1, g.ID, g.Buffer, g.Capacity, g.Inside,
				w.ID, w.Buffer, w.Capacity, w.Inside)
		}
		gc, wc := g.Counts, w.Counts
		if gc.Processed != wc.Processed || gc.Scrapped != wc.Scrapped || gc.Failures != wc.Failures ||
			gc.Defects+gc.Caught != wc.Defects+wc.Caught {
			t.Errorf("line %d %s: counts %+v, want %+v", g.Line+1, g.ID, gc, wc)
		}
		if g.Held != w.Held || g.Speed != packml.RoundSpeed(w.Speed) {
			t.Errorf("line %d %s: held %v speed %v, want %v, %v", g.Line+1, g.ID, g.Held, g.Speed, w.Held, w.Speed)
		}
		if len(g.Servers) != len(w.Servers) {
			t.Fatalf("%s: %d servers, want %d", g.ID, len(g.Servers), len(w.Servers))
		}
		for k := range w.Servers {
			if p := wantPhase(w.Servers[k], w.Buffer, published); g.Servers[k].Phase != p || g.Servers[k].Broken != w.Servers[k].Broken {
				t.Errorf("line %d %s server %d: %v broken %v, want %v broken %v (true phase %v)", g.Line+1, g.ID, k+1,
					scene.PhaseName(g.Servers[k].Phase), g.Servers[k].Broken, p, w.Servers[k].Broken, w.Servers[k].Phase)
			}
		}
		if i%n == n-1 {
			shipped += w.Counts.Out - w.Counts.Reworked - w.Counts.Scrapped
			if gs := g.Counts.Out - g.Counts.Scrapped; gs != w.Counts.Out-w.Counts.Reworked-w.Counts.Scrapped {
				t.Errorf("line %d: the dock shows %d shipped, want %d", g.Line+1, gs, w.Counts.Out-w.Counts.Reworked-w.Counts.Scrapped)
			}
		}
	}
	for j := range want.Arms {
		g, w := &got.Arms[j], &want.Arms[j]
		wp := w.Phase
		if w.Broken && wp != robots.Down {
			wp = robots.Moving // Aborting: still finishing its move
		}
		if g.ID != w.ID || g.Moves != w.Moves || g.Phase != wp || g.Broken != w.Broken {
			t.Errorf("arm %s line %d: %v moves %d, want %s %v moves %d", g.ID, g.Line+1, g.Phase, g.Moves, w.ID, wp, w.Moves)
		}
	}
	if got.Line.Shipped != shipped || got.Line.WIP != want.Line.WIP {
		t.Errorf("line: shipped %d WIP %d, want %d, %d", got.Line.Shipped, got.Line.WIP, shipped, want.Line.WIP)
	}
	if want.Lines == 1 && (!GoodKnown(got) || got.Line.Good != want.Line.Good) {
		t.Errorf("good %d, want %d", got.Line.Good, want.Line.Good)
	}
	if want.Lines > 1 && GoodKnown(got) {
		t.Errorf("good %d shown for a line of %d copies, which does not publish it", got.Line.Good, want.Lines)
	}
}

// runningSession returns a twin session on config's line, born and run
// for d.
func runningSession(t *testing.T, config string, d sim.Time) (*memTwin, *Session) {
	t.Helper()
	mt := newMemTwin(t, config)
	sess := NewTwinSession(mt.tl, zaptest.NewLogger(t))
	mt.birth(t)
	mt.run(t, d)
	sess.Refresh()
	return mt, sess
}

func TestTwinDeadNodeGoesStale(t *testing.T) {
	mt, sess := runningSession(t, "phone-factory", 10*sim.Minute)
	st := &mt.tl.Status
	for i, mk := range st.Stations {
		if !mk.Known || mk.Stale {
			t.Fatalf("station slot %d: %+v while its node is alive", i, mk)
		}
	}
	before := sess.Snap.Stations[0].Counts.Processed
	death, err := mt.nodes[0].Death(mt.ms)
	if err != nil {
		t.Fatal(err)
	}
	mt.deliver([]sparkplug.Message{death})
	sess.Refresh()
	n, na := len(mt.line.Spec().Stations), len(mt.line.Spec().Arms)
	for i, mk := range st.Stations {
		if stale := i < n; mk.Stale != stale {
			t.Errorf("station slot %d stale %v after line 1's NDEATH, want %v", i, mk.Stale, stale)
		}
	}
	for j, mk := range st.Arms {
		if stale := j < na; mk.Stale != stale {
			t.Errorf("arm slot %d stale %v after line 1's NDEATH, want %v", j, mk.Stale, stale)
		}
	}
	if !st.Nodes[0].Stale || st.Nodes[1].Stale {
		t.Errorf("nodes %+v", st.Nodes)
	}
	if got := sess.Snap.Stations[0].Counts.Processed; got != before {
		t.Errorf("a stale station shows %d processed, want the last known %d", got, before)
	}
}

func TestTwinDeviationsFlagTheirStation(t *testing.T) {
	mt := newMemTwin(t, "demo-line")
	mt.birth(t)
	mt.run(t, 5*sim.Minute)
	m := mt.tl.Host.Mirror.View()
	var snap twin.Snapshot
	// Deviation times are on the metrics' clock: ms since the epoch.
	now := sim.Time(mt.nodes[0].SimMs(mt.line.Now())) * sim.Millisecond
	events := []deviation.Event{
		{Time: now - 2*deviationRecent, Device: "demo-line-L1/printer", Kind: deviation.CycleTimeDrift, Reason: "old news"},
		{Time: now - sim.Minute, Device: "demo-line-L1/placer", Kind: deviation.CycleTimeDrift, Reason: "cycle time 20% above the model"},
		{Time: now, Device: "demo-line-L1", Kind: deviation.ProtocolFault, Reason: "sequence gap"},
		{Time: now, Device: "other-L1/placer", Kind: deviation.Stale, Reason: "not ours"},
	}
	mt.tl.show(&m, events, &snap)
	st := &mt.tl.Status
	for i, mk := range st.Stations {
		want := ""
		if mt.line.Spec().Stations[i].ID == "placer" {
			want = "cycle time 20% above the model"
		}
		if mk.Deviation != want {
			t.Errorf("station %s flagged %q, want %q", mt.line.Spec().Stations[i].ID, mk.Deviation, want)
		}
	}
	if !st.HasLatest || st.Latest.Reason != "sequence gap" || st.Recent != 2 {
		t.Errorf("latest %+v (has %v), %d recent; want the sequence gap and 2 recent", st.Latest, st.HasLatest, st.Recent)
	}
	// An event on the host's clock is recent by the wall clock, though the
	// edge's clock (epoch 0 here) is far behind.
	wall := time.UnixMilli(1_800_000_000_000)
	mt.tl.Clock = func() time.Time { return wall }
	hostEvent := deviation.Event{Time: sim.Time(wall.UnixMilli()-60_000) * sim.Millisecond, Device: "demo-line-L1/oven", Kind: deviation.Stale, Reason: "silent for 60s"}
	mt.tl.show(&m, append(events, hostEvent), &snap)
	if got := st.Stations[2].Deviation; got != "silent for 60s" {
		t.Errorf("oven flagged %q by an event on the host's clock", got)
	}
	if got := st.Stations[1].Deviation; got != "cycle time 20% above the model" {
		t.Errorf("placer flagged %q beside an event on the host's clock", got)
	}
	// The output band is about the whole line: it shows in the banner and
	// flags no station.
	band := deviation.Event{Time: sim.Time(wall.UnixMilli()) * sim.Millisecond, Device: "demo-line",
		Kind: deviation.OutputOutsideBand, Reason: "good output 179 is below the forecast band"}
	mt.tl.show(&m, append(events, band), &snap)
	if !st.HasLatest || st.Latest.Kind != deviation.OutputOutsideBand {
		t.Errorf("latest %+v, want the output band", st.Latest)
	}
	for i, mk := range st.Stations {
		if mk.Kind == deviation.OutputOutsideBand {
			t.Errorf("station %d flagged by the line's output band", i)
		}
	}
}

func TestTwinCommandWrites(t *testing.T) {
	w, err := commandWrites(twin.Command{Kind: twin.BreakStation, Target: "test", Server: 1})
	if err != nil || len(w) != 2 || w[0].Name != packml.MetricCmdBreak || w[1].Name != packml.MetricCmdServer || w[1].Value != sparkplug.Int32Value(2) {
		t.Errorf("break: %+v, %v", w, err)
	}
	w, err = commandWrites(twin.Command{Kind: twin.SetBuffer, Target: "test", Capacity: stations.Inf})
	if err != nil || len(w) != 1 || w[0].Name != packml.MetricCmdBuffer || w[0].Value != sparkplug.Int32Value(-1) {
		t.Errorf("buffer: %+v, %v", w, err)
	}
	w, err = commandWrites(twin.Command{Kind: twin.RepairArm, Target: "arm"})
	if err != nil || len(w) != 1 || w[0].Name != packml.MetricCmdRepair {
		t.Errorf("repair arm: %+v, %v", w, err)
	}
}

func TestTwinHistoryCountsOutputPerBucket(t *testing.T) {
	var h goodHistory
	var dst []float64
	dst = h.add(10*sim.Minute, 100, dst) // first sight: the 100 before are not counted
	if dst[len(dst)-1] != 0 {
		t.Fatalf("first sight shows %v", dst[len(dst)-1])
	}
	dst = h.add(12*sim.Minute+30*sim.Second, 130, dst) // bucket [10m, 15m): 30 units in half of it
	if got := dst[len(dst)-1]; got != 30*12*2 {
		t.Errorf("bucket in progress %v per hour, want %v", got, 30*12*2)
	}
	dst = h.add(16*sim.Minute, 140, dst) // next bucket: 10 units
	if got, prev := dst[len(dst)-1], dst[len(dst)-2]; prev != 30*12 || got != 10*12*5 {
		t.Errorf("buckets %v then %v per hour, want %v then %v", prev, got, 30*12, 10*12*5)
	}
	dst = h.add(17*sim.Minute, 5, dst) // the edge restarted
	for _, v := range dst {
		if v != 0 {
			t.Fatalf("after a restart the history holds %v", v)
		}
	}
}

func TestTwinHostDeviationsOfGroup(t *testing.T) {
	a := deviation.Event{Time: 5, Device: "n-L1/s", Kind: deviation.CycleTimeDrift, Reason: "slow"}
	b := deviation.Event{Time: 6, Device: "n-L1/s", Kind: deviation.ProtocolFault, Reason: "gap"}
	devs := []monitor.Deviation{{Seq: 1, Group: "g", Event: a}, {Seq: 2, Group: "other", Event: b}, {Seq: 3, Event: b}}
	got := hostDeviations(devs, "g", nil)
	if len(got) != 2 || got[0] != a || got[1] != b {
		t.Errorf("events of group g: %+v", got)
	}
	if got := hostDeviations(nil, "g", got); len(got) != 0 {
		t.Errorf("no deviations: %+v", got)
	}
}

func TestTwinStaleEventsDoNotDoubleTheStaleSign(t *testing.T) {
	mt := newMemTwin(t, "demo-line")
	mt.birth(t)
	mt.run(t, 5*sim.Minute)
	death, err := mt.nodes[0].Death(mt.ms)
	if err != nil {
		t.Fatal(err)
	}
	mt.deliver([]sparkplug.Message{death})
	m := mt.tl.Host.Mirror.View()
	var snap twin.Snapshot
	now := sim.Time(mt.nodes[0].SimMs(mt.line.Now())) * sim.Millisecond
	mt.tl.show(&m, []deviation.Event{{Time: now, Device: "demo-line-L1/placer", Kind: deviation.Stale, Reason: "node died"}}, &snap)
	st := &mt.tl.Status
	if mk := st.Stations[1]; !mk.Stale || mk.Deviation != "" || st.HasLatest {
		t.Errorf("placer %+v, latest %v: a Stale event flagged what is drawn stale", mk, st.HasLatest)
	}
}

// The OEE panel shows the twin host's live KPIs: the line's OEE and each
// station's, once the host has measured them.
func TestTwinKPIsReachTheSnapshot(t *testing.T) {
	mt, sess := runningSession(t, "demo-line", 30*sim.Minute)
	v := mt.tl.Host.Mirror.View()
	k := mt.tl.Host.Monitor.KPIs(&v)
	if len(k.Lines) != 1 || k.Lines[0].Constraint == "" || k.Lines[0].OEE <= 0 {
		t.Fatalf("host KPIs: %+v", k.Lines)
	}
	if !mt.tl.Status.OEEKnown || sess.Snap.Line.OEE != k.Lines[0].OEE || sess.Snap.Line.Quality != k.Lines[0].Quality {
		t.Errorf("snapshot line OEE %v (known %v), host %v", sess.Snap.Line.OEE, mt.tl.Status.OEEKnown, k.Lines[0].OEE)
	}
	for _, sk := range k.Lines[0].Stations {
		for _, ss := range sess.Snap.Stations {
			if ss.ID == sk.ID && ss.OEE != sk.OEE {
				t.Errorf("%s: snapshot OEE %v, host %v", sk.ID, ss.OEE, sk.OEE)
			}
		}
	}
}
