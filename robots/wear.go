package robots

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/wear"
)

// Wear describes how an arm wears out, as stations' machines do. The arm
// has a health level, 1 when new and 0 when worn out, that falls with the
// time it moves along a gamma process (each move of busy time c takes a
// Gamma(c/(Life·CV²), CV²) draw off it, so the time to wear out has mean
// about Life and coefficient of variation about CV). As health h falls:
//
//   - a move takes (1 + Slowdown·(1−h)²) times as long;
//   - the arm fails at a hazard (1−h)²/MTBF per moving second on top of its
//     own mtbf (repaired like a random failure, health left as it is);
//   - when health is used up the arm fails (a wear-out) and is down for a
//     Replace draw, after which health is 1.
//
// Maintenance (Arm.Maintain) restores health to Restore after a Maintain
// draw; the arm finishes the move under way first.
type Wear struct {
	// Life is the mean moving time from health 1 to 0.
	Life sim.Time `mapstructure:"life"`
	// CV is the coefficient of variation of that life (0: every arm wears
	// out after exactly Life of moving).
	CV float64 `mapstructure:"cv"`
	// Slowdown is how much longer a move takes at health 0 (0.2: 20%).
	Slowdown float64 `mapstructure:"slowdown"`
	// MTBF is the moving time between wear-caused failures at health 0
	// (0: wear causes no failure before health is used up).
	MTBF sim.Time `mapstructure:"mtbf"`
	// Replace is the downtime of a wear-out (default: the arm's mttr).
	Replace sim.Dist `mapstructure:"replace"`
	// Maintain is the duration of one on-demand maintenance; without it
	// the arm cannot be maintained.
	Maintain sim.Dist `mapstructure:"maintain"`
	// Restore is the health after a maintenance (default 1).
	Restore float64 `mapstructure:"restore"`
	// Age makes a new line start as a plant in service: the arm's health
	// starts uniform in [1 − Age, 1].
	Age float64 `mapstructure:"age"`
	// Sensor, when set, reads the arm's health on a period.
	Sensor *ConditionSensor `mapstructure:"sensor"`
}

// ConditionSensor is a condition-monitoring sensor on each worn machine
// (see wear.ConditionSensor).
type ConditionSensor = wear.ConditionSensor

// The kinds of condition sensor.
const (
	ConditionVibration   = wear.Vibration
	ConditionTemperature = wear.Temperature
)

// MaxSlowdown bounds Wear.Slowdown.
const MaxSlowdown = wear.MaxSlowdown

// ErrNoMaintenance is returned by Maintain for an arm that cannot be
// maintained on demand.
var ErrNoMaintenance = errors.New("cannot be maintained on demand (it needs wear with a maintain time)")

// CanMaintain reports whether the arm can be maintained on demand.
func (s *Spec) CanMaintain() bool { return s.Wear != nil && !s.Wear.Maintain.IsZero() }

// Defaults fills the fields a config may omit (those of the wear block).
func (s *Spec) Defaults() {
	w := s.Wear
	if w == nil {
		return
	}
	if w.Restore == 0 {
		w.Restore = 1
	}
	if w.Replace.IsZero() {
		w.Replace = s.MTTR
	}
}

// validateWear checks the wear block, through bad, with the messages of a
// station's wear block.
func (s *Spec) validateWear(bad func(field, format string, a ...any)) {
	w := s.Wear
	if w == nil {
		return
	}
	wear.Path{Life: w.Life, CV: w.CV, Slowdown: w.Slowdown, MTBF: w.MTBF, Replace: w.Replace, Maintain: w.Maintain,
		Restore: w.Restore, Age: w.Age}.Validate(bad, "moving time", "arm", "arm")
	if c := w.Sensor; c != nil {
		c.Validate(bad)
	}
}

// Sensing is how the line's sensors differ from the truth (latency,
// relative noise of analogue readings, dropout), for an arm's condition
// sensor.
type Sensing struct {
	Latency sim.Dist
	Noise   float64
	Dropout float64
}

// ConditionFunc hears every condition reading of a worn arm's sensor that is
// not lost: the time it arrives and its value (taken now).
type ConditionFunc func(a *Arm, arrives sim.Time, value float64)

