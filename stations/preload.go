package stations

import (
	"fmt"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// MinRemaining is the least processing time a preloaded server has left on
// its unit: a unit whose recorded elapsed time reaches or passes its freshly
// drawn cycle time finishes this long after the start.
const MinRemaining = sim.Millisecond

// ServerPreload is what one server holds and does when a station is built
// from a recorded state (see PreloadServer).
type ServerPreload struct {
	// Phase is the server's phase. Working, Loading, Unloading and Blocked
	// need a unit; Starved needs none; Down and Maintenance take either.
	Phase Phase
	// Broken says the server was broken by command: it stays down until
	// repaired by command.
	Broken bool
	// Unit says the server holds a unit; Defective, that it carries a defect.
	Unit, Defective bool
	// Elapsed is the processing already done on the unit (Working, Down,
	// Maintenance).
	Elapsed sim.Time
}

// checkPreload panics unless the station's engine has not run an event yet:
// the Preload methods build a station's starting state and must come after
// New and before StartPreloaded.
func (st *Station) checkPreload(what string) {
	if st.eng.Events() > 0 {
		panic(fmt.Sprintf("stations: %s.%s after the line started", st.spec.ID, what))
	}
}

// newUnit creates a unit born now, counted by the observer.
func (st *Station) newUnit(defective bool) UnitID {
	id := st.units.New(st.eng.Now())
	u := st.units.Get(id)
	u.Defective, u.Flawed = defective, defective
	st.obs.Created(id, u)
	return id
}

// PreloadBuffer puts n fresh units in the buffer, the first defective of
// them defective. It panics after the line started.
func (st *Station) PreloadBuffer(n, defective int) {
	st.checkPreload("PreloadBuffer")
	for i := range n {
		st.stats.bufferChange(st.eng.Now(), st.buf.Len())
		st.buf.Push(st.newUnit(i < defective))
	}
}

// PreloadServer sets server k's phase, break and unit. A unit mid-cycle
// gets a freshly drawn cycle time minus p.Elapsed (at least MinRemaining)
// left to do: the recorded state does not say which cycle time was drawn.
// The draw is at the station's speed: call SetSpeed first to preload a
// station running at another speed (and Hold to preload a held one). It
// panics after the line started, on a conveyor, or for a bad k.
func (st *Station) PreloadServer(k int, p ServerPreload) {
	st.checkPreload("PreloadServer")
	if st.conv != nil {
		panic(fmt.Sprintf("stations: %s.PreloadServer on a conveyor", st.spec.ID))
	}
	s := &st.servers[k]
	s.broken = p.Broken
	if p.Unit {
		s.unit = st.newUnit(p.Defective)
		switch p.Phase {
		case Working, Down, Maintenance:
			s.cycle = st.scale(st.spec.Cycle.Sample(st.rng.Cycle))
			s.remaining = max(s.cycle-p.Elapsed, MinRemaining)
			s.paused = true
		}
	}
	st.setPhase(k, p.Phase)
}

// PreloadRiding puts a fresh unit on a conveyor, behind those already on
// it, with remaining ride left (exits keep their order). It panics after
// the line started or on a machine.
func (st *Station) PreloadRiding(remaining sim.Time, defective bool) {
	st.checkPreload("PreloadRiding")
	c := st.conv
	if c == nil {
		panic(fmt.Sprintf("stations: %s.PreloadRiding on a machine", st.spec.ID))
	}
	now := st.eng.Now()
	exit := max(now.Add(max(remaining, 0)), c.lastExit)
	// The entry time is not recorded: take the one a mean ride implies.
	entry := min(exit-st.spec.Conveyor.Dwell.MeanTime(), now)
	c.entered, c.lastEntry, c.lastExit = true, entry, exit
	c.inside.Push(riding{id: st.newUnit(defective), exit: exit})
}

// StartPreloaded starts a preloaded station in place of Start: it joins the
// maintenance calendar where it stands now (in a window, if now falls in
// one), draws a repair time for servers down by random failure, resumes
// paused units, asks the arm for pending loads and unloads, and sends
// finished units on (blocking when there is no room). Start the stations
// downstream first, so that they take what arrives as they would running.
func (st *Station) StartPreloaded() {
	st.joinCalendar()
	st.startSensors()
	if st.conv != nil {
		if st.conv.inside.Len() > 0 {
			st.setPhase(0, Working)
			st.eng.ScheduleAt(st.conv.inside.Front().exit, st, evExit)
		}
		st.tryEnter()
		return
	}
	for k := range st.servers {
		s := &st.servers[k]
		switch {
		case s.phase == Down && s.broken:
		case s.phase == Down && st.ext != nil:
			if st.spec.MTTR.IsZero() && st.wear != nil {
				st.needRepair(k, &st.wear.Replace, st.rng.Wear)
			} else {
				st.needRepair(k, &st.spec.MTTR, st.rng.Fail)
			}
		case s.phase == Down:
			s.repairEv = st.eng.Schedule(st.spec.MTTR.Sample(st.rng.Fail), st, ev(evRepaired, k))
		case s.phase == Loading && st.loader != nil:
			st.loader.Request(st.spec.Arm.Load, st, ev(evLoaded, k))
		case s.phase == Loading:
			st.begin(k)
		case s.phase == Unloading || s.phase == Blocked:
			s.dest = toNext
			if st.next == nil {
				s.dest = toShip
			}
			st.deliver(k)
		case s.phase == Maintenance || s.unit >= 0:
			st.resume(k)
		}
	}
	st.kick()
}

// joinCalendar schedules the maintenance calendar from now on, entering a
// window that is under way.
func (st *Station) joinCalendar() {
	m := st.spec.Maintenance
	if m.Every <= 0 {
		return
	}
	first := m.Start
	if first == 0 {
		first = m.Every
	}
	now := st.eng.Now()
	if now < first {
		st.eng.ScheduleAt(first, st, evMaintStart)
		return
	}
	last := first + (now-first)/m.Every*m.Every
	if now < last+m.Duration {
		st.inMaint = true
		st.eng.ScheduleAt(last+m.Duration, st, evMaintEnd)
	}
	st.eng.ScheduleAt(last+m.Every, st, evMaintStart)
}

// Elapsed returns the processing done on server k's unit: zero when it
// holds none or waits to be loaded, the whole cycle when it is finished
// (unloading or blocked).
func (st *Station) Elapsed(k int) sim.Time {
	s := &st.servers[k]
	if s.unit < 0 || s.phase == Loading || st.conv != nil {
		return 0
	}
	if s.phase == Unloading || s.phase == Blocked {
		return s.cycle
	}
	left := s.remaining
	if s.phase == Working {
		left -= st.eng.Now() - s.started
	}
	return max(s.cycle-left, 0)
}

// RideLeft returns the ride left to the i-th unit on a conveyor from the
// exit (0 when it waits at the exit).
func (st *Station) RideLeft(i int) sim.Time {
	return max(st.conv.inside.At(i).exit-st.eng.Now(), 0)
}
