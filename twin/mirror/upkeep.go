package mirror

import (
	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
)

// A Reading is one condition reading a station publishes for a server:
// its value and the simulated time it was taken.
type Reading struct {
	At    sim.Time
	Value float64
}

// HealthOf returns the health (1 new, 0 worn out) that a condition
// reading of sensor cs says, reading the sensor's line from New to Worn
// backwards and clamping to [0, 1]. The reading is noisy and the true
// health is not published: this is an estimate, the best a host can do
// from one reading.
func HealthOf(cs *stations.ConditionSensor, reading float64) float64 {
	if cs == nil || cs.Worn == cs.New {
		return 1
	}
	h := 1 - (reading-cs.New)/(cs.Worn-cs.New)
	return min(max(h, 0), 1)
}

// Clock returns the simulated time an edge node last published
// (Time/Simulated) and the metric timestamp (ms since the Unix epoch) of
// its simulated time 0; false when the node publishes no simulated time.
func Clock(n *host.NodeView) (now sim.Time, epochMs int64, ok bool) {
	if n == nil {
		return 0, 0, false
	}
	mv, ok := findMetric(n.Metrics, packml.MetricSimTime)
	if !ok || mv.IsNull {
		return 0, 0, false
	}
	ms, ok := mv.Value.Int64()
	if !ok || ms < 0 {
		return 0, 0, false
	}
	return sim.Time(ms) * sim.Millisecond, int64(mv.Timestamp) - ms, true
}

// ServerReading returns the latest condition reading server s (from 0)
// of a station device publishes (Server k/Condition, taken at Server
// k/ConditionAt), given the metric timestamp of its node's simulated time
// 0; false when it publishes none yet.
func ServerReading(d *host.DeviceView, s int, epochMs int64) (Reading, bool) {
	if d == nil {
		return Reading{}, false
	}
	return conditionOf(indexMetrics(d.Metrics), s, epochMs)
}

// conditionOf reads server s's latest condition reading from dm.
func conditionOf(dm metrics, s int, epochMs int64) (Reading, bool) {
	at, ok := dm.int(packml.ServerMetric(s+1, packml.MetricServerConditionAt))
	if !ok || at < 0 {
		return Reading{}, false
	}
	v, ok := dm.number(packml.ServerMetric(s+1, packml.MetricServerCondition))
	if !ok {
		return Reading{}, false
	}
	return Reading{At: sim.Time(at-epochMs) * sim.Millisecond, Value: v}, true
}

// CrewOf returns the crew a copy's edge node publishes (Crew/Size, Busy
// and Queued); false when it publishes no crew.
func CrewOf(n *host.NodeView) (twin.CrewState, bool) {
	if n == nil {
		return twin.CrewState{}, false
	}
	ms := indexMetrics(n.Metrics)
	size, ok := ms.int(packml.MetricCrewSize)
	if !ok {
		return twin.CrewState{}, false
	}
	busy, _ := ms.int(packml.MetricCrewBusy)
	queued, _ := ms.int(packml.MetricCrewQueued)
	return twin.CrewState{Size: int(size), Busy: int(busy), Queued: int(queued)}, true
}

// fillCrews sets the snapshot's crews from the copies' edge nodes (nil
// for a copy not mirrored): one per copy, or one for a crew the copies
// share, as the line's own snapshot lists them; none without a crew.
func (f *Filler) fillCrews(snap *twin.Snapshot) {
	spec := f.Model.Spec
	snap.Crews = snap.Crews[:0]
	if spec.Crew == nil {
		return
	}
	n := max(spec.Lines, 1)
	if spec.Crew.Shared {
		n = 1
	}
	for k := range n {
		cs := twin.CrewState{Line: k}
		if spec.Crew.Shared {
			cs.Line = -1
		}
		if k < len(f.nodes) {
			if c, ok := CrewOf(f.nodes[k]); ok {
				cs.Size, cs.Busy, cs.Queued = c.Size, c.Busy, c.Queued
			}
		}
		snap.Crews = append(snap.Crews, cs)
	}
}

// readUpkeep sets the upkeep of the station's servers from what its
// device publishes: the latest condition readings (health estimated from
// them, see HealthOf; 1 without a reading) and whether each waits for the
// crew. It leaves Upkeep empty for a station with neither wear nor crew.
func (f *Filler) readUpkeep(ss *twin.StationState, sp *stations.Spec, d *host.DeviceView, epochMs int64) {
	ss.Upkeep = ss.Upkeep[:0]
	if sp.Conveyor != nil || sp.Wear == nil && f.Model.Spec.Crew == nil {
		return
	}
	dm := indexMetrics(d.Metrics)
	for s := range ss.Servers {
		u := stations.UpkeepView{Health: 1, ReadingAt: -1}
		if sp.Wear != nil && sp.Wear.Sensor != nil {
			if r, ok := conditionOf(dm, s, epochMs); ok {
				u.Reading, u.ReadingAt, u.Health = r.Value, r.At, HealthOf(sp.Wear.Sensor, r.Value)
			}
		}
		u.WaitingCrew, _ = dm.flag(packml.ServerMetric(s+1, packml.MetricServerWaitingCrew))
		ss.Upkeep = append(ss.Upkeep, u)
	}
}

// readArmUpkeep sets a worn arm's upkeep from what its device publishes:
// its counters and its latest condition reading (published as its Server
// 1), the health estimated from it (1 without a reading).
func readArmUpkeep(u *robots.UpkeepView, w *robots.Wear, dm metrics, epochMs int64) {
	u.Failures, _ = dm.int(packml.MetricFailures)
	u.WearOuts, _ = dm.int(packml.MetricWearOuts)
	u.Maintenances, _ = dm.int(packml.MetricMaintenances)
	if w.Sensor == nil {
		return
	}
	if r, ok := conditionOf(dm, 0, epochMs); ok {
		u.Reading, u.ReadingAt = r.Value, r.At
		u.Health = HealthOf(w.Sensor, r.Value)
	}
}
