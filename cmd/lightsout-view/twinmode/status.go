package twinmode

import (
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/monitor"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Mark is what twin mode knows of one station or arm beyond its
// snapshot: the mirror's mark (Known once its device's birth was mirrored,
// Stale when its device or node is dead, so that the values drawn are the
// last known) and the latest recent deviation flagged on it.
type Mark struct {
	mirror.Mark
	// Deviation is the reason of its latest recent deviation ("" none);
	// Kind its kind.
	Deviation string
	Kind      deviation.Kind
}

// Status is what the view shows about the twin itself: the broker and
// nodes, stale devices and deviations. Link.Refresh keeps it.
type Status struct {
	Broker, Group, Prefix string
	// Nodes has one entry per copy of the line.
	Nodes []mirror.NodeMark
	// Stations and Arms are indexed like the snapshot's.
	Stations, Arms []Mark
	// Latest is the newest recent deviation on the line, if HasLatest.
	Latest    deviation.Event
	HasLatest bool
	// Recent counts the recent deviations.
	Recent int
	// Received counts the messages the host received.
	Received uint64
	// OEEKnown says the host computed the line's OEE: the snapshot's OEE
	// and its factors are the host's (the mean over the copies it
	// measured on a constraint), not zero for want of data.
	OEEKnown bool
}

// Waiting reports whether no edge node of the line has been heard yet.
func (s *Status) Waiting() bool { return (&mirror.Marks{Nodes: s.Nodes}).Waiting() }

// WaitingFor says what the view waits for: "<group>/<prefix>-L1 on <broker>".
func (s *Status) WaitingFor() string {
	id := s.Prefix + "-L1"
	if len(s.Nodes) > 0 {
		id = s.Nodes[0].ID
	}
	return "waiting for " + s.Group + "/" + id + " on " + s.Broker
}

// Station returns the mark of station slot i, nil before the first
// refresh.
func (s *Status) Station(i int) *Mark { return markAt(s.Stations, i) }

// Arm returns the mark of arm slot j, nil before the first refresh.
func (s *Status) Arm(j int) *Mark { return markAt(s.Arms, j) }

// markAt returns &marks[i], or nil when there is none.
func markAt(marks []Mark, i int) *Mark {
	if i < 0 || i >= len(marks) {
		return nil
	}
	return &marks[i]
}

// GoodKnown reports whether snap's good count came from the edge nodes
// (only a line of one copy publishes it; otherwise Line.Good is -1).
func GoodKnown(snap *twin.Snapshot) bool { return snap.Line.Good >= 0 }

// Show fills snap (reusing its slices) and Status from v, a view of the
// mirror, and from events, deviation events of the line's group: the
// snapshot as mirror.Filler converts it, with the output history the view
// has seen grow, and each station and arm flagged with its latest recent
// deviation. Refresh calls it with the host's events, then puts in the
// host's KPIs; Show alone leaves the snapshot's OEE zero.
func (t *Link) Show(v *mirror.View, events []deviation.Event, snap *twin.Snapshot) {
	t.fill.Fill(v, snap, &t.marks)
	st, m := &t.Status, &t.marks
	st.Nodes = append(st.Nodes[:0], m.Nodes...)
	st.Stations = marksOf(st.Stations, m.Stations)
	st.Arms = marksOf(st.Arms, m.Arms)
	st.Received = m.Received
	count := snap.Line.Good
	if !m.GoodKnown {
		count = snap.Line.Shipped
	}
	if st.Waiting() {
		snap.History = t.good.none(snap.History)
	} else {
		snap.History = t.history(snap.Now, count, m.GoodKnown, snap.History)
	}
	t.markDeviations(events, sim.Time(m.NewestMs)*sim.Millisecond)
}

// marksOf returns the mirror's marks without deviations (dst is reused).
func marksOf(dst []Mark, marks []mirror.Mark) []Mark {
	dst = resizeSlice(dst, len(marks))
	for i, mk := range marks {
		dst[i] = Mark{Mark: mk}
	}
	return dst
}

// applyKPIs puts the twin host's live KPIs into snap: line OEE and its
// factors (the mean over the copies the host measured on a constraint)
// and each station's OEE. Status.OEEKnown says whether any copy had them.
func (t *Link) applyKPIs(k monitor.KPIs, snap *twin.Snapshot) {
	st := &t.Status
	st.OEEKnown = false
	var n, a, p, q, o float64
	ns := len(t.Spec.Stations)
	for _, l := range k.Lines {
		copyIdx := -1
		for i := range st.Nodes {
			if st.Nodes[i].ID == l.EdgeNode {
				copyIdx = i
			}
		}
		if copyIdx < 0 || l.Group != st.Group {
			continue
		}
		for _, sk := range l.Stations {
			if i, ok := t.stationAt[sk.ID]; ok && copyIdx*ns+i < len(snap.Stations) {
				snap.Stations[copyIdx*ns+i].OEE = sk.OEE
			}
		}
		if l.Constraint == "" {
			continue
		}
		n++
		a, p, q, o = a+l.Availability, p+l.Performance, q+l.Quality, o+l.OEE
	}
	if n > 0 {
		st.OEEKnown = true
		snap.Line.Availability, snap.Line.Performance, snap.Line.Quality, snap.Line.OEE = a/n, p/n, q/n, o/n
	}
}

// resizeSlice returns s with length n, reusing its array when it can.
func resizeSlice[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}
