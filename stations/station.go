package stations

import (
	"fmt"
	"math/rand/v2"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Event kinds a station schedules for itself; the server index is arg>>8.
const (
	evDone int64 = iota
	evFail
	evRepaired
	evLoaded
	evUnloaded
	evMaintStart
	evMaintEnd
	evEnter // conveyor: the pitch has passed
	evExit  // conveyor: the head unit reached the exit
	evBreak // command: break server k now
)

// destination says where a finished unit goes.
type destination uint8

const (
	toNext destination = iota
	toRework
	toScrap
	toShip
)

// server is one of a station's identical parallel machines.
type server struct {
	phase     Phase
	since     sim.Time // when phase began, or the last stats reset if later
	began     sim.Time // when phase began
	unit      UnitID   // -1 when empty
	remaining sim.Time // processing left on the current unit
	ttf       sim.Time // busy time left until the next failure (Forever: never)
	started   sim.Time // start of the current processing segment
	cycle     sim.Time // drawn processing time of the current unit
	ev        sim.EventID
	dest      destination
	paused    bool // processing suspended (failure, break or maintenance)
	reserved  bool // holds a reserved place downstream while its arm unloads
	broken    bool // broken by command: stays down until repaired by command
	repairEv  sim.EventID
}

// feeder is anything that can be blocked waiting for room in a station:
// another station's server, or the source.
type feeder interface {
	unblock(k int)
}

type waiter struct {
	f feeder
	k int
}

// Streams holds a station's random streams: one per purpose, so that, say,
// changing a defect rate leaves the cycle times unchanged.
type Streams struct {
	Cycle, Fail, Quality *rand.Rand
}

// Station is the running state of one station in one simulation.
type Station struct {
	spec  *Spec
	line  int
	index int
	eng   *sim.Engine
	rng   Streams
	units *Units
	obs   Observer
	// detail says obs wants PhaseChanged and Processed calls (see Selective).
	detail bool

	loader    Loader
	next      *Station // nil: the last station ships
	rework    *Station // target of rework, if any
	unlimited bool     // first station with unlimited raw material

	buf      ring[UnitID]
	rq       ring[UnitID] // rework queue: unbounded, served first
	waiters  ring[waiter]
	reserved int      // places promised to units an arm is bringing
	starved  int      // servers in phase Starved
	capacity Capacity // of the buffer; starts at the spec's, changed by command
	servers  []server
	inMaint  bool
	conv     *conveyor
	// held says the station starts no new unit (see Hold); speed is the
	// relative speed of the cycles it starts (see SetSpeed).
	held  bool
	speed float64

	stats Stats
	count int64 // units processed since the start, never reset
}

// Config wires a station into a line.
type Config struct {
	Spec    *Spec
	Line    int // copy of the line, from 0
	Index   int // position in flow order
	Engine  *sim.Engine
	Streams Streams
	Units   *Units
	Obs     Observer
	// Loader is the arm that loads and unloads the station, or nil.
	Loader Loader
}

// New returns a station in the Starved phase at the engine's current time.
// Link it with SetNext and SetRework, then call Start.
func New(c Config) *Station {
	st := &Station{
		spec: c.Spec, line: c.Line, index: c.Index, eng: c.Engine, rng: c.Streams,
		units: c.Units, obs: c.Obs, loader: c.Loader, detail: true, speed: 1,
	}
	if sel, ok := c.Obs.(Selective); ok {
		st.detail = sel.Detailed()
	}
	if c.Spec.Conveyor != nil {
		st.conv = &conveyor{}
		st.servers = make([]server, 1)
	} else {
		st.servers = make([]server, c.Spec.Servers)
	}
	st.capacity = c.Spec.Buffer
	now := c.Engine.Now()
	for k := range st.servers {
		s := &st.servers[k]
		s.unit, s.since, s.began, s.ttf = -1, now, now, sim.Forever
		if !c.Spec.MTBF.IsZero() {
			s.ttf = c.Spec.MTBF.Sample(st.rng.Fail)
		}
	}
	st.starved = len(st.servers)
	st.stats.reset(now, len(st.servers))
	return st
}

// SetNext links the station to the one after it; nil makes it the last.
func (st *Station) SetNext(n *Station) { st.next = n }

// SetRework links the station its inspection sends caught units back to.
func (st *Station) SetRework(r *Station) { st.rework = r }

// SetUnlimited makes the station draw fresh units from unlimited raw material.
func (st *Station) SetUnlimited() { st.unlimited = true }

// Spec returns the station's description.
func (st *Station) Spec() *Spec { return st.spec }

// ID returns the station's id.
func (st *Station) ID() string { return st.spec.ID }

// Line returns the copy of the line the station belongs to, from 0.
func (st *Station) Line() int { return st.line }

// Index returns the station's position in flow order.
func (st *Station) Index() int { return st.index }

// Start schedules the maintenance calendar and starts the servers.
func (st *Station) Start() {
	if m := st.spec.Maintenance; m.Every > 0 {
		first := m.Start
		if first == 0 {
			first = m.Every
		}
		st.eng.Schedule(first, st, evMaintStart)
	}
	st.kick()
}

// Handle runs the station's own events.
func (st *Station) Handle(e *sim.Engine, arg int64) {
	k := int(arg >> 8)
	switch arg & 0xff {
	case evDone:
		st.onDone(k)
	case evFail:
		st.onFail(k)
	case evRepaired:
		st.onRepaired(k)
	case evLoaded:
		st.begin(k)
	case evUnloaded:
		st.handOff(k)
	case evMaintStart:
		st.onMaintStart()
	case evMaintEnd:
		st.onMaintEnd()
	case evEnter:
		st.conv.entryPending = false
		st.tryEnter()
	case evExit:
		st.onExit()
	default:
		panic(fmt.Sprintf("stations: %s got unknown event %d", st.spec.ID, arg))
	}
}

func ev(kind int64, k int) int64 { return kind | int64(k)<<8 }

func (st *Station) setPhase(k int, p Phase) {
	s := &st.servers[k]
	if s.phase == p {
		return
	}
	now := st.eng.Now()
	st.stats.PhaseTime[s.phase] += now - s.since
	if s.phase == Starved {
		st.starved--
	}
	if p == Starved {
		st.starved++
	}
	s.phase, s.since, s.began = p, now, now
	if st.detail {
		st.obs.PhaseChanged(st, k, p)
	}
}

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
	st.obs.Entered(st, id)
	st.kick()
}

