package edge_test

import (
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

func TestUpdateWithNothingChanged(t *testing.T) {
	f := MustFixture(t, "demo-line", 0)
	f.step(t, sim.Minute)
	msgs, err := f.node.Update(f.now())
	if err != nil || len(msgs) != 0 {
		t.Fatalf("Update at the same time: %d messages, %v", len(msgs), err)
	}
}

func TestSeqIncrementsAndWraps(t *testing.T) {
	f := MustFixture(t, "demo-line", 0)
	want := uint64(1 + len(f.line.Spec().Stations) + len(f.line.Spec().Arms)) // after the births
	wrapped := false
	var p sparkplug.Payload
	for range 200 {
		for _, m := range f.step(t, 2*sim.Second) {
			if err := sparkplug.Unmarshal(m.Payload, &p); err != nil {
				t.Fatal(err)
			}
			if !p.HasSeq || p.Seq != want%256 {
				t.Fatalf("%s seq = %d, want %d", m.Topic, p.Seq, want%256)
			}
			wrapped = wrapped || want%256 == 0
			want++
		}
	}
	if !wrapped {
		t.Fatalf("seq never wrapped (%d messages)", want)
	}
	if st := f.host.Stats(); st.SeqGaps != 0 {
		t.Errorf("host saw %d seq gaps", st.SeqGaps)
	}
	f.checkMirror(t)
}

func TestMetricTimestampsAreSimulatedTime(t *testing.T) {
	f := MustFixture(t, "demo-line", 0)
	f.step(t, 90*sim.Second)
	m, _ := f.host.Metric(group, f.id, "", edge.MetricSimTime)
	if m.Timestamp != epoch+90_000 {
		t.Errorf("timestamp = %d, want epoch + 90 s", m.Timestamp)
	}
}

func TestNewRejects(t *testing.T) {
	spec, err := configs.Embedded("demo-line")
	if err != nil {
		t.Fatal(err)
	}
	line, err := twin.NewLine(spec, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, cfg := range []edge.Config{
		{Group: "", EdgeNode: "n"},
		{Group: "g", EdgeNode: "a/b"},
		{Group: "g+", EdgeNode: "n"},
		{Group: "g", EdgeNode: "n", Copy: 1},
		{Group: "g", EdgeNode: "n", Copy: -1},
	} {
		if _, err := edge.New(line, cfg); err == nil {
			t.Errorf("New(%+v) gave no error", cfg)
		}
	}
	if _, err := edge.New(nil, edge.Config{Group: "g", EdgeNode: "n"}); err == nil {
		t.Error("New(nil) gave no error")
	}
	n, err := edge.New(line, edge.Config{Group: "g", EdgeNode: "n"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Birth(0); err == nil {
		t.Error("Birth before Connect gave no error")
	}
	if _, err := n.Update(0); err == nil {
		t.Error("Update before Birth gave no error")
	}
}

func TestPackMLNumbering(t *testing.T) {
	for _, tc := range []struct {
		s      edge.State
		name   string
		packml int32
		opc    int32
	}{
		{edge.Stopped, "Stopped", 2, 0},
		{edge.Idle, "Idle", 4, 2},
		{edge.Suspended, "Suspended", 5, 12},
		{edge.Execute, "Execute", 6, 4},
		{edge.Aborting, "Aborting", 8, 7},
		{edge.Aborted, "Aborted", 9, 8},
		{edge.Held, "Held", 11, 15},
		{edge.Unholding, "Unholding", 12, 16},
		{edge.Complete, "Complete", 17, 6},
		{edge.Undefined, "Undefined", 0, -1},
	} {
		if tc.s.String() != tc.name || int32(tc.s) != tc.packml || tc.s.OPC30060() != tc.opc {
			t.Errorf("%v: %d, OPC 30060 %d; want %s %d, %d", tc.s, int32(tc.s), tc.s.OPC30060(), tc.name, tc.packml, tc.opc)
		}
	}
}

func TestPhaseMapping(t *testing.T) {
	sv := func(p stations.Phase, broken bool) stations.ServerView {
		return stations.ServerView{Phase: p, Broken: broken}
	}
	for _, tc := range []struct {
		v    stations.ServerView
		want edge.State
	}{
		{sv(stations.Working, false), edge.Execute},
		{sv(stations.Loading, false), edge.Execute},
		{sv(stations.Unloading, false), edge.Execute},
		{sv(stations.Starved, false), edge.Suspended},
		{sv(stations.Blocked, false), edge.Suspended},
		{sv(stations.Down, false), edge.Held},
		{sv(stations.Maintenance, false), edge.Stopped},
		{sv(stations.Blocked, true), edge.Aborting},
		{sv(stations.Down, true), edge.Aborted},
	} {
		if got := edge.ServerState(tc.v); got != tc.want {
			t.Errorf("ServerState(%v, broken %v) = %v, want %v", tc.v.Phase, tc.v.Broken, got, tc.want)
		}
	}
	mixed := []stations.ServerView{sv(stations.Down, true), sv(stations.Working, false)}
	if got := edge.StationState(mixed); got != edge.Execute {
		t.Errorf("station with one server working = %v, want Execute", got)
	}
	if got := edge.StationState(mixed[:1]); got != edge.Aborted {
		t.Errorf("station with its only server broken = %v", got)
	}
	if got := edge.StationState([]stations.ServerView{sv(stations.Starved, false), sv(stations.Down, false)}); got != edge.Held {
		t.Errorf("starved + down = %v, want Held", got)
	}
	if got := edge.ArmState(robots.Idle, false); got != edge.Suspended {
		t.Errorf("idle arm = %v", got)
	}
}

// A held server finishing its unit is Holding, an idle one Held; a break
// outranks the hold. A station is Holding while any server is.
func TestHeldMapping(t *testing.T) {
	held := func(p stations.Phase, broken bool) stations.ServerView {
		return stations.ServerView{Phase: p, Broken: broken, Held: true}
	}
	for _, tc := range []struct {
		v    stations.ServerView
		want edge.State
	}{
		{held(stations.Working, false), edge.Holding},
		{held(stations.Loading, false), edge.Holding},
		{held(stations.Unloading, false), edge.Holding},
		{held(stations.Blocked, false), edge.Holding},
		{held(stations.Starved, false), edge.Held},
		{held(stations.Down, false), edge.Held},
		{held(stations.Maintenance, false), edge.Stopped},
		{held(stations.Down, true), edge.Aborted},
		{held(stations.Working, true), edge.Aborting},
	} {
		if got := edge.ServerState(tc.v); got != tc.want {
			t.Errorf("held ServerState(%v, broken %v) = %v, want %v", tc.v.Phase, tc.v.Broken, got, tc.want)
		}
	}
	both := []stations.ServerView{held(stations.Starved, false), held(stations.Working, false), held(stations.Down, true)}
	if got := edge.StationState(both); got != edge.Holding {
		t.Errorf("held station with a server finishing = %v, want Holding", got)
	}
	if got := edge.StationState(both[:1]); got != edge.Held {
		t.Errorf("held idle station = %v, want Held", got)
	}
	if got := edge.StationState([]stations.ServerView{both[0], both[2]}); got != edge.Aborted {
		t.Errorf("held station with a broken server = %v, want Aborted", got)
	}
}
