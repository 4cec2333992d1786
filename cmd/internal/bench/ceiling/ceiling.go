// Package ceiling is a hand-written, specialised simulation of one shipped
// line, configs/two-machine.yaml, kept as a yardstick for the general
// engine: how fast the same model runs with no generality at all.
//
// The model is the one Lightsout builds from that config: machine 1 is never
// starved and works a part in an exponential cycle; a finished part goes to
// a buffer of Buffer places in front of machine 2, or, when the buffer is
// full, waits on machine 1, which is then blocked (blocking after service);
// machine 2 takes parts from the buffer, works each in an exponential cycle
// and ships it. Each machine fails after an exponential busy time (time spent
// working, not blocked or starved) and is repaired in an exponential time; a
// failure pauses the part, which resumes where it stopped after the repair.
// Throughput is parts shipped per hour after the warm-up.
//
// What makes it fast: each machine has at most one future event (the end of
// its cycle, its failure or the end of its repair), so the event queue is two
// fixed slots and the next event is the earlier of them; events are typed by
// the machine's state, with no handlers and no interfaces; there is no unit
// identity, no statistics but the count shipped, no observer. The random
// numbers are the engine's (a PCG stream per machine and purpose, math/rand/v2's
// ExpFloat64, rounded to nanoseconds as sim.Seconds does), so that the
// comparison measures the simulation, not the generator.
//
// Nothing in the product imports this package: cmd/internal/bench runs it
// next to the engine for `lightsout bench`, and its tests check that it gives
// the engine's throughput and, without failures, the theory's.
package ceiling

import (
	"math/rand/v2"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Params are the line's parameters: mean cycle, mean busy time between
// failures and mean repair time of each machine (exponential), and the
// buffer between them. A zero MTBF means the machine never fails.
type Params struct {
	Cycle  [2]sim.Time
	MTBF   [2]sim.Time
	MTTR   [2]sim.Time
	Buffer int
}

// TwoMachine returns the parameters of configs/two-machine.yaml.
func TwoMachine() Params {
	return Params{
		Cycle:  [2]sim.Time{sim.Minute, sim.Minute},
		MTBF:   [2]sim.Time{2 * sim.Hour, 3 * sim.Hour},
		MTTR:   [2]sim.Time{12 * sim.Minute, 15 * sim.Minute},
		Buffer: 10,
	}
}

// Result is one run's outcome.
type Result struct {
	// Shipped is the number of parts machine 2 finished after the warm-up,
	// and ThroughputPerHour the same per hour of the measured window.
	Shipped           int64
	ThroughputPerHour float64
	// Events is the number of events run (cycle ends, failures, repairs).
	Events uint64
}

// state of a machine.
const (
	idle    = iota // machine 2 starved; machine 1 blocked (holding a part)
	working        // ev is the end of the cycle or a failure, whichever is first
	down           // ev is the end of the repair
)

type machine struct {
	state     int
	ev        sim.Time // time of its one pending event, sim.Forever if none
	fails     bool     // ev, while working, is a failure
	remaining sim.Time // work left on the part
	ttf       sim.Time // busy time left until the next failure (Forever: never)
	started   sim.Time // when the current working segment began
	cycle     rand.Rand
	fail      rand.Rand
	pcg       [2]rand.PCG
	meanCycle float64 // seconds
	meanTTF   float64 // seconds; 0: never fails
	meanTTR   float64 // seconds
}

// exp draws an exponential time of the given mean in seconds.
func exp(r *rand.Rand, mean float64) sim.Time { return sim.Seconds(r.ExpFloat64() * mean) }

func (m *machine) init(seed uint64, name string, p *Params, i int) {
	m.meanCycle, m.meanTTF, m.meanTTR = p.Cycle[i].Seconds(), p.MTBF[i].Seconds(), p.MTTR[i].Seconds()
	for j, what := range [2]string{"/cycle", "/fail"} {
		s := sim.StreamSeed(seed, "ceiling/"+name+what)
		m.pcg[j] = *rand.NewPCG(s, s^0x9e3779b97f4a7c15)
	}
	m.cycle = *rand.New(&m.pcg[0])
	m.fail = *rand.New(&m.pcg[1])
	m.ttf = sim.Forever
	if m.meanTTF > 0 {
		m.ttf = exp(&m.fail, m.meanTTF)
	}
	m.state, m.ev = idle, sim.Forever
}

// start begins a new part at now.
func (m *machine) start(now sim.Time) {
	m.remaining = exp(&m.cycle, m.meanCycle)
	m.state = working
	m.segment(now)
}

// segment works the part from now until it is done or the machine fails.
func (m *machine) segment(now sim.Time) {
	m.started = now
	if m.ttf < m.remaining {
		m.ev, m.fails = now+m.ttf, true
	} else {
		m.ev, m.fails = now+m.remaining, false
	}
}

// Run simulates the line for d, counting what ships after warm.
func Run(p Params, seed uint64, d, warm sim.Time) Result {
	var ms [2]machine
	ms[0].init(seed, "m1", &p, 0)
	ms[1].init(seed, "m2", &p, 1)
	m1, m2 := &ms[0], &ms[1]
	buf := 0 // parts in the buffer
	var shipped, events uint64
	var warmShipped uint64
	warmed := warm == 0
	m1.start(0)
	for {
		// The earlier of the two pending events; machine 1 first on a tie.
		k := 0
		if m2.ev < m1.ev {
			k = 1
		}
		m := &ms[k]
		now := m.ev
		if !warmed && now > warm {
			warmShipped, warmed = shipped, true
		}
		if now > d {
			break
		}
		events++
		switch {
		case m.state == down: // repaired: resume the paused part
			m.state = working
			m.segment(now)
		case m.fails:
			done := m.ttf
			m.remaining -= done
			m.ttf = exp(&m.fail, m.meanTTF)
			m.state, m.ev = down, now+exp(&m.fail, m.meanTTR)
		default: // the part is done
			if m.ttf != sim.Forever {
				m.ttf -= m.remaining
			}
			m.remaining = 0
			if k == 0 {
				switch {
				case m2.state == idle:
					m2.start(now)
					m1.start(now)
				case buf < p.Buffer:
					buf++
					m1.start(now)
				default:
					m1.state, m1.ev = idle, sim.Forever // blocked
				}
			} else {
				shipped++
				switch {
				case buf > 0:
					buf--
					m2.start(now)
					if m1.state == idle { // blocked: its part goes to the buffer
						buf++
						m1.start(now)
					}
				case m1.state == idle: // blocked with no buffer
					m2.start(now)
					m1.start(now)
				default:
					m2.state, m2.ev = idle, sim.Forever
				}
			}
		}
	}
	n := int64(shipped - warmShipped)
	return Result{Shipped: n, ThroughputPerHour: float64(n) / (d - warm).Hours(), Events: events}
}
