package experiment

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// batches repeats each batch mean as five observations that average to it.
func batches(zs ...float64) []float64 {
	var xs []float64
	for _, z := range zs {
		xs = append(xs, z-2, z+2, z, z-1, z+1)
	}
	return xs
}

func TestMSER5HandComputed(t *testing.T) {
	// Batch means 10, 5, 5, 6, 4, 5 (k = 6, truncations 0..3 searched):
	//   j=0: mean 35/6, SS = 227 - 35²/6 = 22.8333, / 6² = 0.634259
	//   j=1: 5,5,6,4,5: mean 5, SS = 2, / 5² = 0.08   <- minimum
	//   j=2: 5,6,4,5:   mean 5, SS = 2, / 4² = 0.125
	//   j=3: 6,4,5:     mean 5, SS = 2, / 3² = 0.2222
	for _, tc := range []struct {
		name     string
		xs       []float64
		d        int
		stat     float64
		batches1 int
	}{
		{"six batches", batches(10, 5, 5, 6, 4, 5), 5, 0.08, 1},
		// A remainder of fewer than five observations is left out.
		{"remainder ignored", append(batches(10, 5, 5, 6, 4, 5), 1e6, -1e6, 1e6), 5, 0.08, 1},
		// Two batches 0 and 1: j=0 gives 0.5/4 = 0.125, j=1 gives 0.
		{"two batches", batches(0, 1), 5, 0, 1},
		// Constant output: every statistic is 0; ties go to no truncation.
		{"constant", batches(3, 3, 3, 3, 3, 3, 3, 3), 0, 0, 0},
		// The minimum is searched in the first half only: batch means 9, 8,
		// 7, 1, 1 would be best cut at j=3, but j <= 5/2 = 2:
		//   j=0: mean 5.2, SS = 196 - 5.2²·5 = 60.8, / 25 = 2.432
		//   j=1: 8,7,1,1: mean 4.25, SS = 115 - 72.25 = 42.75, / 16 = 2.671875
		//   j=2: 7,1,1: mean 3, SS = 51 - 27 = 24, / 9 = 2.6667
		{"first half only", batches(9, 8, 7, 1, 1), 0, 2.432, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, stat := MSER5(tc.xs)
			if d != tc.d || math.Abs(stat-tc.stat) > 1e-12 {
				t.Errorf("MSER5 = %d, %v; want %d, %v", d, stat, tc.d, tc.stat)
			}
			if j, _ := mserBatches(tc.xs); j != tc.batches1 {
				t.Errorf("mserBatches = %d, want %d", j, tc.batches1)
			}
		})
	}
}

func TestMSER5TooShort(t *testing.T) {
	for _, n := range []int{0, 1, 5, 9} {
		d, stat := MSER5(make([]float64, n))
		if d != 0 || !math.IsNaN(stat) {
			t.Errorf("%d observations: MSER5 = %d, %v; want 0, NaN", n, d, stat)
		}
	}
}

// An exponential approach to a level plus noise: the bias 100 e^(-t/50)
// falls below the noise's standard deviation (5) at t = 150 and below 1 at
// t = 230. MSER-5 must cut there, not at the start nor deep into the
// steady state, whatever the noise.
func TestMSER5FindsKnownTransient(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		xs := make([]float64, 1000)
		for i := range xs {
			xs[i] = 100*(1-math.Exp(-float64(i)/50)) + 5*r.NormFloat64()
		}
		d, _ := MSER5(xs)
		if d < 100 || d > 350 {
			t.Errorf("seed %d: truncation %d, want within [100, 350] (transient ends around 150-250)", seed, d)
		}
		var kept Stat
		for _, x := range xs[d:] {
			kept.Add(x)
		}
		if math.Abs(kept.Mean()-100) > 1 {
			t.Errorf("seed %d: mean after truncation %.3f, want within 1 of the level 100", seed, kept.Mean())
		}
	}
}

// A stationary series needs (almost) no truncation.
func TestMSER5StationaryKeepsNearlyAll(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		r := rand.New(rand.NewPCG(seed, 11))
		xs := make([]float64, 1000)
		for i := range xs {
			xs[i] = 100 + 5*r.NormFloat64()
		}
		if d, _ := MSER5(xs); d > 50 {
			t.Errorf("seed %d: truncation %d of a stationary series, want at most 50 (5%%)", seed, d)
		}
	}
}

func TestMeanGoodPerHour(t *testing.T) {
	mk := func(good ...int64) twin.Result {
		return twin.Result{Series: &twin.Series{Bucket: sim.Hour, End: sim.Time(len(good)) * sim.Hour, Good: good}}
	}
	got := MeanGoodPerHour([]twin.Result{mk(1, 2, 3), {}, mk(3, 4, 5)})
	if want := []float64{2, 3, 4}; !slices.Equal(got, want) {
		t.Errorf("MeanGoodPerHour = %v, want %v", got, want)
	}
	if got := MeanGoodPerHour([]twin.Result{{}}); got != nil {
		t.Errorf("no series: %v, want nil", got)
	}
}
