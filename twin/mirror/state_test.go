package mirror_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// modelOf returns the model of l's line, its nodes in any group.
func modelOf(l *twintest.Line) mirror.Model {
	return mirror.Model{Spec: l.Spec, Prefix: l.Spec.Name}
}

// mustState returns the state m's view gives of model's line.
func mustState(t *testing.T, m *mirror.Mirror, model mirror.Model) (twin.State, *twin.Spec) {
	t.Helper()
	v := m.View()
	st, spec, err := v.State(model)
	if err != nil {
		t.Fatal(err)
	}
	return st, spec
}

// stationIndex returns the index of a station in spec.
func stationIndex(spec *twin.Spec, id string) int {
	for i := range spec.Stations {
		if spec.Stations[i].ID == id {
			return i
		}
	}
	return -1
}

// compareStates reports where the mirrored state differs from the line's.
// The line's snapshot snap must be of the same moment as want. It returns
// the number of working servers whose elapsed processing it compared.
func compareStates(t *testing.T, spec *twin.Spec, got, want twin.State, snap *twin.Snapshot) (compared int) {
	t.Helper()
	inconsistent := 0
	defer func() {
		if inconsistent > 0 {
			t.Logf("%d working server(s) whose Since and Done do not give their elapsed processing: not compared", inconsistent)
		}
	}()
	if got.Time != want.Time {
		t.Errorf("time %v, line at %v", got.Time, want.Time)
	}
	if got.Counters.Shipped != want.Counters.Shipped || got.Counters.Scrapped != want.Counters.Scrapped {
		t.Errorf("counters %+v, line %+v", got.Counters, want.Counters)
	}
	if spec.Lines == 1 && got.Counters.Good != want.Counters.Good {
		t.Errorf("good %d, line %d", got.Counters.Good, want.Counters.Good)
	}
	if len(got.Stations) != len(want.Stations) {
		t.Fatalf("%d stations, line has %d", len(got.Stations), len(want.Stations))
	}
	for _, w := range want.Stations {
		g := twintest.StationAt(&got, w.Line, w.ID)
		if g == nil {
			t.Errorf("line %d station %s missing", w.Line+1, w.ID)
			continue
		}
		if g.Buffer != w.Buffer {
			t.Errorf("line %d %s: buffer %d, line %d", w.Line+1, w.ID, g.Buffer, w.Buffer)
		}
		if len(g.Riding) != len(w.Riding) {
			t.Errorf("line %d %s: %d riding, line %d", w.Line+1, w.ID, len(g.Riding), len(w.Riding))
		}
		if len(g.Servers) != len(w.Servers) {
			t.Errorf("line %d %s: %d servers, line %d", w.Line+1, w.ID, len(g.Servers), len(w.Servers))
			continue
		}
		for k, ws := range w.Servers {
			gs := g.Servers[k]
			if gs.Phase != ws.Phase || gs.Broken != ws.Broken || gs.Unit != ws.Unit || gs.Defective != ws.Defective {
				t.Errorf("line %d %s server %d: %+v, line %+v", w.Line+1, w.ID, k+1, gs, ws)
			}
			if ws.Phase != stations.Working {
				continue
			}
			// The edge publishes the phase's start and the processing done
			// then; where those give the line's elapsed processing, the
			// mirror must give it too (published times are whole ms).
			v := snap.Stations[w.Line*len(spec.Stations)+stationIndex(spec, w.ID)].Servers[k]
			if v.Done+(snap.Now-v.Since) != ws.Elapsed {
				inconsistent++
				continue
			}
			compared++
			if d := gs.Elapsed - ws.Elapsed; d < -2*sim.Millisecond || d > 2*sim.Millisecond {
				t.Errorf("line %d %s server %d: elapsed %v, line %v", w.Line+1, w.ID, k+1, gs.Elapsed, ws.Elapsed)
			}
		}
	}
	if len(got.Arms) != len(want.Arms) {
		t.Fatalf("%d arms, line has %d", len(got.Arms), len(want.Arms))
	}
	for i, w := range want.Arms {
		if g := got.Arms[i]; g != w {
			t.Errorf("arm %d: %+v, line %+v", i, g, w)
		}
	}
	return compared
}

func TestStateMatchesLine(t *testing.T) {
	for _, c := range []struct {
		config string
		steps  int
		span   sim.Time
	}{
		{"demo-line", 50, 2 * sim.Second},
		{"two-machine", 13, 7 * sim.Second},
		{"phone-factory", 10, 10 * sim.Second},
	} {
		t.Run(c.config, func(t *testing.T) {
			l := twintest.MustLine(t, c.config, 7)
			m := l.MustMirror(mirror.Config{})
			l.Birth()
			compared := 0
			for range 12 {
				l.Run(sim.Time(c.steps)*c.span, c.span, nil)
				st, spec := mustState(t, m, modelOf(l))
				compared += compareStates(t, l.Spec, st, l.Line.State(), l.Line.Snapshot())
				if err := st.Validate(spec); err != nil {
					t.Errorf("mirrored state does not validate: %v", err)
				}
				if _, err := twin.NewLineFromState(spec, st, 1); err != nil {
					t.Errorf("cannot fork the mirrored state: %v", err)
				}
			}
			if compared == 0 {
				t.Error("no working server's elapsed processing compared")
			}
		})
	}
}

