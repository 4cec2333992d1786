package main

import (
	"math"
	"strconv"
	"time"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/host"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// phaseUnknown is the phase of a server the mirror says nothing about (no
// birth yet, or no state metric): PhaseColor paints it a faded grey.
const phaseUnknown = stations.Phase(stations.NumPhases)

// deviationRecent is how long a deviation keeps its station flagged: the
// events' clock (metric timestamps) of the newest data mirrored, less this.
const deviationRecent = 30 * sim.Minute

// Converter turns a host's mirror of a line's edge nodes into the
// twin.Snapshot the view draws, and a TwinStatus. Copy k of spec is edge
// node <prefix>-L<k+1> in group. What the edge nodes do not publish (time
// fractions, OEE, sensors, arm moves) stays zero or unknown; a value the
// mirror lacks is drawn as unknown, never guessed, except that a station
// suspended with units in its buffer is taken as blocked, else starved.
type Converter struct {
	Spec   *twin.Spec
	Status TwinStatus
	// Clock is the wall clock deviations are also judged recent by; nil
	// means time.Now.
	Clock func() time.Time

	stationAt map[string]int // device id -> station index
	armAt     map[string]int // device id -> arm index
	good      goodHistory
	states    []packml.State   // scratch: per server
	phases    []stations.Phase // scratch: per server
}

// NewConverter returns a converter for spec's line published under group
// by nodes prefix-L1, prefix-L2, ... through broker (for the status only).
func NewConverter(spec *twin.Spec, group, prefix, broker string) *Converter {
	c := &Converter{Spec: spec, stationAt: map[string]int{}, armAt: map[string]int{}}
	for i := range spec.Stations {
		c.stationAt[spec.Stations[i].ID] = i
	}
	for j := range spec.Arms {
		c.armAt[spec.Arms[j].ID] = j
	}
	c.Status = TwinStatus{Broker: broker, Group: group, Prefix: prefix}
	for k := range max(spec.Lines, 1) {
		c.Status.Nodes = append(c.Status.Nodes, TwinNode{ID: prefix + "-L" + strconv.Itoa(k+1)})
	}
	return c
}

// Fill sets snap (reusing its slices) and c.Status from mirror m and the
// host's deviation events (nil when the host reports none).
func (c *Converter) Fill(m *host.Mirror, events []deviation.Event, snap *twin.Snapshot) {
	spec := c.Spec
	lines := max(spec.Lines, 1)
	ns, na := len(spec.Stations), len(spec.Arms)
	snap.Lines = lines
	snap.Events = m.Received
	snap.Log = 0
	snap.Stations = resizeSlice(snap.Stations, lines*ns)
	snap.Arms = resizeSlice(snap.Arms, lines*na)
	st := &c.Status
	st.Received = m.Received
	st.Stations = resizeSlice(st.Stations, lines*ns)
	st.Arms = resizeSlice(st.Arms, lines*na)
	ls := twin.LineState{Bottleneck: ns, Constraint: spec.Constraint(), TargetPerHour: spec.TargetPerHour, IdealPerHour: spec.IdealPerHour()}
	var now sim.Time
	var newestMs uint64
	goodKnown := true
	for k := range lines {
		node := &st.Nodes[k]
		nv, ok := m.Node(st.Group, node.ID)
		node.Known = ok
		node.Online = ok && nv.Online
		node.Stale = ok && (nv.Stale || !nv.Online) // unknown is not stale
		for i := range ns {
			c.fillStation(&snap.Stations[k*ns+i], &st.Stations[k*ns+i], k, i, nv, node.Stale)
		}
		for j := range na {
			c.fillArm(&snap.Arms[k*na+j], &st.Arms[k*na+j], k, j, nv, node.Stale)
		}
		if !ok {
			goodKnown = false
			continue
		}
		var shipped, scrapped int64
		hasGood := false
		for i := range nv.Metrics {
			mv := &nv.Metrics[i]
			newestMs = max(newestMs, mv.Timestamp)
			if mv.IsNull {
				continue
			}
			n, isInt := mv.Value.Int64()
			if !isInt {
				continue
			}
			switch mv.Name {
			case packml.MetricShipped:
				shipped = n
			case packml.MetricGood:
				ls.Good += n
				hasGood = true
			case packml.MetricLineScrap:
				scrapped = n
			case packml.MetricWIP:
				ls.WIP += int(n)
			case packml.MetricSimTime:
				now = max(now, sim.Time(n)*sim.Millisecond)
			}
		}
		goodKnown = goodKnown && hasGood
		ls.Shipped += shipped
		ls.Scrapped += scrapped
		// The dock counts shipped as the last station's Out less its scrap.
		last := &snap.Stations[k*ns+ns-1]
		last.Counts.Out = shipped + last.Counts.Scrapped
		for d := range nv.Devices {
			for i := range nv.Devices[d].Metrics {
				newestMs = max(newestMs, nv.Devices[d].Metrics[i].Timestamp)
			}
		}
	}
	snap.Now = now
	ls.Elapsed = now
	if h := float64(now) / float64(sim.Hour); h > 0 {
		ls.ThroughputPerHour = float64(ls.Shipped) / h
		if goodKnown {
			ls.GoodPerHour = float64(ls.Good) / h
		}
	}
	if !goodKnown {
		ls.Good = -1 // unknown: a line of several copies does not publish it
	}
	snap.Line = ls
	count := ls.Good
	if !goodKnown {
		count = ls.Shipped
	}
	if st.Waiting() {
		snap.History = c.good.none(snap.History)
	} else {
		snap.History = c.good.add(now, count, snap.History)
	}
	snap.HistoryShipped = snap.HistoryShipped[:0]
	c.markDeviations(events, sim.Time(newestMs)*sim.Millisecond)
}

// HistoryFrom returns the first history bucket (absolute index, counted
// from simulated time 0 in twin.HistoryBucket) whose output the view saw
// whole: the buckets before it were over before the view attached.
func (c *Converter) HistoryFrom() int64 {
	if !c.good.started {
		return math.MaxInt64
	}
	return c.good.from
}

// clock returns the wall clock's time.
func (c *Converter) clock() time.Time {
	if c.Clock == nil {
		return time.Now()
	}
	return c.Clock()
}

// GoodKnown reports whether snap's good count came from the edge nodes
// (only a line of one copy publishes it; otherwise Line.Good is -1).
func GoodKnown(snap *twin.Snapshot) bool { return snap.Line.Good >= 0 }

// fillStation sets station i of copy k from its device of node nv (nil
// when the node is unknown).
func (c *Converter) fillStation(ss *twin.StationState, mk *TwinMark, k, i int, nv *sparkplug.NodeView, nodeStale bool) {
	sp := &c.Spec.Stations[i]
	servers := max(sp.Servers, 1)
	*ss = twin.StationState{
		Line: k, Index: i, ID: sp.ID, Conveyor: sp.Conveyor != nil,
		Servers:         resizeSlice(ss.Servers, servers),
		BufferDefective: ss.BufferDefective[:0],
		Capacity:        sp.Buffer,
		Riding:          ss.Riding[:0],
		LastIn:          -1, LastOut: -1, LastCheck: -1,
		IdealCycle:   c.Spec.IdealCycle(i),
		Inspects:     sp.Inspect != nil,
		DefectSource: sp.DefectRate > 0,
	}
	for s := range ss.Servers {
		ss.Servers[s] = stations.ServerView{Phase: phaseUnknown}
	}
	*mk = TwinMark{Stale: nodeStale}
	d := findDevice(nv, sp.ID)
	if d == nil {
		return
	}
	mk.Known = true
	mk.Stale = nodeStale || d.Stale || !d.Online
	var (
		stationState  packml.State = -1
		serverState                = c.scratchStates(servers)
		serverPhase                = c.scratchPhases(servers)
		defects       int64
		haveUnitFlags bool
	)
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
		case packml.MetricHeld:
			ss.Held, _ = v.Boolean()
		case packml.MetricSpeed:
			if f, ok := v.Number(); ok && f > 0 {
				ss.Speed = roundSpeed(f)
			}
		case packml.MetricState:
			stationState = stateOf(v)
		default:
			s, sub, ok := serverMetric(mv.Name, servers)
			if !ok {
				continue
			}
			switch sub {
			case "Phase":
				serverPhase[s] = phaseOf(v)
			case packml.MetricState:
				serverState[s] = stateOf(v)
			case "Unit":
				b, _ := v.Boolean()
				ss.Servers[s].Unit = b
				haveUnitFlags = true
			case "Defective":
				b, _ := v.Boolean()
				ss.Servers[s].Defective = b
			}
		}
	}
	// The edge counts defects made here and those its inspection caught
	// together: show them as made at a defect source, else as caught.
	if ss.DefectSource || !ss.Inspects {
		ss.Counts.Defects = defects
	} else {
		ss.Counts.Caught = defects
	}
	if servers == 1 && serverState[0] < 0 {
		serverState[0] = stationState
	}
	for s := range ss.Servers {
		v := &ss.Servers[s]
		v.Phase = serverPhase[s]
		ps := serverState[s]
		v.Broken = ps == packml.Aborted || ps == packml.Aborting
		if v.Phase == phaseUnknown {
			v.Phase = packMLPhase(ps, ss.Held, ss.Buffer)
		}
		if !haveUnitFlags && !ss.Conveyor {
			// Without Server k/Unit, a working server holds a unit.
			v.Unit = v.Phase == stations.Working || v.Phase == stations.Blocked
		}
	}
	if ss.Conveyor {
		// Where each board rides is not published: spread them evenly,
		// from the exit back as the snapshot lists them.
		for r := range min(ss.Inside, twin.MaxUnitsShown) {
			ss.Riding = append(ss.Riding, twin.Riding{Progress: 1 - (float64(r)+0.5)/float64(ss.Inside)})
		}
	}
}

