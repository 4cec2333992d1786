package stations

import "github.com/lightsout-sim/lightsout/twin/sim"

// conveyor is the state of a conveyor station (a reflow oven): units enter
// at least a pitch apart, ride for the dwell time, and leave in order. A unit
// that cannot leave waits at the exit and the ones behind it accumulate.
type conveyor struct {
	inside       ring[riding]
	entered      bool     // a unit has entered at least once
	lastEntry    sim.Time // when the last unit entered
	lastExit     sim.Time // exit time of the last unit in; exits keep order
	entryPending bool     // an evEnter is scheduled
}

type riding struct {
	id   UnitID
	exit sim.Time
}

func (c *conveyor) canEnter(st *Station) bool {
	if c.inside.Len() >= st.spec.Conveyor.Capacity {
		return false
	}
	return !c.entered || st.eng.Now() >= c.lastEntry+st.pitch()
}

// tryEnter lets the next unit onto the conveyor if there is space and the
// pitch has passed.
func (st *Station) tryEnter() {
	c := st.conv
	if st.held || c.inside.Len() >= st.spec.Conveyor.Capacity {
		return
	}
	now := st.eng.Now()
	if pitch := st.pitch(); c.entered && now < c.lastEntry+pitch {
		if !c.entryPending && (st.buf.Len() > 0 || st.rq.Len() > 0 || st.waiters.Len() > 0 || st.unlimited) {
			c.entryPending = true
			st.eng.ScheduleAt(c.lastEntry+pitch, st, evEnter)
		}
		return
	}
	id, ok := st.take()
	if !ok {
		st.wake()
		return
	}
	st.taken(id)
	exit := now.Add(st.scale(st.spec.Conveyor.Dwell.Sample(st.rng.Cycle)))
	if exit < c.lastExit {
		exit = c.lastExit
	}
	c.entered, c.lastEntry, c.lastExit = true, now, exit
	c.inside.Push(riding{id: id, exit: exit})
	if c.inside.Len() == 1 {
		st.eng.ScheduleAt(exit, st, evExit)
		st.setPhase(0, Working)
	}
	st.wake()
	st.tryEnter()
}

// onExit handles the head unit reaching the exit.
func (st *Station) onExit() {
	s := &st.servers[0]
	head := st.conv.inside.Front()
	s.unit = head.id
	s.dest = st.finish(head.id, st.scale(st.spec.Conveyor.Dwell.MeanTime()), st.spec.DefectRate)
	if t := st.target(s.dest); t != nil && s.dest == toNext && !t.room() {
		st.setPhase(0, Blocked)
		t.waiters.Push(waiter{f: st, k: 0})
		return
	}
	st.handOff(0)
}

// afterExit removes the head after it left and schedules the next one.
func (c *conveyor) afterExit(st *Station) {
	c.inside.Pop()
	if c.inside.Len() == 0 {
		st.setPhase(0, st.idlePhase())
	} else {
		st.setPhase(0, Working)
		at := c.inside.Front().exit
		if now := st.eng.Now(); at < now {
			at = now
		}
		st.eng.ScheduleAt(at, st, evExit)
	}
	st.tryEnter()
}
