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
	evEnter           // conveyor: the pitch has passed
	evExit            // conveyor: the head unit reached the exit
	evBreak           // command: break server k now
	evWearFail        // server k's wear failure (wear-out or hazard)
	evServerMaintDone // server k's on-demand maintenance ends
	evSample          // the condition sensors read every server
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
	// Wear drives the wear of a station with wear (its degradation,
	// hazard failures, replacement and maintenance times) and Condition
	// its condition sensors; both may be nil for a station without wear.
	Wear, Condition *rand.Rand
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
	// detail says obs wants the calls Selective lets it turn down.
	detail bool
	// lastIn, lastOut and lastCheck are when a unit last entered the
	// buffer, left it and was inspected (-1: never), lastPass whether that
	// inspection passed: what a view of the line shows, kept here so that
	// no observer call is needed for them.
	lastIn, lastOut, lastCheck sim.Time
	lastPass                   bool

	loader    Loader
	next      *Station // nil: the last station ships
	rework    *Station // target of rework, if any
	unlimited bool     // first station with unlimited raw material

	buf      ring[UnitID]
	rq       ring[UnitID] // rework queue: unbounded, served first
	waiters  ring[waiter]
	reserved int // places promised to units an arm is bringing
	starved  int // servers in phase Starved
	waiting  int // servers in a phase that is not Active
	act      ActivityObserver
	capacity Capacity // of the buffer; starts at the spec's, changed by command
	servers  []server
	inMaint  bool
	conv     *conveyor
	// held says the station starts no new unit (see Hold); speed is the
	// relative speed of the cycles it starts (see SetSpeed). heldPhase
	// says servers may be in phase Held: set when one enters it, cleared
	// when release puts them all back in Starved (see kick).
	held, heldPhase bool
	speed           float64

	// wear is the spec's wear (nil: none), crew the crew that repairs and
	// maintains the servers (nil: they need nobody); ext holds the
	// servers' wear and crew state when either is set (else nil), cal the
	// crew job of the calendar maintenance, sense the sensor model of the
	// condition readings.
	wear  *Wear
	crew  *Crew
	ext   []serverExt
	cal   crewJobState
	sense Sensing
	// asked counts the servers whose on-demand maintenance waits for them
	// to stop (maint == maintAsked), so that the others skip the check.
	asked int

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
	// Crew, when not nil, repairs and maintains the station's servers:
	// each repair and maintenance waits for one of its members.
	Crew *Crew
	// Sensing is the line's sensor model, for the condition sensors.
	Sensing Sensing
	// Activity, when not nil, is told when the station turns active or
	// inactive.
	Activity ActivityObserver
}

// New returns a station in the Starved phase at the engine's current time.
// Link it with SetNext and SetRework, then call Start.
func New(c Config) *Station {
	st := &Station{
		spec: c.Spec, line: c.Line, index: c.Index, eng: c.Engine, rng: c.Streams,
		units: c.Units, obs: c.Obs, loader: c.Loader, detail: true, speed: 1,
		lastIn: -1, lastOut: -1, lastCheck: -1,
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
	st.starved, st.waiting, st.act = len(st.servers), len(st.servers), c.Activity
	st.stats.reset(now, len(st.servers))
	if c.Spec.Conveyor == nil && (c.Spec.Wear != nil || c.Crew != nil) {
		st.wear, st.crew, st.sense = c.Spec.Wear, c.Crew, c.Sensing
		st.cal.member = -1
		st.ext = make([]serverExt, len(st.servers))
		for k := range st.ext {
			x := &st.ext[k]
			x.health, x.wttf, x.readingAt, x.nextAt, x.job.member = 1, sim.Forever, -1, -1, -1
			if st.wear != nil {
				x.budget = st.rng.Wear.ExpFloat64()
				if a := st.wear.Age; a > 0 {
					x.health = 1 - a*st.rng.Wear.Float64()
				}
			}
		}
	}
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
	st.startSensors()
	st.kick()
}

// startSensors schedules the first condition reading of a worn station
// with a sensor.
func (st *Station) startSensors() {
	if st.wear != nil && st.wear.Sensor != nil {
		st.eng.Schedule(st.wear.Sensor.Every, st, evSample)
	}
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
	case evWearFail:
		st.onWearFail(k)
	case evServerMaintDone:
		st.onServerMaintDone(k)
	case evSample:
		st.onSample()
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
	} else if p == Held {
		st.heldPhase = true
	}
	if was, is := s.phase.Active(), p.Active(); was != is {
		if is {
			st.waiting--
		} else {
			st.waiting++
		}
		if st.act != nil && (st.waiting == 0 || st.waiting == 1 && !is) {
			st.act.ActivityChanged(st, st.waiting == 0)
		}
	}
	s.phase, s.since, s.began = p, now, now
	if st.detail {
		st.obs.PhaseChanged(st, k, p)
	}
}
