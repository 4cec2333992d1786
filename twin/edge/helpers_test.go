package edge_test

import (
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
)

const (
	group = "lightsout"
	epoch = uint64(1_700_000_000_000)
)

// fixture is a line, its edge node for one copy and a host mirroring it.
type fixture struct {
	line *twin.Line
	node *edge.Node
	host *host.Session
	id   string
	copy int
}

// MustFixture builds config's line (seed 1), the node for copy c, connects
// and births it, and feeds the birth to a new host.
func MustFixture(tb testing.TB, config string, c int) *fixture {
	tb.Helper()
	spec, err := configs.Embedded(config)
	if err != nil {
		tb.Fatal(err)
	}
	line, err := twin.NewLine(spec, 1, nil)
	if err != nil {
		tb.Fatal(err)
	}
	f := &fixture{line: line, host: host.NewSession(host.Config{}), copy: c}
	f.id = config + "-L" + string(rune('1'+c))
	f.node, err = edge.New(line, edge.Config{Group: group, EdgeNode: f.id, Copy: c, Epoch: epoch})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := f.node.Connect(f.now()); err != nil {
		tb.Fatal(err)
	}
	msgs, err := f.node.Birth(f.now())
	if err != nil {
		tb.Fatal(err)
	}
	f.feed(tb, msgs)
	return f
}

func (f *fixture) now() uint64 { return f.node.SimMs(f.line.Now()) }

// feed gives msgs to the host and fails on any error or action.
func (f *fixture) feed(tb testing.TB, msgs []sparkplug.Message) {
	tb.Helper()
	for _, m := range msgs {
		act, err := f.host.Receive(m.Topic.String(), m.Payload, f.now())
		if err != nil {
			tb.Fatalf("host: %s: %v", m.Topic, err)
		}
		if act.Kind != host.ActionNone {
			tb.Fatalf("host: %s: unexpected action %v", m.Topic, act.Kind)
		}
	}
}

// step runs the line for d and feeds the update to the host.
func (f *fixture) step(tb testing.TB, d sim.Time) []sparkplug.Message {
	tb.Helper()
	f.line.RunFor(d)
	msgs, err := f.node.Update(f.now())
	if err != nil {
		tb.Fatal(err)
	}
	f.feed(tb, msgs)
	return msgs
}

// metric returns a mirrored metric's value as int64 or string.
func (f *fixture) metric(tb testing.TB, device, name string) sparkplug.Value {
	tb.Helper()
	m, ok := f.host.Metric(group, f.id, device, name)
	if !ok {
		tb.Fatalf("mirror has no %s/%q", device, name)
	}
	return m.Value
}

func (f *fixture) int(tb testing.TB, device, name string) int64 {
	tb.Helper()
	v, ok := f.metric(tb, device, name).Int64()
	if !ok {
		tb.Fatalf("%s/%q is not an integer", device, name)
	}
	return v
}

func (f *fixture) str(tb testing.TB, device, name string) string {
	tb.Helper()
	v, ok := f.metric(tb, device, name).Text()
	if !ok {
		tb.Fatalf("%s/%q is not a string", device, name)
	}
	return v
}

