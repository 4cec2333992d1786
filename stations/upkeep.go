package stations

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Upkeep: repairs and maintenance that need a crew member, on-demand
// maintenance of one server, and the condition sensors of worn machines.
// Stations with neither wear nor a crew never come here.

// Sensing is how a line's sensors differ from the truth (latency, relative
// noise of analogue readings, dropout), for the condition sensors of worn
// stations.
type Sensing struct {
	Latency sim.Dist
	Noise   float64
	Dropout float64
}

// ConditionObserver is an optional interface of an Observer: it is told of
// every condition reading of a worn station's sensor that is not lost, with
// the time it was taken (now) and the time it arrives.
type ConditionObserver interface {
	Condition(st *Station, k int, arrives sim.Time, value float64)
}

// ErrNoMaintenance is returned by Maintain for a station whose machines
// cannot be maintained on demand (see Spec.CanMaintain).
var ErrNoMaintenance = errors.New("cannot be maintained on demand (it needs wear with a maintain time or a maintenance duration)")

// needRepair gets failed server k repaired in a draw of d from rng: now,
// or when a crew member arrives.
func (st *Station) needRepair(k int, d *sim.Dist, rng *rand.Rand) {
	if st.crew == nil {
		st.servers[k].repairEv = st.eng.Schedule(d.Sample(rng), st, ev(evRepaired, k))
		return
	}
	x := &st.ext[k]
	x.job = crewJobState{waiting: true, member: -1}
	st.crew.request(job{st: st, k: k, kind: JobRepair})
}

// crewJobState is a server's (or a station's calendar) crew job.
type crewJobState struct {
	// waiting says a job is queued or its member is on the way; member
	// is the member on it (-1: none yet).
	waiting bool
	member  int
}

// crewArrived runs when crew member m arrives for the job of server k (-1:
// the calendar maintenance).
func (st *Station) crewArrived(k, m int) {
	if k < 0 {
		st.cal = crewJobState{member: m}
		st.eng.Schedule(st.spec.Maintenance.Duration, st, evMaintEnd)
		return
	}
	s, x := &st.servers[k], &st.ext[k]
	x.job = crewJobState{member: m}
	if x.maint == maintWaiting {
		x.maint = maintRunning
		st.eng.Schedule(st.wear.Maintain.Sample(st.rng.Wear), st, ev(evServerMaintDone, k))
		return
	}
	d, rng := &st.spec.MTTR, st.rng.Fail
	if x.replacing || d.IsZero() {
		d, rng = &st.wear.Replace, st.rng.Wear
	}
	s.repairEv = st.eng.Schedule(d.Sample(rng), st, ev(evRepaired, k))
}

// releaseCrew frees the member on server k's job, or withdraws the job.
func (st *Station) releaseCrew(k int) {
	if st.crew == nil {
		return
	}
	x := &st.ext[k]
	switch {
	case x.job.member >= 0:
		st.crew.release(x.job.member)
	case x.job.waiting:
		st.crew.cancel(st, k)
	}
	x.job = crewJobState{member: -1}
}

// repaired runs when server k's repair ends, before it resumes.
func (st *Station) repaired(k int) {
	st.releaseCrew(k)
	if x := &st.ext[k]; x.replacing {
		x.replacing = false
		st.restore(k, 1)
	}
}

// Maintain asks for an on-demand maintenance of server k: a working server
// stops at once (its unit paused), an idle one at once, one loading,
// unloading or blocked as soon as that step ends. The server is in phase
// Maintenance for a wear.maintain draw (after a crew member arrives, with
// a crew), then has health wear.restore and carries on. A server down, in
// the calendar maintenance or already being maintained is an error.
func (st *Station) Maintain(k int) error {
	if err := st.checkServer(k); err != nil {
		return err
	}
	if !st.spec.CanMaintain() {
		return fmt.Errorf("%s: %w", st.spec.ID, ErrNoMaintenance)
	}
	s, x := &st.servers[k], &st.ext[k]
	switch {
	case x.maint != maintNone:
		return fmt.Errorf("%s server %d is already being maintained", st.spec.ID, k+1)
	case s.broken || s.phase == Down:
		return fmt.Errorf("%s server %d is down: repair it first", st.spec.ID, k+1)
	case st.inMaint:
		return fmt.Errorf("%s is in its calendar maintenance", st.spec.ID)
	}
	x.maint = maintAsked
	st.asked++
	switch s.phase {
	case Working:
		st.pause(k, Maintenance)
		st.startMaint(k)
	case Starved, Held:
		st.setPhase(k, Maintenance)
		st.startMaint(k)
	}
	return nil
}

