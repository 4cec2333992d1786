package stations

import "github.com/lightsout-sim/lightsout/twin/sim"

// How a unit goes through a station: taken from the rework queue, the
// buffer or raw material, loaded, processed, inspected, unloaded and handed
// on, or held by a blocked server until the next station has room.

// acceptsNow is how many units the station could take straight onto a
// machine right now, beyond its buffer.
func (st *Station) acceptsNow() int {
	if st.held {
		return 0
	}
	if st.conv != nil {
		if st.conv.canEnter(st) {
			return 1
		}
		return 0
	}
	return st.starved
}

// room reports whether one more unit can be sent to the station's buffer.
func (st *Station) room() bool {
	if st.capacity == Inf {
		return true
	}
	return st.buf.Len()+st.reserved < int(st.capacity)+st.acceptsNow()
}

// put adds a unit to the buffer and lets idle machines take it.
func (st *Station) put(id UnitID) {
	st.stats.bufferChange(st.eng.Now(), st.buf.Len())
	st.buf.Push(id)
	st.entered(id)
	st.kick()
}

// putRework adds a unit to the rework queue.
func (st *Station) putRework(id UnitID) {
	st.rq.Push(id)
	st.entered(id)
	st.kick()
}

// kick lets every idle machine try to take a unit.
func (st *Station) kick() {
	if st.conv != nil {
		st.tryEnter()
		return
	}
	if st.starved == 0 && !st.heldPhase {
		return // no server idle, and none would start
	}
	for k := range st.servers {
		if p := st.servers[k].phase; (p == Starved || p == Held) && st.servers[k].unit < 0 {
			if !st.tryStart(k) {
				return
			}
		}
	}
}

// take removes the next unit to work on: rework first, then the buffer,
// then fresh raw material for an unlimited first station.
func (st *Station) take() (UnitID, bool) {
	switch {
	case st.rq.Len() > 0:
		return st.rq.Pop(), true
	case st.buf.Len() > 0:
		st.stats.bufferChange(st.eng.Now(), st.buf.Len())
		return st.buf.Pop(), true
	case st.unlimited:
		id := st.units.New(st.eng.Now())
		st.obs.Created(id, st.units.Get(id))
		st.entered(id)
		return id, true
	}
	return -1, false
}

// wake unblocks waiting feeders while there is room.
func (st *Station) wake() {
	for st.waiters.Len() > 0 && st.room() {
		w := st.waiters.Pop()
		w.f.unblock(w.k)
	}
}

// tryStart gives free server k a unit and reports whether it got one.
func (st *Station) tryStart(k int) bool {
	s := &st.servers[k]
	if s.broken {
		st.setPhase(k, Down)
		return false
	}
	if st.inMaint {
		st.setPhase(k, Maintenance)
		return false
	}
	if st.held {
		st.setPhase(k, Held)
		return false
	}
	if st.asked > 0 && st.maintAsked(k) {
		return false
	}
	id, ok := st.take()
	if !ok {
		st.setPhase(k, Starved)
		st.wake()
		return false
	}
	s.unit = id
	st.taken(id)
	if st.loader != nil {
		st.setPhase(k, Loading)
		st.loader.Request(st.spec.Arm.Load, st, ev(evLoaded, k))
	} else {
		st.begin(k)
	}
	st.wake()
	return true
}

// begin starts processing the unit on server k.
func (st *Station) begin(k int) {
	s := &st.servers[k]
	s.cycle = st.scale(st.spec.Cycle.Sample(st.rng.Cycle))
	if st.wear != nil {
		if f := st.wear.slowFactor(st.ext[k].health); f != 1 {
			s.cycle = sim.Time(float64(s.cycle) * f)
		}
		st.wearBegin(k, s.cycle)
	}
	s.remaining = s.cycle
	if s.broken {
		s.paused = true
		st.setPhase(k, Down)
		return
	}
	if st.inMaint {
		s.paused = true
		st.setPhase(k, Maintenance)
		return
	}
	if st.asked > 0 && st.ext[k].maint == maintAsked {
		s.paused = true
		st.maintAsked(k)
		return
	}
	// The new unit's processing starts now (see ServerView.Done), also
	// when the server goes straight from one unit to the next and the
	// phase stays Working (setPhase sets it only on a change).
	s.began = st.eng.Now()
	st.setPhase(k, Working)
	st.segment(k)
}

// segment runs server k until its unit is done or it fails, whichever comes first.
func (st *Station) segment(k int) {
	s := &st.servers[k]
	s.started = st.eng.Now()
	if st.wear != nil {
		if w := st.ext[k].wttf; w < s.remaining && w <= s.ttf {
			s.ev = st.eng.Schedule(w, st, ev(evWearFail, k))
			return
		}
	}
	if s.ttf < s.remaining {
		s.ev = st.eng.Schedule(s.ttf, st, ev(evFail, k))
	} else {
		s.ev = st.eng.Schedule(s.remaining, st, ev(evDone, k))
	}
}

