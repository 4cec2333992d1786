package twinmode

import (
	"strings"

	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/monitor"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// deviationRecent is how long a deviation keeps its station flagged: the
// events' clock (metric timestamps) of the newest data mirrored, less this.
const deviationRecent = 30 * sim.Minute

// markDeviations flags each station and arm with its latest recent
// event: at most deviationRecent old on the metrics' clock (now is the
// newest metric timestamp mirrored) or on the wall clock (the host stamps
// some events with its own). Events about the line as a whole (Device is
// the node prefix: the output band) count for the banner; events of other
// edge nodes are ignored, and so are Stale events about what is already
// drawn stale.
func (t *Link) markDeviations(events []deviation.Event, now sim.Time) {
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
func (t *Link) markOf(device string) (int, *Mark) {
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
