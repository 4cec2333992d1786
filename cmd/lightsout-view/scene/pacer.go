package scene

import (
	"math"
	"time"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Pacer decides how much simulated time each tick runs. A tick asks for
// speed x tick of simulated time (all it can get at MaxSpeed) but runs it in
// chunks and stops when the tick's wall-time budget is spent, so the window
// stays responsive at any speed; what was not run is dropped, not owed. The
// speed reached is measured against the wall time between ticks and
// smoothed. The zero Pacer is not ready: use NewPacer.
type Pacer struct {
	// Speed is the requested speed.
	Speed Speed
	// Tick is the nominal wall time of one tick (1/60 s).
	Tick time.Duration
	// Budget is the wall time a tick may spend running the simulation.
	Budget time.Duration
	// Exact runs exactly speed x tick every tick, with no budget, and
	// measures the speed against the nominal tick: the frames of a
	// --screenshot run are then reproducible. MaxSpeed still uses the budget.
	Exact bool

	chunk   sim.Time  // simulated time per chunk, adapted to the budget
	real    float64   // smoothed speed reached (simulated s per wall s)
	last    time.Time // when the previous tick ended
	started bool
	// since counts the ticks measured since the speed was last set (see
	// SetSpeed): until the smoothing's time constant has passed, the speed
	// reached is their plain mean, so it follows a change at once.
	since int
}

// Pacing defaults.
const (
	defaultTick   = time.Second / 60
	defaultBudget = 6 * time.Millisecond
	minChunk      = sim.Millisecond
	maxChunk      = sim.Hour
	// speedSmoothing is the time constant of the displayed real speed.
	speedSmoothing = 700 * time.Millisecond
)

// NewPacer returns a pacer at speed s with the default tick and budget.
func NewPacer(s Speed) *Pacer {
	return &Pacer{Speed: s, Tick: defaultTick, Budget: defaultBudget, chunk: 100 * sim.Millisecond, since: -1}
}

// Want returns the simulated time a tick asks for: speed x tick; at
// MaxSpeed, maxSpeedCap x tick, which the budget cuts short on any line
// that still has work to do (a stopped line has no events, and would
// otherwise race through centuries).
func (p *Pacer) Want() sim.Time {
	s := p.Speed
	if s.IsMax() {
		s = maxSpeedCap
	}
	return sim.Time(math.Round(float64(s) * float64(p.Tick)))
}

// Advance runs one tick's worth of simulated time through run, checking
// clock between chunks, and returns the simulated time run and whether the
// budget cut the tick short. When paused it runs nothing and the measured
// speed decays to 0.
func (p *Pacer) Advance(paused bool, run func(sim.Time), clock func() time.Time) (ran sim.Time, cut bool) {
	start := clock()
	want := p.Want()
	if paused {
		want = 0
	}
	exact := p.Exact && !p.Speed.IsMax()
	for ran < want {
		step := min(p.chunk, want-ran)
		if exact {
			step = want - ran
		}
		t0 := clock()
		run(step)
		ran += step
		spent := clock().Sub(t0)
		p.adapt(step, spent)
		if !exact && clock().Sub(start) >= p.Budget && ran < want {
			cut = true
			break
		}
	}
	p.measure(ran, clock())
	return ran, cut
}

// adapt sizes the next chunk so that one takes about a sixth of the budget.
func (p *Pacer) adapt(step sim.Time, spent time.Duration) {
	if step < p.chunk {
		return // a short last chunk says little
	}
	target := p.Budget / 6
	switch {
	case spent < target/4:
		p.chunk *= 2
	case spent > target:
		p.chunk /= 2
	}
	p.chunk = min(max(p.chunk, minChunk), maxChunk)
}

// measure folds one tick into the smoothed real speed.
func (p *Pacer) measure(ran sim.Time, now time.Time) {
	dt := p.Tick
	if !p.Exact || p.Speed.IsMax() {
		if p.started {
			dt = now.Sub(p.last)
		}
	}
	p.last, p.started = now, true
	if dt <= 0 {
		return
	}
	v := ran.Seconds() / dt.Seconds()
	a := 1 - math.Exp(-dt.Seconds()/speedSmoothing.Seconds())
	if p.since >= 0 && ran > 0 {
		p.since++
		a = math.Max(a, 1/float64(p.since))
		if time.Duration(p.since)*p.Tick >= speedSmoothing {
			p.since = -1 // the mean has run its span: smooth again
		}
	}
	if p.Exact && !p.Speed.IsMax() {
		a = 1
	}
	p.real += a * (v - p.real)
}

// SetSpeed asks for speed s from the next tick on; the speed reached
// forgets the old one (it is the mean of the ticks since, until the
// smoothing's time constant has passed), so it does not lag the change.
func (p *Pacer) SetSpeed(s Speed) {
	p.Speed = s
	p.since = 0
}

// Real returns the smoothed speed reached, as a multiple of real time.
func (p *Pacer) Real() float64 { return p.real }

// Reset forgets the measured speed (after a reset of the line).
func (p *Pacer) Reset() { p.real, p.started, p.since = 0, false, 0 }
