package mirror

import (
	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
)

// PhaseUnknown is the phase a snapshot gives a server the mirror says
// nothing about (no birth yet, no state metric): one past the last
// stations.Phase.
const PhaseUnknown = stations.Phase(stations.NumPhases)

// Marks are what a snapshot filled from the mirror cannot say itself:
// which copies, stations and arms the mirror knows and which are stale.
type Marks struct {
	// Nodes has one entry per copy of the line.
	Nodes []NodeMark
	// Stations and Arms are indexed like the snapshot's.
	Stations, Arms []Mark
	// Received counts the messages the mirror received.
	Received uint64
	// NewestMs is the newest metric timestamp mirrored (ms since the
	// epoch, on the edge's clock).
	NewestMs uint64
	// GoodKnown says the edge nodes publish the good count (a line of one
	// copy); otherwise the snapshot's Line.Good is -1.
	GoodKnown bool
}

// A NodeMark is what the mirror knows of one copy's edge node.
type NodeMark struct {
	ID                   string
	Known, Online, Stale bool
}

// A Mark is what the mirror knows of one station or arm: Known once its
// device's birth was mirrored; Stale when its device or node is dead
// (DDEATH, NDEATH or the host's connection lost), so that the values in
// the snapshot are the last known.
type Mark struct {
	Known, Stale bool
}

// Waiting reports whether no edge node of the line has been heard yet.
func (m *Marks) Waiting() bool {
	for _, n := range m.Nodes {
		if n.Known {
			return false
		}
	}
	return true
}

// A Filler fills the twin.Snapshot the window draws from views of a
// modelled line's edge nodes. What the edge nodes do not publish (time
// fractions, OEE, where units ride on a conveyor) stays zero or is spread
// evenly; an arm's move under way is worked out from its Move/ metrics at
// the node's simulated time (see readMove); a value the mirror lacks is unknown
// (PhaseUnknown), never guessed. A server's phase is its Server k/Phase,
// else its PackML state read back as the contract says
// (packml.ServerFromState). A station with wear or a crew gets its
// servers' Upkeep: the latest condition reading, the health it says (an
// estimate: see HealthOf; the true health is not published) and whether
// the server waits for the crew; the snapshot's Crews are the crews the
// edge nodes publish (size, busy, queued; no members). Each copy's edge node is found as
// [View.State] finds it (in any group when Model.Group is empty). It
// reuses its scratch memory: not safe for concurrent use.
type Filler struct {
	Model Model

	nodes  []*host.NodeView
	states []packml.State
	phases []stations.Phase
}

// Fill sets snap and marks (reusing their slices) from v. The snapshot's
// History is left empty: the mirror keeps no output history.
func (f *Filler) Fill(v *View, snap *twin.Snapshot, marks *Marks) {
	spec := f.Model.Spec
	lines := max(spec.Lines, 1)
	ns, na := len(spec.Stations), len(spec.Arms)
	snap.Lines, snap.Events, snap.Log = lines, v.Received, 0
	snap.Stations = resize(snap.Stations, lines*ns)
	snap.Arms = resize(snap.Arms, lines*na)
	snap.History, snap.HistoryShipped = snap.History[:0], snap.HistoryShipped[:0]
	marks.Received = v.Received
	marks.Nodes = resize(marks.Nodes, lines)
	marks.Stations = resize(marks.Stations, lines*ns)
	marks.Arms = resize(marks.Arms, lines*na)
	marks.NewestMs, marks.GoodKnown = 0, true
	ls := twin.LineState{Bottleneck: ns, Momentary: ns, Constraint: spec.Constraint(), TargetPerHour: spec.TargetPerHour, IdealPerHour: spec.IdealPerHour()}
	var now sim.Time
	f.nodes = f.Model.nodes(v, f.nodes)
	for k := range lines {
		node := &marks.Nodes[k]
		node.ID = packml.NodeID(f.Model.Prefix, k)
		var nv *host.NodeView
		if k < len(f.nodes) {
			nv = f.nodes[k]
		}
		ok := nv != nil
		node.Known = ok
		node.Online = ok && nv.Online
		node.Stale = ok && (nv.Stale || !nv.Online) // unknown is not stale
		nodeNow, epochMs, _ := Clock(nv)
		for i := range ns {
			f.fillStation(&snap.Stations[k*ns+i], &marks.Stations[k*ns+i], k, i, nv, node.Stale, epochMs)
		}
		for j := range na {
			f.fillArm(&snap.Arms[k*na+j], &marks.Arms[k*na+j], k, j, nv, node.Stale, epochMs)
			f.readMove(&snap.Arms[k*na+j], nv, nodeNow, epochMs)
		}
		if !ok {
			marks.GoodKnown = false
			continue
		}
		marks.NewestMs = max(marks.NewestMs, newest(nv))
		ms := indexMetrics(nv.Metrics)
		shipped, _ := ms.int(packml.MetricShipped)
		scrapped, _ := ms.int(packml.MetricLineScrap)
		wip, _ := ms.int(packml.MetricWIP)
		good, hasGood := ms.int(packml.MetricGood)
		if t, ok := ms.int(packml.MetricSimTime); ok {
			now = max(now, sim.Time(t)*sim.Millisecond)
		}
		marks.GoodKnown = marks.GoodKnown && hasGood
		ls.Good += good
		ls.Shipped += shipped
		ls.Scrapped += scrapped
		ls.WIP += int(wip)
		// The dock counts shipped as the last station's Out less its scrap.
		last := &snap.Stations[k*ns+ns-1]
		last.Counts.Out = shipped + last.Counts.Scrapped
	}
	f.fillCrews(snap)
	clear(f.nodes) // keep no view alive
	snap.Now, ls.Elapsed = now, now
	if h := float64(now) / float64(sim.Hour); h > 0 {
		ls.ThroughputPerHour = float64(ls.Shipped) / h
		if marks.GoodKnown {
			ls.GoodPerHour = float64(ls.Good) / h
		}
	}
	if !marks.GoodKnown {
		ls.Good = -1 // unknown: a line of several copies does not publish it
	}
	snap.Line = ls
}

