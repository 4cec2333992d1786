package pilot

import (
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
)

// What a Twin sees: the machines' tracks kept from the mirror's updates,
// and the observation of an epoch built from them.

// layout lists the machines as the simulator's adapter does: by copy, the
// stations in flow order with their servers in turn, then the arms.
func (t *Twin) layout() {
	spec := t.cfg.Model.Spec
	for c := range max(spec.Lines, 1) {
		for i := range spec.Stations {
			t.first = append(t.first, len(t.mach))
			for k := range max(spec.Stations[i].Servers, 1) {
				t.mach = append(t.mach, machineTrack{phase: mirror.PhaseUnknown, lastAt: -1,
					station: i, slot: c*len(spec.Stations) + i, srv: k})
			}
			t.drift = append(t.drift, driftOf(&spec.Stations[i]))
		}
		for j := range spec.Arms {
			t.mach = append(t.mach, machineTrack{lastAt: -1, station: -1, slot: c*len(spec.Arms) + j, srv: -1})
		}
	}
}

// driftOf returns a drift detector fed from counters for station st, nil
// for a conveyor or a cycle the model cannot describe.
func driftOf(st *stations.Spec) *deviation.Counters {
	if st.Conveyor != nil {
		return nil
	}
	m, err := deviation.ModelOf(st.Cycle)
	if err != nil {
		return nil
	}
	f, err := deviation.NewCounters(st.ID, m)
	if err != nil {
		return nil
	}
	return f
}

// Observe implements mirror.Observer: it follows the copies' clocks,
// keeps the condition readings as they arrive and the entries into Down
// and Maintenance, and starts a decision epoch when the clock reaches it.
func (t *Twin) Observe(u *mirror.Update) {
	if u.Event != "" || u.Err != nil || !u.NodeKnown {
		return
	}
	c, ok := t.cfg.Model.CopyOf(u.Topic.Group, u.Topic.EdgeNode)
	if !ok {
		return
	}
	now, epochMs, ok := mirror.Clock(&u.Node)
	if !ok {
		return
	}
	switch u.Topic.Type {
	case sparkplug.DBIRTH, sparkplug.DDATA:
		if u.DeviceKnown {
			t.device(c, u, now, epochMs)
		}
	}
	t.mu.Lock()
	t.now = max(t.now, now)
	now, closed := t.now, t.closed
	t.mu.Unlock()
	if closed || t.started && now < t.next {
		return
	}
	t.started, t.next = true, autopilot.NextEpoch(now, t.epoch)
	t.startEpoch(now)
}

// device takes in a station device's update of copy c at now: the phases
// of its servers, their new condition readings, whether they wait for the
// crew, and its counters for its cycle-time drift detector.
func (t *Twin) device(c int, u *mirror.Update, now sim.Time, epochMs int64) {
	spec := t.cfg.Model.Spec
	i := stationIndex(spec, u.Device.ID)
	if i < 0 {
		t.armReading(c, u, epochMs)
		return
	}
	t.counters(c, i, u, now)
	first := t.first[c*len(spec.Stations)+i]
	servers := max(spec.Stations[i].Servers, 1)
	sensor := spec.Stations[i].Wear != nil && spec.Stations[i].Wear.Sensor != nil
	for _, mv := range u.Device.Metrics {
		k, sub, ok := packml.ParseServerMetric(mv.Name)
		if !ok || k > servers || mv.IsNull {
			continue
		}
		tr := &t.mach[first+k-1]
		switch sub {
		case packml.MetricServerPhase:
			name, _ := mv.Value.Text()
			p, err := stations.ParsePhase(name)
			if err != nil {
				continue
			}
			if p != tr.phase && tr.phase != mirror.PhaseUnknown {
				switch p {
				case stations.Down:
					tr.downs++
				case stations.Maintenance:
					tr.maints++
				}
			}
			tr.phase = p
		case packml.MetricServerWaitingCrew:
			w, _ := mv.Value.Boolean()
			if w && !tr.waiting {
				t.order++
				tr.waitOrder = t.order
			}
			tr.waiting = w
		case packml.MetricServerConditionAt:
			if !sensor {
				continue
			}
			t.keep(tr, &u.Device, k-1, epochMs)
		}
	}
}

