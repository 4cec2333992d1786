package twin_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/configs/configstest"
	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// forkAt runs a line with seed to t and returns it with its state.
func forkAt(tb testing.TB, spec *twin.Spec, seed uint64, t sim.Time) (*twin.Line, twin.State) {
	tb.Helper()
	l, err := twin.NewLine(spec, seed, nil)
	if err != nil {
		tb.Fatal(err)
	}
	l.RunUntil(t)
	return l, l.State()
}

// shape is what a fork must reproduce of a state: everything but the
// elapsed times, which the fork redraws.
func shape(st twin.State) twin.State {
	st.Stations = append([]twin.StationAt(nil), st.Stations...)
	for i := range st.Stations {
		sa := &st.Stations[i]
		sa.Servers = append([]twin.ServerAt(nil), sa.Servers...)
		for k := range sa.Servers {
			sa.Servers[k].Elapsed = 0
		}
		sa.Riding = append([]twin.RideAt(nil), sa.Riding...)
		for r := range sa.Riding {
			sa.Riding[r].Remaining = 0
		}
	}
	return st
}

func TestNewLineFromStateRoundTrip(t *testing.T) {
	for _, name := range []string{"demo-line", "phone-factory", "inspection-heavy", "two-machine"} {
		t.Run(name, func(t *testing.T) {
			spec := configstest.Embedded(t, name)
			orig, st := forkAt(t, spec, 7, 4*sim.Hour)
			fork, err := twin.NewLineFromState(spec, st, 7)
			if err != nil {
				t.Fatal(err)
			}
			got := fork.State()
			got.Counters.Good = st.Counters.Good // the fork's statistics start afresh
			if want := shape(st); !reflect.DeepEqual(shape(got), want) {
				t.Fatalf("fork's state differs:\n got %+v\nwant %+v", shape(got), want)
			}
			if w, g := orig.Snapshot().Line.WIP, fork.Snapshot().Line.WIP; w != g {
				t.Errorf("WIP: fork %d, original %d", g, w)
			}
			fork.RunFor(2 * sim.Day)
			orig.ResetStats()
			orig.RunFor(2 * sim.Day)
			g, w := fork.Snapshot().Line.GoodPerHour, orig.Snapshot().Line.GoodPerHour
			if g < 0.9*w || g > 1.1*w {
				t.Errorf("fork makes %.1f good/h, the original %.1f", g, w)
			}
		})
	}
}

func TestStateJSON(t *testing.T) {
	_, st := forkAt(t, configstest.Embedded(t, "phone-factory"), 3, 2*sim.Hour)
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var back twin.State
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, st) {
		t.Fatalf("JSON round trip differs:\n%s", b)
	}
}

func TestStateValidate(t *testing.T) {
	spec := configstest.Embedded(t, "demo-line")
	_, base := forkAt(t, spec, 1, sim.Hour)
	conv := ""
	machine := ""
	for _, s := range spec.Stations {
		if s.Conveyor != nil && conv == "" {
			conv = s.ID
		}
		if s.Conveyor == nil && machine == "" {
			machine = s.ID
		}
	}
	tests := []struct {
		name, want string
		edit       func(st *twin.State)
	}{
		{"unknown station", "state.stations[0].id: unknown station", func(st *twin.State) { st.Stations[0].ID = "nope" }},
		{"bad copy", "state.stations[0].line", func(st *twin.State) { st.Stations[0].Line = 5 }},
		{"negative time", "state.time", func(st *twin.State) { st.Time = -1 }},
		{"over capacity", ".buffer: 100000 units exceed", func(st *twin.State) {
			for i := range st.Stations {
				if st.Stations[i].ID == machine {
					st.Stations[i].Buffer = 100000
				}
			}
		}},
		{"server out of range", ".servers: 9 servers given", func(st *twin.State) {
			for i := range st.Stations {
				if st.Stations[i].ID == machine {
					st.Stations[i].Servers = make([]twin.ServerAt, 9)
					for k := range st.Stations[i].Servers {
						st.Stations[i].Servers[k].Phase = stations.Starved
					}
				}
			}
		}},
		{"unknown phase", ".servers[0].phase: unknown phase", func(st *twin.State) {
			for i := range st.Stations {
				if st.Stations[i].ID == machine {
					st.Stations[i].Servers[0].Phase = stations.Phase(42)
				}
			}
		}},
		{"working without unit", ".servers[0].unit", func(st *twin.State) {
			for i := range st.Stations {
				if st.Stations[i].ID == machine {
					st.Stations[i].Servers[0] = twin.ServerAt{Phase: stations.Working}
				}
			}
		}},
		{"servers on conveyor", ".servers: ", func(st *twin.State) {
			for i := range st.Stations {
				if st.Stations[i].ID == conv {
					st.Stations[i].Servers = []twin.ServerAt{{Phase: stations.Starved}}
				}
			}
		}},
		{"bad speed", ".speed: ", func(st *twin.State) { st.Stations[0].Speed = -2 }},
		{"unknown arm", "state.arms[0].id: unknown arm", func(st *twin.State) {
			st.Arms = append(st.Arms, twin.ArmAt{ID: "nope", Phase: robots.Idle})
			st.Arms[0], st.Arms[len(st.Arms)-1] = st.Arms[len(st.Arms)-1], st.Arms[0]
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := shape(base) // a deep copy
			for i := range st.Stations {
				st.Stations[i].Servers = append([]twin.ServerAt(nil), base.Stations[i].Servers...)
			}
			st.Arms = append([]twin.ArmAt(nil), base.Arms...)
			tt.edit(&st)
			_, err := twin.NewLineFromState(spec, st, 1)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// A fork keeps a station's hold and speed: a held bottleneck stops the
// fork's output after the units in process, a slowed one lowers it.
func TestForkKeepsHoldAndSpeed(t *testing.T) {
	spec := configstest.Embedded(t, "demo-line")
	l, err := twin.NewLine(spec, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.RunUntil(sim.Hour)
	free := l.State()
	if err := l.Do(twin.Command{Kind: twin.SetSpeed, Target: "test", Speed: 0.5}); err != nil {
		t.Fatal(err)
	}
	l.RunFor(sim.Second)
	slow := l.State()
	if err := l.Do(twin.Command{Kind: twin.HoldStation, Target: "test"}); err != nil {
		t.Fatal(err)
	}
	l.RunFor(sim.Second)
	held := l.State()
	var saw bool
	for _, sa := range held.Stations {
		if sa.ID == "test" {
			saw = sa.Held && sa.Speed == 0.5
		}
	}
	if !saw {
		t.Fatalf("the state does not show test held at speed 0.5: %+v", held.Stations)
	}
	good := func(st twin.State) int64 {
		f, err := twin.NewLineFromState(spec, st, 9)
		if err != nil {
			t.Fatal(err)
		}
		f.RunFor(4 * sim.Hour)
		return f.Snapshot().Line.Good
	}
	g0, g1, g2 := good(free), good(slow), good(held)
	if !(g1 < g0*3/4) {
		t.Errorf("test at half speed: fork makes %d good, unchanged %d", g1, g0)
	}
	if g2 > 3 {
		t.Errorf("test held: fork makes %d good in 4h, want only what was past it", g2)
	}
}