// startMaint starts server k's on-demand maintenance, now in phase
// Maintenance: at once, or when a crew member arrives.
func (st *Station) startMaint(k int) {
	x := &st.ext[k]
	st.asked-- // x.maint leaves maintAsked
	if st.crew == nil {
		x.maint = maintRunning
		st.eng.Schedule(st.wear.Maintain.Sample(st.rng.Wear), st, ev(evServerMaintDone, k))
		return
	}
	x.maint = maintWaiting
	x.job = crewJobState{waiting: true, member: -1}
	st.crew.request(job{st: st, k: k, kind: JobMaintain})
}

// onServerMaintDone ends server k's on-demand maintenance.
func (st *Station) onServerMaintDone(k int) {
	x := &st.ext[k]
	x.maint = maintNone
	st.releaseCrew(k)
	st.restore(k, st.wear.Restore)
	st.stats.Maintenances++
	st.resume(k)
}

// maintAsked reports whether server k must stop for an on-demand
// maintenance as soon as it can; if so it enters phase Maintenance and the
// maintenance starts.
func (st *Station) maintAsked(k int) bool {
	if st.asked == 0 || st.ext[k].maint != maintAsked {
		return false
	}
	st.setPhase(k, Maintenance)
	st.startMaint(k)
	return true
}

// Dispatch puts the crew job of server k (or, if it has none, the
// station's calendar maintenance) first in the crew's queue.
func (st *Station) Dispatch(k int) error {
	if err := st.checkServer(k); err != nil {
		return err
	}
	if st.crew == nil {
		return fmt.Errorf("%s: no crew serves it", st.spec.ID)
	}
	if err := st.crew.dispatch(st, k); err != nil {
		return fmt.Errorf("%s server %d: %w", st.spec.ID, k+1, err)
	}
	return nil
}

// Crew returns the crew that serves the station, or nil.
func (st *Station) Crew() *Crew { return st.crew }

// onSample takes a condition reading of every server and schedules the next.
func (st *Station) onSample() {
	c := st.wear.Sensor
	now := st.eng.Now()
	r := st.rng.Condition
	for k := range st.ext {
		x := &st.ext[k]
		if x.nextAt >= 0 && x.nextAt <= now {
			x.reading, x.readingAt, x.nextAt = x.next, x.nextTaken, -1
		}
		v := c.Reading(x.health)
		if st.sense.Noise > 0 {
			v *= 1 + st.sense.Noise*r.NormFloat64()
		}
		if c.Noise > 0 {
			v += c.Noise * r.NormFloat64()
		}
		if st.sense.Dropout > 0 && r.Float64() < st.sense.Dropout {
			continue
		}
		at := now.Add(st.sense.Latency.Sample(r))
		x.next, x.nextAt, x.nextTaken = v, at, now
		if co, ok := st.obs.(ConditionObserver); ok {
			co.Condition(st, k, at, v)
		}
	}
	st.eng.Schedule(c.Every, st, evSample)
}

// UpkeepView is what can be seen of the wear and upkeep of one server of a
// station with wear or a crew.
type UpkeepView struct {
	// Health is the true health, 1 new and 0 worn out (1 without wear).
	Health float64
	// Reading is the last condition reading to arrive, taken at ReadingAt
	// (-1: none yet, or no sensor).
	Reading   float64
	ReadingAt sim.Time
	// WaitingCrew says the server waits for a crew member (queued or on
	// the way) to repair or maintain it.
	WaitingCrew bool
	// Maintaining says an on-demand maintenance is asked for or under way;
	// Replacing that a worn-out server is down being replaced.
	Maintaining, Replacing bool
	// Failures counts the server's failures and Restorations the times its
	// health was restored (maintenances, replacements), since the start:
	// never reset with the statistics.
	Failures, Restorations int64
}

// Upkeep returns what can be seen of server k's wear and upkeep now; ok is
// false for a station with neither wear nor a crew.
func (st *Station) Upkeep(k int) (v UpkeepView, ok bool) {
	if st.ext == nil {
		return UpkeepView{}, false
	}
	x := &st.ext[k]
	v = UpkeepView{Health: x.health, Reading: x.reading, ReadingAt: x.readingAt,
		WaitingCrew: x.job.waiting || st.cal.waiting && st.servers[k].phase == Maintenance,
		Maintaining: x.maint != maintNone, Replacing: x.replacing, Failures: x.failed, Restorations: x.restored}
	if x.nextAt >= 0 && x.nextAt <= st.eng.Now() {
		v.Reading, v.ReadingAt = x.next, x.nextTaken
	}
	return v, true
}
