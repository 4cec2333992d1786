package host_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/host"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// testEpoch is the wall time (ms) of simulated time 0 on the test lines.
const testEpoch = 1_700_000_000_000

// liveLine is a line published by one edge node per copy, fed to hosts
// without MQTT.
type liveLine struct {
	t     testing.TB
	spec  *twin.Spec
	line  *twin.Line
	nodes []*edge.Node
	hosts []*host.Host
	nowMs uint64
}

// startLine builds config's line with seed, an edge node per copy named as
// 'lightsout edge' names them, and gives their births to hosts.
func startLine(t testing.TB, config string, seed uint64) *liveLine {
	t.Helper()
	spec, err := configs.Resolve(config)
	if err != nil {
		t.Fatal(err)
	}
	line, err := twin.NewLine(spec, seed, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &liveLine{t: t, spec: spec, line: line, nowMs: 1}
}

// newHost returns a host modelling the line, fed with everything the
// line publishes from now on.
func (l *liveLine) newHost(cfg host.Config) *host.Host {
	l.t.Helper()
	cfg.HostID = "h"
	cfg.Spec = l.spec
	if cfg.Log == nil {
		cfg.Log = zaptest.NewLogger(l.t)
	}
	h, err := host.New(cfg)
	if err != nil {
		l.t.Fatal(err)
	}
	l.hosts = append(l.hosts, h)
	return h
}

// birth connects every copy's edge node and feeds the births.
func (l *liveLine) birth() {
	l.t.Helper()
	for k := range l.spec.Lines {
		n, err := edge.New(l.line, edge.Config{Group: "g", EdgeNode: fmt.Sprintf("%s-L%d", l.spec.Name, k+1),
			Copy: k, Epoch: testEpoch})
		if err != nil {
			l.t.Fatal(err)
		}
		if _, err := n.Connect(l.nowMs); err != nil {
			l.t.Fatal(err)
		}
		msgs, err := n.Birth(l.nowMs)
		if err != nil {
			l.t.Fatal(err)
		}
		l.nodes = append(l.nodes, n)
		l.deliver(msgs)
	}
}

// advance runs the line steps times by span, publishing after each step.
func (l *liveLine) advance(steps int, span sim.Time) {
	l.t.Helper()
	for range steps {
		l.line.RunFor(span)
		l.nowMs++
		for _, n := range l.nodes {
			msgs, err := n.Update(l.nowMs)
			if err != nil {
				l.t.Fatal(err)
			}
			l.deliver(msgs)
		}
	}
}

func (l *liveLine) deliver(msgs []sparkplug.Message) {
	for _, m := range msgs {
		for _, h := range l.hosts {
			h.Receive(m.Topic.String(), m.Payload)
		}
	}
}

// findStation returns a station of st.
func findStation(st *twin.State, line int, id string) *twin.StationAt {
	for i := range st.Stations {
		if st.Stations[i].Line == line && st.Stations[i].ID == id {
			return &st.Stations[i]
		}
	}
	return nil
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
		g := findStation(&got, w.Line, w.ID)
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
			l := startLine(t, c.config, 7)
			h := l.newHost(host.Config{})
			l.birth()
			compared := 0
			for range 12 {
				l.advance(c.steps, c.span)
				st, err := h.State()
				if err != nil {
					t.Fatal(err)
				}
				want := l.line.State()
				compared += compareStates(t, l.spec, st, want, l.line.Snapshot())
				if err := st.Validate(l.spec); err != nil {
					t.Errorf("mirrored state does not validate: %v", err)
				}
				if _, err := twin.NewLineFromState(l.spec, st, 1); err != nil {
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
	l := startLine(t, "demo-line", 3)
	h := l.newHost(host.Config{})
	l.birth()
	l.advance(30, 2*sim.Second)
	for _, c := range []twin.Command{{Kind: twin.BreakArm, Target: "arm-1"}, {Kind: twin.BreakStation, Target: "test"}} {
		if err := l.line.Do(c); err != nil {
			t.Fatal(err)
		}
	}
	l.advance(20, 2*sim.Second)
	st, err := h.State()
	if err != nil {
		t.Fatal(err)
	}
	compareStates(t, l.spec, st, l.line.State(), l.line.Snapshot())
	if a := st.Arms[0]; !a.Broken || a.Phase != robots.Down {
		t.Errorf("arm after a break: %+v", a)
	}
	if s := findStation(&st, 0, "test"); !s.Servers[0].Broken {
		t.Errorf("test after a break: %+v", s.Servers[0])
	}
}

func TestStateErrors(t *testing.T) {
	t.Run("no model", func(t *testing.T) {
		h, err := host.New(host.Config{HostID: "h"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.State(); !errors.Is(err, host.ErrNoModel) {
			t.Errorf("State without a spec: %v, want ErrNoModel", err)
		}
	})
	t.Run("no node", func(t *testing.T) {
		l := startLine(t, "demo-line", 1)
		h := l.newHost(host.Config{NodePrefix: "other"})
		l.birth()
		_, err := h.State()
		if !errors.Is(err, host.ErrNoState) || !strings.Contains(err.Error(), "other-L1") {
			t.Errorf("State with no node for the copy: %v", err)
		}
	})
	t.Run("missing device", func(t *testing.T) {
		l := startLine(t, "demo-line", 1)
		spec := *l.spec
		spec.Stations = append(append([]stations.Spec(nil), l.spec.Stations...), l.spec.Stations[6])
		spec.Stations[7].ID = "extra"
		h, err := host.New(host.Config{HostID: "h", Spec: &spec, Now: func() time.Time { return time.UnixMilli(testEpoch) }})
		if err != nil {
			t.Fatal(err)
		}
		l.hosts = append(l.hosts, h)
		l.birth()
		_, err = h.State()
		if !errors.Is(err, host.ErrNoState) || !strings.Contains(err.Error(), `"extra"`) {
			t.Errorf("State with a device missing: %v", err)
		}
	})
}
