package edge_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
)

// fakePub is a Publisher that keeps what it is given, or fails. A token
// in stall makes the next Publish say so on stalled and wait for resume.
type fakePub struct {
	msgs                   chan sparkplug.Message
	fail                   error
	stall, stalled, resume chan struct{}
}

func newFakePub() *fakePub {
	return &fakePub{msgs: make(chan sparkplug.Message, 4096),
		stall: make(chan struct{}, 1), stalled: make(chan struct{}), resume: make(chan struct{})}
}

func (p *fakePub) Publish(_ context.Context, m sparkplug.Message) error {
	select {
	case <-p.stall:
		p.stalled <- struct{}{}
		<-p.resume
	default:
	}
	if p.fail != nil {
		return p.fail
	}
	p.msgs <- m
	return nil
}

// runnerFixture is a runner of a line, running, with a fake publisher per
// node and a host session fed with what they publish.
type runnerFixture struct {
	t       *testing.T
	ctx     context.Context
	r       *edge.Runner
	steps   chan edge.Step
	pubs    []*fakePub
	host    *host.Session
	devices int // per node
	stop    func()
}

// startRunner builds config's line (seed 1) and its runner ("t-L<k>",
// wall clock frozen at epoch) and runs it until the test ends.
func startRunner(t *testing.T, config string) *runnerFixture {
	t.Helper()
	spec, err := configs.Embedded(config)
	if err != nil {
		t.Fatal(err)
	}
	line, err := twin.NewLine(spec, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	wall := time.UnixMilli(int64(epoch))
	r, err := edge.NewRunner(line, edge.RunnerConfig{Group: group, Prefix: "t", Log: zaptest.NewLogger(t),
		Now: func() time.Time { return wall }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	f := &runnerFixture{t: t, ctx: ctx, r: r, steps: make(chan edge.Step),
		host: host.NewSession(host.Config{}), devices: len(spec.Stations) + len(spec.Arms)}
	for range r.Nodes() {
		f.pubs = append(f.pubs, newFakePub())
	}
	rctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.Run(rctx, f.steps)
	}()
	f.stop = func() { stop(); <-done }
	t.Cleanup(func() { f.stop(); cancel() })
	return f
}

// connect starts node k's session and reports its connection; it returns
// the NBIRTH and DBIRTHs the runner publishes, fed to the host.
func (f *runnerFixture) connect(k int) []sparkplug.Message {
	f.t.Helper()
	if _, err := f.r.Will(k); err != nil {
		f.t.Fatal(err)
	}
	f.r.Connected(k, f.pubs[k])
	births := f.next(k, 1+f.devices)
	if births[0].Topic.Type != sparkplug.NBIRTH {
		f.t.Fatalf("first message %s, want the NBIRTH", births[0].Topic)
	}
	f.feed(births)
	return births
}

// next waits for the next n messages of node k.
func (f *runnerFixture) next(k, n int) []sparkplug.Message {
	f.t.Helper()
	var out []sparkplug.Message
	for range n {
		select {
		case m := <-f.pubs[k].msgs:
			out = append(out, m)
		case <-f.ctx.Done():
			f.t.Fatalf("node %d: %d of %d messages published", k, len(out), n)
		}
	}
	return out
}

// step advances the line by span and returns what each node published.
func (f *runnerFixture) step(span sim.Time) [][]sparkplug.Message {
	f.t.Helper()
	st := edge.Step{Span: span, Done: make(chan struct{})}
	select {
	case f.steps <- st:
	case <-f.ctx.Done():
		f.t.Fatal("the runner takes no step")
	}
	select {
	case <-st.Done:
	case <-f.ctx.Done():
		f.t.Fatal("the runner does not finish its step")
	}
	out := make([][]sparkplug.Message, len(f.pubs))
	for k, p := range f.pubs {
		for len(p.msgs) > 0 {
			out[k] = append(out[k], <-p.msgs)
		}
	}
	return out
}

// feed gives msgs to the host; it returns the first error and rebirth
// request.
func (f *runnerFixture) feed(msgs []sparkplug.Message) (*sparkplug.Message, error) {
	var req *sparkplug.Message
	var first error
	for _, m := range msgs {
		act, err := f.host.Receive(m.Topic.String(), m.Payload, epoch)
		if err != nil && first == nil {
			first = err
		}
		if act.Kind == host.ActionRebirth && req == nil {
			req = &act.Request
		}
	}
	return req, first
}

// processed returns station id's processed count on copy k, in the line
// and in the host's mirror.
func (f *runnerFixture) processed(k int, id string) (line, mirrored int64) {
	f.t.Helper()
	f.r.WithLine(func(l *twin.Line) {
		for _, st := range l.Snapshot().Stations {
			if st.Line == k && st.ID == id {
				line = st.Counts.Processed
			}
		}
	})
	m, ok := f.host.Metric(group, f.r.NodeID(k), id, packml.MetricProcessed)
	if !ok {
		f.t.Fatalf("%s/%s: no %s mirrored", f.r.NodeID(k), id, packml.MetricProcessed)
	}
	mirrored, _ = m.Value.Int64()
	return line, mirrored
}

func TestRunnerPublishesBirthsThenChanges(t *testing.T) {
	f := startRunner(t, "phone-factory")
	if f.r.Nodes() != 2 || f.r.NodeID(1) != "t-L2" {
		t.Fatalf("%d nodes, the second %q", f.r.Nodes(), f.r.NodeID(1))
	}
	for k := range f.r.Nodes() {
		f.connect(k)
	}
	want := []uint64{uint64(1 + f.devices), uint64(1 + f.devices)}
	for range 20 {
		out := f.step(30 * sim.Second)
		for k, msgs := range out {
			if _, err := f.feed(msgs); err != nil {
				t.Fatalf("node %d: %v", k, err)
			}
			want[k] += uint64(len(msgs))
		}
	}
	for k := range f.r.Nodes() {
		if got := f.r.Published(k); got != want[k] {
			t.Errorf("node %d: %d published, %d received", k, got, want[k])
		}
		line, mirrored := f.processed(k, "aoi")
		if line == 0 || line != mirrored {
			t.Errorf("node %d: aoi processed %d, mirrored %d", k, line, mirrored)
		}
	}
}

func TestRunnerDropNextDataMakesAGapAndRebirths(t *testing.T) {
	f := startRunner(t, "demo-line")
	f.connect(0)
	if _, err := f.feed(f.step(sim.Minute)[0]); err != nil {
		t.Fatal(err)
	}
	f.r.DropNextData()
	var req *sparkplug.Message
	for i := 0; req == nil && i < 10; i++ {
		r, _ := f.feed(f.step(sim.Minute)[0])
		req = r
	}
	if req == nil || f.host.Stats().SeqGaps == 0 {
		t.Fatalf("no rebirth request after a dropped message: %+v", f.host.Stats())
	}
	f.r.Command(0, req.Topic.String(), req.Payload)
	births := f.next(0, 1+f.devices)
	if _, err := f.feed(births); err != nil || births[0].Topic.Type != sparkplug.NBIRTH {
		t.Fatalf("rebirth %s: %v", births[0].Topic, err)
	}
	if _, err := f.feed(f.step(sim.Minute)[0]); err != nil {
		t.Fatalf("after the rebirth: %v", err)
	}
	if line, mirrored := f.processed(0, "placer"); line != mirrored {
		t.Errorf("placer processed %d, mirrored %d", line, mirrored)
	}
}

// A command queued while the runner is busy applies before the step that
// follows, though both wait when the runner is free.
func TestRunnerAppliesCommandsBeforeTheNextStep(t *testing.T) {
	f := startRunner(t, "demo-line")
	f.connect(0)
	if _, err := f.feed(f.step(sim.Minute)[0]); err != nil {
		t.Fatal(err)
	}
	send := func(st edge.Step) {
		select {
		case f.steps <- st:
		case <-f.ctx.Done():
		}
	}
	for i := range 20 {
		action := packml.Hold
		if i%2 == 1 {
			action = packml.Unhold
		}
		writes, err := packml.Command{Action: action}.Writes()
		if err != nil {
			t.Fatal(err)
		}
		cmd, err := f.host.Command(group, f.r.NodeID(0), "placer", epoch, writes...)
		if err != nil {
			t.Fatal(err)
		}
		// The runner stalls publishing step a; the command and step b
		// queue up meanwhile.
		a := edge.Step{Span: sim.Minute, Done: make(chan struct{})}
		b := edge.Step{Span: sim.Second, Done: make(chan struct{})}
		f.pubs[0].stall <- struct{}{}
		send(a)
		<-f.pubs[0].stalled
		f.r.Command(0, cmd.Topic.String(), cmd.Payload)
		go send(b)
		f.pubs[0].resume <- struct{}{}
		<-a.Done
		<-b.Done
		var msgs []sparkplug.Message
		for len(f.pubs[0].msgs) > 0 {
			msgs = append(msgs, <-f.pubs[0].msgs)
		}
		if _, err := f.feed(msgs); err != nil {
			t.Fatal(err)
		}
		m, ok := f.host.Metric(group, f.r.NodeID(0), "placer", packml.MetricHeld)
		if held, _ := m.Value.Boolean(); !ok || held != (action == packml.Hold) {
			t.Fatalf("%v then a step: the placer's %s is %v", action, packml.MetricHeld, m.Value)
		}
	}
	held := true
	f.r.WithLine(func(l *twin.Line) { held = l.Snapshot().Stations[1].Held })
	if held {
		t.Error("the line's placer is held after the last unhold")
	}
}

func TestRunnerWillBirthsAndShutdownShareTheSession(t *testing.T) {
	f := startRunner(t, "phone-factory")
	first, err := f.r.Will(0)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.r.Will(0) // an attempt the broker never accepted: the same session
	if err != nil {
		t.Fatal(err)
	}
	f.r.Accepted(0)        // the broker accepts it: bdSeq 0 is spent
	births := f.connect(0) // a second session: bdSeq 1
	bdSeq := func(m sparkplug.Message) int64 {
		t.Helper()
		var p sparkplug.Payload
		if err := sparkplug.Unmarshal(m.Payload, &p); err != nil {
			t.Fatal(err)
		}
		for _, pm := range p.Metrics {
			if pm.Name == sparkplug.BdSeqMetric {
				v, _ := pm.Value.Int64()
				return v
			}
		}
		t.Fatalf("%s has no bdSeq", m.Topic)
		return -1
	}
	if bdSeq(first) != 0 || bdSeq(again) != 0 || bdSeq(births[0]) != 1 {
		t.Errorf("bdSeq: first Will %d, its retry %d, birth of the second session %d", bdSeq(first), bdSeq(again), bdSeq(births[0]))
	}
	f.stop()
	if err := f.r.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	death := f.next(0, 1)[0]
	if death.Topic.Type != sparkplug.NDEATH || bdSeq(death) != 1 {
		t.Errorf("shutdown published %s with bdSeq %d, want the NDEATH of session 1", death.Topic, bdSeq(death))
	}
	if len(f.pubs[1].msgs) != 0 {
		t.Errorf("the node never connected published %d messages", len(f.pubs[1].msgs))
	}
	// The runner has stopped: reports no longer wait for it.
	for range 100 {
		f.r.Connected(1, f.pubs[1])
	}
}

func TestRunnerCountsOnlyWhatWasHandedOver(t *testing.T) {
	f := startRunner(t, "demo-line")
	f.pubs[0].fail = errors.New("broker gone")
	if _, err := f.r.Will(0); err != nil {
		t.Fatal(err)
	}
	f.r.Connected(0, f.pubs[0])
	f.step(sim.Minute)
	if got := f.r.Published(0); got != 0 {
		t.Errorf("%d published through a failing connection", got)
	}
	f.stop()
	if err := f.r.Shutdown(context.Background()); err == nil {
		t.Error("the NDEATH was not published, and Shutdown says nothing")
	}
}

func TestRunnerKeepsRunningWithoutSteps(t *testing.T) {
	f := startRunner(t, "demo-line")
	close(f.steps)
	f.connect(0) // births still published
	if f.r.Filters(0)[0] != "spBv1.0/"+group+"/NCMD/t-L1" || f.r.Filters(0)[1] != "spBv1.0/"+group+"/DCMD/t-L1/+" {
		t.Errorf("filters %q", f.r.Filters(0))
	}
}
