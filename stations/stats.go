package stations

import "github.com/lightsout-sim/lightsout/twin/sim"

// Stats are a station's streaming statistics since the last reset (the end
// of the warm-up): counters and time-weighted phase totals. Their size does
// not depend on the length of the run.
type Stats struct {
	// Since is when the statistics were last reset.
	Since sim.Time
	// Servers is the number of servers whose time PhaseTime adds up.
	Servers int
	// PhaseTime is the time spent in each phase, summed over servers.
	PhaseTime [NumPhases]sim.Time
	// Processed counts units processed; Out counts units handed on
	// (downstream, to rework, to scrap or shipped).
	Processed, Out int64
	// Defects counts units that gained a defect here; Caught counts defective
	// units the inspection caught, of which Reworked went back for rework and
	// Scrapped were thrown away.
	Defects, Caught, Reworked, Scrapped int64
	// Bad counts units that left the station not good: they gained a defect
	// here or its inspection caught them (each unit once).
	Bad int64
	// Failures counts breakdowns (wear-outs and wear-caused failures
	// included); WearOuts counts the servers whose health was used up.
	Failures, WearOuts int64
	// Maintenances counts maintenance actions: calendar maintenance
	// windows (one per window) and on-demand maintenances of a server.
	Maintenances int64
	// CycleTotal is the sum of the cycle times of the units processed (the
	// cycle each was reported with to Observer.Processed): CycleTotal /
	// Processed is the mean cycle actually achieved.
	CycleTotal sim.Time
	// BufferArea is the time integral of the buffer length, in unit-seconds.
	BufferArea float64
	bufSince   sim.Time
}

func (s *Stats) reset(now sim.Time, servers int) {
	*s = Stats{Since: now, Servers: servers, bufSince: now}
}

// bufferChange accounts for the buffer having held n units until now.
// An empty buffer or no time passed adds exactly +0 to the (non-negative)
// area, so that case skips the floating-point maths.
func (s *Stats) bufferChange(now sim.Time, n int) {
	if n > 0 && now != s.bufSince {
		s.BufferArea += float64(n) * (now - s.bufSince).Seconds()
	}
	s.bufSince = now
}

// Add adds o's servers, phase times, counters, cycle total and buffer area
// to s, giving the statistics of several stations (the copies of one
// station on every line) taken together. Since is s's own.
func (s *Stats) Add(o *Stats) {
	s.Servers += o.Servers
	for p := range o.PhaseTime {
		s.PhaseTime[p] += o.PhaseTime[p]
	}
	s.Processed += o.Processed
	s.Out += o.Out
	s.Defects += o.Defects
	s.Caught += o.Caught
	s.Reworked += o.Reworked
	s.Scrapped += o.Scrapped
	s.Bad += o.Bad
	s.Failures += o.Failures
	s.WearOuts += o.WearOuts
	s.Maintenances += o.Maintenances
	s.CycleTotal += o.CycleTotal
	s.BufferArea += o.BufferArea
}

// Elapsed returns the time since the last reset, for one server.
func (s *Stats) Elapsed(now sim.Time) sim.Time { return now - s.Since }

// Fraction returns the share of server time spent in phase p up to the
// time the Stats were taken.
func (s *Stats) Fraction(p Phase) float64 {
	var total sim.Time
	for _, t := range s.PhaseTime {
		total += t
	}
	if total == 0 {
		return 0
	}
	return float64(s.PhaseTime[p]) / float64(total)
}

// ResetStats starts the statistics afresh at the current time (the end of
// the warm-up). The state of the station is untouched.
func (st *Station) ResetStats() {
	now := st.eng.Now()
	st.stats.reset(now, len(st.servers))
	for k := range st.servers {
		st.servers[k].since = now
	}
}

// Stats returns the statistics up to now.
func (st *Station) Stats() Stats {
	now := st.eng.Now()
	s := st.stats
	for k := range st.servers {
		s.PhaseTime[st.servers[k].phase] += now - st.servers[k].since
	}
	s.bufferChange(now, st.buf.Len())
	return s
}

// BufferLen returns the number of units in the buffer (rework queue included).
func (st *Station) BufferLen() int { return st.buf.Len() + st.rq.Len() }

// ReworkLen returns the number of units in the rework queue, which is
// unbounded and served first: the part of BufferLen not held to Capacity.
func (st *Station) ReworkLen() int { return st.rq.Len() }

// Phase returns the phase of server k.
func (st *Station) Phase(k int) Phase { return st.servers[k].phase }

// Servers returns the number of servers (1 for a conveyor).
func (st *Station) Servers() int { return len(st.servers) }

// Inside returns the number of units on a conveyor (0 for a machine).
func (st *Station) Inside() int {
	if st.conv == nil {
		return 0
	}
	return st.conv.inside.Len()
}

// Count returns the units processed since the start of the run (a
// part counter: warm-up resets leave it alone).
func (st *Station) Count() int64 { return st.count }

// ServerView is what can be seen of one server at a moment.
type ServerView struct {
	Phase  Phase
	Since  sim.Time // when the phase began
	Broken bool
	// Held says the station is held (see Station.Hold): the server starts
	// no new unit once it is done with the one it holds.
	Held bool
	// Unit says the server holds a unit; Defective, that it carries a defect.
	Unit, Defective bool
	// Progress is the share of the unit's processing done, 0 to 1.
	Progress float64
	// Done is the processing done on the unit at Since, when the phase
	// began: while Working the processing done now is Done + (now - Since);
	// in any other phase it stays Done. Zero with no unit, while Loading
	// and on a conveyor; the whole cycle once Unloading or Blocked.
	Done sim.Time
}

// Server returns what can be seen of server k now.
func (st *Station) Server(k int) ServerView {
	s := &st.servers[k]
	v := ServerView{Phase: s.phase, Since: s.began, Broken: s.broken, Held: st.held, Unit: s.unit >= 0}
	if s.unit >= 0 {
		v.Defective = st.units.Get(s.unit).Defective
		v.Done = st.Elapsed(k)
		if s.phase == Working && st.conv == nil {
			v.Done = max(v.Done-(st.eng.Now()-s.began), 0)
		}
	}
	if s.cycle > 0 && s.unit >= 0 {
		left := s.remaining
		if s.phase == Working {
			left -= st.eng.Now() - s.started
		}
		switch s.phase {
		case Loading:
			v.Progress = 0
		case Unloading, Blocked:
			v.Progress = 1
		default:
			v.Progress = 1 - float64(left)/float64(s.cycle)
		}
	}
	return v
}

// BufferUnit returns whether the i-th oldest unit in the buffer (rework
// queue first) is defective.
func (st *Station) BufferUnit(i int) (defective bool) {
	if i < st.rq.Len() {
		return st.units.Get(st.rq.At(i)).Defective
	}
	return st.units.Get(st.buf.At(i - st.rq.Len())).Defective
}

// Riding returns the i-th unit on a conveyor from the exit: the share of
// its ride done (1 when waiting at the exit) and whether it is defective.
func (st *Station) Riding(i int) (progress float64, defective bool) {
	r := st.conv.inside.At(i)
	dwell := st.scale(st.spec.Conveyor.Dwell.MeanTime())
	left := r.exit - st.eng.Now()
	progress = 1
	if left > 0 && dwell > 0 {
		progress = max(0, 1-float64(left)/float64(dwell))
	}
	return progress, st.units.Get(r.id).Defective
}
