package main

import (
	"strings"
	"time"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/monitor"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// deviationRecent is how long a deviation keeps its station flagged: the
// events' clock (metric timestamps) of the newest data mirrored, less this.
const deviationRecent = 30 * sim.Minute

// TwinMark is what twin mode knows of one station or arm beyond its
// snapshot: the mirror's mark (Known once its device's birth was mirrored,
// Stale when its device or node is dead, so that the values drawn are the
// last known) and the latest recent deviation flagged on it.
type TwinMark struct {
	mirror.Mark
	// Deviation is the reason of its latest recent deviation ("" none);
	// Kind its kind.
	Deviation string
	Kind      deviation.Kind
}

// TwinStatus is what the view shows about the twin itself: the broker and
// nodes, stale devices and deviations. TwinLink.Refresh keeps it.
type TwinStatus struct {
	Broker, Group, Prefix string
	// Nodes has one entry per copy of the line.
	Nodes []mirror.NodeMark
	// Stations and Arms are indexed like the snapshot's.
	Stations, Arms []TwinMark
	// Latest is the newest recent deviation on the line, if HasLatest.
	Latest    deviation.Event
	HasLatest bool
	// Recent counts the recent deviations.
	Recent int
	// Received counts the messages the host received.
	Received uint64
	// OEEKnown says the host computed the line's OEE (see applyKPIs).
	OEEKnown bool
}

// Waiting reports whether no edge node of the line has been heard yet.
func (s *TwinStatus) Waiting() bool { return (&mirror.Marks{Nodes: s.Nodes}).Waiting() }

// WaitingFor says what the view waits for: "<group>/<prefix>-L1 on <broker>".
func (s *TwinStatus) WaitingFor() string {
	id := s.Prefix + "-L1"
	if len(s.Nodes) > 0 {
		id = s.Nodes[0].ID
	}
	return "waiting for " + s.Group + "/" + id + " on " + s.Broker
}

// GoodKnown reports whether snap's good count came from the edge nodes
// (only a line of one copy publishes it; otherwise Line.Good is -1).
func GoodKnown(snap *twin.Snapshot) bool { return snap.Line.Good >= 0 }

// show fills snap (reusing its slices) and t.Status from a view of the
// mirror and the host's deviation events: the snapshot as mirror.Filler
// converts it, with the output history the view has seen grow.
func (t *TwinLink) show(v *mirror.View, events []deviation.Event, snap *twin.Snapshot) {
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
		snap.History = t.good.add(snap.Now, count, snap.History)
	}
	t.markDeviations(events, sim.Time(m.NewestMs)*sim.Millisecond)
}

// marksOf returns the mirror's marks without deviations (dst is reused).
func marksOf(dst []TwinMark, marks []mirror.Mark) []TwinMark {
	dst = resizeSlice(dst, len(marks))
	for i, mk := range marks {
		dst[i] = TwinMark{Mark: mk}
	}
	return dst
}

// HistoryFrom returns the first history bucket (absolute index, counted
// from simulated time 0 in twin.HistoryBucket) whose output the view saw
// whole: the buckets before it were over before the view attached.
func (t *TwinLink) HistoryFrom() int64 { return t.good.first() }

// applyKPIs puts the twin host's live KPIs into snap: line OEE and its
// factors (the mean over the copies the host measured on a constraint)
// and each station's OEE. Status.OEEKnown says whether any copy had them.
func (t *TwinLink) applyKPIs(k monitor.KPIs, snap *twin.Snapshot) {
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

// markDeviations flags each station and arm with its latest recent
// event: at most deviationRecent old on the metrics' clock (now is the
// newest metric timestamp mirrored) or on the wall clock (the host stamps
// some events with its own). Events about the line as a whole (Device is
// the node prefix: the output band) count for the banner; events of other
// edge nodes are ignored, and so are Stale events about what is already
// drawn stale.
func (t *TwinLink) markDeviations(events []deviation.Event, now sim.Time) {
	st := &t.Status
	st.HasLatest, st.Recent = false, 0
	wall := sim.Time(t.clock().UnixMilli()) * sim.Millisecond
	latest := func(e deviation.Event) {
		st.Recent++
		if !st.HasLatest || e.Time >= st.Latest.Time {
			st.Latest, st.HasLatest = e, true
		}
	}
	for _, e := range events {
		// Detectors stamp events with the metric timestamp (the edge's
		// clock, which runs fast when the edge is accelerated) or with the
		// host's clock: recent on either counts.
		onMetrics := e.Time >= now-deviationRecent
		onWall := e.Time >= wall-deviationRecent && e.Time <= wall+sim.Minute
		if !onMetrics && !onWall {
			continue
		}
		if e.Device == st.Prefix {
			latest(e) // a line-wide event (the output band, over every copy)
			continue
		}
		k, mk := t.markOf(e.Device)
		if k < 0 {
			continue
		}
		if e.Kind == deviation.Stale && ((mk != nil && mk.Stale) || (mk == nil && st.Nodes[k].Stale)) {
			continue
		}
		latest(e)
		if mk == nil {
			continue
		}
		mk.Deviation, mk.Kind = e.Reason, e.Kind
		if mk.Deviation == "" {
			mk.Deviation = e.Kind.String()
		}
	}
}

// markOf returns the copy of the line (-1: none) and the mark of the
// station or arm (nil: none) an event's device names ("node/device").
func (t *TwinLink) markOf(device string) (int, *TwinMark) {
	st := &t.Status
	node, dev, _ := strings.Cut(device, "/")
	k := -1
	for n := range st.Nodes {
		if st.Nodes[n].ID == node {
			k = n
		}
	}
	if k < 0 {
		return k, nil
	}
	if i, ok := t.stationAt[dev]; ok {
		return k, &st.Stations[k*len(t.Spec.Stations)+i]
	}
	if j, ok := t.armAt[dev]; ok {
		return k, &st.Arms[k*len(t.Spec.Arms)+j]
	}
	return k, nil
}

// hostDeviations returns the events of devs that belong to group (dst is
// reused).
func hostDeviations(devs []monitor.Deviation, group string, dst []deviation.Event) []deviation.Event {
	dst = dst[:0]
	for _, d := range devs {
		if d.Group == "" || d.Group == group {
			dst = append(dst, d.Event)
		}
	}
	return dst
}

// clock returns the wall clock's time.
func (t *TwinLink) clock() time.Time {
	if t.Clock == nil {
		return time.Now()
	}
	return t.Clock()
}

// resizeSlice returns s with length n, reusing its array when it can.
func resizeSlice[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}
