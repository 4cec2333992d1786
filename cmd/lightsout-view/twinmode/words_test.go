package twinmode

import (
	"reflect"
	"testing"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// twinRows returns the values of rows from the twin's heading on.
func twinRows(t *testing.T, rows []scene.Row) []string {
	t.Helper()
	for k, r := range rows {
		if r.Caption == "" && r.Value == "TWIN (mirrored over MQTT)" {
			var vs []string
			for _, r := range rows[k+1:] {
				vs = append(vs, r.Value)
			}
			return vs
		}
	}
	t.Fatalf("no twin rows in %+v", rows)
	return nil
}

// The panels of mirrored stations and arms say where they are mirrored
// from, whether their data is live and their latest deviation.
func TestPanelRows(t *testing.T) {
	l, tl, snap := runningLink(t, "phone-factory", Config{}, 20*sim.Minute)
	st := &tl.Status
	n := len(l.Spec.Stations)
	const placer = 1
	ss := &snap.Stations[n+placer] // line 2
	spec := &l.Spec.Stations[placer]
	rows := st.StationRows(ss, spec, st.Station(n+placer))
	c := ss.Counts
	if rows[0] != (scene.Row{Caption: "Processed", Value: scene.Thousands(c.Processed) + "   failures " + scene.Thousands(c.Failures)}) {
		t.Errorf("first row %+v", rows[0])
	}
	want := []string{"lightsout/phone-factory-L2/" + spec.ID, "live", "none recent", "utilization, time in states, OEE, sensors",
		"B break  ·  F repair  ·  [ ] buffer (sent to the edge)  ·  Esc close", scene.StationKeys}
	if got := twinRows(t, rows); !reflect.DeepEqual(got, want) {
		t.Errorf("station rows %q,\nwant %q", got, want)
	}

	now := sim.Time(l.Nodes[0].SimMs(l.Line.Now())) * sim.Millisecond
	arm := l.Spec.Arms[0].ID
	l.Die(0)
	m := tl.Host.Mirror.View()
	tl.Show(&m, []deviation.Event{{Time: now, Device: "phone-factory-L1/" + arm, Kind: deviation.CycleTimeDrift, Reason: "slow"}}, snap)
	floor := scene.Lay(l.Spec, 1280, 800)
	rows = st.ArmRows(l.Spec, &snap.Arms[0], &floor.Arms[0], st.Arm(0))
	if rows[0].Caption != "State" || rows[1] != (scene.Row{Caption: "Serves", Value: scene.ArmServes(l.Spec, &floor.Arms[0])}) {
		t.Errorf("arm rows %+v", rows[:2])
	}
	want = []string{"lightsout/phone-factory-L1/" + arm, "STALE: device or node offline, last known values", "CycleTimeDrift: slow",
		"utilization, time in states, OEE, sensors", "B break  ·  F repair (sent to the edge)  ·  Esc close"}
	if got := twinRows(t, rows); !reflect.DeepEqual(got, want) {
		t.Errorf("stale arm rows %q,\nwant %q", got, want)
	}
	unknown := &Mark{}
	if got := twinRows(t, st.StationRows(ss, spec, unknown))[1]; got != "no birth mirrored yet" {
		t.Errorf("a device with no birth: data %q", got)
	}
}

func TestNotes(t *testing.T) {
	st := Status{Group: "g", Prefix: "p", Broker: "mqtt://b:1883"}
	if !st.Waiting() || st.WaitingFor() != "waiting for g/p-L1 on mqtt://b:1883" {
		t.Errorf("no nodes: waiting %v, %q", st.Waiting(), st.WaitingFor())
	}
	st.Nodes = []mirror.NodeMark{{ID: "p-L1", Known: true, Online: true}, {ID: "p-L2"}}
	if st.Waiting() {
		t.Error("waiting with a node heard")
	}
	want := []Note{{"no data yet from g/p-L2", NoteQuiet}}
	if got := st.Notes(); !reflect.DeepEqual(got, want) {
		t.Errorf("a node not heard: %+v", got)
	}
	st.Nodes[0].Stale = true
	st.Nodes[1].Known = true
	st.Latest = deviation.Event{Device: "p-L2/aoi", Kind: deviation.CycleTimeDrift, Reason: "slow"}
	st.HasLatest, st.Recent = true, 1
	want = []Note{{"STALE: g/p-L1 is offline; last known values shown in grey", NoteStale},
		{"DEVIATION p-L2/aoi CycleTimeDrift: slow", NoteDeviation}}
	if got := st.Notes(); !reflect.DeepEqual(got, want) {
		t.Errorf("a stale node and a deviation: %+v", got)
	}
	st.Recent = 3
	if got := st.Notes()[1].Text; got != "DEVIATION p-L2/aoi CycleTimeDrift: slow  (3 recent deviations)" {
		t.Errorf("three deviations: %q", got)
	}
	st.Nodes[0].Stale, st.HasLatest = false, false
	if got := st.Notes(); len(got) != 0 {
		t.Errorf("all well: %+v", got)
	}
	if st.Station(0) != nil || st.Arm(-1) != nil {
		t.Error("marks of slots the status does not have")
	}
}