func (st *Station) onDone(k int) {
	s := &st.servers[k]
	if s.ttf != sim.Forever {
		s.ttf -= s.remaining
	}
	s.remaining = 0
	s.ev = sim.EventID{}
	rate := st.spec.DefectRate
	if st.wear != nil {
		st.wearDone(k)
		rate = st.defectRate(k)
	}
	s.dest = st.finish(s.unit, s.cycle, rate)
	st.deliver(k)
}

// finish applies defects and inspection to a processed unit and says where it goes.
func (st *Station) finish(id UnitID, cycle sim.Time, defectRate float64) destination {
	u := st.units.Get(id)
	st.stats.Processed++
	st.stats.CycleTotal += cycle
	st.count++
	if st.detail {
		st.obs.Processed(st, id, cycle)
	}
	bad := false
	if r := defectRate; r > 0 && st.rng.Quality.Float64() < r {
		u.Defective, u.Flawed = true, true
		st.stats.Defects++
		bad = true
	}
	dest := toNext
	if st.next == nil {
		dest = toShip
	}
	if in := st.spec.Inspect; in != nil {
		caught := u.Defective && st.rng.Quality.Float64() < in.Detect
		st.inspected(id, !caught)
		if caught {
			st.stats.Caught++
			bad = true
			if st.rework != nil && u.Reworks < in.MaxRework {
				u.Reworks++
				u.Defective, u.Flawed = false, true
				st.stats.Reworked++
				dest = toRework
			} else {
				st.stats.Scrapped++
				dest = toScrap
			}
		}
	}
	if bad {
		st.stats.Bad++
	}
	return dest
}

// target returns the station a destination leads to, or nil for a sink.
func (st *Station) target(d destination) *Station {
	switch d {
	case toNext:
		return st.next
	case toRework:
		return st.rework
	}
	return nil
}

// deliver sends server k's finished unit on, or blocks the server.
func (st *Station) deliver(k int) {
	s := &st.servers[k]
	if t := st.target(s.dest); t != nil && s.dest == toNext && !t.room() {
		st.setPhase(k, Blocked)
		t.waiters.Push(waiter{f: st, k: k})
		return
	}
	st.unblock(k)
}

// unblock moves server k's unit on now that its destination has room.
func (st *Station) unblock(k int) {
	s := &st.servers[k]
	if st.loader != nil {
		if s.dest == toNext {
			st.next.reserved++
			s.reserved = true
		}
		st.setPhase(k, Unloading)
		st.loader.Request(st.spec.Arm.Unload, st, ev(evUnloaded, k))
		return
	}
	st.handOff(k)
}

// handOff puts server k's unit where it goes and frees the server.
func (st *Station) handOff(k int) {
	s := &st.servers[k]
	id := s.unit
	s.unit = -1
	if s.reserved {
		st.next.reserved--
		s.reserved = false
	}
	st.stats.Out++
	switch s.dest {
	case toNext:
		st.next.put(id)
	case toRework:
		st.rework.putRework(id)
	case toShip:
		st.obs.Departed(st, id, st.units.Get(id), Shipped)
		st.units.Free(id)
	case toScrap:
		st.obs.Departed(st, id, st.units.Get(id), Scrapped)
		st.units.Free(id)
	}
	if st.conv != nil {
		st.conv.afterExit(st)
		return
	}
	st.tryStart(k)
}

// entered records that unit id entered the buffer (or the rework queue).
func (st *Station) entered(id UnitID) {
	st.lastIn = st.eng.Now()
	if st.detail {
		st.obs.Entered(st, id)
	}
}

// taken records that unit id left the buffer onto a server or a conveyor.
func (st *Station) taken(id UnitID) {
	st.lastOut = st.eng.Now()
	if st.detail {
		st.obs.Taken(st, id)
	}
}

// inspected records the outcome of unit id's inspection.
func (st *Station) inspected(id UnitID, pass bool) {
	st.lastCheck, st.lastPass = st.eng.Now(), pass
	if st.detail {
		st.obs.Inspected(st, id, pass)
	}
}

// LastIn returns when a unit last entered the station's buffer or rework
// queue, or -1 if none has.
func (st *Station) LastIn() sim.Time { return st.lastIn }

// LastOut returns when a unit last left the buffer for a server or the
// conveyor, or -1 if none has.
func (st *Station) LastOut() sim.Time { return st.lastOut }

// LastCheck returns when the station's inspection last judged a unit (-1
// if never) and whether the unit passed.
func (st *Station) LastCheck() (at sim.Time, pass bool) { return st.lastCheck, st.lastPass }
