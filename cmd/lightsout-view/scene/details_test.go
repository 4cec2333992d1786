package scene

import (
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/configs/configstest"
	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// rowMap returns the rows by caption (headings and key lines under "").
func rowMap(rows []Row) map[string]string {
	m := map[string]string{}
	for _, r := range rows {
		if r.Caption == "" {
			m[""] += r.Value + "\n"
			continue
		}
		m[r.Caption] = r.Value
	}
	return m
}

const detailLine = `name: d
lines: 2
source: {}
stations:
  - {id: press, name: Paste press, servers: 2, buffer: inf, cycle: 4s, maintenance: {every: 7d, duration: 4h}}
  - {id: aoi, buffer: 3, cycle: 3s, inspect: {detect: 0.9, on_fail: scrap}, arm: {id: arm-1, load: 0.5, unload: 0.5}}
arms:
  - {id: arm-1, speed: 2, accel: 10, grip: 200ms, release: 150ms}
`

func TestStationDetails(t *testing.T) {
	spec := configstest.Parse(t, detailLine)
	snap := &twin.Snapshot{Lines: 2, Now: 10 * sim.Second}
	ss := &twin.StationState{Line: 1, ID: "press", Buffer: 4, Capacity: stations.Inf, Speed: 1, LastIn: 9 * sim.Second, LastOut: -1,
		Servers: []stations.ServerView{{Phase: stations.Working}, {Phase: stations.Starved}}}
	if title, sub := StationTitle(snap, ss, &spec.Stations[0]); title != "press" || sub != "Paste press  ·  line 2" {
		t.Errorf("title %q, %q", title, sub)
	}
	head := rowMap(StationStateRows(ss, -1))
	for k, want := range map[string]string{"State": "1 Starved, 1 Working", "Buffer": "4 of ∞ places", "Held": "no", "Speed": "1x (nominal)"} {
		if head[k] != want {
			t.Errorf("%s: %q, want %q", k, head[k], want)
		}
	}
	rows := rowMap(StationRows(snap, ss, &spec.Stations[0]))
	for k, want := range map[string]string{"Maintenance": "4 h every 7 d", "Photo-eye in": "1.0 s ago", "Photo-eye out": "never", "MTBF / MTTR": "never fails"} {
		if rows[k] != want {
			t.Errorf("%s: %q, want %q", k, rows[k], want)
		}
	}
	if _, ok := rows["Vision"]; ok {
		t.Error("a station that does not inspect has a vision row")
	}
	if !strings.HasSuffix(rows[""], StationKeys+"\n") {
		t.Errorf("the last line is not the station keys: %q", rows[""])
	}

	aoi := &twin.StationState{ID: "aoi", Inspects: true, LastCheck: 9 * sim.Second, LastIn: -1, LastOut: -1}
	rows = rowMap(StationRows(snap, aoi, &spec.Stations[1]))
	if rows["Vision"] != "FAIL, 1.0 s ago" || rows["Inspection"] != "catches 90%, then scrap" {
		t.Errorf("inspection rows: vision %q, inspection %q", rows["Vision"], rows["Inspection"])
	}
	if _, ok := rows["Maintenance"]; ok {
		t.Error("a station with no planned maintenance has a maintenance row")
	}
}

func TestArmDetails(t *testing.T) {
	spec := configstest.Parse(t, detailLine)
	f := Lay(spec, 1280, 574)
	a := &f.Arms[1] // line 2
	st := &twin.ArmState{Line: 1, ID: "arm-1", Phase: robots.Moving, Station: 1, Server: 0, Loading: true, Progress: 0.5, Waiting: 2, Moves: 1234}
	if title, sub := ArmTitle(&twin.Snapshot{Lines: 2}, st); title != "arm-1" || sub != "robot arm  ·  line 2" {
		t.Errorf("title %q, %q", title, sub)
	}
	rows := rowMap(ArmRows(spec, st, a))
	for k, want := range map[string]string{
		"State": "Moving: loading", "Move": "load aoi (server 1), 50% done", "Serves": "aoi",
		"Queue": "2 move(s) waiting", "Moves": "1,234", "Motion": "2 m/s, 10 m/s², grip 200 ms, release 150 ms",
	} {
		if rows[k] != want {
			t.Errorf("%s: %q, want %q", k, rows[k], want)
		}
	}
	st.Station = -1
	if got := rowMap(ArmRows(spec, st, a))["Move"]; got != "none" {
		t.Errorf("an arm with no move: %q", got)
	}
}
