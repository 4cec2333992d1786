package stations

import "github.com/lightsout-sim/lightsout/twin/sim"

// When a station's servers stop and start again: failures after a drawn
// busy time, repairs, and the planned maintenance calendar.

func (st *Station) onFail(k int) {
	s := &st.servers[k]
	done := s.ttf
	s.remaining -= done
	s.ttf = st.spec.MTBF.Sample(st.rng.Fail)
	s.ev = sim.EventID{}
	st.stats.Failures++
	s.paused = true
	if st.ext != nil {
		st.ext[k].failed++
		if st.wear != nil && st.ext[k].wttf != sim.Forever {
			st.ext[k].wttf -= done
		}
	}
	st.setPhase(k, Down)
	if st.crew != nil {
		st.needRepair(k, &st.spec.MTTR, st.rng.Fail)
		return
	}
	s.repairEv = st.eng.Schedule(st.spec.MTTR.Sample(st.rng.Fail), st, ev(evRepaired, k))
}

func (st *Station) onRepaired(k int) {
	s := &st.servers[k]
	s.repairEv = sim.EventID{}
	if st.ext != nil {
		st.repaired(k)
	}
	if s.broken {
		return // broken by command: only a command repairs it
	}
	st.resume(k)
}

// resume brings server k back from Down or Maintenance: it carries on with
// its paused unit, or looks for work.
func (st *Station) resume(k int) {
	s := &st.servers[k]
	switch {
	case s.broken:
		st.setPhase(k, Down)
	case st.inMaint:
		st.setPhase(k, Maintenance)
	case s.paused:
		s.paused = false
		st.setPhase(k, Working)
		st.segment(k)
	default:
		st.tryStart(k)
	}
}

func (st *Station) onMaintStart() {
	m := st.spec.Maintenance
	if st.inMaint {
		// The last window is not over (it waited for the crew): this one
		// is skipped.
		st.eng.Schedule(m.Every, st, evMaintStart)
		return
	}
	st.inMaint = true
	for k := range st.servers {
		switch st.servers[k].phase {
		case Working:
			st.pause(k, Maintenance)
		case Starved, Held:
			st.setPhase(k, Maintenance)
		}
	}
	if st.crew != nil {
		st.cal = crewJobState{waiting: true, member: -1}
		st.crew.request(job{st: st, k: -1, kind: JobCalendar})
	} else {
		st.eng.Schedule(m.Duration, st, evMaintEnd)
	}
	st.eng.Schedule(m.Every, st, evMaintStart)
}

// pause interrupts working server k, keeping the work left on its unit
// (and its busy time to failure), and puts it in phase p.
func (st *Station) pause(k int, p Phase) {
	s := &st.servers[k]
	st.eng.Cancel(s.ev)
	s.ev = sim.EventID{}
	done := st.eng.Now() - s.started
	s.remaining -= done
	if s.ttf != sim.Forever {
		s.ttf -= done
	}
	if st.wear != nil && st.ext[k].wttf != sim.Forever {
		st.ext[k].wttf -= done
	}
	s.paused = true
	st.setPhase(k, p)
}

func (st *Station) onMaintEnd() {
	st.inMaint = false
	st.stats.Maintenances++
	if st.ext != nil {
		if st.crew != nil && st.cal.member >= 0 {
			st.crew.release(st.cal.member)
		}
		st.cal = crewJobState{member: -1}
		for k := range st.ext {
			if st.wear != nil {
				st.restore(k, st.wear.Restore)
			}
		}
	}
	for k := range st.servers {
		if st.servers[k].phase == Maintenance && (st.ext == nil || st.ext[k].maint == maintNone) {
			st.resume(k)
		}
	}
}
