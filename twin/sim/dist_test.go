package sim_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

func mustDist(t *testing.T, s string) sim.Dist {
	t.Helper()
	d, err := sim.ParseDist(s)
	if err != nil {
		t.Fatalf("ParseDist(%q): %v", s, err)
	}
	return d
}

func TestParseDist(t *testing.T) {
	tests := []struct {
		in   string
		kind sim.DistKind
		str  string  // String of the result
		mean float64 // seconds
	}{
		{"const(2.8s)", sim.Const, "const(2.8s)", 2.8},
		{"const(0s)", sim.Const, "const(0s)", 0},
		{"2.8s", sim.Const, "const(2.8s)", 2.8},
		{"150ms", sim.Const, "const(150ms)", 0.15},
		{"2d", sim.Const, "const(2d)", 2 * 86400},
		{"exp(3s)", sim.Exp, "exp(3s)", 3},
		{"exp(0.5d)", sim.Exp, "exp(12h)", 43200},
		{"uniform(1s,2s)", sim.Uniform, "uniform(1s,2s)", 1.5},
		{"uniform(2s,2s)", sim.Uniform, "uniform(2s,2s)", 2},
		{"normal(3s,200ms)", sim.Normal, "normal(3s,200ms)", 3},
		{"normal(3s,0s)", sim.Normal, "normal(3s,0s)", 3},
		{"lognormal(6m,2m)", sim.Lognormal, "lognormal(6m,2m)", 360},
		{"triangular(1s,2s,4s)", sim.Triangular, "triangular(1s,2s,4s)", 7.0 / 3},
		{"triangular(1s,1s,4s)", sim.Triangular, "triangular(1s,1s,4s)", 2},
		{"triangular(1s,4s,4s)", sim.Triangular, "triangular(1s,4s,4s)", 3},
		{"weibull(1.5,8h)", sim.Weibull, "weibull(1.5,8h)", 28800 * math.Gamma(1+1/1.5)},
		{"weibull(1,2s)", sim.Weibull, "weibull(1,2s)", 2},
		{"  uniform ( 1s , 2s )  ", sim.Uniform, "uniform(1s,2s)", 1.5},
		{"\texp( 3s )\n", sim.Exp, "exp(3s)", 3},
		{"weibull( 2 , 1h )", sim.Weibull, "weibull(2,1h)", 3600 * math.Gamma(1.5)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d := mustDist(t, tt.in)
			if d.Kind != tt.kind || d.String() != tt.str {
				t.Errorf("got %v %q, want %v %q", d.Kind, d.String(), tt.kind, tt.str)
			}
			if got := d.Mean(); math.Abs(got-tt.mean) > 1e-12*tt.mean {
				t.Errorf("Mean = %v, want %v", got, tt.mean)
			}
			if got, want := d.MeanTime(), sim.Seconds(tt.mean); got != want {
				t.Errorf("MeanTime = %v, want %v", got, want)
			}
			// String is config syntax: it parses back to the same Dist.
			back := mustDist(t, d.String())
			if back != d {
				t.Errorf("ParseDist(String()) = %+v, want %+v", back, d)
			}
			text, _ := d.MarshalText()
			var u sim.Dist
			if err := u.UnmarshalText(text); err != nil || u != d {
				t.Errorf("UnmarshalText(MarshalText()) = %+v, %v; want %+v", u, err, d)
			}
		})
	}
}

