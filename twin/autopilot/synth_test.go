package autopilot

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// wearPath is a synthetic machine that wears along a stochastic path: its
// health falls from 1 by exponential increments every step, at a rate of
// its own, and it fails when the health is used up. Its vibration sensor
// reads base + span x (1-health)^power with Gaussian noise, some readings
// lost and the rest delivered late.
type wearPath struct {
	step     sim.Time
	health   []float64 // at each step, until it is used up
	fail     sim.Time  // when the health is used up
	base     float64
	span     float64
	power    float64
	readings []Reading // as measured, with noise
	arrive   []sim.Time
	latency  sim.Time
}

// limit is the vibration at which the synthetic machine fails.
func (w *wearPath) limit() float64 { return w.base + w.span }

// newWearPath draws a path from seed: a life of 150 to 300 hours, readings
// every 5 minutes with noise of sd noise x span, a share drop of them lost
// and a latency uniform in [0, latency).
func newWearPath(seed uint64, noise, drop float64, latency sim.Time) *wearPath {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	w := &wearPath{step: 5 * sim.Minute, base: 1, span: 4, power: 1 + rng.Float64(), latency: latency}
	life := 150 + 150*rng.Float64() // hours
	perStep := w.step.Hours() / life
	h := 1.0
	for t := sim.Time(0); ; t += w.step {
		w.health = append(w.health, h)
		if h <= 0 {
			w.fail = t
			break
		}
		if rng.Float64() >= drop {
			v := w.base + w.span*math.Pow(1-h, w.power) + rng.NormFloat64()*noise*w.span
			w.readings = append(w.readings, Reading{At: t, Value: v})
			w.arrive = append(w.arrive, t+sim.Time(rng.Float64()*float64(latency)))
		}
		h -= perStep * rng.ExpFloat64()
	}
	return w
}

// arrived appends the readings that arrived in (from, to], in the order
// they were measured.
func (w *wearPath) arrived(from, to sim.Time, dst []Reading) []Reading {
	lo, _ := slices.BinarySearchFunc(w.readings, from-w.latency, func(r Reading, t sim.Time) int { return cmp.Compare(r.At, t) })
	for i := lo; i < len(w.readings) && w.readings[i].At <= to; i++ {
		if r := w.readings[i]; w.arrive[i] > from && w.arrive[i] <= to {
			dst = append(dst, r)
		}
	}
	return dst
}
