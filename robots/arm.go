package robots

import (
	"fmt"
	"math/rand/v2"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

const (
	evDone int64 = iota
	evFail
	evRepaired
	evWearFail
	evMaintEnd
	evSample
)

type request struct {
	distance float64
	h        sim.Handler
	arg      int64
}

// moveCache remembers the move times of the few distances an arm is asked
// to move (a load and an unload per station it serves), so that the
// trapezoid maths runs once per distance, not once per move.
type moveCache struct {
	n    int
	dist [4]float64
	time [4]sim.Time
}

// moveTime returns s.MoveTime(distance), from the cache when it can.
func (c *moveCache) moveTime(s *Spec, distance float64) sim.Time {
	for i := 0; i < c.n; i++ {
		if c.dist[i] == distance {
			return c.time[i]
		}
	}
	t := s.MoveTime(distance)
	if c.n < len(c.dist) {
		c.dist[c.n], c.time[c.n] = distance, t
		c.n++
	}
	return t
}

// Stats are an arm's streaming statistics since the last reset.
type Stats struct {
	Since     sim.Time
	PhaseTime [NumPhases]sim.Time
	Moves     int64
	Failures  int64
	// QueueArea is the time integral of waiting requests, in request-seconds.
	QueueArea float64
	qSince    sim.Time
}

// Add adds o's phase times, moves, failures and queue area to s, giving
// the statistics of several arms (the copies of one arm on every line)
// taken together. Since is s's own.
func (s *Stats) Add(o *Stats) {
	for p := range o.PhaseTime {
		s.PhaseTime[p] += o.PhaseTime[p]
	}
	s.Moves += o.Moves
	s.Failures += o.Failures
	s.QueueArea += o.QueueArea
}

// Arm is the running state of one robot arm. Stations ask it for moves
// with Request; it serves them one at a time in the order asked.
type Arm struct {
	spec *Spec
	line int
	eng  *sim.Engine
	rng  *rand.Rand

	queue     []request // waiting requests; queue[head:] are live
	head      int
	cur       request
	phase     Phase
	since     sim.Time
	remaining sim.Time
	ttf       sim.Time
	started   sim.Time
	ev        sim.EventID // the current move's end or failure
	repairEv  sim.EventID
	broken    bool // broken by command: stays down until repaired by command
	stats     Stats
	moves     moveCache
	wear      *wearState // nil: the arm does not wear
}

// New returns an idle arm; rng drives its failures.
func New(spec *Spec, line int, eng *sim.Engine, rng *rand.Rand) *Arm {
	a := &Arm{spec: spec, line: line, eng: eng, rng: rng, since: eng.Now(), ttf: sim.Forever}
	if !spec.MTBF.IsZero() {
		a.ttf = spec.MTBF.Sample(rng)
	}
	a.stats = Stats{Since: eng.Now(), qSince: eng.Now()}
	return a
}

// Spec returns the arm's description.
func (a *Arm) Spec() *Spec { return a.spec }

// ID returns the arm's id.
func (a *Arm) ID() string { return a.spec.ID }

// Line returns the copy of the line the arm belongs to.
func (a *Arm) Line() int { return a.line }

// Phase returns what the arm is doing.
func (a *Arm) Phase() Phase { return a.phase }

// Waiting returns the number of requests queued behind the current one.
func (a *Arm) Waiting() int { return len(a.queue) - a.head }

// Request queues a pick-move-place over distance metres; when it is done the
// arm calls h.Handle(e, arg).
func (a *Arm) Request(distance float64, h sim.Handler, arg int64) {
	if a.phase == Idle && a.Waiting() == 0 {
		// Straight to the move, without going through the queue: what
		// queueing it and taking it out again would do.
		a.stats.qSince = a.eng.Now()
		a.cur = request{distance, h, arg}
		a.start()
		return
	}
	a.queueChange()
	if a.head > 0 && len(a.queue) == cap(a.queue) { // compact instead of growing
		n := copy(a.queue, a.queue[a.head:])
		clear(a.queue[n:])
		a.queue, a.head = a.queue[:n], 0
	}
	a.queue = append(a.queue, request{distance, h, arg})
	if a.phase == Idle {
		a.next()
	}
}

// queueChange accounts for the queue's length until now. An empty queue or
// no time passed adds exactly +0 to the (non-negative) area, so that case
// skips the floating-point maths.
func (a *Arm) queueChange() {
	now := a.eng.Now()
	if w := a.Waiting(); w > 0 && now != a.stats.qSince {
		a.stats.QueueArea += float64(w) * (now - a.stats.qSince).Seconds()
	}
	a.stats.qSince = now
}

func (a *Arm) setPhase(p Phase) {
	if a.phase == p {
		return
	}
	now := a.eng.Now()
	a.stats.PhaseTime[a.phase] += now - a.since
	a.phase, a.since = p, now
}

// next starts the oldest waiting request, or idles.
func (a *Arm) next() {
	if a.Waiting() == 0 {
		a.setPhase(Idle)
		return
	}
	a.queueChange()
	a.cur = a.queue[a.head]
	a.queue[a.head] = request{}
	a.head++
	if a.head == len(a.queue) {
		a.queue, a.head = a.queue[:0], 0
	}
	a.start()
}

// start starts the move a.cur.
func (a *Arm) start() {
	a.remaining = a.moves.moveTime(a.spec, a.cur.distance)
	if a.wear != nil {
		a.remaining = a.slow(a.remaining)
		a.wearBegin(a.remaining)
	}
	a.setPhase(Moving)
	a.segment()
}

func (a *Arm) segment() {
	a.started = a.eng.Now()
	switch wl := a.wearLeft(); {
	case wl < a.remaining && wl <= a.ttf:
		a.ev = a.eng.Schedule(wl, a, evWearFail)
	case a.ttf < a.remaining:
		a.ev = a.eng.Schedule(a.ttf, a, evFail)
	default:
		a.ev = a.eng.Schedule(a.remaining, a, evDone)
	}
}

// Handle runs the arm's own events.
func (a *Arm) Handle(e *sim.Engine, arg int64) {
	switch arg {
	case evDone:
		if a.ttf != sim.Forever {
			a.ttf -= a.remaining
		}
		a.remaining = 0
		a.stats.Moves++
		a.wearDone()
		r := a.cur
		a.cur = request{}
		// Still Moving during the callback, so a request it makes queues
		// behind the ones already waiting.
		r.h.Handle(e, r.arg)
		if a.wear != nil && a.wear.maint == maintAsked {
			a.startMaint()
			return
		}
		a.next()
	case evFail:
		a.remaining -= a.ttf
		a.wearMoved(a.ttf)
		a.ttf = a.spec.MTBF.Sample(a.rng)
		a.stats.Failures++
		if a.wear != nil {
			a.wear.failed++
		}
		a.setPhase(Down)
		a.repairEv = e.Schedule(a.spec.MTTR.Sample(a.rng), a, evRepaired)
	case evRepaired:
		a.repairEv = sim.EventID{}
		a.repaired()
		if !a.broken {
			a.resume()
		}
	case evWearFail:
		a.ev = sim.EventID{}
		a.onWearFail()
	case evMaintEnd:
		a.onMaintEnd()
	case evSample:
		a.onSample()
	default:
		panic(fmt.Sprintf("robots: arm %s got unknown event %d", a.spec.ID, arg))
	}
}

// resume carries on with the interrupted move, or the next request.
func (a *Arm) resume() {
	if a.cur.h != nil {
		a.setPhase(Moving)
		a.segment()
		return
	}
	a.setPhase(Idle)
	a.next()
}

// Break breaks the arm now: a move in progress stops where it is, and the
// arm stays down, its requests queueing, until Repair, even if it was
// already down with a random failure.
func (a *Arm) Break() error {
	if a.broken {
		return fmt.Errorf("arm %s is already broken", a.spec.ID)
	}
	a.broken = true
	switch a.phase {
	case Moving:
		a.eng.Cancel(a.ev)
		a.ev = sim.EventID{}
		done := a.eng.Now() - a.started
		a.remaining -= done
		if a.ttf != sim.Forever {
			a.ttf -= done
		}
		a.wearMoved(done)
		a.setPhase(Down)
	case Idle:
		a.setPhase(Down)
	}
	return nil
}

// Repair ends a break or a random failure now; the arm finishes the
// interrupted move, then serves the queue.
func (a *Arm) Repair() error {
	if !a.broken && a.phase != Down {
		return fmt.Errorf("arm %s is not down", a.spec.ID)
	}
	if a.wear != nil && a.wear.maint == maintRunning {
		if !a.broken {
			return fmt.Errorf("arm %s is being maintained, not down", a.spec.ID)
		}
		a.broken = false // the maintenance's end lets it carry on
		return nil
	}
	a.broken = false
	if a.repairEv != (sim.EventID{}) {
		a.eng.Cancel(a.repairEv)
		a.repairEv = sim.EventID{}
		a.repaired()
	}
	a.resume()
	return nil
}

// Broken reports whether the arm was broken by command.
func (a *Arm) Broken() bool { return a.broken }

// Move returns the current move: the handler and argument it will call back,
// and the share of the move done (0 when idle).
func (a *Arm) Move() (h sim.Handler, arg int64, progress float64) {
	if a.cur.h == nil {
		return nil, 0, 0
	}
	total := a.spec.MoveTime(a.cur.distance)
	left := a.remaining
	if a.phase == Moving {
		left -= a.eng.Now() - a.started
	}
	if total <= 0 {
		return a.cur.h, a.cur.arg, 1
	}
	total = a.slow(total) // a worn arm moves slower
	return a.cur.h, a.cur.arg, min(max(1-float64(left)/float64(total), 0), 1)
}

// ResetStats starts the statistics afresh at the current time.
func (a *Arm) ResetStats() {
	now := a.eng.Now()
	a.stats = Stats{Since: now, qSince: now}
	a.since = now
}

// Stats returns the statistics up to now.
func (a *Arm) Stats() Stats {
	now := a.eng.Now()
	s := a.stats
	s.PhaseTime[a.phase] += now - a.since
	s.QueueArea += float64(a.Waiting()) * (now - s.qSince).Seconds()
	s.qSince = now
	return s
}