// checkMirror compares the host's mirror with the line's true state.
func (f *fixture) checkMirror(tb testing.TB) {
	tb.Helper()
	s := f.line.Snapshot()
	per := len(f.line.Spec().Stations)
	var shipped, scrapped int64
	for _, st := range s.Stations[f.copy*per : (f.copy+1)*per] {
		want := packml.StationState(st.Servers)
		if got := f.str(tb, st.ID, packml.MetricState); got != want.String() {
			tb.Errorf("%s State = %q, want %q", st.ID, got, want)
		}
		if got := f.int(tb, st.ID, packml.MetricStateNumber); got != int64(want) {
			tb.Errorf("%s StateNumber = %d, want %d", st.ID, got, want)
		}
		for k, v := range st.Servers {
			if len(st.Servers) == 1 {
				break
			}
			if got := f.str(tb, st.ID, packml.ServerMetric(k+1, packml.MetricState)); got != packml.ServerState(v).String() {
				tb.Errorf("%s server %d State = %q, want %v", st.ID, k+1, got, packml.ServerState(v))
			}
		}
		for k, v := range st.Servers {
			f.checkServer(tb, st.ID, k, v)
		}
		if got := f.boolean(tb, st.ID, packml.MetricHeld); got != st.Held {
			tb.Errorf("%s held = %v, want %v", st.ID, got, st.Held)
		}
		if got := f.float(tb, st.ID, packml.MetricSpeed); got != float64(float32(st.Speed)) {
			tb.Errorf("%s speed = %v, want %v", st.ID, got, st.Speed)
		}
		if got := f.int(tb, st.ID, packml.MetricCycleTotal); got != int64(st.Counts.CycleTotal/sim.Millisecond) {
			tb.Errorf("%s cycle total = %d ms, want %v", st.ID, got, st.Counts.CycleTotal)
		}
		if got := f.int(tb, st.ID, packml.MetricProcessed); got != st.Counts.Processed {
			tb.Errorf("%s processed = %d, want %d", st.ID, got, st.Counts.Processed)
		}
		eye := func(t sim.Time) int64 {
			if t < 0 {
				return -1
			}
			return int64(f.node.SimMs(t))
		}
		if got := f.int(tb, st.ID, packml.MetricEntryEye); got != eye(st.LastIn) {
			tb.Errorf("%s entry eye = %d, want %d", st.ID, got, eye(st.LastIn))
		}
		if got := f.int(tb, st.ID, packml.MetricExitEye); got != eye(st.LastOut) {
			tb.Errorf("%s exit eye = %d, want %d", st.ID, got, eye(st.LastOut))
		}
		if _, ok := f.host.Metric(group, f.id, st.ID, packml.MetricInspectPass); ok != st.Inspects {
			tb.Errorf("%s has InspectPass %v, inspects %v", st.ID, ok, st.Inspects)
		} else if ok && st.LastCheck >= 0 && f.boolean(tb, st.ID, packml.MetricInspectPass) != st.LastPass {
			tb.Errorf("%s last inspection pass = %v, want %v", st.ID, !st.LastPass, st.LastPass)
		}
		if got := f.int(tb, st.ID, packml.MetricBuffer); got != int64(st.Buffer) {
			tb.Errorf("%s buffer = %d, want %d", st.ID, got, st.Buffer)
		}
		if got := f.int(tb, st.ID, packml.MetricCapacity); got != int64(st.Capacity) {
			tb.Errorf("%s capacity = %d, want %d", st.ID, got, st.Capacity)
		}
		scrapped += st.Counts.Scrapped
		shipped = st.Counts.Out - st.Counts.Reworked - st.Counts.Scrapped
	}
	arms := len(f.line.Spec().Arms)
	for _, a := range s.Arms[f.copy*arms : (f.copy+1)*arms] {
		if got, want := f.str(tb, a.ID, packml.MetricState), packml.ArmState(a.Phase, a.Broken).String(); got != want {
			tb.Errorf("%s State = %q, want %q", a.ID, got, want)
		}
		if got := f.int(tb, a.ID, packml.MetricMoves); got != a.Moves {
			tb.Errorf("%s moves = %d, want %d", a.ID, got, a.Moves)
		}
	}
	if got := f.int(tb, "", packml.MetricShipped); got != shipped {
		tb.Errorf("shipped = %d, want %d", got, shipped)
	}
	if got := f.int(tb, "", packml.MetricLineScrap); got != scrapped {
		tb.Errorf("scrapped = %d, want %d", got, scrapped)
	}
	if got := f.int(tb, "", packml.MetricSimTime); got != int64(s.Now/sim.Millisecond) {
		tb.Errorf("simulated time = %d ms, want %v", got, s.Now)
	}
	if s.Lines == 1 { // the node's totals are the line's
		if got := f.int(tb, "", packml.MetricShipped); got != s.Line.Shipped {
			tb.Errorf("shipped = %d, line says %d", got, s.Line.Shipped)
		}
		if got := f.int(tb, "", packml.MetricGood); got != s.Line.Good {
			tb.Errorf("good = %d, line says %d", got, s.Line.Good)
		}
		if got := f.int(tb, "", packml.MetricWIP); got != int64(s.Line.WIP) {
			tb.Errorf("WIP = %d, line says %d", got, s.Line.WIP)
		}
		if got := f.int(tb, "", packml.MetricLineScrap); got != s.Line.Scrapped {
			tb.Errorf("scrapped = %d, line says %d", got, s.Line.Scrapped)
		}
	}
	if st := f.host.Stats(); st.ProtocolErrors != 0 || st.Malformed != 0 {
		tb.Errorf("host stats: %+v", st)
	}
}

// checkServer compares the mirrored per-server metrics of server k of a
// station with its true view.
func (f *fixture) checkServer(tb testing.TB, id string, k int, v stations.ServerView) {
	tb.Helper()
	name := func(m string) string { return packml.ServerMetric(k+1, m) }
	if got := f.str(tb, id, name(packml.MetricServerPhase)); got != v.Phase.String() {
		tb.Errorf("%s server %d phase = %q, want %v", id, k+1, got, v.Phase)
	}
	if got := f.int(tb, id, name(packml.MetricServerSince)); got != int64(f.node.SimMs(v.Since)) {
		tb.Errorf("%s server %d since = %d, want %d", id, k+1, got, f.node.SimMs(v.Since))
	}
	if got := f.int(tb, id, name(packml.MetricServerDone)); got != int64(v.Done/sim.Millisecond) {
		tb.Errorf("%s server %d done = %d ms, want %v", id, k+1, got, v.Done)
	}
	if got := f.boolean(tb, id, name(packml.MetricServerUnit)); got != v.Unit {
		tb.Errorf("%s server %d unit = %v, want %v", id, k+1, got, v.Unit)
	}
	if got := f.boolean(tb, id, name(packml.MetricServerDefective)); got != v.Defective {
		tb.Errorf("%s server %d defective = %v, want %v", id, k+1, got, v.Defective)
	}
}

func (f *fixture) boolean(tb testing.TB, device, name string) bool {
	tb.Helper()
	v, ok := f.metric(tb, device, name).Boolean()
	if !ok {
		tb.Fatalf("%s/%q is not a Boolean", device, name)
	}
	return v
}

func (f *fixture) float(tb testing.TB, device, name string) float64 {
	tb.Helper()
	m := f.metric(tb, device, name)
	v, ok := m.Float64()
	if !ok || m.Type() != sparkplug.Float {
		tb.Fatalf("%s/%q is not a Float: %v", device, name, m)
	}
	return v
}