func TestStateOfBrokenArmAndStation(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 3)
	m := l.MustMirror(mirror.Config{})
	l.Birth()
	l.Run(sim.Minute, 2*sim.Second, nil)
	l.Do(twin.Command{Kind: twin.BreakArm, Target: "arm-1"})
	l.Do(twin.Command{Kind: twin.BreakStation, Target: "test"})
	l.Run(40*sim.Second, 2*sim.Second, nil)
	st, _ := mustState(t, m, modelOf(l))
	compareStates(t, l.Spec, st, l.Line.State(), l.Line.Snapshot())
	if a := st.Arms[0]; !a.Broken || a.Phase != robots.Down {
		t.Errorf("arm after a break: %+v", a)
	}
	if s := twintest.StationAt(&st, 0, "test"); !s.Servers[0].Broken {
		t.Errorf("test after a break: %+v", s.Servers[0])
	}
}

// A held station's idle server is Held in the mirror as in the line, both
// in the state the host forks from and in the snapshot it draws, and the
// fork runs on from it held.
func TestStateOfHeldStation(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 3)
	m := l.MustMirror(mirror.Config{})
	l.Birth()
	l.Run(sim.Minute, 2*sim.Second, nil)
	l.Do(twin.Command{Kind: twin.HoldStation, Target: "test"})
	l.Run(2*sim.Minute, 2*sim.Second, nil) // a test cycle is about 9 s
	st, spec := mustState(t, m, modelOf(l))
	compareStates(t, l.Spec, st, l.Line.State(), l.Line.Snapshot())
	s := twintest.StationAt(&st, 0, "test")
	if !s.Held || s.Servers[0].Phase != stations.Held || s.Servers[0].Unit {
		t.Fatalf("held test in the mirrored state: held %v, server %+v; want held, Held with no unit", s.Held, s.Servers[0])
	}
	var snap twin.Snapshot
	var marks mirror.Marks
	fill(&mirror.Filler{Model: modelOf(l)}, m, &snap, &marks)
	if p := snap.Stations[stationIndex(spec, "test")].Servers[0].Phase; p != stations.Held {
		t.Errorf("held test in the mirrored snapshot: %v, want Held", p)
	}
	fork, err := twin.NewLineFromState(spec, st, 1)
	if err != nil {
		t.Fatal(err)
	}
	fork.RunFor(sim.Minute)
	if p := fork.Snapshot().Stations[stationIndex(spec, "test")].Servers[0].Phase; p != stations.Held {
		t.Errorf("held test in the fork a minute on: %v, want Held", p)
	}
}

// A buffer enlarged by command is in the spec the state forks with (the
// model's spec is not changed); a smaller one keeps the model's.
func TestStateWidensCommandedBuffers(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 3)
	m := l.MustMirror(mirror.Config{})
	l.Birth()
	l.Do(twin.Command{Kind: twin.SetBuffer, Target: "test", Capacity: 9})
	l.Do(twin.Command{Kind: twin.SetBuffer, Target: "pack", Capacity: 2})
	l.Run(sim.Minute, 2*sim.Second, nil)
	_, spec := mustState(t, m, modelOf(l))
	test, pack := stationIndex(spec, "test"), stationIndex(spec, "pack")
	if spec.Stations[test].Buffer != 9 || spec.Stations[pack].Buffer != l.Spec.Stations[pack].Buffer {
		t.Errorf("buffers of the fork: test %v, pack %v; want 9 and the model's %v",
			spec.Stations[test].Buffer, spec.Stations[pack].Buffer, l.Spec.Stations[pack].Buffer)
	}
	if l.Spec.Stations[test].Buffer == 9 {
		t.Error("the model's spec was changed")
	}
}

func TestStateErrors(t *testing.T) {
	t.Run("no model", func(t *testing.T) {
		var v mirror.View
		if _, _, err := v.State(mirror.Model{}); !errors.Is(err, mirror.ErrNoModel) {
			t.Errorf("State without a spec: %v, want ErrNoModel", err)
		}
	})
	t.Run("no node", func(t *testing.T) {
		l := twintest.MustLine(t, "demo-line", 1)
		m := l.MustMirror(mirror.Config{})
		l.Birth()
		v := m.View()
		_, _, err := v.State(mirror.Model{Spec: l.Spec, Prefix: "other"})
		if !errors.Is(err, mirror.ErrNoState) || !strings.Contains(err.Error(), "other-L1") {
			t.Errorf("State with no node for the copy: %v", err)
		}
		_, _, err = v.State(mirror.Model{Spec: l.Spec, Group: "elsewhere", Prefix: l.Spec.Name})
		if !errors.Is(err, mirror.ErrNoState) {
			t.Errorf("State with the node in another group: %v", err)
		}
	})
	t.Run("missing device", func(t *testing.T) {
		l := twintest.MustLine(t, "demo-line", 1)
		m := l.MustMirror(mirror.Config{})
		l.Birth()
		spec := *l.Spec
		spec.Stations = append(append([]stations.Spec(nil), l.Spec.Stations...), l.Spec.Stations[6])
		spec.Stations[7].ID = "extra"
		v := m.View()
		_, _, err := v.State(mirror.Model{Spec: &spec, Prefix: l.Spec.Name})
		if !errors.Is(err, mirror.ErrNoState) || !strings.Contains(err.Error(), `"extra"`) {
			t.Errorf("State with a device missing: %v", err)
		}
	})
}