// counters feeds the drift detector of station i of copy c with the
// counters its device published (the units processed, the sum of their
// cycle times, the speed), as the twin's monitor does; the deviations
// raised wait for the next epoch.
func (t *Twin) counters(c, i int, u *mirror.Update, now sim.Time) {
	f := t.drift[c*len(t.cfg.Model.Spec.Stations)+i]
	if f == nil {
		return
	}
	cm, ok1 := u.DeviceMetric(packml.MetricProcessed)
	tm, ok2 := u.DeviceMetric(packml.MetricCycleTotal)
	if !ok1 || !ok2 || cm.IsNull || tm.IsNull {
		return
	}
	count, ok1 := cm.Value.Int64()
	total, ok2 := tm.Value.Int64()
	if !ok1 || !ok2 {
		return
	}
	speed := 1.0
	if sm, ok := u.DeviceMetric(packml.MetricSpeed); ok && !sm.IsNull {
		speed, _ = sm.Value.Float64()
	}
	start := len(t.evs)
	t.evs = f.Observe(now, count, sim.Time(total)*sim.Millisecond, speed, t.evs)
	for _, e := range t.evs[start:] {
		if len(t.devs) == maxPending {
			copy(t.devs, t.devs[1:])
			t.devs = t.devs[:maxPending-1]
		}
		t.devs = append(t.devs, autopilot.Deviation{At: e.Time, Line: c, ID: e.Device, Kind: e.Kind.String(),
			Reason: e.Reason, Value: e.Value, Limit: e.Limit})
	}
	t.evs = t.evs[:start]
}

// armReading keeps the new condition reading of a worn arm's device of
// copy c (published as its Server 1).
func (t *Twin) armReading(c int, u *mirror.Update, epochMs int64) {
	spec := t.cfg.Model.Spec
	for j := range spec.Arms {
		if spec.Arms[j].ID != u.Device.ID {
			continue
		}
		if w := spec.Arms[j].Wear; w == nil || w.Sensor == nil {
			return
		}
		slot := c*len(spec.Arms) + j
		for m := range t.mach {
			if tr := &t.mach[m]; tr.srv < 0 && tr.slot == slot {
				t.keep(tr, &u.Device, 0, epochMs)
				return
			}
		}
		return
	}
}

// keep keeps server s's latest condition reading of device d for the
// next epoch, when it is new.
func (t *Twin) keep(tr *machineTrack, d *host.DeviceView, s int, epochMs int64) {
	r, ok := mirror.ServerReading(d, s, epochMs)
	if !ok || r.At <= tr.lastAt {
		return
	}
	tr.lastAt = r.At
	if len(tr.pending) == maxPending {
		copy(tr.pending, tr.pending[1:])
		tr.pending = tr.pending[:maxPending-1]
	}
	tr.pending = append(tr.pending, autopilot.Reading{At: r.At, Value: r.Value})
}

// stationIndex returns the flow index of station id, -1 when the spec has
// none (an arm's device).
func stationIndex(spec *twin.Spec, id string) int {
	for i := range spec.Stations {
		if spec.Stations[i].ID == id {
			return i
		}
	}
	return -1
}

// startEpoch builds the observation of the epoch at now from the mirror
// and hands it to the goroutine (waiting while the queue is full).
func (t *Twin) startEpoch(now sim.Time) {
	v := t.m.View()
	t.filler.Fill(&v, &t.snap, &t.marks)
	e := &twinEpoch{obs: t.observation(now)}
	if t.pilot.Policy().Name() == "forecast" {
		e.state, e.spec, e.err = v.State(t.cfg.Model)
	}
	t.sendMu.Lock()
	defer t.sendMu.Unlock()
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return
	}
	t.epochs++
	t.mu.Unlock()
	t.work <- e
}

