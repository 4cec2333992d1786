package host

import (
	"errors"
	"fmt"
	"math"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// Metric names this file reads. The per-server phase metrics
// ("Server k/Phase" …) are optional: without them a server's phase comes
// from its PackML state and its elapsed processing is taken as 0.
const (
	mState     = "State"
	mBuffer    = "Buffer/Level"
	mCapacity  = "Buffer/Capacity"
	mInside    = "Conveyor/Inside"
	mSimTime   = "Time/Simulated"
	mShipped   = "Line/Shipped"
	mScrapped  = "Line/Scrapped"
	mGood      = "Line/Good"
	mSpeed     = "Status/Speed"
	mHeld      = "Status/Held"
	mPhase     = "Phase"
	mSince     = "Since"
	mDone      = "Done"
	mUnit      = "Unit"
	mDefective = "Defective"
)

// ErrNoModel is returned (wrapped) by the methods that need Config.Spec
// when none is loaded.
var ErrNoModel = errors.New("no model of the line is loaded: start the twin with --config to forecast and fork")

// ErrNoState is returned (wrapped) when the mirror does not hold what a
// State needs (a copy's edge node, a device, the simulated time).
var ErrNoState = errors.New("the mirror cannot give the line's state yet")

// metrics indexes one node's or device's metrics by name.
type metrics map[string]sparkplug.MetricView

func indexMetrics(ms []sparkplug.MetricView) metrics {
	out := make(metrics, len(ms))
	for _, m := range ms {
		out[m.Name] = m
	}
	return out
}

// int returns a numeric metric as an integer.
func (ms metrics) int(name string) (int64, bool) {
	m, ok := ms[name]
	if !ok || m.IsNull {
		return 0, false
	}
	if i, ok := m.Value.Int64(); ok {
		return i, true
	}
	if f, ok := m.Value.Number(); ok {
		return int64(f), true
	}
	return 0, false
}

// number returns a numeric metric as a float.
func (ms metrics) number(name string) (float64, bool) {
	m, ok := ms[name]
	if !ok || m.IsNull {
		return 0, false
	}
	return m.Value.Number()
}

// text returns a string metric.
func (ms metrics) text(name string) (string, bool) {
	m, ok := ms[name]
	if !ok || m.IsNull {
		return "", false
	}
	return m.Value.Text()
}

// flag returns a boolean metric (a number counts as true when not 0).
func (ms metrics) flag(name string) (bool, bool) {
	m, ok := ms[name]
	if !ok || m.IsNull {
		return false, false
	}
	if b, ok := m.Value.Boolean(); ok {
		return b, true
	}
	if f, ok := m.Value.Number(); ok {
		return f != 0, true
	}
	return false, false
}

// copyView is what the mirror holds of one copy of the line.
type copyView struct {
	node    *sparkplug.NodeView
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

// State assembles the state of every copy of the modelled line from the
// mirror, as a fork starts from it (see twin.NewLineFromState): the time is
// the latest Time/Simulated of the copies' edge nodes; buffers, conveyors
// (Conveyor/Inside units spread evenly along the mean dwell), server and arm
// phases and the line counters come from their metrics. Each server's
// phase, unit and elapsed processing come from its "Server k/…" metrics
// when the edge node publishes them, else from the PackML State (Execute
// is Working with a unit, Suspended Starved, Held Down, Aborted Down and
// broken, Stopped Maintenance) with no elapsed processing. Defective units
// in buffers are not published: the state has none. A line of several
// copies publishes no Line/Good: Good is then the shipped count.
//
// The state is valid for the spec with the buffer capacities the edge nodes
// publish (see the forecasts), which is Config.Spec unless a capacity was
// changed by command. Each station's Status/Speed and Status/Held are kept
// in the state, so forks run it at that speed and held. It returns
// ErrNoModel without Config.Spec, and an
// error wrapping ErrNoState that names what is missing (a copy's edge
// node, a device, a metric).
func (h *Host) State() (twin.State, error) {
	st, _, err := h.forkPoint()
	return st, err
}

// forkPoint returns the mirrored state and the spec to fork it with: a
// copy of Config.Spec with the buffer capacities the edge nodes publish.
func (h *Host) forkPoint() (twin.State, *twin.Spec, error) {
	spec := h.cfg.Spec
	if spec == nil {
		return twin.State{}, nil, ErrNoModel
	}
	m := h.Mirror()
	copies, err := h.copies(&m)
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
		if err := h.copyState(&st, &eff, k, c); err != nil {
			return twin.State{}, nil, err
		}
	}
	if err := st.Validate(&eff); err != nil {
		return twin.State{}, nil, fmt.Errorf("%w: the mirrored state does not fit the model: %v", ErrNoState, err)
	}
	return st, &eff, nil
}

// copies finds the edge node of every copy of the spec in m: when two
// groups hold one, the online one, then the latest born.
func (h *Host) copies(m *Mirror) ([]*copyView, error) {
	spec := h.cfg.Spec
	out := make([]*copyView, spec.Lines)
	for i := range m.Nodes {
		n := &m.Nodes[i]
		k, ok := h.CopyOf(n.Group, n.EdgeNode)
		if !ok {
			continue
		}
		if o := out[k]; o != nil && (o.node.Online && !n.Online ||
			o.node.Online == n.Online && o.node.BirthTime >= n.BirthTime) {
			continue
		}
		out[k] = &copyView{node: n, metrics: indexMetrics(n.Metrics)}
	}
	for k, c := range out {
		if c == nil {
			return nil, fmt.Errorf("%w: no edge node %s-L%d (copy %d of %s) mirrored", ErrNoState,
				h.cfg.NodePrefix, k+1, k+1, spec.Name)
		}
		ms, ok := c.metrics.int(mSimTime)
		if !ok || ms < 0 {
			return nil, fmt.Errorf("%w: edge node %s has no %s metric", ErrNoState, c.node.EdgeNode, mSimTime)
		}
		c.simMs = ms
		c.epochMs = int64(c.metrics[mSimTime].Timestamp) - ms
	}
	return out, nil
}

// copyState appends copy k's stations, arms and counters to st and sets
// eff's capacities to the larger of the spec's and the published ones.
func (h *Host) copyState(st *twin.State, eff *twin.Spec, k int, c *copyView) error {
	spec := h.cfg.Spec
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
		level, ok := dm.int(mBuffer)
		if !ok {
			return missing(fmt.Sprintf("station %q has no %s", ss.ID, mBuffer))
		}
		sa.Buffer = int(level)
		if capa, ok := dm.int(mCapacity); ok {
			widen(&eff.Stations[i].Buffer, stations.Capacity(capa))
		}
		if sp, ok := dm.number(mSpeed); ok && sp > 0 {
			// Float metrics are float32: 1.2 comes as 1.2000000476837158.
			if sp = math.Round(sp*1e6) / 1e6; sp != 1 {
				sa.Speed = sp
			}
		}
		if held, ok := dm.flag(mHeld); ok {
			sa.Held = held
		}
		if ss.Conveyor != nil {
			inside, _ := dm.int(mInside)
			n := min(int(max(inside, 0)), ss.Conveyor.Capacity)
			dwell := ss.Conveyor.Dwell.MeanTime()
			for j := range n {
				sa.Riding = append(sa.Riding, twin.RideAt{Remaining: dwell * sim.Time(2*j+1) / sim.Time(2*n)})
			}
		} else {
			for s := range ss.Servers {
				sv, err := serverState(dm, s, ss.Servers, sim.Time(c.simMs), c.epochMs)
				if err != nil {
					return missing(fmt.Sprintf("station %q: %v", ss.ID, err))
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
		state, ok := dm.text(mState)
		if !ok {
			return missing(fmt.Sprintf("arm %q has no %s", id, mState))
		}
		aa := twin.ArmAt{Line: k, ID: id, Phase: robots.Idle.String()}
		switch state {
		case "Execute":
			aa.Phase = robots.Moving.String()
		case "Held":
			aa.Phase = robots.Down.String()
		case "Aborted":
			aa.Phase, aa.Broken = robots.Down.String(), true
		case "Aborting":
			aa.Phase, aa.Broken = robots.Moving.String(), true
		}
		st.Arms = append(st.Arms, aa)
	}
	shipped, _ := c.metrics.int(mShipped)
	scrapped, _ := c.metrics.int(mScrapped)
	st.Counters.Shipped += shipped
	st.Counters.Scrapped += scrapped
	if good, ok := c.metrics.int(mGood); ok && spec.Lines == 1 {
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

// serverState reads server s (from 0) of a station with n servers; now is
// the copy's simulated time in ms (as a sim.Time count of ms) and epochMs
// the wall time of its simulated time 0.
func serverState(dm metrics, s, n int, nowMs sim.Time, epochMs int64) (twin.ServerAt, error) {
	name := func(m string) string { return fmt.Sprintf("Server %d/%s", s+1, m) }
	packml, ok := dm.text(name(mState))
	if !ok && n == 1 {
		packml, ok = dm.text(mState)
	}
	phase, hasPhase := dm.text(name(mPhase))
	if !ok && !hasPhase {
		return twin.ServerAt{}, fmt.Errorf("server %d has neither %s nor %s", s+1, name(mPhase), name(mState))
	}
	var sv twin.ServerAt
	sv.Broken = packml == "Aborted" || packml == "Aborting"
	if hasPhase {
		if _, known := phaseOf(phase); !known {
			return twin.ServerAt{}, fmt.Errorf("server %d: unknown phase %q", s+1, phase)
		}
		sv.Phase = phase
	} else {
		sv.Phase = phaseOfPackML(packml).String()
	}
	p, _ := phaseOf(sv.Phase)
	if unit, ok := dm.flag(name(mUnit)); ok {
		sv.Unit = unit
	} else {
		sv.Unit = p == stations.Working || p == stations.Loading || p == stations.Unloading || p == stations.Blocked
	}
	switch p {
	case stations.Starved:
		sv.Unit = false
	case stations.Working, stations.Loading, stations.Unloading, stations.Blocked:
		sv.Unit = true
	}
	if d, ok := dm.flag(name(mDefective)); ok && sv.Unit {
		sv.Defective = d
	}
	if !sv.Unit {
		return sv, nil
	}
	done, _ := dm.int(name(mDone))
	elapsed := sim.Time(max(done, 0)) * sim.Millisecond
	if since, ok := dm.int(name(mSince)); ok && p == stations.Working {
		elapsed += max(nowMs-sim.Time(since-epochMs), 0) * sim.Millisecond
	}
	sv.Elapsed = elapsed
	return sv, nil
}

// phaseOf parses a stations.Phase name.
func phaseOf(name string) (stations.Phase, bool) {
	for p := stations.Phase(0); p < stations.NumPhases; p++ {
		if p.String() == name {
			return p, true
		}
	}
	return 0, false
}

// phaseOfPackML maps a server's PackML state onto a phase.
func phaseOfPackML(state string) stations.Phase {
	switch state {
	case "Execute", "Aborting":
		return stations.Working
	case "Held", "Aborted":
		return stations.Down
	case "Stopped":
		return stations.Maintenance
	}
	return stations.Starved
}
