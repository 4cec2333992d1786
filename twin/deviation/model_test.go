package deviation

import (
	"math"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// ModelOf agrees with hand-computed moments and with the sample moments of
// Dist.Sample itself.
func TestModelOf(t *testing.T) {
	tests := []struct {
		spec     string
		mean, sd float64
	}{
		{"const(2s)", 2, 0},
		{"2.8s", 2.8, 0},
		{"exp(6s)", 6, 6},
		{"uniform(1s,3s)", 2, 2 / math.Sqrt(12)},
		{"normal(4.2s,300ms)", 4.2, 0.3},
		{"lognormal(6m,2m)", 360, 120},
		{"triangular(1s,2s,4s)", 7.0 / 3, math.Sqrt(7.0 / 18)},
		{"weibull(1,8h)", 28800, 28800},
		{"weibull(2,1s)", math.Sqrt(math.Pi) / 2, math.Sqrt(1 - math.Pi/4)},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			d, m := mustModel(t, tt.spec)
			if math.Abs(m.Mean-tt.mean) > 1e-9*tt.mean || math.Abs(m.SD-tt.sd) > 1e-6*math.Max(tt.sd, 1) {
				t.Errorf("ModelOf = %+v, want mean %v sd %v", m, tt.mean, tt.sd)
			}
			r := sim.NewStream(3, tt.spec)
			const n = 200_000
			var s, s2 float64
			for range n {
				x := d.Sample(r).Seconds()
				s += x
				s2 += x * x
			}
			mean := s / n
			sd := math.Sqrt(math.Max(0, s2/n-mean*mean))
			if math.Abs(sd-m.SD) > 0.02*m.Mean {
				t.Errorf("sample sd %v, ModelOf sd %v", sd, m.SD)
			}
		})
	}
}

func TestModelValidate(t *testing.T) {
	for _, m := range []Model{{0, 1}, {-1, 1}, {math.Inf(1), 1}, {1, -1}, {1, math.NaN()}, {math.NaN(), 0}} {
		if m.Validate() == nil {
			t.Errorf("%+v: Validate accepted", m)
		}
	}
	if err := (Model{1, 0}).Validate(); err != nil {
		t.Errorf("const model: %v", err)
	}
}