// observation returns a new observation at now from the snapshot filled
// from the mirror and the tracks; it takes the readings pending.
func (t *Twin) observation(now sim.Time) *autopilot.Observation {
	spec := t.cfg.Model.Spec
	obs := &autopilot.Observation{Now: now, Machines: make([]autopilot.Machine, 0, len(t.mach))}
	for j := range t.mach {
		tr := &t.mach[j]
		if tr.srv < 0 {
			obs.Machines = append(obs.Machines, t.arm(tr))
			continue
		}
		ss, st := &t.snap.Stations[tr.slot], &spec.Stations[tr.station]
		mk := &t.marks.Stations[tr.slot]
		capacity := int(ss.Capacity)
		if ss.Capacity == stations.Inf {
			capacity = autopilot.InfCapacity
		}
		speed := ss.Speed
		if !(speed > 0) {
			speed = 1
		}
		m := autopilot.Machine{Line: ss.Line, ID: st.ID, Kind: autopilot.Station, Server: tr.srv, Index: tr.station,
			State: stationState(ss, tr.srv), Stale: mk.Stale || !mk.Known, Buffer: ss.Buffer, Capacity: capacity,
			Servers: max(st.Servers, 1), Speed: speed, DesignCycle: spec.IdealCycle(tr.station),
			Processed: ss.Counts.Processed, Failures: tr.downs, Maintained: tr.maints}
		if !mk.Known {
			m.State = autopilot.Unknown
		}
		if st.Servers <= 1 {
			// One server: the station's counters are the server's.
			m.Failures += ss.Counts.Failures + ss.Counts.WearOuts
			m.Maintained += ss.Counts.Maintenances
		}
		if st.Wear != nil && st.Wear.Sensor != nil {
			cs := st.Wear.Sensor
			m.Sensors = []autopilot.Sensor{{Name: cs.Kind, Limit: cs.Worn, Rising: cs.Worn > cs.New,
				Readings: tr.pending}}
			tr.pending = nil
		}
		obs.Machines = append(obs.Machines, m)
	}
	obs.Crews = t.crews(obs)
	obs.Deviations, t.devs = t.devs, nil
	return obs
}

// arm returns the machine of an arm's track.
func (t *Twin) arm(tr *machineTrack) autopilot.Machine {
	spec := t.cfg.Model.Spec
	as, mk := &t.snap.Arms[tr.slot], &t.marks.Arms[tr.slot]
	j := tr.slot % max(len(spec.Arms), 1)
	idx := -1
	for i := range spec.Stations {
		if a := spec.Stations[i].Arm; a != nil && a.ID == spec.Arms[j].ID {
			idx = i
			break
		}
	}
	m := autopilot.Machine{Line: as.Line, ID: as.ID, Kind: autopilot.Arm, Index: idx, Servers: 1, Speed: 1,
		State: armState(as), Stale: mk.Stale || !mk.Known, Processed: as.Moves}
	if !mk.Known {
		m.State = autopilot.Unknown
	}
	if w := spec.Arms[j].Wear; w != nil {
		// What its device publishes: a change means the arm was restored.
		m.Failures, m.Maintained = as.Upkeep.Failures, as.Upkeep.Maintenances
		if cs := w.Sensor; cs != nil {
			m.Sensors = []autopilot.Sensor{{Name: cs.Kind, Limit: cs.Worn, Rising: cs.Worn > cs.New, Readings: tr.pending}}
			tr.pending = nil
		}
	}
	return m
}

// crews returns the crews the edge nodes publish, each with the queue of
// the servers waiting for it: those that started waiting last, as many as
// the crew says are queued.
func (t *Twin) crews(obs *autopilot.Observation) []autopilot.Crew {
	if len(t.snap.Crews) == 0 {
		return nil
	}
	out := make([]autopilot.Crew, len(t.snap.Crews))
	for i, cs := range t.snap.Crews {
		cr := autopilot.Crew{Line: cs.Line, Size: cs.Size, Busy: cs.Busy}
		var waiting []int
		for j := range t.mach {
			tr := &t.mach[j]
			if tr.srv >= 0 && tr.waiting && cr.Serves(obs.Machines[j].Line) {
				waiting = append(waiting, j)
			}
		}
		sortByWait(waiting, t.mach)
		if q := min(cs.Queued, len(waiting)); q > 0 {
			for _, j := range waiting[len(waiting)-q:] {
				cr.Queue = append(cr.Queue, obs.Machines[j].Ref())
			}
		}
		out[i] = cr
	}
	return out
}

// sortByWait sorts machine indices by when they started waiting, oldest
// first (insertion sort: queues are short).
func sortByWait(js []int, mach []machineTrack) {
	for a := 1; a < len(js); a++ {
		for b := a; b > 0 && mach[js[b]].waitOrder < mach[js[b-1]].waitOrder; b-- {
			js[b], js[b-1] = js[b-1], js[b]
		}
	}
}