// newest returns the newest metric timestamp of a node and its devices.
func newest(nv *host.NodeView) uint64 {
	var ms uint64
	for i := range nv.Metrics {
		ms = max(ms, nv.Metrics[i].Timestamp)
	}
	for d := range nv.Devices {
		for i := range nv.Devices[d].Metrics {
			ms = max(ms, nv.Devices[d].Metrics[i].Timestamp)
		}
	}
	return ms
}

// fillStation sets station i of copy k from its device of node nv (nil
// when the node is unknown).
func (f *Filler) fillStation(ss *twin.StationState, mk *Mark, k, i int, nv *host.NodeView, nodeStale bool, epochMs int64) {
	spec := f.Model.Spec
	sp := &spec.Stations[i]
	servers := max(sp.Servers, 1)
	*ss = twin.StationState{
		Line: k, Index: i, ID: sp.ID, Conveyor: sp.Conveyor != nil,
		Servers:         resize(ss.Servers, servers),
		BufferDefective: ss.BufferDefective[:0],
		Capacity:        sp.Buffer,
		Riding:          ss.Riding[:0],
		LastIn:          -1, LastOut: -1, LastCheck: -1,
		IdealCycle:   spec.IdealCycle(i),
		Inspects:     sp.Inspect != nil,
		DefectSource: sp.DefectRate > 0,
		Upkeep:       ss.Upkeep[:0],
		CanMaintain:  sp.CanMaintain(),
	}
	for s := range ss.Servers {
		ss.Servers[s] = stations.ServerView{Phase: PhaseUnknown}
	}
	*mk = Mark{Stale: nodeStale}
	d, ok := findDevice(nv, sp.ID)
	if !ok {
		return
	}
	mk.Known = true
	mk.Stale = nodeStale || d.Stale || !d.Online
	stationState, defects, unitFlags := f.readStation(ss, d, servers)
	// The edge counts defects made here and those its inspection caught
	// together: show them as made at a defect source, else as caught.
	if ss.DefectSource || !ss.Inspects {
		ss.Counts.Defects = defects
	} else {
		ss.Counts.Caught = defects
	}
	if servers == 1 && f.states[0] < 0 {
		f.states[0] = stationState
	}
	for s := range ss.Servers {
		v := &ss.Servers[s]
		v.Phase, v.Held = f.phases[s], ss.Held // a hold holds every server

		back, known := packml.ServerFromState(f.states[s], ss.Held, ss.Buffer)
		v.Broken = known && back.Broken
		if v.Phase == PhaseUnknown && known {
			v.Phase = back.Phase
		}
		if !unitFlags && !ss.Conveyor {
			// Without Server k/Unit, a working or blocked server holds a unit.
			v.Unit = v.Phase == stations.Working || v.Phase == stations.Blocked
		}
	}
	f.readUpkeep(ss, sp, d, epochMs)
	if ss.Conveyor {
		// Where each board rides is not published: spread them evenly,
		// from the exit back as the snapshot lists them.
		for r := range min(ss.Inside, twin.MaxUnitsShown) {
			ss.Riding = append(ss.Riding, twin.Riding{Progress: 1 - (float64(r)+0.5)/float64(ss.Inside)})
		}
	}
}

