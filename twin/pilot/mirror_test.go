package pilot

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"sync"
	"testing"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// watcher is a policy that keeps what it is shown: every observation's
// time, every reading per machine, and the latest observation.
type watcher struct {
	mu       sync.Mutex
	epochs   []sim.Time
	readings map[autopilot.MachineRef][]autopilot.Reading
	future   bool
	last     autopilot.Observation
}

func (w *watcher) Name() string    { return "watcher" }
func (w *watcher) Epoch() sim.Time { return 10 * sim.Minute }
func (w *watcher) Decide(_ context.Context, o *autopilot.Observation, dst []autopilot.Action) ([]autopilot.Action, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.readings == nil {
		w.readings = map[autopilot.MachineRef][]autopilot.Reading{}
	}
	w.epochs = append(w.epochs, o.Now)
	for _, m := range o.Machines {
		for _, s := range m.Sensors {
			for _, r := range s.Readings {
				w.future = w.future || r.At > o.Now
				w.readings[m.Ref()] = append(w.readings[m.Ref()], r)
			}
		}
	}
	w.last = *o
	w.last.Machines = slices.Clone(o.Machines)
	return dst, nil
}

// flyWatcher flies a watcher on a mirror of phone-factory.
func flyWatcher(t *testing.T, seed uint64) (*twintest.Line, *mirror.Mirror, *Twin, *watcher) {
	t.Helper()
	l := twintest.MustLine(t, "phone-factory", seed)
	m := l.MustMirror(mirror.Config{})
	w := &watcher{}
	tw, err := NewTwin(m, TwinConfig{Model: mirror.Model{Spec: l.Spec}, NewPilot: func(autopilot.Evaluator) (*autopilot.Pilot, error) {
		return autopilot.NewPilot(w, autopilot.DefaultGuard())
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tw.Close)
	l.Birth()
	return l, m, tw, w
}

// The observation lists the machines in the simulator adapter's order,
// and maps what the mirror holds as the simulator's adapter maps the
// line's own snapshot: state, buffer, capacity, speed, design cycle and
// counters of every station server and arm.
func TestTwinMapsTheMirror(t *testing.T) {
	l, m, tw, _ := flyWatcher(t, 3)
	l.Run(3*sim.Hour, sim.Minute, nil)
	tw.Flush()
	v := m.View()
	tw.filler.Fill(&v, &tw.snap, &tw.marks)
	obs := tw.observation(l.Line.Now())

	ref, err := twin.NewLine(l.Spec, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Attach(ref, func(autopilot.Evaluator) (*autopilot.Pilot, error) {
		return autopilot.NewPilot(&watcher{}, autopilot.DefaultGuard())
	})
	if err != nil {
		t.Fatal(err)
	}
	want := s.Observation().Machines
	if len(obs.Machines) != len(want) {
		t.Fatalf("%d machines, the simulator's adapter lists %d", len(obs.Machines), len(want))
	}
	snap := l.Line.Snapshot()
	n := len(l.Spec.Stations)
	for j, got := range obs.Machines {
		w := want[j]
		if got.Ref() != w.Ref() || got.Kind != w.Kind || got.Index != w.Index || got.Servers != w.Servers ||
			got.DesignCycle != w.DesignCycle || len(got.Sensors) != len(w.Sensors) {
			t.Fatalf("machine %d: %+v, want %+v", j, got, w)
		}
		if got.Stale {
			t.Errorf("%v: stale", got.Ref())
		}
		if got.Kind == autopilot.Arm {
			a := &snap.Arms[tw.mach[j].slot]
			if got.State != armState(a) || got.Processed != a.Moves {
				t.Errorf("arm %v: %v, %d moves; the line says %v, %d", got.Ref(), got.State, got.Processed, armState(a), a.Moves)
			}
			continue
		}
		ss := &snap.Stations[got.Line*n+got.Index]
		if st := stationState(ss, got.Server); got.State != st {
			t.Errorf("%v: state %v, the line says %v (phase %v)", got.Ref(), got.State, st, ss.Servers[got.Server].Phase)
		}
		if got.Buffer != ss.Buffer || got.Capacity != int(ss.Capacity) && ss.Capacity >= 0 || got.Speed != 1 || got.Processed != ss.Counts.Processed {
			t.Errorf("%v: buffer %d/%d speed %v processed %d; the line says %d/%d %v %d", got.Ref(), got.Buffer, got.Capacity,
				got.Speed, got.Processed, ss.Buffer, ss.Capacity, ss.Speed, ss.Counts.Processed)
		}
	}
	if len(obs.Crews) != len(snap.Crews) || obs.Crews[0].Size != snap.Crews[0].Size || obs.Crews[0].Busy != snap.Crews[0].Busy {
		t.Errorf("crews %+v, the line has %+v", obs.Crews, snap.Crews)
	}
}

// Epochs come on the mirror's clock, one a policy epoch, and each
// condition reading reaches the policy once, in order, never from after
// the observation: about every reading the sensors took, less the
// dropout.
func TestTwinReadingsOnce(t *testing.T) {
	const hours = 12
	l, _, tw, w := flyWatcher(t, 5)
	l.Run(hours*sim.Hour, sim.Minute, nil)
	tw.Flush()
	w.mu.Lock()
	defer w.mu.Unlock()
	if n := len(w.epochs); n < hours*6-1 || n > hours*6+1 {
		t.Errorf("%d epochs in %d hours, want one every 10 minutes", n, hours)
	}
	for i := 1; i < len(w.epochs); i++ {
		if d := w.epochs[i] - w.epochs[i-1]; d < 10*sim.Minute || d > 11*sim.Minute {
			t.Fatalf("epochs %v and %v: want 10 minutes apart (to the step)", w.epochs[i-1], w.epochs[i])
		}
	}
	if w.future {
		t.Error("a reading taken after its observation")
	}
	want := 0
	for i := range l.Spec.Stations {
		if wr := l.Spec.Stations[i].Wear; wr != nil && wr.Sensor != nil {
			want += l.Spec.Lines * l.Spec.Stations[i].Servers * int(hours*sim.Hour/wr.Sensor.Every)
		}
	}
	got := 0
	for ref, rs := range w.readings {
		got += len(rs)
		for i := 1; i < len(rs); i++ {
			if rs[i].At <= rs[i-1].At {
				t.Fatalf("%v: reading at %v after one at %v: a reading twice, or out of order", ref, rs[i].At, rs[i-1].At)
			}
		}
	}
	if got > want || got < want*8/10 {
		t.Errorf("%d readings, the sensors took at most %d", got, want)
	}
	// An epoch with nothing new gives no reading: the last epoch is at
	// most one step after the last reading of each sensor.
	for _, m := range w.last.Machines {
		for _, s := range m.Sensors {
			if len(s.Readings) > 2 {
				t.Errorf("%v: %d readings in one 10-minute epoch of a 10-minute sensor", m.Ref(), len(s.Readings))
			}
		}
	}
}

// The machines of an edge node that died are stale, the others not.
func TestTwinStale(t *testing.T) {
	l, _, tw, w := flyWatcher(t, 7)
	l.Run(sim.Hour, sim.Minute, nil)
	l.Die(0)
	l.Drop = func(m sparkplug.Message) bool { return m.Topic.EdgeNode == l.NodeID(0) }
	l.Run(sim.Hour, sim.Minute, nil)
	tw.Flush()
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, m := range w.last.Machines {
		if m.Stale != (m.Line == 0) {
			t.Fatalf("%v: stale %v after copy 1's node died", m.Ref(), m.Stale)
		}
	}
}

// sink is a Commander that keeps the requests, for the test's goroutine
// to hand to the edge nodes.
type sink struct {
	mu   sync.Mutex
	reqs []mirror.CommandRequest
}

func (s *sink) SendCommand(_ context.Context, r mirror.CommandRequest) (sparkplug.Topic, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, r)
	return sparkplug.Topic{}, nil
}

func (s *sink) take() []mirror.CommandRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.reqs
	s.reqs = nil
	return out
}

// maintained is one Command/Maintain the Twin sent and what followed.
type maintained struct {
	node, device string
	server       int
	at           sim.Time
}

// flyPredictive flies predictive on a mirror of phone-factory for d,
// handing its DCMDs to the edge nodes, and returns the maintenances it
// ordered, the mirror, the line and the Twin.
func flyPredictive(t *testing.T, seed uint64, d sim.Time, rec *bytes.Buffer) ([]maintained, *mirror.Mirror, *twintest.Line, *Twin) {
	t.Helper()
	l := twintest.MustLine(t, "phone-factory", seed)
	var cfg mirror.Config
	if rec != nil {
		cfg.Record = rec
	}
	m := l.MustMirror(cfg)
	cmds := &sink{}
	tw, err := NewTwin(m, TwinConfig{Model: mirror.Model{Spec: l.Spec}, Commands: cmds, NewPilot: func(e autopilot.Evaluator) (*autopilot.Pilot, error) {
		p, err := autopilot.New("predictive", autopilot.DefaultParams(), e)
		if err != nil {
			return nil, err
		}
		return autopilot.NewPilot(p, autopilot.DefaultGuard())
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tw.Close)
	l.Birth()
	var out []maintained
	l.Run(d, 2*sim.Minute, func() {
		tw.Flush()
		for _, r := range cmds.take() {
			msg, err := m.Command(r)
			if err != nil {
				t.Fatalf("%+v: %v", r, err)
			}
			l.Command(msg)
			if r.Command == packml.Maintain.String() {
				out = append(out, maintained{node: r.Node, device: r.Device, server: *r.Server, at: l.Line.Now()})
			}
		}
	})
	tw.Flush()
	return out, m, l, tw
}

// Predictive maintains worn machines through DCMDs: each Command/Maintain
// names a server, the edge applies it, and the server's condition reading
// falls back to a new machine's soon after.
func TestTwinMaintainsThroughDCMDs(t *testing.T) {
	done, m, l, tw := flyPredictive(t, 1, 3*sim.Day, nil)
	if len(done) == 0 {
		t.Fatal("no maintenance ordered in 3 days: the test shows nothing")
	}
	st := tw.Pilot().Stats()
	if st.Applied == 0 || st.Errors != 0 || st.Invalid != 0 {
		t.Fatalf("pilot stats %+v", st)
	}
	if d := tw.Delivery(); d.Failed != 0 || d.Sent < uint64(len(done)) {
		t.Fatalf("delivery %+v for %d maintenances", d, len(done))
	}
	v := m.View()
	checked := 0
	for _, d := range done {
		if l.Line.Now()-d.at < 2*sim.Hour {
			continue // too recent to see it restored
		}
		checked++
		i := stationIndex(l.Spec, d.device)
		cs := l.Spec.Stations[i].Wear.Sensor
		dev, ok := v.Device(l.Group, d.node, d.device)
		if !ok {
			t.Fatalf("no device %s/%s", d.node, d.device)
		}
		node, _ := v.Node(l.Group, d.node)
		_, epochMs, _ := mirror.Clock(node)
		r, ok := mirror.ServerReading(dev, d.server-1, epochMs)
		if !ok || r.At < d.at {
			t.Fatalf("%s server %d: no reading since its maintenance", d.device, d.server)
		}
		if h := mirror.HealthOf(cs, r.Value); h < 0.5 && r.At-d.at < 24*sim.Hour {
			t.Errorf("%s server %d maintained at %v: health %.2f at %v by its reading %.2f, want restored", d.device, d.server, d.at, h, r.At, r.Value)
		}
	}
	if checked == 0 {
		t.Fatal("every maintenance too recent to check")
	}
	t.Logf("%d maintenances ordered, %d checked", len(done), checked)
	var maints int64
	for _, s := range l.Line.Snapshot().Stations {
		maints += s.Counts.Maintenances
	}
	if maints < int64(len(done)) {
		t.Errorf("%d maintenances at the edge, %d ordered", maints, len(done))
	}
}

// A replay of a recording of the mirror flies the same decisions.
func TestTwinReplayDecidesTheSame(t *testing.T) {
	var rec bytes.Buffer
	_, _, l, live := flyPredictive(t, 2, 2*sim.Day, &rec)
	r, err := mirror.NewReplayer(mirror.Config{HostID: "h"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := NewTwin(r.Mirror(), TwinConfig{Model: mirror.Model{Spec: l.Spec}, NewPilot: func(e autopilot.Evaluator) (*autopilot.Pilot, error) {
		p, err := autopilot.New("predictive", autopilot.DefaultParams(), e)
		if err != nil {
			return nil, err
		}
		return autopilot.NewPilot(p, autopilot.DefaultGuard())
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if _, err := r.Replay(context.Background(), &rec, 0); err != nil {
		t.Fatal(err)
	}
	again.Flush()
	a, _ := json.Marshal(live.Pilot().Log().Since(0, nil))
	b, _ := json.Marshal(again.Pilot().Log().Since(0, nil))
	if live.Pilot().Stats().Actions == 0 {
		t.Fatal("no decision live: the test shows nothing")
	}
	if !bytes.Equal(a, b) {
		t.Fatalf("live decisions:\n%s\nreplayed:\n%s", a, b)
	}
	if d := again.Delivery(); d.Sent != 0 || d.Failed != live.Delivery().Sent {
		t.Errorf("the replay's commands: %+v, want none sent", d)
	}
}