func TestParseDistErrors(t *testing.T) {
	tests := []struct {
		in   string
		want string // substring of the error
	}{
		{"", "empty duration"},
		{"gamma(1s)", `unknown distribution "gamma"`},
		{"(1s)", "unknown distribution"},
		{"exp(1s,2s)", "exp takes 1 parameter"},
		{"exp()", "exp takes 1 parameter"},
		{"const()", "const takes 1 parameter"},
		{"uniform(1s)", "uniform takes 2 parameter"},
		{"uniform(1s,2s,3s)", "uniform takes 2 parameter"},
		{"triangular(1s,2s)", "triangular takes 3 parameter"},
		{"weibull(1.5)", "weibull takes 2 parameter"},
		{"uniform(1s,)", "empty duration"},
		{"3", "has no unit"},
		{"exp(3)", "has no unit"},
		{"uniform(1s,2)", "has no unit"},
		{"exp(3 s)", "bad duration"},
		{"exp(3sec)", "bad duration"},
		{"fast", "bad duration"},
		{"exp(-3s)", "negative duration"},
		{"-1s", "negative duration"},
		{"-2d", "negative duration"},
		{"normal(3s,-1s)", "negative duration"},
		{"exp(0s)", "mean must be positive"},
		{"normal(0s,1s)", "mean must be positive"},
		{"lognormal(0s,1s)", "mean must be positive"},
		{"uniform(2s,1s)", "upper bound is below lower bound"},
		{"triangular(1s,5s,4s)", "min <= mode <= max"},
		{"triangular(2s,1s,4s)", "min <= mode <= max"},
		{"triangular(4s,2s,1s)", "min <= mode <= max"},
		{"triangular(2s,2s,2s)", "min < max"},
		{"weibull(0,8h)", "weibull shape"},
		{"weibull(-1.5,8h)", "weibull shape"},
		{"weibull(NaN,8h)", "weibull shape"},
		{"weibull(Inf,8h)", "weibull shape"},
		{"weibull(8h,1.5)", "weibull shape"},
		{"weibull(1.5,0s)", "scale must be positive"},
		{"exp(3s", "missing closing parenthesis"},
		{"uniform(1s,2s", "missing closing parenthesis"},
		{"exp(3s))", "bad duration"},
		// A cycle of 999999999999999d would have been "forever".
		{"999999999999999d", "longer than the limit of 100 years"},
		{"exp(999999999999999d)", "longer than the limit of 100 years"},
		{"weibull(1.5,36501d)", "longer than the limit of 100 years"},
		{"uniform(1s,5215w)", "longer than the limit of 100 years"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := sim.ParseDist(tt.in)
			if err == nil {
				t.Fatalf("no error, got %v", d)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.in) {
				t.Errorf("error %q does not quote the input", err)
			}
		})
	}
}

func TestDistConstructors(t *testing.T) {
	var zero sim.Dist
	if !zero.IsZero() || zero.String() != "const(0s)" || zero.Sample(nil) != 0 {
		t.Errorf("zero Dist: IsZero %v, String %q", zero.IsZero(), zero.String())
	}
	c := sim.ConstDist(2800 * sim.Millisecond)
	if c != mustDist(t, "const(2.8s)") || c.IsZero() {
		t.Errorf("ConstDist(2.8s) = %+v, want const(2.8s)", c)
	}
	if e := sim.ExpDist(3 * sec); e != mustDist(t, "exp(3s)") {
		t.Errorf("ExpDist(3s) = %+v, want exp(3s)", e)
	}
	if u := mustDist(t, "uniform(0s,0s)"); u.IsZero() {
		t.Error("uniform(0s,0s).IsZero() = true; only const(0) is zero")
	}
	if got := sim.DistKind(99).String(); got != "DistKind(99)" {
		t.Errorf("DistKind(99) = %q", got)
	}
}

// Sampled moments match theory within a few standard errors.
func TestDistMoments(t *testing.T) {
	const n = 200_000
	g := math.Gamma
	tests := []struct {
		in       string
		mean, sd float64 // theory, seconds
	}{
		{"const(2.8s)", 2.8, 0},
		{"exp(3s)", 3, 3},
		{"uniform(1s,3s)", 2, 2 / math.Sqrt(12)},
		{"normal(10s,2s)", 10, 2},
		{"lognormal(6m,2m)", 360, 120},
		{"triangular(1s,2s,4s)", 7.0 / 3, math.Sqrt((1 + 4 + 16 - 2 - 4 - 8) / 18.0)},
		{"triangular(1s,1s,3s)", 5.0 / 3, math.Sqrt((1 + 1 + 9 - 1 - 3 - 3) / 18.0)},
		{"triangular(1s,3s,3s)", 7.0 / 3, math.Sqrt((1 + 9 + 9 - 3 - 3 - 9) / 18.0)},
		{"weibull(1.5,8h)", 28800 * g(1+1/1.5), 28800 * math.Sqrt(g(1+2/1.5)-g(1+1/1.5)*g(1+1/1.5))},
		{"weibull(0.7,1m)", 60 * g(1+1/0.7), 60 * math.Sqrt(g(1+2/0.7)-g(1+1/0.7)*g(1+1/0.7))},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d := mustDist(t, tt.in)
			if got := d.Mean(); math.Abs(got-tt.mean) > 1e-12*tt.mean {
				t.Errorf("Mean = %v, want %v", got, tt.mean)
			}
			mean, sd, lo := moments(d, sim.NewStream(7, tt.in), n)
			if lo < 0 {
				t.Errorf("negative sample %v", lo)
			}
			if se := tt.sd / math.Sqrt(n); math.Abs(mean-tt.mean) > 5*se+1e-9*tt.mean {
				t.Errorf("sample mean %.6g, want %.6g ± %.3g", mean, tt.mean, 5*se)
			}
			// The sample variance is within a few percent for these families.
			if v, want := sd*sd, tt.sd*tt.sd; math.Abs(v-want) > 0.05*want+1e-12 {
				t.Errorf("sample variance %.6g, want %.6g ± 5%%", v, want)
			}
		})
	}
}

