package bench

import (
	"slices"
	"time"

	"github.com/lightsout-sim/lightsout/cmd/internal/bench/ceiling"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// CeilingConfig is the shipped line that package ceiling simulates by hand.
const CeilingConfig = "two-machine"

// measureCeiling times the engine and the hand-written loop of package
// ceiling on the same line (spec, which must be CeilingConfig's), pairs
// runs of d each, interleaved: engine then ceiling in even pairs, ceiling
// then engine in odd ones, so that a change in the machine's load weighs on
// both alike. The seeds differ from pair to pair; both runs of a pair use the
// same one.
func measureCeiling(spec *twin.Spec, d sim.Time, pairs int) (Ceiling, error) {
	warm := spec.Run.Warmup
	if warm >= d {
		warm = 0
	}
	p := ceiling.TwoMachine()
	engine := make([]float64, pairs)
	hand := make([]float64, pairs)
	ratio := make([]float64, pairs)
	for i := range pairs {
		seed := spec.Run.Seed + uint64(i)
		runEngine := func() error {
			start := time.Now()
			r, err := twin.Run(spec, twin.Options{Duration: d, Warmup: warm, Seed: seed})
			if err != nil {
				return err
			}
			engine[i] = perSecond(float64(r.Shipped), time.Since(start).Seconds())
			return nil
		}
		runHand := func() {
			start := time.Now()
			r := ceiling.Run(p, seed, d, warm)
			hand[i] = perSecond(float64(r.Shipped), time.Since(start).Seconds())
		}
		if i%2 == 1 {
			runHand()
		}
		if err := runEngine(); err != nil {
			return Ceiling{}, err
		}
		if i%2 == 0 {
			runHand()
		}
		ratio[i] = perSecond(engine[i], hand[i])
	}
	c := Ceiling{
		Config: CeilingConfig, SimulatedS: d.Seconds(), Pairs: pairs,
		EnginePartsPerSecond: median(engine), CeilingPartsPerSecond: median(hand), Ratio: median(ratio),
	}
	c.RatioLow, c.RatioHigh = slices.Min(ratio), slices.Max(ratio)
	return c, nil
}

// median returns the median of xs (not empty); it sorts xs.
func median(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}
