package main

import (
	"strings"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/host"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// TwinMark is what twin mode knows of one station or arm beyond its
// snapshot: whether the mirror has it, whether it is stale, and the
// latest recent deviation flagged on it.
type TwinMark struct {
	// Known is set once the device's birth was mirrored.
	Known bool
	// Stale is set when its device or its node is dead (DDEATH, NDEATH or
	// the host's connection lost): the values drawn are the last known.
	Stale bool
	// Deviation is the reason of its latest recent deviation ("" none);
	// Kind its kind.
	Deviation string
	Kind      deviation.Kind
}

// TwinNode is one copy of the line as an edge node.
type TwinNode struct {
	ID                   string // <prefix>-L<k>
	Known, Online, Stale bool
}

// TwinStatus is what the view shows about the twin itself: the broker and
// nodes, stale devices and deviations. Converter.Fill keeps it.
type TwinStatus struct {
	Broker, Group, Prefix string
	// Nodes has one entry per copy of the line.
	Nodes []TwinNode
	// Stations and Arms are indexed like the snapshot's.
	Stations, Arms []TwinMark
	// Latest is the newest recent deviation on the line, if HasLatest.
	Latest    deviation.Event
	HasLatest bool
	// Recent counts the recent deviations.
	Recent int
	// Received counts the messages the host received.
	Received uint64
	// OEEKnown says the host computed the line's OEE (see ApplyKPIs).
	OEEKnown bool
}

// ApplyKPIs puts the twin host's live KPIs into snap: line OEE and its
// factors (the mean over the copies the host measured on a constraint)
// and each station's OEE. Status.OEEKnown says whether any copy had them.
func (c *Converter) ApplyKPIs(k host.KPIs, snap *twin.Snapshot) {
	st := &c.Status
	st.OEEKnown = false
	var n float64
	var a, p, q, o float64
	ns := len(c.Spec.Stations)
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
			for i := range ns {
				if c.Spec.Stations[i].ID == sk.ID && copyIdx*ns+i < len(snap.Stations) {
					snap.Stations[copyIdx*ns+i].OEE = sk.OEE
				}
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

// Waiting reports whether no edge node of the line has been heard yet.
func (s *TwinStatus) Waiting() bool {
	for _, n := range s.Nodes {
		if n.Known {
			return false
		}
	}
	return true
}

// WaitingFor says what the view waits for: "<group>/<prefix>-L1 on <broker>".
func (s *TwinStatus) WaitingFor() string {
	id := s.Prefix + "-L1"
	if len(s.Nodes) > 0 {
		id = s.Nodes[0].ID
	}
	return "waiting for " + s.Group + "/" + id + " on " + s.Broker
}

// markDeviations flags each station and arm with its latest recent
// event: at most deviationRecent old on the metrics' clock (now is the
// newest metric timestamp mirrored) or on the wall clock (the host stamps
// some events with its own). Events about the line as a whole (Device is
// the node prefix: the output band) count for the banner; events of other
// edge nodes are ignored, and so are Stale events about what is already
// drawn stale.
func (c *Converter) markDeviations(events []deviation.Event, now sim.Time) {
	st := &c.Status
	st.HasLatest, st.Recent = false, 0
	ns, na := len(c.Spec.Stations), len(c.Spec.Arms)
	wall := sim.Time(c.clock().UnixMilli()) * sim.Millisecond
	for _, e := range events {
		// Detectors stamp events with the metric timestamp (the edge's
		// clock, which runs fast when the edge is accelerated) or with the
		// host's clock: recent on either counts.
		onMetrics := e.Time >= now-deviationRecent
		onWall := e.Time >= wall-deviationRecent && e.Time <= wall+sim.Minute
		if !onMetrics && !onWall {
			continue
		}
		node, dev, _ := strings.Cut(e.Device, "/")
		if e.Device == st.Prefix {
			// A line-wide event (the output band, over every copy).
			st.Recent++
			if !st.HasLatest || e.Time >= st.Latest.Time {
				st.Latest, st.HasLatest = e, true
			}
			continue
		}
		k := -1
		for n := range st.Nodes {
			if st.Nodes[n].ID == node {
				k = n
			}
		}
		if k < 0 {
			continue
		}
		var mk *TwinMark
		if i, ok := c.stationAt[dev]; ok {
			mk = &st.Stations[k*ns+i]
		} else if j, ok := c.armAt[dev]; ok {
			mk = &st.Arms[k*na+j]
		}
		if e.Kind == deviation.Stale && ((mk != nil && mk.Stale) || (mk == nil && st.Nodes[k].Stale)) {
			continue
		}
		st.Recent++
		if !st.HasLatest || e.Time >= st.Latest.Time {
			st.Latest, st.HasLatest = e, true
		}
		if mk == nil {
			continue
		}
		mk.Deviation, mk.Kind = e.Reason, e.Kind
		if mk.Deviation == "" {
			mk.Deviation = e.Kind.String()
		}
	}
}