// putRework adds a unit to the rework queue.
func (st *Station) putRework(id UnitID) {
	st.rq.Push(id)
	st.obs.Entered(st, id)
	st.kick()
}

// kick lets every idle machine try to take a unit.
func (st *Station) kick() {
	if st.conv != nil {
		st.tryEnter()
		return
	}
	for k := range st.servers {
		if st.servers[k].phase == Starved && st.servers[k].unit < 0 {
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
		st.obs.Entered(st, id)
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
		st.setPhase(k, Starved)
		return false
	}
	id, ok := st.take()
	if !ok {
		st.setPhase(k, Starved)
		st.wake()
		return false
	}
	s.unit = id
	st.obs.Taken(st, id)
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
	if s.phase == Working {
		// The server goes straight from one unit to the next: the phase
		// stays, but the new unit's processing starts now (see ServerView.Done).
		s.began = st.eng.Now()
	}
	st.setPhase(k, Working)
	st.segment(k)
}

// segment runs server k until its unit is done or it fails, whichever comes first.
func (st *Station) segment(k int) {
	s := &st.servers[k]
	s.started = st.eng.Now()
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
	s.dest = st.finish(s.unit, s.cycle)
	st.deliver(k)
}

// finish applies defects and inspection to a processed unit and says where it goes.
func (st *Station) finish(id UnitID, cycle sim.Time) destination {
	u := st.units.Get(id)
	st.stats.Processed++
	st.stats.CycleTotal += cycle
	st.count++
	if st.detail {
		st.obs.Processed(st, id, cycle)
	}
	bad := false
	if r := st.spec.DefectRate; r > 0 && st.rng.Quality.Float64() < r {
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
		st.obs.Inspected(st, id, !caught)
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

func (st *Station) onFail(k int) {
	s := &st.servers[k]
	s.remaining -= s.ttf
	s.ttf = st.spec.MTBF.Sample(st.rng.Fail)
	s.ev = sim.EventID{}
	st.stats.Failures++
	s.paused = true
	st.setPhase(k, Down)
	s.repairEv = st.eng.Schedule(st.spec.MTTR.Sample(st.rng.Fail), st, ev(evRepaired, k))
}

func (st *Station) onRepaired(k int) {
	s := &st.servers[k]
	s.repairEv = sim.EventID{}
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
	st.inMaint = true
	for k := range st.servers {
		switch st.servers[k].phase {
		case Working:
			st.pause(k, Maintenance)
		case Starved:
			st.setPhase(k, Maintenance)
		}
	}
	st.eng.Schedule(m.Duration, st, evMaintEnd)
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
	s.paused = true
	st.setPhase(k, p)
}

func (st *Station) onMaintEnd() {
	st.inMaint = false
	for k := range st.servers {
		if st.servers[k].phase == Maintenance {
			st.resume(k)
		}
	}
}
