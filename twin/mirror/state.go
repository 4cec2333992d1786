package mirror

import (
	"fmt"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
)

// copyView is what the mirror holds of one copy of the line.
type copyView struct {
	node    *host.NodeView
	metrics metrics
	// simMs is the copy's simulated time in ms; epochMs the wall time its
	// simulated time 0 maps to (metric timestamps are epochMs + simulated ms).
	simMs, epochMs int64
}

// device returns the metrics of one of the copy's devices.
func (c *copyView) device(id string) (metrics, bool) {
	for i := range c.node.Devices {
		if c.node.Devices[i].ID == id {
			return indexMetrics(c.node.Devices[i].Metrics), true
		}
	}
	return nil, false
}

// State assembles the state of every copy of model's line from the
// view, as a fork starts from it (see twin.NewLineFromState), and returns
// it with the spec to fork it with: model.Spec with the buffer capacities
// the edge nodes publish where they are larger (a capacity changed by
// command).
//
// The time is the latest Time/Simulated of the copies' edge nodes;
// buffers, conveyors (Conveyor/Inside units spread evenly along the mean
// dwell), server and arm phases and the line counters come from their
// metrics. Each server's phase, unit and elapsed processing come from its
// "Server k/…" metrics when the edge node publishes them, else from its
// PackML State read back by packml.ServerFromState, with no elapsed
// processing. Defective units in buffers are not published: the state has
// none. A line of several copies publishes no Line/Good: Good is then the
// shipped count. Each station's Status/Speed and Status/Held are kept, so
// forks run it at that speed and held. A worn station's server starts
// the fork as worn as its latest condition reading says (see HealthOf):
// new when it has none.
//
// It returns ErrNoModel without a spec, and an error wrapping ErrNoState
// that names what is missing (a copy's edge node, a device, a metric).
func (v *View) State(model Model) (twin.State, *twin.Spec, error) {
	spec := model.Spec
	if spec == nil {
		return twin.State{}, nil, ErrNoModel
	}
	copies, err := model.copies(v)
	if err != nil {
		return twin.State{}, nil, err
	}
	var st twin.State
	for _, c := range copies {
		st.Time = max(st.Time, sim.Time(c.simMs)*sim.Millisecond)
	}
	eff := *spec
	eff.Stations = append([]stations.Spec(nil), spec.Stations...)
	for k, c := range copies {
		if err := model.copyState(&st, &eff, k, c); err != nil {
			return twin.State{}, nil, err
		}
	}
	if err := st.Validate(&eff); err != nil {
		return twin.State{}, nil, fmt.Errorf("%w: the mirrored state does not fit the model: %v", ErrNoState, err)
	}
	return st, &eff, nil
}

// nodes sets dst to the edge node of every copy of the spec in v, nil for
// a copy v has none of: when two groups hold one, the online one, then
// the latest born.
func (model *Model) nodes(v *View, dst []*host.NodeView) []*host.NodeView {
	dst = resize(dst, model.Spec.Lines)
	clear(dst)
	for i := range v.Nodes {
		n := &v.Nodes[i]
		k, ok := model.CopyOf(n.Group, n.EdgeNode)
		if !ok {
			continue
		}
		if o := dst[k]; o != nil && (o.Online && !n.Online || o.Online == n.Online && o.BirthTime >= n.BirthTime) {
			continue
		}
		dst[k] = n
	}
	return dst
}

// copies finds the edge node of every copy of the spec in v (see nodes).
func (model *Model) copies(v *View) ([]*copyView, error) {
	spec := model.Spec
	nodes := model.nodes(v, nil)
	out := make([]*copyView, len(nodes))
	for k, n := range nodes {
		if n == nil {
			return nil, fmt.Errorf("%w: no edge node %s (copy %d of %s) mirrored", ErrNoState,
				packml.NodeID(model.Prefix, k), k+1, spec.Name)
		}
		c := &copyView{node: n, metrics: indexMetrics(n.Metrics)}
		out[k] = c
		ms, ok := c.metrics.int(packml.MetricSimTime)
		if !ok || ms < 0 {
			return nil, fmt.Errorf("%w: edge node %s has no %s metric", ErrNoState, c.node.EdgeNode, packml.MetricSimTime)
		}
		c.simMs = ms
		c.epochMs = int64(c.metrics[packml.MetricSimTime].Timestamp) - ms
	}
	return out, nil
}

