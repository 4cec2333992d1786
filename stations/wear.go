package stations

import (
	"math"

	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/wear"
)

// Wear describes how the machines of a station wear out. Each server has a
// health level, 1 when new and 0 when worn out, that falls with the busy
// time it works along a gamma process (each cycle of busy time c takes a
// Gamma(c/(Life·CV²), CV²) draw off it, so the time to wear out has mean
// about Life and coefficient of variation about CV). As health h falls:
//
//   - the cycle takes (1 + Slowdown·(1−h)²) times the drawn time;
//   - a unit gains a defect with probability defect_rate + DefectRate·(1−h)²
//     (at most 1);
//   - the server fails at a hazard (1−h)²/MTBF per busy second on top of the
//     station's own mtbf (such a failure is repaired like a random one and
//     leaves health as it is);
//   - when health is used up the server fails (a wear-out) and is down for a
//     Replace draw, after which health is 1.
//
// Maintenance restores health to Restore: the calendar maintenance of the
// station (every server), and the on-demand maintenance of one server
// (Station.Maintain), which takes a Maintain draw.
type Wear struct {
	// Life is the mean busy time from health 1 to 0.
	Life sim.Time `mapstructure:"life"`
	// CV is the coefficient of variation of that life (0: every server
	// wears out after exactly Life of busy time).
	CV float64 `mapstructure:"cv"`
	// Slowdown is how much longer the cycle is at health 0 (0.2: 20%).
	Slowdown float64 `mapstructure:"slowdown"`
	// DefectRate is the defect probability added at health 0.
	DefectRate float64 `mapstructure:"defect_rate"`
	// MTBF is the busy time between wear-caused failures at health 0
	// (0: wear causes no failure before health is used up).
	MTBF sim.Time `mapstructure:"mtbf"`
	// Replace is the downtime of a wear-out (default: the station's mttr).
	Replace sim.Dist `mapstructure:"replace"`
	// Maintain is the duration of one on-demand maintenance of one server
	// (default: maintenance.duration).
	Maintain sim.Dist `mapstructure:"maintain"`
	// Restore is the health after a maintenance (default 1).
	Restore float64 `mapstructure:"restore"`
	// Age makes a new line start as a plant in service rather than new:
	// each server's health starts uniform in [1 − Age, 1] (0: every server
	// new; 1: uniform in [0, 1], the ages of machines run to failure).
	Age float64 `mapstructure:"age"`
	// Sensor, when set, reads the health of each server on a period.
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

// wearDefaults fills the wear fields a config may omit.
func (s *Spec) wearDefaults() {
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
	if w.Maintain.IsZero() && s.Maintenance.Duration > 0 {
		w.Maintain = sim.ConstDist(s.Maintenance.Duration)
	}
}

// validateWear checks the wear block, through bad.
func (s *Spec) validateWear(bad func(field, format string, a ...any)) {
	w := s.Wear
	if w == nil {
		return
	}
	if s.Conveyor != nil {
		bad("wear", "conveyor wear is not modelled")
		return
	}
	wear.Path{Life: w.Life, CV: w.CV, Slowdown: w.Slowdown, MTBF: w.MTBF, Replace: w.Replace, Maintain: w.Maintain,
		Restore: w.Restore, Age: w.Age}.Validate(bad, "busy time", "station", "machine")
	if !(w.DefectRate >= 0 && w.DefectRate <= 1) { // also NaN
		bad("wear.defect_rate", "%v: want a probability in [0,1]", w.DefectRate)
	}
	if c := w.Sensor; c != nil {
		c.Validate(bad)
	}
}

// CanMaintain reports whether a server of the station can be maintained on
// demand: it is a machine whose wear gives a maintenance duration.
func (s *Spec) CanMaintain() bool {
	return s.Conveyor == nil && s.Wear != nil && !s.Wear.Maintain.IsZero()
}

// serverExt is the state of a server that only worn stations and stations
// served by a crew keep (see Station.ext), so that other stations pay
// nothing for it.
type serverExt struct {
	health float64
	// wdelta is the wear the cycle under way causes when it ends; wrate
	// its hazard per busy nanosecond; wcycle its busy time.
	wdelta, wrate float64
	wcycle        sim.Time
	// wttf is the busy time left until the wear failure of this cycle
	// (Forever: none); wout says it is a wear-out, else a hazard failure.
	wttf sim.Time
	wout bool
	// budget is what is left of the unit-exponential cumulative hazard
	// before the next wear-caused failure.
	budget float64
	// maint is the state of an on-demand maintenance.
	maint maintState
	// job is the crew job the server waits for or is served by.
	job crewJobState
	// replacing says the down server is being replaced (a wear-out).
	replacing bool
	// reading is the last condition reading to arrive, at readingAt (-1:
	// none yet); next is the one in flight, due at nextAt (-1: none).
	reading, next     float64
	readingAt, nextAt sim.Time
	// failed and restored count the server's failures and restorations
	// (maintenances and replacements) since the start, never reset.
	failed, restored int64
	nextTaken        sim.Time
}

type maintState uint8

const (
	maintNone    maintState = iota
	maintAsked              // waits for the server to stop
	maintWaiting            // stopped, waits for the crew
	maintRunning            // under way
)

// slowFactor returns the cycle multiplier at health h.
func (w *Wear) slowFactor(h float64) float64 { d := 1 - h; return 1 + w.Slowdown*d*d }

// wearIncrement returns the health a cycle of busy time c takes off.
func (st *Station) wearIncrement(c sim.Time) float64 {
	return wear.Increment(st.rng.Wear, c, st.wear.Life, st.wear.CV)
}

// wearBegin plans the wear of the cycle server k starts now, of busy time
// c: how much health it takes, and whether and when in it the server fails
// from wear.
func (st *Station) wearBegin(k int, c sim.Time) {
	x := &st.ext[k]
	x.wcycle = c
	x.wdelta = st.wearIncrement(c)
	x.wttf, x.wout = sim.Forever, false
	d := 1 - x.health
	x.wrate = 0
	if st.wear.MTBF > 0 && d > 0 {
		x.wrate = d * d / float64(st.wear.MTBF)
		if x.budget < x.wrate*float64(c) {
			x.wttf = sim.Time(math.Round(x.budget / x.wrate))
		}
	}
	if x.wdelta >= x.health {
		at := sim.Time(0)
		if x.wdelta > 0 {
			at = sim.Time(math.Round(float64(c) * x.health / x.wdelta))
		}
		if at <= x.wttf {
			x.wttf, x.wout = at, true
		}
	}
}

// wearDone applies the wear of server k's finished cycle.
func (st *Station) wearDone(k int) {
	x := &st.ext[k]
	x.health = max(x.health-x.wdelta, 0)
	x.budget -= x.wrate * float64(x.wcycle)
	x.wdelta, x.wrate, x.wcycle, x.wttf = 0, 0, 0, sim.Forever
}

// defectRate returns the probability that a unit finished on server k
// gains a defect.
func (st *Station) defectRate(k int) float64 {
	r := st.spec.DefectRate
	if st.wear != nil && st.wear.DefectRate > 0 {
		d := 1 - st.ext[k].health
		r = min(r+st.wear.DefectRate*d*d, 1)
	}
	return r
}

// onWearFail runs when server k's health gives out (or its wear hazard
// strikes) during its cycle: the unit stays, paused, and the server is down.
func (st *Station) onWearFail(k int) {
	s, x := &st.servers[k], &st.ext[k]
	done := x.wttf
	s.remaining -= done
	if s.ttf != sim.Forever {
		s.ttf -= done
	}
	s.ev = sim.EventID{}
	if x.wcycle > 0 {
		x.health = max(x.health-x.wdelta*float64(done)/float64(x.wcycle), 0)
	}
	x.budget -= x.wrate * float64(done)
	if x.wout {
		x.health = 0
		st.stats.WearOuts++
	} else {
		x.budget = st.rng.Wear.ExpFloat64()
	}
	x.wdelta, x.wrate, x.wcycle, x.wttf = 0, 0, 0, sim.Forever
	st.stats.Failures++
	x.failed++
	s.paused = true
	st.setPhase(k, Down)
	if x.wout {
		x.replacing = true
		st.needRepair(k, &st.wear.Replace, st.rng.Wear)
		return
	}
	if st.spec.MTTR.IsZero() {
		st.needRepair(k, &st.wear.Replace, st.rng.Wear)
		return
	}
	st.needRepair(k, &st.spec.MTTR, st.rng.Fail)
}

// restore sets server k's health after a maintenance or a replacement and
// forgets the wear planned for the rest of its paused cycle.
func (st *Station) restore(k int, h float64) {
	x := &st.ext[k]
	x.health = h
	x.restored++
	x.wdelta, x.wrate, x.wcycle, x.wttf = 0, 0, 0, sim.Forever
}

// Health returns server k's true health, 1 new and 0 worn out (1 for a
// station without wear).
func (st *Station) Health(k int) float64 {
	if st.wear == nil {
		return 1
	}
	return st.ext[k].health
}

// SetHealth sets server k's health (clamped to [0,1]), as a line forked
// from a recorded state starts; it does nothing on a station without wear.
func (st *Station) SetHealth(k int, h float64) {
	if st.wear == nil || math.IsNaN(h) {
		return
	}
	st.ext[k].health = min(max(h, 0), 1)
}

// Worn reports whether the station's machines wear.
func (st *Station) Worn() bool { return st.wear != nil }