// roundSpeed rounds a relative speed read from a 32-bit Float to six
// decimals, the speed it was set to (0.8, not 0.800000011920929).
func roundSpeed(f float64) float64 { return math.Round(f*1e6) / 1e6 }

// packMLPhase maps a PackML state onto the phase drawn, by the contract's
// rule (packml.ServerFromState); anything it cannot read is unknown.
func packMLPhase(s packml.State, held bool, buffer int) stations.Phase {
	srv, ok := packml.ServerFromState(s, held, buffer)
	if !ok {
		return phaseUnknown
	}
	return srv.Phase
}

// fillArm sets arm j of copy k from its device of node nv.
func (c *Converter) fillArm(as *twin.ArmState, mk *TwinMark, k, j int, nv *sparkplug.NodeView, nodeStale bool) {
	as.Line, as.ID, as.Phase, as.Broken = k, c.Spec.Arms[j].ID, robots.Idle, false
	as.Station, as.Server, as.Loading, as.Progress = -1, 0, false, 0
	as.Waiting, as.Moves, as.Utilization, as.Down = 0, 0, 0, 0
	*mk = TwinMark{Stale: nodeStale}
	d := findDevice(nv, as.ID)
	if d == nil {
		return
	}
	mk.Known = true
	mk.Stale = nodeStale || d.Stale || !d.Online
	for x := range d.Metrics {
		mv := &d.Metrics[x]
		if mv.IsNull {
			continue
		}
		switch mv.Name {
		case packml.MetricMoves:
			as.Moves = intOf(mv.Value)
		case packml.MetricState:
			if p, broken, ok := packml.ArmFromState(stateOf(mv.Value)); ok {
				as.Phase, as.Broken = p, broken
			}
		}
	}
}

