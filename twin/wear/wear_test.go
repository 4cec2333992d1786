package wear_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/wear"
)

// A Gamma(k, 1) variable has mean k and variance k; the sample moments of
// many draws fall within a few standard errors of them, for shapes below
// and above 1 (the boosted and the direct method).
func TestGammaMoments(t *testing.T) {
	const n = 200000
	for _, k := range []float64{0.05, 0.3, 1, 2.5, 40} {
		r := rand.New(rand.NewPCG(7, uint64(k*1000)))
		var s, s2 float64
		for range n {
			x := wear.Gamma(r, k)
			if x < 0 || math.IsNaN(x) {
				t.Fatalf("shape %v: draw %v", k, x)
			}
			s += x
			s2 += x * x
		}
		mean := s / n
		variance := s2/n - mean*mean
		// The standard error of the mean is sqrt(k/n); of the variance
		// about sqrt((m4 - k²)/n) with m4 = 3k² + 6k for a gamma.
		if se := math.Sqrt(k / n); math.Abs(mean-k) > 5*se {
			t.Errorf("shape %v: mean %.5f, want %v ± %.5f", k, mean, k, 5*se)
		}
		if se := math.Sqrt((2*k*k + 6*k) / n); math.Abs(variance-k) > 5*se {
			t.Errorf("shape %v: variance %.5f, want %v ± %.5f", k, variance, k, 5*se)
		}
	}
	if x := wear.Gamma(rand.New(rand.NewPCG(1, 1)), 0); x != 0 {
		t.Errorf("shape 0: %v, want 0", x)
	}
}

// The boost of a shape below 1 is skipped when it would underflow to 0;
// the draws are the same as computing it every time, for the tiny shapes
// of a cycle's wear and larger ones, and the same random numbers are used.
func TestGammaSkipsOnlyBoostsThatUnderflow(t *testing.T) {
	// reference is Gamma with the boost always computed.
	reference := func(r *rand.Rand, shape float64) float64 {
		u := r.Float64()
		for u == 0 {
			u = r.Float64()
		}
		boost := math.Exp(math.Log(u) / shape)
		d := shape + 1 - 1.0/3
		c := 1 / math.Sqrt(9*d)
		for {
			x := r.NormFloat64()
			v := 1 + c*x
			if v <= 0 {
				continue
			}
			v = v * v * v
			u := r.Float64()
			if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
				return d * v * boost
			}
		}
	}
	nonzero := 0
	for i, k := range []float64{1e-12, 4e-6, 4.3e-5, 1e-3, 0.02, 0.3, 0.999} {
		got, want := rand.New(rand.NewPCG(11, uint64(i))), rand.New(rand.NewPCG(11, uint64(i)))
		for j := range 20000 {
			g, w := wear.Gamma(got, k), reference(want, k)
			if math.Float64bits(g) != math.Float64bits(w) {
				t.Fatalf("shape %v, draw %d: %v, want %v", k, j, g, w)
			}
			if g > 0 {
				nonzero++
			}
		}
		if got.Uint64() != want.Uint64() {
			t.Fatalf("shape %v: the streams parted", k)
		}
	}
	if nonzero == 0 {
		t.Error("every draw was 0")
	}
	// At the edge: u just past 1 - 746·shape gives an exact 0.
	for _, k := range []float64{1e-300, 1e-9, 4.3e-5, 1e-3, 1.0 / 746} {
		for _, u := range []float64{1 - 746*k, math.Nextafter(1-746*k, 0), math.Nextafter(1-746*k, 1)} {
			if u <= 0 || u >= 1 || 1-u < 746*k {
				continue
			}
			if b := math.Exp(math.Log(u) / k); b != 0 {
				t.Errorf("shape %v, u %v: boost %v, want 0", k, u, b)
			}
		}
	}
}

// Without variation a stretch of busy time takes exactly its share of the
// life off; with it, the increments of a whole life add up to about 1.
func TestIncrement(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	if got := wear.Increment(r, 30*sim.Minute, 10*sim.Hour, 0); got != 0.05 {
		t.Errorf("cv 0: %v, want 0.05", got)
	}
	const lives = 2000
	var total float64
	for range lives {
		for range 20 {
			total += wear.Increment(r, 30*sim.Minute, 10*sim.Hour, 0.3)
		}
	}
	// Each life's sum is Gamma-distributed with mean 1 and cv 0.3.
	if mean, se := total/lives, 0.3/math.Sqrt(lives); math.Abs(mean-1) > 5*se {
		t.Errorf("cv 0.3: a life's wear %.4f on average, want 1 ± %.4f", mean, 5*se)
	}
}

// Every problem of a sensor is named with its field.
func TestSensorValidate(t *testing.T) {
	c := wear.ConditionSensor{Kind: "noise", Every: 0, New: 2, Worn: 2, Noise: -1}
	var fields []string
	c.Validate(func(field, format string, a ...any) { fields = append(fields, field) })
	want := []string{"wear.sensor.kind", "wear.sensor.every", "wear.sensor.worn", "wear.sensor.noise"}
	if len(fields) != len(want) {
		t.Fatalf("problems in %v, want %v", fields, want)
	}
	for i := range want {
		if fields[i] != want[i] {
			t.Errorf("problem %d in %s, want %s", i, fields[i], want[i])
		}
	}
	ok := wear.ConditionSensor{Kind: wear.Vibration, Every: sim.Hour, New: 1, Worn: 7}
	ok.Validate(func(field, format string, a ...any) {
		t.Errorf("a good sensor: %s: "+format, append([]any{field}, a...)...)
	})
	if got := ok.Reading(0.5); got != 4 {
		t.Errorf("reading at half health %v, want 4", got)
	}
}

// Every problem of a wear path is named with its field, in the words of
// the machine that carries it.
func TestPathValidate(t *testing.T) {
	p := wear.Path{CV: 11, Slowdown: -1, MTBF: -sim.Hour, Restore: 0, Age: 2}
	var got []string
	p.Validate(func(field, format string, a ...any) {
		got = append(got, field+": "+fmt.Sprintf(format, a...))
	}, "moving time", "arm", "arm")
	want := []string{
		"wear.life: missing or zero: the mean moving time from new to worn out",
		"wear.cv: 11: want a coefficient of variation from 0 to 10",
		"wear.slowdown: -1: want 0 to 10 (0.2: 20% slower when worn out)",
		"wear.mtbf: " + (-sim.Hour).String() + " is negative",
		"wear.replace: missing or zero, and the arm has no mttr: a worn-out arm must take time to replace",
		"wear.age: 2: want 0 (new) to 1 (health uniform in [0,1] at the start)",
		"wear.restore: 0: want a health above 0 and at most 1 (default 1)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
