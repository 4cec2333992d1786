package packml_test

import (
	"reflect"
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// The contract's round trip through the three programs: the edge
// publishes a running line, the host mirrors it and reads it back as a
// twin.State (what it forks) and as the twin.Snapshot the window draws
// (mirror.Filler, the view's twin mode), and every command the window can
// give reaches the line as the same twin.Command through the host's DCMD
// and the edge. The line is the phone factory (two copies, stations with
// several servers, conveyors, arms), broken, held and slowed on the way so
// that most PackML states occur.
func TestContractRoundTrip(t *testing.T) {
	l := twintest.MustLine(t, "phone-factory", 11)
	l.Strict = true
	m := l.MustMirror(mirror.Config{})
	l.Birth()
	model := mirror.Model{Spec: l.Spec, Prefix: l.Spec.Name}
	states := map[packml.State]bool{}
	seen := func() {
		for _, s := range l.Line.Snapshot().Stations {
			for _, v := range s.Servers {
				states[packml.ServerState(v)] = true
			}
		}
	}
	host := func(c twin.Command) {
		t.Helper()
		pc, err := packml.FromTwin(c)
		if err != nil {
			t.Fatal(err)
		}
		ws, err := pc.Writes()
		if err != nil {
			t.Fatal(err)
		}
		msg, err := m.BuildCommand(l.Group, l.NodeID(c.Line), c.Target, ws...)
		if err != nil {
			t.Fatalf("%v: %v", c, err)
		}
		before := len(l.Line.Log())
		l.Command(msg)
		log := l.Line.Log()
		if len(log) != before+1 || !reflect.DeepEqual(log[before].Cmd, c) {
			t.Fatalf("%v reached the line as %+v", c, log[before:])
		}
		l.Deliver(l.Step(0)...) // the command applies, and is published
		seen()
	}
	filler := mirror.Filler{Model: model}
	var snap twin.Snapshot
	var marks mirror.Marks
	check := func(when string) {
		t.Helper()
		l.Deliver(l.Step(0)...) // publish what the commands changed
		seen()
		v := m.View()
		st, _, err := v.State(model)
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		want := l.Line.State()
		filler.Fill(&v, &snap, &marks)
		truth := l.Line.Snapshot()
		if snap.Now != truth.Now || len(st.Stations) != len(want.Stations) {
			t.Fatalf("%s: mirrored time %v, %d stations; the line %v, %d", when, snap.Now, len(st.Stations), truth.Now, len(want.Stations))
		}
		for i, ws := range want.Stations {
			gs, fs, ts := st.Stations[i], snap.Stations[i], truth.Stations[i]
			if gs.ID != ws.ID || gs.Buffer != ws.Buffer || gs.Held != ws.Held || gs.Speed != ws.Speed {
				t.Errorf("%s: state of %s L%d %+v, line %+v", when, ws.ID, ws.Line+1, gs, ws)
			}
			if fs.Buffer != ts.Buffer || fs.Held != ts.Held || fs.Capacity != ts.Capacity || fs.Counts.Processed != ts.Counts.Processed {
				t.Errorf("%s: snapshot of %s L%d: buffer %d held %v capacity %v processed %d; line %d %v %v %d", when, ts.ID,
					ts.Line+1, fs.Buffer, fs.Held, fs.Capacity, fs.Counts.Processed, ts.Buffer, ts.Held, ts.Capacity, ts.Counts.Processed)
			}
			if packml.StationState(fs.Servers) != packml.StationState(ts.Servers) {
				t.Errorf("%s: %s L%d drawn %v, line %v", when, ts.ID, ts.Line+1, packml.StationState(fs.Servers), packml.StationState(ts.Servers))
			}
			for k, srv := range ws.Servers {
				if g := gs.Servers[k]; g.Phase != srv.Phase || g.Broken != srv.Broken || g.Unit != srv.Unit {
					t.Errorf("%s: %s L%d server %d forked as %v broken %v unit %v; line %v %v %v", when, ws.ID, ws.Line+1, k+1,
						g.Phase, g.Broken, g.Unit, srv.Phase, srv.Broken, srv.Unit)
				}
				if f, v := fs.Servers[k], ts.Servers[k]; f.Phase != v.Phase || f.Broken != v.Broken {
					t.Errorf("%s: %s L%d server %d drawn %v broken %v; line %v %v", when, ts.ID, ts.Line+1, k+1, f.Phase, f.Broken, v.Phase, v.Broken)
				}
			}
		}
		for j, wa := range want.Arms {
			if ga := st.Arms[j]; ga.Phase != wa.Phase || ga.Broken != wa.Broken {
				t.Errorf("%s: arm %s L%d forked as %v broken %v; line %v %v", when, wa.ID, wa.Line+1, ga.Phase, ga.Broken, wa.Phase, wa.Broken)
			}
			if fa, ta := snap.Arms[j], truth.Arms[j]; packml.ArmState(fa.Phase, fa.Broken) != packml.ArmState(ta.Phase, ta.Broken) {
				t.Errorf("%s: arm %s L%d drawn %v, line %v", when, ta.ID, ta.Line+1, packml.ArmState(fa.Phase, fa.Broken), packml.ArmState(ta.Phase, ta.Broken))
			}
		}
	}
	l.Run(20*sim.Minute, 10*sim.Second, seen)
	check("after 20 min")
	spec := l.Spec
	arm := spec.Arms[0].ID
	busy := spec.Stations[spec.Constraint()].ID // the constraint: most likely working
	multi := ""
	for _, s := range spec.Stations {
		if s.Servers > 1 && multi == "" {
			multi = s.ID
		}
	}
	for _, c := range []twin.Command{
		{Kind: twin.BreakStation, Line: 0, Target: multi, Server: 1},
		{Kind: twin.HoldStation, Line: 1, Target: busy},
		{Kind: twin.SetSpeed, Line: 0, Target: spec.Stations[2].ID, Speed: 0.8},
		{Kind: twin.SetSpeed, Line: 1, Target: spec.Stations[5].ID, Speed: 1.25},
		{Kind: twin.SetBuffer, Line: 0, Target: spec.Stations[4].ID, Capacity: 30},
		{Kind: twin.BreakArm, Line: 1, Target: arm},
	} {
		host(c)
	}
	l.Run(10*sim.Minute, 10*sim.Second, seen)
	check("with a break, a hold, speeds and a buffer")
	for _, c := range []twin.Command{
		{Kind: twin.RepairStation, Line: 0, Target: multi, Server: 1},
		{Kind: twin.UnholdStation, Line: 1, Target: busy},
		{Kind: twin.RepairArm, Line: 1, Target: arm},
		{Kind: twin.SetBuffer, Line: 0, Target: spec.Stations[4].ID, Capacity: stations.Inf},
		{Kind: twin.HoldStation, Line: 0, Target: spec.Stations[1].ID},
		{Kind: twin.ResetStation, Line: 0, Target: spec.Stations[1].ID},
		// The upkeep commands: maintain a worn tester now, and dispatch
		// the crew to the constraint (logged with an error when none of
		// its jobs waits; the command reaches the line all the same).
		{Kind: twin.MaintainStation, Line: 1, Target: busy, Server: 2},
		{Kind: twin.DispatchCrew, Line: 1, Target: busy, Server: 2},
	} {
		host(c)
	}
	if v := l.Line.Snapshot().Stations[len(spec.Stations)+spec.Constraint()].Upkeep[2]; !v.Maintaining {
		t.Errorf("%s L2 server 3 after Command/Maintain: %+v, want under maintenance", busy, v)
	}
	l.Run(10*sim.Minute, 10*sim.Second, seen)
	check("after repairs, unhold and reset")
	for _, s := range []packml.State{packml.Execute, packml.Suspended, packml.Aborted, packml.Holding, packml.Held} {
		if !states[s] {
			t.Errorf("no server was ever %v: the round trip proves less than it says", s)
		}
	}
}
