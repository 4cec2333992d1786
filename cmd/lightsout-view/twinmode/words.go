package twinmode

import (
	"strconv"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
)

// StationRows returns the rest of the rows of a mirrored station's panel,
// after its state: its counts as the edge publishes them, its cycle and
// failures, what the twin knows of it (mk; see deviceRows), then its keys.
func (s *Status) StationRows(ss *twin.StationState, spec *stations.Spec, mk *Mark) []scene.Row {
	c := ss.Counts
	rows := []scene.Row{
		{Caption: "Processed", Value: scene.Thousands(c.Processed) + "   failures " + scene.Thousands(c.Failures)},
		{Caption: "Defects", Value: scene.Thousands(c.Defects+c.Caught) + " made or caught, " + scene.Thousands(c.Scrapped) + " scrapped"},
		{Caption: "Ideal cycle", Value: scene.Duration(ss.IdealCycle) + scene.CycleText(spec)},
		{Caption: "MTBF / MTTR", Value: scene.FailureText(spec)},
	}
	return s.deviceRows(rows, ss.Line, ss.ID, mk, "B break  ·  F repair  ·  [ ] buffer (sent to the edge)  ·  Esc close", scene.StationKeys)
}

// ArmRows returns the rows of the panel of mirrored arm st (placed as a):
// its state, what it serves, its moves, what the twin knows of it (mk; see
// deviceRows), then its keys.
func (s *Status) ArmRows(spec *twin.Spec, st *twin.ArmState, a *scene.ArmBox, mk *Mark) []scene.Row {
	rows := []scene.Row{
		{Caption: "State", Value: scene.ArmPhaseName(st)},
		{Caption: "Serves", Value: scene.ArmServes(spec, a)},
		{Caption: "Moves", Value: scene.Thousands(st.Moves)},
	}
	return s.deviceRows(rows, st.Line, st.ID, mk, "B break  ·  F repair (sent to the edge)  ·  Esc close")
}

// deviceRows appends what the twin knows of device id of copy line:
// where it is mirrored from, whether its data is fresh, its latest
// deviation, what the edge does not publish; then the lines of keys.
func (s *Status) deviceRows(rows []scene.Row, line int, id string, mk *Mark, keys ...string) []scene.Row {
	node := ""
	if line < len(s.Nodes) {
		node = s.Nodes[line].ID
	}
	data := "live"
	switch {
	case !mk.Known:
		data = "no birth mirrored yet"
	case mk.Stale:
		data = "STALE: device or node offline, last known values"
	}
	dev := "none recent"
	if mk.Deviation != "" {
		dev = mk.Kind.String() + ": " + mk.Deviation
	}
	rows = append(rows,
		scene.Row{Value: "TWIN (mirrored over MQTT)"},
		scene.Row{Caption: "Device", Value: s.Group + "/" + node + "/" + id},
		scene.Row{Caption: "Data", Value: data},
		scene.Row{Caption: "Deviation", Value: dev},
		scene.Row{Caption: "Not published", Value: "utilization, time in states, OEE, sensors"},
	)
	for _, k := range keys {
		rows = append(rows, scene.Row{Value: k})
	}
	return rows
}

// NoteKind says what a line of the banner over the floor tells, which
// the window shows by its colour.
type NoteKind int

const (
	// NoteQuiet is a note that an edge node has not been heard yet.
	NoteQuiet NoteKind = iota
	// NoteStale is a note that an edge node is offline.
	NoteStale
	// NoteDeviation is the note of the latest recent deviation.
	NoteDeviation
)

// Note is one line of the banner over the floor.
type Note struct {
	Text string
	Kind NoteKind
}

// Notes returns the lines of the banner once the view no longer waits
// (see Waiting): each edge node not heard yet or offline, then the latest
// recent deviation and how many there were. None means no banner.
func (s *Status) Notes() []Note {
	var notes []Note
	for _, n := range s.Nodes {
		switch {
		case !n.Known:
			notes = append(notes, Note{"no data yet from " + s.Group + "/" + n.ID, NoteQuiet})
		case n.Stale:
			notes = append(notes, Note{"STALE: " + s.Group + "/" + n.ID + " is offline; last known values shown in grey", NoteStale})
		}
	}
	if s.HasLatest {
		e := s.Latest
		text := "DEVIATION " + e.Device + " " + e.Kind.String() + ": " + e.Reason
		if s.Recent > 1 {
			text += "  (" + strconv.Itoa(s.Recent) + " recent deviations)"
		}
		notes = append(notes, Note{text, NoteDeviation})
	}
	return notes
}
