package autopilot

import (
	"math"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// history is the latest readings of one sensor in time order, at most the
// window, kept at least the spacing apart, and the trend fitted to them.
type history struct {
	name  string
	at    []sim.Time
	v     []float64
	last  sim.Time // the latest reading taken or the restoration
	valid bool     // last is set
	fit   trend
	dirty bool // readings changed since fit
}

// add takes reading r unless it is not a finite number, not after the
// latest one taken, or within spacing of the latest one kept.
func (h *history) add(r Reading, window int, spacing sim.Time) {
	if math.IsNaN(r.Value) || math.IsInf(r.Value, 0) {
		return // a broken reading says nothing
	}
	if h.valid && r.At <= h.last {
		return
	}
	if n := len(h.at); n > 0 && r.At-h.at[n-1] < spacing {
		return
	}
	h.last, h.valid, h.dirty = r.At, true, true
	if len(h.at) == window {
		copy(h.at, h.at[1:])
		copy(h.v, h.v[1:])
		h.at, h.v = h.at[:window-1], h.v[:window-1]
	}
	h.at = append(h.at, r.At)
	h.v = append(h.v, r.Value)
}

// clear forgets the readings; readings up to after (the restoration) are
// not taken again.
func (h *history) clear(after sim.Time) {
	h.at, h.v = h.at[:0], h.v[:0]
	h.last, h.valid, h.dirty = after, true, false
	h.fit = trend{}
}

// track is what a policy remembers of one machine between epochs.
type track struct {
	ref                  MachineRef
	failures, maintained int64
	sensors              []history
	// ordered and dispatched are when the policy last asked to maintain
	// the machine, or to send the crew to it first (-1: never since it was
	// restored).
	ordered, dispatched sim.Time
	// life is this epoch's estimate (the shortest over the sensors) and
	// sensor the index of the sensor that gave it (-1: none could).
	life   Life
	sensor int
}

// tracker keeps the tracks of the machines a policy has seen, their sensor
// histories, and estimates their remaining lives.
type tracker struct {
	window, minReadings int
	spacing             sim.Time
	q                   float64
	fit                 fitter
	byRef               map[MachineRef]int
	tracks              []track
	// of[i] is the track of obs.Machines[i] in the latest observation.
	of []int
}

func newTracker(p PredictiveParams) tracker {
	return tracker{window: p.Window, minReadings: p.MinReadings, spacing: p.Spacing, q: p.SlopeQuantile,
		byRef: make(map[MachineRef]int)}
}

// observe takes in an observation: new readings into the histories, and
// a fresh start for machines restored (a failure or a maintenance counted)
// or stopped (down, in maintenance, waiting for the crew). It then
// estimates every machine's remaining life, refitting a sensor's trend
// only when it took a reading.
func (t *tracker) observe(obs *Observation) {
	t.of = t.of[:0]
	for i := range obs.Machines {
		m := &obs.Machines[i]
		k := t.find(i, m)
		t.of = append(t.of, k)
		tr := &t.tracks[k]
		restored := tr.failures != m.Failures || tr.maintained != m.Maintained
		tr.failures, tr.maintained = m.Failures, m.Maintained
		fresh := restored || m.State.Stopped()
		if restored {
			tr.ordered, tr.dispatched = -1, -1
		}
		if fresh {
			for j := range tr.sensors {
				tr.sensors[j].clear(obs.Now)
			}
		}
		tr.life, tr.sensor = Life{RUL: sim.Forever}, -1
		for j := range m.Sensors {
			s := &m.Sensors[j]
			h := tr.history(j, s.Name)
			if fresh {
				continue
			}
			for _, r := range s.Readings {
				h.add(r, t.window, t.spacing)
			}
			if h.dirty {
				q := t.q
				if !s.Rising {
					q = 1 - q
				}
				h.fit, h.dirty = t.fit.fit(h.at, h.v, q, t.minReadings), false
			}
			l := h.fit.life(obs.Now, s.Limit, s.Rising)
			if l.OK && (tr.sensor < 0 || l.RUL < tr.life.RUL) {
				tr.life, tr.sensor = l, j
			}
		}
	}
}

// find returns the index of m's track, making one the first time. The
// position in the previous observation is tried first, so the steady path
// does not hash.
func (t *tracker) find(i int, m *Machine) int {
	if i < len(t.tracks) {
		if r := &t.tracks[i].ref; r.Line == m.Line && r.Server == m.Server && r.ID == m.ID {
			return i
		}
	}
	ref := m.Ref()
	if k, ok := t.byRef[ref]; ok {
		return k
	}
	t.tracks = append(t.tracks, track{ref: ref, failures: m.Failures, maintained: m.Maintained, ordered: -1, dispatched: -1})
	t.byRef[ref] = len(t.tracks) - 1
	return len(t.tracks) - 1
}

// history returns the history of sensor j named name of the track.
func (tr *track) history(j int, name string) *history {
	if j < len(tr.sensors) && tr.sensors[j].name == name {
		return &tr.sensors[j]
	}
	for k := range tr.sensors {
		if tr.sensors[k].name == name {
			return &tr.sensors[k]
		}
	}
	tr.sensors = append(tr.sensors, history{name: name})
	return &tr.sensors[len(tr.sensors)-1]
}