// wearState is what only a worn arm keeps.
type wearState struct {
	w         *Wear
	rng, cond *rand.Rand
	sense     Sensing
	onReading ConditionFunc
	health    float64
	// delta is the wear the move under way causes when it ends, rate its
	// hazard per moving nanosecond and cycle its busy time; left is the
	// moving time left until its wear failure (Forever: none), out says
	// that failure is a wear-out.
	delta, rate float64
	cycle, left sim.Time
	out         bool
	budget      float64
	maint       maintState
	replacing   bool
	// reading is the last reading to arrive, taken at readingAt (-1: none
	// yet); next the one in flight, due at nextAt (-1: none).
	reading, next                         float64
	readingAt, nextAt, nextTk             sim.Time
	failed, restored, wornOut, maintained int64
}

type maintState uint8

const (
	maintNone    maintState = iota
	maintAsked              // waits for the move under way to end
	maintRunning            // under way
)

// SetWear makes the arm wear as its spec's wear block says, drawing its
// wear from rng and its condition readings from cond, with the line's
// sensor model; onReading hears each reading not lost. Call it once, right
// after New, for an arm whose spec has wear; it draws the starting health.
func (a *Arm) SetWear(rng, cond *rand.Rand, sense Sensing, onReading ConditionFunc) {
	w := a.spec.Wear
	if w == nil {
		return
	}
	x := &wearState{w: w, rng: rng, cond: cond, sense: sense, onReading: onReading, health: 1,
		left: sim.Forever, readingAt: -1, nextAt: -1}
	if w.Age > 0 {
		x.health = 1 - w.Age*rng.Float64()
	}
	x.budget = rng.ExpFloat64()
	a.wear = x
	if w.Sensor != nil {
		a.eng.Schedule(w.Sensor.Every, a, evSample)
	}
}

// slow returns the move time t at the arm's health.
func (a *Arm) slow(t sim.Time) sim.Time {
	x := a.wear
	if x == nil || x.w.Slowdown == 0 {
		return t
	}
	d := 1 - x.health
	return sim.Time(math.Round(float64(t) * (1 + x.w.Slowdown*d*d)))
}

// wearBegin plans the wear of a move of busy time c starting now.
func (a *Arm) wearBegin(c sim.Time) {
	x := a.wear
	if x == nil {
		return
	}
	w := x.w
	x.cycle = c
	x.delta = wear.Increment(x.rng, c, w.Life, w.CV)
	x.left, x.out, x.rate = sim.Forever, false, 0
	d := 1 - x.health
	if w.MTBF > 0 && d > 0 {
		x.rate = d * d / float64(w.MTBF)
		if x.budget < x.rate*float64(c) {
			x.left = sim.Time(math.Round(x.budget / x.rate))
		}
	}
	if x.delta >= x.health {
		at := sim.Time(0)
		if x.delta > 0 {
			at = sim.Time(math.Round(float64(c) * x.health / x.delta))
		}
		if at <= x.left {
			x.left, x.out = at, true
		}
	}
}

// wearDone applies the wear of the move that ended.
func (a *Arm) wearDone() {
	x := a.wear
	if x == nil {
		return
	}
	x.health = max(x.health-x.delta, 0)
	x.budget -= x.rate * float64(x.cycle)
	x.delta, x.rate, x.cycle, x.left = 0, 0, 0, sim.Forever
}

// wearLeft returns the moving time left until the wear failure of the
// move under way (Forever: none).
func (a *Arm) wearLeft() sim.Time {
	if a.wear == nil {
		return sim.Forever
	}
	return a.wear.left
}

// wearMoved takes done of moving time off the planned wear failure.
func (a *Arm) wearMoved(done sim.Time) {
	if x := a.wear; x != nil && x.left != sim.Forever {
		x.left -= done
	}
}

// onWearFail runs when the arm's health gives out (or its wear hazard
// strikes) during a move: the move stops where it is and the arm is down.
func (a *Arm) onWearFail() {
	x := a.wear
	done := x.left
	a.remaining -= done
	if a.ttf != sim.Forever {
		a.ttf -= done
	}
	if x.cycle > 0 {
		x.health = max(x.health-x.delta*float64(done)/float64(x.cycle), 0)
	}
	x.budget -= x.rate * float64(done)
	d := &a.spec.MTTR
	rng := a.rng
	if x.out {
		x.health, x.replacing, d, rng = 0, true, &x.w.Replace, x.rng
		x.wornOut++
	} else {
		x.budget = x.rng.ExpFloat64()
		if d.IsZero() {
			d, rng = &x.w.Replace, x.rng
		}
	}
	x.delta, x.rate, x.cycle, x.left = 0, 0, 0, sim.Forever
	x.failed++
	a.stats.Failures++
	a.setPhase(Down)
	a.repairEv = a.eng.Schedule(d.Sample(rng), a, evRepaired)
}