// readStation reads a station device's metrics into ss and the scratch
// states and phases of its servers; it returns the station's own state,
// its defective count and whether the device publishes Server k/Unit.
func (f *Filler) readStation(ss *twin.StationState, d *host.DeviceView, servers int) (state packml.State, defects int64, unitFlags bool) {
	f.states = resize(f.states, servers)
	f.phases = resize(f.phases, servers)
	for s := range servers {
		f.states[s], f.phases[s] = -1, PhaseUnknown
	}
	state = -1
	for x := range d.Metrics {
		mv := &d.Metrics[x]
		if mv.IsNull {
			continue
		}
		v := mv.Value
		switch mv.Name {
		case packml.MetricBuffer:
			ss.Buffer = int(intOf(v))
		case packml.MetricCapacity:
			if n, ok := v.Int64(); ok {
				ss.Capacity = stations.Capacity(n)
			}
		case packml.MetricInside:
			ss.Inside = int(intOf(v))
		case packml.MetricProcessed:
			ss.Counts.Processed = intOf(v)
		case packml.MetricDefective:
			defects = intOf(v)
		case packml.MetricScrapped:
			ss.Counts.Scrapped = intOf(v)
		case packml.MetricFailures:
			ss.Counts.Failures = intOf(v)
		case packml.MetricWearOuts:
			ss.Counts.WearOuts = intOf(v)
		case packml.MetricMaintenances:
			ss.Counts.Maintenances = intOf(v)
		case packml.MetricHeld:
			ss.Held, _ = v.Boolean()
		case packml.MetricSpeed:
			if sp, ok := v.Number(); ok && sp > 0 {
				ss.Speed = packml.RoundSpeed(sp)
			}
		case packml.MetricState:
			state = stateOf(v)
		default:
			k, sub, ok := packml.ParseServerMetric(mv.Name)
			if !ok || k > servers {
				continue
			}
			s := k - 1
			switch sub {
			case packml.MetricServerPhase:
				f.phases[s] = phaseOf(v)
			case packml.MetricState:
				f.states[s] = stateOf(v)
			case packml.MetricServerUnit:
				ss.Servers[s].Unit, _ = v.Boolean()
				unitFlags = true
			case packml.MetricServerDefective:
				ss.Servers[s].Defective, _ = v.Boolean()
			}
		}
	}
	return state, defects, unitFlags
}

// fillArm sets arm j of copy k from its device of node nv.
func (f *Filler) fillArm(as *twin.ArmState, mk *Mark, k, j int, nv *host.NodeView, nodeStale bool, epochMs int64) {
	sp := &f.Model.Spec.Arms[j]
	*as = twin.ArmState{Line: k, ID: sp.ID, Phase: robots.Idle, Station: -1, Worn: sp.Wear != nil, CanMaintain: sp.CanMaintain(),
		Upkeep: robots.UpkeepView{Health: 1, ReadingAt: -1}}
	*mk = Mark{Stale: nodeStale}
	d, ok := findDevice(nv, as.ID)
	if !ok {
		return
	}
	mk.Known = true
	mk.Stale = nodeStale || d.Stale || !d.Online
	ms := indexMetrics(d.Metrics)
	as.Moves, _ = ms.int(packml.MetricMoves)
	if name, ok := ms.text(packml.MetricState); ok {
		if s, err := packml.ParseState(name); err == nil {
			if p, broken, ok := packml.ArmFromState(s); ok {
				as.Phase, as.Broken = p, broken
			}
		}
	}
	if sp.Wear != nil {
		readArmUpkeep(&as.Upkeep, sp.Wear, ms, epochMs)
	}
}

// intOf returns an integer metric's value (0 when it is not one).
func intOf(v sparkplug.Value) int64 {
	n, _ := v.Int64()
	return n
}

// stateOf reads a PackML state name; -1 when it is none.
func stateOf(v sparkplug.Value) packml.State {
	name, ok := v.Text()
	if !ok {
		return -1
	}
	s, err := packml.ParseState(name)
	if err != nil {
		return -1
	}
	return s
}

// phaseOf reads a stations.Phase name; PhaseUnknown when it is none.
func phaseOf(v sparkplug.Value) stations.Phase {
	name, ok := v.Text()
	if !ok {
		return PhaseUnknown
	}
	p, err := stations.ParsePhase(name)
	if err != nil {
		return PhaseUnknown
	}
	return p
}

// resize returns s with length n, reusing its array when it can.
func resize[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}