// moments returns the mean, standard deviation and minimum of n samples, in
// seconds (Welford's running update).
func moments(d sim.Dist, rng *rand.Rand, n int) (mean, sd, lo float64) {
	var m2 float64
	lo = math.Inf(1)
	for i := 1; i <= n; i++ {
		x := d.Sample(rng).Seconds()
		lo = min(lo, x)
		delta := x - mean
		mean += delta / float64(i)
		m2 += delta * (x - mean)
	}
	return mean, math.Sqrt(m2 / float64(n-1)), lo
}

// A normal whose mean is near zero redraws negative values (a truncated
// normal); it does not clamp them to zero.
func TestNormalNearZeroIsTruncated(t *testing.T) {
	const mu, sigma = 0.1, 1.0 // seconds
	d := mustDist(t, "normal(100ms,1s)")
	const n = 200_000
	rng := sim.NewStream(3, "normal")
	var sum float64
	zeros := 0
	for range n {
		x := d.Sample(rng)
		if x < 0 {
			t.Fatalf("negative sample %v", x)
		}
		if x == 0 {
			zeros++
		}
		sum += x.Seconds()
	}
	alpha := -mu / sigma
	phi := math.Exp(-alpha*alpha/2) / math.Sqrt(2*math.Pi)
	tail := 1 - 0.5*math.Erfc(-alpha/math.Sqrt2) // P(X > 0)
	lambda := phi / tail
	want := mu + sigma*lambda
	sd := sigma * math.Sqrt(1+alpha*lambda-lambda*lambda)
	if mean := sum / n; math.Abs(mean-want) > 5*sd/math.Sqrt(n) {
		t.Errorf("mean %.4f, want %.4f (truncated normal); clamping would give about 0.45", mean, want)
	}
	if zeros > n/1000 {
		t.Errorf("%d of %d samples are 0: negative draws are clamped, not redrawn", zeros, n)
	}
}

// Scale stretches every time parameter and keeps the shape: the mean and
// the sd scale by f, weibull's shape stays, bad factors are refused.
func TestDistScale(t *testing.T) {
	for _, s := range []string{"4s", "exp(6s)", "uniform(1s,3s)", "normal(8s,500ms)", "lognormal(15m,8m)", "triangular(1s,2s,4s)", "weibull(1.5,2h)"} {
		d, err := sim.ParseDist(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []float64{0.5, 1.25} {
			g, err := d.Scale(f)
			if err != nil {
				t.Fatalf("%s x%v: %v", s, f, err)
			}
			if g.Kind != d.Kind || math.Abs(g.Mean()-f*d.Mean()) > 1e-9*d.Mean() || math.Abs(g.StdDev()-f*d.StdDev()) > 1e-9*(1+d.StdDev()) {
				t.Errorf("%s x%v = %v: mean %v sd %v, want %v and %v", s, f, g, g.Mean(), g.StdDev(), f*d.Mean(), f*d.StdDev())
			}
		}
	}
	w, _ := sim.ParseDist("weibull(1.5,2h)")
	if g, _ := w.Scale(2); !strings.HasPrefix(g.String(), "weibull(1.5,") {
		t.Errorf("weibull x2 = %v: the shape changed", g)
	}
	for _, f := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		if _, err := w.Scale(f); err == nil {
			t.Errorf("factor %v accepted", f)
		}
	}
	// Stretched past MaxSpan, a distribution is refused, not "forever".
	long, _ := sim.ParseDist("triangular(1s,2s,36500d)")
	if got := long.Longest(); got != sim.MaxSpan {
		t.Errorf("Longest of %v = %v, want MaxSpan", long, got)
	}
	if g, err := long.Scale(1.01); err == nil || !strings.Contains(err.Error(), "longer than the limit") {
		t.Errorf("%v x1.01 = %v, %v: want an error about the limit", long, g, err)
	}
}

func TestDistLongest(t *testing.T) {
	for in, want := range map[string]sim.Time{
		"4s": 4 * sim.Second, "exp(6s)": 6 * sim.Second, "uniform(1s,3s)": 3 * sim.Second,
		"normal(8s,9s)": 9 * sim.Second, "lognormal(15m,8m)": 15 * sim.Minute,
		"triangular(1s,2s,4s)": 4 * sim.Second, "weibull(1.5,2h)": 2 * sim.Hour,
	} {
		d, err := sim.ParseDist(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.Longest(); got != want {
			t.Errorf("Longest(%s) = %v, want %v", in, got, want)
		}
	}
}