// repaired ends a wear-out's replacement: the arm is new.
func (a *Arm) repaired() {
	if x := a.wear; x != nil && x.replacing {
		x.replacing = false
		x.health = 1
		x.restored++
	}
}

// Maintain asks for a maintenance of the arm: it starts now when the arm is
// idle, or when the move under way ends, and takes a wear.maintain draw;
// then the arm has health wear.restore and carries on. An arm that is down,
// broken or already being maintained is refused, as is one that cannot be
// maintained (see Spec.CanMaintain).
func (a *Arm) Maintain() error {
	switch {
	case !a.spec.CanMaintain():
		return fmt.Errorf("arm %s %w", a.spec.ID, ErrNoMaintenance)
	case a.wear.maint != maintNone:
		return fmt.Errorf("arm %s is already being maintained", a.spec.ID)
	case a.broken || a.phase == Down:
		return fmt.Errorf("arm %s is down", a.spec.ID)
	}
	if a.phase == Moving {
		a.wear.maint = maintAsked
		return nil
	}
	a.startMaint()
	return nil
}

// startMaint starts a maintenance now.
func (a *Arm) startMaint() {
	x := a.wear
	x.maint = maintRunning
	a.setPhase(Down)
	a.eng.Schedule(x.w.Maintain.Sample(x.rng), a, evMaintEnd)
}

// onMaintEnd ends a maintenance: health restored, the arm carries on
// unless it was broken meanwhile.
func (a *Arm) onMaintEnd() {
	x := a.wear
	x.maint = maintNone
	x.health = x.w.Restore
	x.restored++
	x.maintained++
	x.budget = x.rng.ExpFloat64()
	if !a.broken {
		a.resume()
	}
}

// onSample takes a condition reading and schedules the next.
func (a *Arm) onSample() {
	x := a.wear
	c := x.w.Sensor
	now := a.eng.Now()
	if x.nextAt >= 0 && x.nextAt <= now {
		x.reading, x.readingAt, x.nextAt = x.next, x.nextTk, -1
	}
	r := x.cond
	v := c.Reading(x.health)
	if x.sense.Noise > 0 {
		v *= 1 + x.sense.Noise*r.NormFloat64()
	}
	if c.Noise > 0 {
		v += c.Noise * r.NormFloat64()
	}
	if !(x.sense.Dropout > 0 && r.Float64() < x.sense.Dropout) {
		at := now.Add(x.sense.Latency.Sample(r))
		x.next, x.nextAt, x.nextTk = v, at, now
		if x.onReading != nil {
			x.onReading(a, at, v)
		}
	}
	a.eng.Schedule(c.Every, a, evSample)
}

// UpkeepView is what can be seen of a worn arm's wear and upkeep.
type UpkeepView struct {
	// Health is the true health, 1 new and 0 worn out.
	Health float64
	// Reading is the last condition reading to arrive, taken at ReadingAt
	// (-1: none yet, or no sensor).
	Reading   float64
	ReadingAt sim.Time
	// Maintaining says a maintenance is asked for or under way; Replacing
	// that the worn-out arm is down being replaced.
	Maintaining, Replacing bool
	// Failures counts the arm's failures (WearOuts those that used its
	// health up) and Restorations the times its health was restored
	// (Maintenances, and replacements), since the start: never reset.
	Failures, WearOuts, Maintenances, Restorations int64
}

// Upkeep returns what can be seen of the arm's wear and upkeep now; ok is
// false for an arm without wear.
func (a *Arm) Upkeep() (v UpkeepView, ok bool) {
	x := a.wear
	if x == nil {
		return UpkeepView{}, false
	}
	v = UpkeepView{Health: x.health, Reading: x.reading, ReadingAt: x.readingAt, Maintaining: x.maint != maintNone,
		Replacing: x.replacing, Failures: x.failed, WearOuts: x.wornOut, Maintenances: x.maintained, Restorations: x.restored}
	if x.nextAt >= 0 && x.nextAt <= a.eng.Now() {
		v.Reading, v.ReadingAt = x.next, x.nextTk
	}
	return v, true
}

// Health returns the arm's true health (1 for an arm without wear).
func (a *Arm) Health() float64 {
	if a.wear == nil {
		return 1
	}
	return a.wear.health
}

// SetHealth sets the arm's health (clamped to [0,1]), as a line forked from
// a recorded state starts; it does nothing on an arm without wear.
func (a *Arm) SetHealth(h float64) {
	if a.wear == nil || math.IsNaN(h) {
		return
	}
	a.wear.health = min(max(h, 0), 1)
}
