package experiment

import (
	"math"
	"testing"
)

func TestStudentTQuantileKnownValues(t *testing.T) {
	tests := []struct {
		p, df, want, tol float64
	}{
		// Rounded values from printed tables.
		{0.975, 1, 12.7062, 1e-4},
		{0.975, 4, 2.7764, 1e-4},
		{0.975, 29, 2.0452, 1e-4},
		{0.975, 1000, 1.9623, 1e-4},
		{0.95, 10, 1.8125, 1e-4},
		{0.995, 5, 4.0321, 1e-4},
		// Values to more digits.
		{0.975, 1, 12.706204736174698, 1e-9},
		{0.975, 2, 4.302652729749464, 1e-9},
		{0.975, 4, 2.7764451051977987, 1e-9},
		{0.975, 10, 2.2281388519649385, 1e-9},
		{0.975, 29, 2.045229642132703, 1e-9},
		{0.975, 1000, 1.9623390808264078, 1e-9},
		// Large df tends to the normal quantile.
		{0.975, 1e9, 1.959963984540054, 1e-8},
		// Symmetry and the median.
		{0.025, 4, -2.7764451051977987, 1e-9},
		{0.5, 7, 0, 0},
	}
	for _, tt := range tests {
		got := StudentTQuantile(tt.p, tt.df)
		if math.Abs(got-tt.want) > tt.tol {
			t.Errorf("StudentTQuantile(%v, %v) = %.12f, want %.12f ± %g", tt.p, tt.df, got, tt.want, tt.tol)
		}
	}
}

// TestStudentTQuantileClosedForms checks against the exact quantiles known
// for 2 and 4 degrees of freedom.
func TestStudentTQuantileClosedForms(t *testing.T) {
	for _, p := range []float64{0.51, 0.6, 0.75, 0.9, 0.95, 0.975, 0.99, 0.999, 0.99999, 0.3, 0.01} {
		want2 := (2*p - 1) / math.Sqrt(2*p*(1-p))
		if got := StudentTQuantile(p, 2); math.Abs(got-want2) > 1e-9*math.Max(1, math.Abs(want2)) {
			t.Errorf("df=2 p=%v: got %.12f, want %.12f", p, got, want2)
		}
		alpha := 4 * p * (1 - p)
		q := math.Cos(math.Acos(math.Sqrt(alpha))/3) / math.Sqrt(alpha)
		want4 := math.Copysign(2*math.Sqrt(q-1), p-0.5)
		if got := StudentTQuantile(p, 4); math.Abs(got-want4) > 1e-9*math.Max(1, math.Abs(want4)) {
			t.Errorf("df=4 p=%v: got %.12f, want %.12f", p, got, want4)
		}
	}
}

func TestStudentTQuantileRoundTrip(t *testing.T) {
	for _, df := range []float64{0.5, 1, 1.5, 2, 3, 7, 19, 29, 99, 500, 1e4, 1e6} {
		for _, p := range []float64{1e-6, 0.001, 0.05, 0.3, 0.5001, 0.8, 0.975, 0.999, 1 - 1e-6} {
			q := StudentTQuantile(p, df)
			if got := StudentTCDF(q, df); math.Abs(got-p) > 1e-11 {
				t.Errorf("df=%v p=%v: CDF(quantile) = %.15f", df, p, got)
			}
		}
	}
}

// TestStudentTCDFByIntegration checks the incomplete-beta route against a
// direct numerical integration of the density.
func TestStudentTCDFByIntegration(t *testing.T) {
	for _, df := range []float64{1, 2.5, 3, 9, 40} {
		for _, x := range []float64{0.3, 1, 2.2, 4} {
			const n = 20000 // Simpson on [0, x]
			h := x / n
			sum := studentTPDF(0, df) + studentTPDF(x, df)
			for i := 1; i < n; i++ {
				w := 2.0
				if i%2 == 1 {
					w = 4
				}
				sum += w * studentTPDF(float64(i)*h, df)
			}
			want := 0.5 + sum*h/3
			if got := StudentTCDF(x, df); math.Abs(got-want) > 1e-10 {
				t.Errorf("StudentTCDF(%v, %v) = %.13f, integral gives %.13f", x, df, got, want)
			}
		}
	}
}

func TestStudentTQuantileBadInput(t *testing.T) {
	for _, in := range [][2]float64{{0, 3}, {1, 3}, {-0.1, 3}, {math.NaN(), 3}, {0.9, 0}, {0.9, -1}, {0.9, math.NaN()}} {
		if got := StudentTQuantile(in[0], in[1]); !math.IsNaN(got) {
			t.Errorf("StudentTQuantile(%v, %v) = %v, want NaN", in[0], in[1], got)
		}
	}
}

func TestStat(t *testing.T) {
	var s Stat
	if e := s.Estimate(); e != (Estimate{}) {
		t.Errorf("empty Stat: %+v, want zero", e)
	}
	s.Add(7)
	if e := s.Estimate(); e != (Estimate{Mean: 7, CI95: 0}) {
		t.Errorf("one value: %+v, want 7 ± 0", e)
	}

	s = Stat{}
	for _, x := range []float64{1, 2, math.NaN(), 3, math.Inf(1), 4, 5} {
		s.Add(x)
	}
	if s.N() != 5 {
		t.Errorf("N = %d, want 5 (NaN and Inf ignored)", s.N())
	}
	if s.Mean() != 3 {
		t.Errorf("Mean = %v, want 3", s.Mean())
	}
	sd := math.Sqrt(2.5)
	if math.Abs(s.StdDev()-sd) > 1e-15 {
		t.Errorf("StdDev = %v, want %v", s.StdDev(), sd)
	}
	want := 2.7764451051977987 * sd / math.Sqrt(5)
	if math.Abs(s.CI95()-want) > 1e-12 {
		t.Errorf("CI95 = %v, want %v", s.CI95(), want)
	}

	// Identical values: exactly that mean and a zero interval.
	s = Stat{}
	for range 30 {
		s.Add(0.1)
	}
	if e := s.Estimate(); e != (Estimate{Mean: 0.1, CI95: 0}) {
		t.Errorf("constant: %+v, want 0.1 ± 0", e)
	}
}

func TestLnBeta(t *testing.T) {
	for _, ab := range [][2]float64{{0.5, 0.5}, {2, 3}, {0.5, 12.5}, {12.5, 0.5}, {10, 10}, {30, 45.5}, {7, 250}} {
		a, b := ab[0], ab[1]
		la, _ := math.Lgamma(a)
		lb, _ := math.Lgamma(b)
		lab, _ := math.Lgamma(a + b)
		want := la + lb - lab
		if got := lnBeta(a, b); math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
			t.Errorf("lnBeta(%v, %v) = %.15g, want %.15g", a, b, got, want)
		}
	}
}

func BenchmarkStudentTQuantile(b *testing.B) {
	for b.Loop() {
		StudentTQuantile(0.975, 29)
	}
}
