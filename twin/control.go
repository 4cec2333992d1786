package twin

import (
	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Controller is software that acts on a running line at times of its own
// choosing, through the line's commands (Do), as the plant's software acts
// on a real line: an autopilot. Its wake-ups are events on the line's
// engine, so a controlled run stays reproducible from its config and seed.
type Controller interface {
	// Wake is called at each time the controller asked for, between the
	// line's events; it returns the next time to be woken (after now), or
	// a negative time for never again.
	Wake(l *Line) sim.Time
}

// controlEvent wakes a Controller; it is its event Handler.
type controlEvent struct {
	l *Line
	c Controller
}

// Handle wakes the controller and schedules its next wake-up.
func (h *controlEvent) Handle(e *sim.Engine, _ int64) {
	next := h.c.Wake(h.l)
	if now := e.Now(); next >= 0 {
		e.Schedule(max(next-now, 0), h, 0)
	}
}

// Control wakes c at time at (now, if at is in the past) and then whenever
// it asks (see Controller). A line may have several controllers; those
// due at the same time wake in the order Control was called. A controller
// with a ResetStats method has it called at the start of the line's (at
// the end of the warm-up), before the line's statistics are reset.
// Control panics on a line whose copies run on their own engines (see
// LineOptions.CopyEngines).
func (l *Line) Control(c Controller, at sim.Time) {
	l.mustShareEngine("Control")
	l.ctrl = append(l.ctrl, c)
	l.engs[0].Schedule(max(at-l.Now(), 0), &controlEvent{l: l, c: c}, 0)
}

// mustShareEngine panics, naming the method, when the copies run on their
// own engines.
func (l *Line) mustShareEngine(method string) {
	if len(l.engs) > 1 {
		panic("twin: " + method + " needs the copies of the line on one engine; build the line without LineOptions.CopyEngines")
	}
}

// ConditionReading is one reading of a worn station's condition sensor as
// a plant's software receives it: taken at Taken, arriving at Arrives
// (after the sensors' latency), with the sensors' noise. Readings lost to
// dropout never appear.
type ConditionReading struct {
	// Line is the copy of the line, Station the station's flow index and
	// Server its server, all from 0. For a worn arm's reading, Arm is the
	// arm's index in the spec's arms (Station and Server 0); it is -1 for
	// a station's.
	Line, Station, Server int
	Arm                   int
	Taken, Arrives        sim.Time
	Value                 float64
}

// KeepConditions makes the line keep the condition readings of its worn
// stations until TakeConditions takes them. A controller that reads the
// condition sensors calls it once, before the line runs. It panics on a
// line whose copies run on their own engines, as Control does.
func (l *Line) KeepConditions() {
	l.mustShareEngine("KeepConditions")
	if l.cond == nil {
		l.cond = make([]ConditionReading, 0, 64)
	}
}

// TakeConditions appends to dst the kept readings that have arrived by
// now, in the order they were taken, forgets them and returns dst.
// Readings still in flight stay for a later call.
func (l *Line) TakeConditions(dst []ConditionReading) []ConditionReading {
	now, kept := l.Now(), l.cond[:0]
	for _, r := range l.cond {
		if r.Arrives <= now {
			dst = append(dst, r)
		} else {
			kept = append(kept, r)
		}
	}
	l.cond = kept
	return dst
}

// keepCondition records a reading for TakeConditions, when kept.
func (l *Line) keepCondition(st *stations.Station, k int, arrives sim.Time, value float64) {
	if l.cond == nil {
		return
	}
	l.cond = append(l.cond, ConditionReading{Line: st.Line(), Station: st.Index(), Server: k, Arm: -1,
		Taken: l.Now(), Arrives: arrives, Value: value})
}

// keepArmCondition records an arm's reading for TakeConditions, when kept.
func (l *Line) keepArmCondition(a *robots.Arm, arrives sim.Time, value float64) {
	if l.cond == nil {
		return
	}
	l.cond = append(l.cond, ConditionReading{Line: a.Line(), Arm: l.armIndex(a), Taken: l.Now(), Arrives: arrives, Value: value})
}

// armIndex returns the index of a in the spec's arms.
func (l *Line) armIndex(a *robots.Arm) int {
	for j := range l.spec.Arms {
		if &l.spec.Arms[j] == a.Spec() {
			return j
		}
	}
	return -1
}

// CrewJob is a job waiting in a crew's queue for a free member.
type CrewJob struct {
	// Line is the copy of the line, Station the station's flow index and
	// Server its server (-1: the whole station, for its calendar
	// maintenance), all from 0.
	Line, Station, Server int
	Kind                  stations.JobKind
}

// CrewQueue appends to dst the jobs waiting for a free member of crew i
// (as Snapshot.Crews numbers them), in the order the crew will serve them.
func (l *Line) CrewQueue(i int, dst []CrewJob) []CrewJob {
	c := l.crews[i]
	for q := range c.Queued() {
		line, st, k, kind := c.Waiting(q)
		dst = append(dst, CrewJob{Line: line, Station: st, Server: k, Kind: kind})
	}
	return dst
}