// copyState appends copy k's stations, arms and counters to st and sets
// eff's capacities to the larger of the spec's and the published ones.
func (model *Model) copyState(st *twin.State, eff *twin.Spec, k int, c *copyView) error {
	spec := model.Spec
	missing := func(what string) error {
		return fmt.Errorf("%w: edge node %s: %s", ErrNoState, c.node.EdgeNode, what)
	}
	for i := range spec.Stations {
		ss := &spec.Stations[i]
		dm, ok := c.device(ss.ID)
		if !ok {
			return missing(fmt.Sprintf("no device for station %q", ss.ID))
		}
		sa := twin.StationAt{Line: k, ID: ss.ID}
		level, ok := dm.int(packml.MetricBuffer)
		if !ok {
			return missing(fmt.Sprintf("station %q has no %s", ss.ID, packml.MetricBuffer))
		}
		sa.Buffer = int(level)
		if capa, ok := dm.int(packml.MetricCapacity); ok {
			widen(&eff.Stations[i].Buffer, stations.Capacity(capa))
		}
		if sp, ok := dm.number(packml.MetricSpeed); ok && sp > 0 {
			// Float metrics are float32: 1.2 comes as 1.2000000476837158.
			if sp = packml.RoundSpeed(sp); sp != 1 {
				sa.Speed = sp
			}
		}
		if held, ok := dm.flag(packml.MetricHeld); ok {
			sa.Held = held
		}
		if ss.Conveyor != nil {
			inside, _ := dm.int(packml.MetricInside)
			n := min(int(max(inside, 0)), ss.Conveyor.Capacity)
			dwell := ss.Conveyor.Dwell.MeanTime()
			for j := range n {
				sa.Riding = append(sa.Riding, twin.RideAt{Remaining: dwell * sim.Time(2*j+1) / sim.Time(2*n)})
			}
		} else {
			for s := range ss.Servers {
				sv, err := serverState(dm, s, ss.Servers, sa.Held, sa.Buffer, sim.Time(c.simMs), c.epochMs)
				if err != nil {
					return missing(fmt.Sprintf("station %q: %v", ss.ID, err))
				}
				if ss.Wear != nil && ss.Wear.Sensor != nil {
					if r, ok := conditionOf(dm, s, c.epochMs); ok {
						sv.Damage = 1 - HealthOf(ss.Wear.Sensor, r.Value)
					}
				}
				sa.Servers = append(sa.Servers, sv)
			}
		}
		st.Stations = append(st.Stations, sa)
	}
	for j := range spec.Arms {
		id := spec.Arms[j].ID
		dm, ok := c.device(id)
		if !ok {
			return missing(fmt.Sprintf("no device for arm %q", id))
		}
		name, ok := dm.text(packml.MetricState)
		if !ok {
			return missing(fmt.Sprintf("arm %q has no %s", id, packml.MetricState))
		}
		aa := twin.ArmAt{Line: k, ID: id}
		if s, err := packml.ParseState(name); err == nil {
			aa.Phase, aa.Broken, _ = packml.ArmFromState(s)
		}
		if w := spec.Arms[j].Wear; w != nil && w.Sensor != nil {
			if r, ok := conditionOf(dm, 0, c.epochMs); ok {
				aa.Damage = 1 - HealthOf(w.Sensor, r.Value)
			}
		}
		st.Arms = append(st.Arms, aa)
	}
	shipped, _ := c.metrics.int(packml.MetricShipped)
	scrapped, _ := c.metrics.int(packml.MetricLineScrap)
	st.Counters.Shipped += shipped
	st.Counters.Scrapped += scrapped
	if good, ok := c.metrics.int(packml.MetricGood); ok && spec.Lines == 1 {
		st.Counters.Good += good
	} else {
		st.Counters.Good += shipped
	}
	return nil
}

// widen raises *c to p when p holds more (Inf holds most).
func widen(c *stations.Capacity, p stations.Capacity) {
	switch {
	case *c == stations.Inf || p < stations.Inf:
	case p == stations.Inf || p > *c:
		*c = p
	}
}

// serverState reads server s (from 0) of a station with n servers, held
// or not, with waiting units in its buffer; now is the copy's simulated
// time in ms (as a sim.Time count of ms) and epochMs the wall time of its
// simulated time 0.
func serverState(dm metrics, s, n int, held bool, waiting int, nowMs sim.Time, epochMs int64) (twin.ServerAt, error) {
	name := func(m string) string { return packml.ServerMetric(s+1, m) }
	stateName, ok := dm.text(name(packml.MetricState))
	if !ok && n == 1 {
		stateName, ok = dm.text(packml.MetricState)
	}
	phaseName, hasPhase := dm.text(name(packml.MetricServerPhase))
	if !ok && !hasPhase {
		return twin.ServerAt{}, fmt.Errorf("server %d has neither %s nor %s", s+1,
			name(packml.MetricServerPhase), name(packml.MetricState))
	}
	state, _ := packml.ParseState(stateName)
	fromState, known := packml.ServerFromState(state, held, waiting)
	var sv twin.ServerAt
	switch {
	case hasPhase:
		p, err := stations.ParsePhase(phaseName)
		if err != nil {
			return twin.ServerAt{}, fmt.Errorf("server %d: %v", s+1, err)
		}
		sv.Phase, sv.Broken = p, fromState.Broken
	case known:
		sv.Phase, sv.Broken = fromState.Phase, fromState.Broken
	default:
		sv.Phase = stations.Starved // a state that says nothing of the phase
	}
	sv.Unit = sv.Phase.HoldsUnit()
	if unit, ok := dm.flag(name(packml.MetricServerUnit)); ok && sv.Phase != stations.Starved && sv.Phase != stations.Held && !sv.Phase.HoldsUnit() {
		sv.Unit = unit // down or in maintenance, with or without a unit
	}
	if d, ok := dm.flag(name(packml.MetricServerDefective)); ok && sv.Unit {
		sv.Defective = d
	}
	if !sv.Unit {
		return sv, nil
	}
	done, _ := dm.int(name(packml.MetricServerDone))
	elapsed := sim.Time(max(done, 0)) * sim.Millisecond
	if since, ok := dm.int(name(packml.MetricServerSince)); ok && sv.Phase == stations.Working {
		elapsed += max(nowMs-sim.Time(since-epochMs), 0) * sim.Millisecond
	}
	sv.Elapsed = elapsed
	return sv, nil
}