// findDevice returns device id of nv (devices are sorted by id), or nil.
func findDevice(nv *sparkplug.NodeView, id string) *sparkplug.DeviceView {
	if nv == nil {
		return nil
	}
	for i := range nv.Devices {
		if nv.Devices[i].ID == id {
			return &nv.Devices[i]
		}
	}
	return nil
}

// serverMetric splits "Server k/name" into the server (from 0, below n)
// and name.
func serverMetric(name string, n int) (int, string, bool) {
	k, sub, ok := packml.ParseServerMetric(name)
	if !ok || k > n {
		return 0, "", false
	}
	return k - 1, sub, true
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

// phaseOf reads a stations.Phase name ("Blocked"); phaseUnknown when it is none.
func phaseOf(v sparkplug.Value) stations.Phase {
	name, ok := v.Text()
	if !ok {
		return phaseUnknown
	}
	p, err := stations.ParsePhase(name)
	if err != nil {
		return phaseUnknown
	}
	return p
}

// scratchStates returns n PackML states, all -1 (unknown), reusing memory.
func (c *Converter) scratchStates(n int) []packml.State {
	c.states = resizeSlice(c.states, n)
	for i := range c.states {
		c.states[i] = -1
	}
	return c.states
}

// scratchPhases returns n phases, all unknown, reusing memory.
func (c *Converter) scratchPhases(n int) []stations.Phase {
	c.phases = resizeSlice(c.phases, n)
	for i := range c.phases {
		c.phases[i] = phaseUnknown
	}
	return c.phases
}

// resizeSlice returns s with length n, reusing its array when it can.
func resizeSlice[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}
