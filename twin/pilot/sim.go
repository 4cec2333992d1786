package pilot

import (
	"context"
	"fmt"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Sim is an autopilot flying a simulated line: a twin.Controller woken at
// the pilot's decision epochs.
type Sim struct {
	l     *twin.Line
	p     *autopilot.Pilot
	fc    *shiftForecaster // nil unless the policy reads forecasts
	snap  twin.Snapshot
	obs   autopilot.Observation
	conds []twin.ConditionReading
	queue []twin.CrewJob
	// first[c*n+i] is the index in obs.Machines of server 0 of station i
	// of copy c (n stations a copy); sensor[j] the condition sensor of
	// machine j (nil: none).
	first  []int
	arms   []int // arms[c]: the index in obs.Machines of copy c's first arm
	sensor []*stations.ConditionSensor
	// drift[c*n+i] watches the cycle time of station i of copy c from its
	// published counters (nil: a conveyor, or a cycle with no model); devs
	// is scratch for the events raised at one epoch.
	drift []*deviation.Counters
	devs  []deviation.Event
	// cmds are the indices in the line's command log of the commands the
	// pilot gave; base the pilot's counts at the end of the warm-up.
	cmds    []int
	counts  counts
	base    counts
	baseCmd int
	refused int64
}

// counts are what a Sim counts of its pilot, for a twin.AutopilotResult.
type counts struct {
	stats                               autopilot.Stats
	maintains, dispatches, speeds, bufs int64
	deviations                          int64
}

// Attach makes a pilot with newPilot, giving it an Evaluator that forks
// what-ifs from l (used by the policy forecast), and flies it on l from
// its first epoch. Call it before l runs: the pilot then sees every
// condition reading. For the policy forecast, the Sim also forecasts the
// current 8-hour shift from the line's state every hour, against the
// line's target_per_hour (or, without one, its ideal rate).
func Attach(l *twin.Line, newPilot func(autopilot.Evaluator) (*autopilot.Pilot, error)) (*Sim, error) {
	eval := NewEvaluator(func() (twin.State, *twin.Spec, error) { return l.State(), l.Spec(), nil },
		EvalOptions{Seed: sim.StreamSeed(l.Seed(), "autopilot/whatif"), Horizon: shiftEnd})
	p, err := newPilot(eval)
	if err != nil {
		return nil, err
	}
	s := &Sim{l: l, p: p}
	if p.Policy().Name() == "forecast" {
		s.fc = &shiftForecaster{eval: eval, every: sim.Hour, next: 0}
	}
	s.layout()
	if err := s.watch(); err != nil {
		return nil, err
	}
	l.KeepConditions()
	l.Control(s, p.Next())
	return s, nil
}

// Pilot returns the pilot, for its log, its status, and an operator's
// hold and release.
func (s *Sim) Pilot() *autopilot.Pilot { return s.p }

// Observation returns the observation of the latest epoch (valid until
// the next one).
func (s *Sim) Observation() *autopilot.Observation { return &s.obs }

// layout lists the machines in the order the observation keeps: by copy,
// the stations in flow order with their servers in turn, then the arms.
func (s *Sim) layout() {
	spec := s.l.Spec()
	armAt := make(map[string]int, len(spec.Arms))
	for i := len(spec.Stations) - 1; i >= 0; i-- {
		if a := spec.Stations[i].Arm; a != nil {
			armAt[a.ID] = i
		}
	}
	for c := range spec.Lines {
		for i := range spec.Stations {
			st := &spec.Stations[i]
			s.first = append(s.first, len(s.obs.Machines))
			var cs *stations.ConditionSensor
			if st.Wear != nil {
				cs = st.Wear.Sensor
			}
			for k := range st.Servers {
				m := autopilot.Machine{Line: c, ID: st.ID, Kind: autopilot.Station, Server: k, Index: i,
					Servers: st.Servers, DesignCycle: spec.IdealCycle(i)}
				if cs != nil {
					m.Sensors = []autopilot.Sensor{{Name: cs.Kind, Limit: cs.Worn, Rising: cs.Worn > cs.New}}
				}
				s.obs.Machines = append(s.obs.Machines, m)
				s.sensor = append(s.sensor, cs)
			}
		}
		s.arms = append(s.arms, len(s.obs.Machines))
		for j := range spec.Arms {
			idx, ok := armAt[spec.Arms[j].ID]
			if !ok {
				idx = -1
			}
			m := autopilot.Machine{Line: c, ID: spec.Arms[j].ID, Kind: autopilot.Arm, Index: idx, Servers: 1, Speed: 1}
			if w := spec.Arms[j].Wear; w != nil && w.Sensor != nil {
				m.Sensors = []autopilot.Sensor{{Name: w.Sensor.Kind, Limit: w.Sensor.Worn, Rising: w.Sensor.Worn > w.Sensor.New}}
			}
			s.obs.Machines = append(s.obs.Machines, m)
			s.sensor = append(s.sensor, nil)
		}
	}
}

// watch sets up a cycle-time drift detector on every station of every copy
// whose cycle the model can describe, as the twin's monitor does for the
// stations an edge publishes.
func (s *Sim) watch() error {
	spec := s.l.Spec()
	for range spec.Lines {
		for i := range spec.Stations {
			st := &spec.Stations[i]
			var f *deviation.Counters
			if st.Conveyor == nil {
				if m, err := deviation.ModelOf(st.Cycle); err == nil {
					if f, err = deviation.NewCounters(st.ID, m); err != nil {
						return fmt.Errorf("station %s: %w", st.ID, err)
					}
				}
			}
			s.drift = append(s.drift, f)
		}
	}
	return nil
}

// Wake runs one decision epoch: it observes the line, steps the pilot and
// gives the line the actions applied. It implements twin.Controller.
func (s *Sim) Wake(l *twin.Line) sim.Time {
	s.observe()
	if s.fc != nil {
		s.obs.Forecast = s.fc.forecast(l, s.l.Now())
	}
	acts, err := s.p.Step(context.Background(), &s.obs)
	if err == nil {
		for i := range acts {
			s.apply(&acts[i])
		}
	}
	s.counts.stats = s.p.Stats()
	return s.p.Next()
}

// ResetStats starts the pilot's counts afresh: the end of the warm-up.
func (s *Sim) ResetStats() {
	s.counts.stats = s.p.Stats()
	s.base, s.baseCmd, s.refused = s.counts, len(s.cmds), 0
	if s.fc != nil {
		s.fc.reset(s.l)
	}
}

// observe fills s.obs from the line now.
func (s *Sim) observe() {
	l := s.l
	l.SnapshotInto(&s.snap)
	s.conds = l.TakeConditions(s.conds[:0])
	obs := &s.obs
	obs.Now = s.snap.Now
	obs.Deviations = obs.Deviations[:0]
	s.devs = s.devs[:0]
	for j := range obs.Machines {
		m := &obs.Machines[j]
		for k := range m.Sensors {
			m.Sensors[k].Readings = m.Sensors[k].Readings[:0]
		}
	}
	n := len(l.Spec().Stations)
	for slot := range s.snap.Stations {
		ss := &s.snap.Stations[slot]
		capacity := int(ss.Capacity)
		if ss.Capacity == stations.Inf {
			capacity = autopilot.InfCapacity
		}
		for k := range ss.Servers {
			m := &obs.Machines[s.first[slot]+k]
			m.State = stationState(ss, k)
			m.Buffer, m.Capacity, m.Speed = ss.Buffer, capacity, ss.Speed
			m.Processed, m.Failures = ss.Counts.Processed, ss.Counts.Failures
			if k < len(ss.Upkeep) {
				// Per server and never reset: a change means the server
				// was restored. The true health is not passed on.
				m.Failures, m.Maintained = ss.Upkeep[k].Failures, ss.Upkeep[k].Restorations
			}
		}
	}
	for slot, f := range s.drift {
		if f == nil {
			continue
		}
		ss := &s.snap.Stations[slot]
		start := len(s.devs)
		s.devs = f.Observe(obs.Now, ss.Counts.Processed, ss.Counts.CycleTotal, ss.Speed, s.devs)
		for i := start; i < len(s.devs); i++ {
			e := &s.devs[i]
			obs.Deviations = append(obs.Deviations, autopilot.Deviation{At: e.Time, Line: ss.Line, ID: e.Device,
				Kind: e.Kind.String(), Reason: e.Reason, Value: e.Value, Limit: e.Limit})
		}
	}
	s.counts.deviations += int64(len(s.devs))
	for _, r := range s.conds {
		j := s.first[r.Line*n+r.Station] + r.Server
		if r.Arm >= 0 {
			j = s.arms[r.Line] + r.Arm
		}
		if len(obs.Machines[j].Sensors) > 0 {
			sn := &obs.Machines[j].Sensors[0]
			sn.Readings = append(sn.Readings, autopilot.Reading{At: r.Taken, Value: r.Value})
		}
	}
	arms := len(l.Spec().Arms)
	for a := range s.snap.Arms {
		as := &s.snap.Arms[a]
		m := &obs.Machines[s.arms[a/arms]+a%arms]
		m.State = armState(as)
		m.Processed = as.Moves
		if as.Worn {
			// Never reset: a change means the arm was restored. The true
			// health is not passed on.
			m.Failures, m.Maintained = as.Upkeep.Failures, as.Upkeep.Restorations
		}
	}
	if cap(obs.Crews) < len(s.snap.Crews) {
		obs.Crews = make([]autopilot.Crew, len(s.snap.Crews))
	}
	obs.Crews = obs.Crews[:len(s.snap.Crews)]
	for i := range s.snap.Crews {
		cs, cr := &s.snap.Crews[i], &obs.Crews[i]
		cr.Line, cr.Size, cr.Busy = cs.Line, cs.Size, cs.Busy
		cr.Queue = cr.Queue[:0]
		s.queue = l.CrewQueue(i, s.queue[:0])
		for _, q := range s.queue {
			if q.Server < 0 {
				continue // a station's calendar maintenance: no one machine
			}
			cr.Queue = append(cr.Queue, autopilot.MachineRef{Line: q.Line, ID: l.Spec().Stations[q.Station].ID, Server: q.Server})
		}
	}
}

// stationState maps what server k of a station publishes to a state.
func stationState(ss *twin.StationState, k int) autopilot.State {
	v := &ss.Servers[k]
	waiting := k < len(ss.Upkeep) && ss.Upkeep[k].WaitingCrew
	switch v.Phase {
	case stations.Working:
		return autopilot.Working
	case stations.Loading, stations.Unloading:
		return autopilot.Handling
	case stations.Blocked:
		return autopilot.Blocked
	case stations.Down:
		if waiting {
			return autopilot.WaitingForCrew
		}
		return autopilot.Down
	case stations.Maintenance:
		if waiting {
			return autopilot.WaitingForCrew
		}
		return autopilot.Maintenance
	case stations.Held:
		return autopilot.Held
	case stations.Starved:
		if v.Held {
			return autopilot.Held
		}
		return autopilot.Starved
	}
	return autopilot.Unknown
}

// armState maps an arm's phase to a state.
func armState(as *twin.ArmState) autopilot.State {
	switch as.Phase {
	case robots.Moving:
		return autopilot.Working
	case robots.Down:
		if as.Upkeep.Maintaining {
			return autopilot.Maintenance
		}
		return autopilot.Down
	}
	return autopilot.Starved
}

// apply gives the line the commands of an applied action.
func (s *Sim) apply(a *autopilot.Action) {
	switch a.Kind {
	case autopilot.Maintain:
		s.counts.maintains++
	case autopilot.Dispatch:
		s.counts.dispatches++
	case autopilot.SetSpeed:
		s.counts.speeds++
	case autopilot.MoveBuffer:
		s.counts.bufs++
	}
	cmds, n := Commands(a)
	for _, c := range cmds[:n] {
		if err := s.l.Do(c); err != nil {
			s.refused++
			continue
		}
		s.cmds = append(s.cmds, len(s.l.Log())-1)
	}
}

// Commands returns the line commands that carry out action a, and how
// many of the two it uses (0 for an action with no command).
func Commands(a *autopilot.Action) (cmds [2]twin.Command, n int) {
	switch a.Kind {
	case autopilot.Maintain:
		cmds[0] = twin.Command{Kind: twin.MaintainStation, Line: a.Line, Target: a.Target, Server: a.Server}
	case autopilot.Dispatch:
		cmds[0] = twin.Command{Kind: twin.DispatchCrew, Line: a.Line, Target: a.Target, Server: a.Server}
	case autopilot.SetSpeed:
		cmds[0] = twin.Command{Kind: twin.SetSpeed, Line: a.Line, Target: a.Target, Speed: a.Speed}
	case autopilot.MoveBuffer:
		cmds[0] = twin.Command{Kind: twin.SetBuffer, Line: a.Line, Target: a.From, Capacity: stations.Capacity(a.FromCapacity)}
		cmds[1] = twin.Command{Kind: twin.SetBuffer, Line: a.Line, Target: a.Target, Capacity: stations.Capacity(a.ToCapacity)}
		return cmds, 2
	default:
		return cmds, 0
	}
	return cmds, 1
}

// Result returns what the pilot did after the warm-up (since the start
// without one).
func (s *Sim) Result() *twin.AutopilotResult {
	st, b := s.counts.stats, s.base.stats
	r := &twin.AutopilotResult{Policy: s.p.Policy().Name(),
		Epochs: int64(st.Epochs - b.Epochs), Decisions: int64(st.Actions - b.Actions), Applied: int64(st.Applied - b.Applied),
		Recommended: int64(st.Recommended - b.Recommended), Capped: int64(st.Capped - b.Capped), Held: int64(st.Held - b.Held),
		Invalid: int64(st.Invalid - b.Invalid), Errors: int64(st.Errors - b.Errors),
		Maintains: s.counts.maintains - s.base.maintains, Dispatches: s.counts.dispatches - s.base.dispatches,
		SpeedChanges: s.counts.speeds - s.base.speeds, BufferMoves: s.counts.bufs - s.base.bufs,
		Deviations: s.counts.deviations - s.base.deviations, Refused: s.refused}
	log := s.l.Log()
	for _, i := range s.cmds[s.baseCmd:] {
		if log[i].Err != "" {
			r.Refused++
		}
	}
	return r
}

// Control returns a twin.Options.Control that flies a pilot made by
// newPilot on each replication's line and adds what it did to the result.
func Control(newPilot func(autopilot.Evaluator) (*autopilot.Pilot, error)) func(*twin.Line) (func(*twin.Result), error) {
	return func(l *twin.Line) (func(*twin.Result), error) {
		s, err := Attach(l, newPilot)
		if err != nil {
			return nil, fmt.Errorf("autopilot: %w", err)
		}
		return func(r *twin.Result) { r.Autopilot = s.Result() }, nil
	}
}

// shiftLength is the shift the simulator forecasts for the policy
// forecast.
const shiftLength = 8 * sim.Hour

// shiftEnd returns the end of the 8-hour shift that t lies in.
func shiftEnd(t sim.Time) sim.Time { return (t/shiftLength + 1) * shiftLength }

// shiftForecaster forecasts the current shift's good output for the policy
// forecast, every hour, from forks of the line's state.
type shiftForecaster struct {
	eval  *Evaluator
	every sim.Time
	next  sim.Time
	// start is the shift the offsets are of; good0 the line's good output
	// at its start and adj what a statistics reset took away since.
	start     sim.Time
	good0     int64
	adj       int64
	have      bool
	last      autopilot.ShiftForecast
	lastValid bool
}

// reset keeps the good output so far in the shift across the line's
// statistics reset (called before it).
func (f *shiftForecaster) reset(l *twin.Line) {
	g, _ := l.Output()
	f.adj += g
}

// forecast returns the latest forecast of the shift now lies in, made anew
// when due; nil when none could be made.
func (f *shiftForecaster) forecast(l *twin.Line, now sim.Time) *autopilot.ShiftForecast {
	end := shiftEnd(now)
	start := end - shiftLength
	good, _ := l.Output()
	good += f.adj
	if !f.have || start != f.start {
		f.start, f.good0, f.have = start, good, true
	}
	if now >= f.next {
		f.next = now + f.every
		q, err := f.eval.Baseline(context.Background(), end)
		if err == nil {
			target := l.Spec().TargetPerHour
			if target <= 0 {
				target = l.Spec().IdealPerHour()
			}
			so := float64(good - f.good0)
			f.last = autopilot.ShiftForecast{At: now, End: end, Target: target * shiftLength.Hours(),
				P10: so + q[0], P50: so + q[1], P90: so + q[2]}
			f.lastValid = true
		}
	}
	if !f.lastValid || f.last.End != end {
		return nil
	}
	return &f.last
}

var _ twin.Controller = (*Sim)(nil)
