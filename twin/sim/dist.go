package sim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// DistKind says which family a Dist belongs to.
type DistKind uint8

// The distribution families a config may name.
const (
	Const      DistKind = iota // const(v): always v
	Exp                        // exp(mean): exponential
	Uniform                    // uniform(a,b)
	Normal                     // normal(mean,sd), negative draws redrawn
	Lognormal                  // lognormal(mean,sd) of the variable itself
	Triangular                 // triangular(min,mode,max)
	Weibull                    // weibull(shape,scale)
)

var distNames = [...]string{"const", "exp", "uniform", "normal", "lognormal", "triangular", "weibull"}

// String returns the name used in configs ("exp").
func (k DistKind) String() string {
	if int(k) < len(distNames) {
		return distNames[k]
	}
	return fmt.Sprintf("DistKind(%d)", k)
}

// Dist is a distribution of non-negative durations. It is a small value:
// copy it freely. The zero Dist is const(0).
type Dist struct {
	Kind DistKind
	// p holds the parameters as written, in seconds (weibull's shape is unitless);
	// q holds values derived from them once, so Sample does no extra maths.
	p [3]float64
	q [2]float64
}

// ConstDist returns the distribution that is always d.
func ConstDist(d Time) Dist { return Dist{Kind: Const, p: [3]float64{d.Seconds()}} }

// ExpDist returns the exponential distribution with the given mean.
func ExpDist(mean Time) Dist { return Dist{Kind: Exp, p: [3]float64{mean.Seconds()}} }

// Sample draws one value from r.
func (d *Dist) Sample(r *rand.Rand) Time {
	switch d.Kind {
	case Const:
		return Seconds(d.p[0])
	case Exp:
		return Seconds(r.ExpFloat64() * d.p[0])
	case Uniform:
		return Seconds(d.p[0] + r.Float64()*(d.p[1]-d.p[0]))
	case Normal:
		for range 64 {
			if v := d.p[0] + r.NormFloat64()*d.p[1]; v >= 0 {
				return Seconds(v)
			}
		}
		return 0
	case Lognormal:
		return Seconds(math.Exp(d.q[0] + d.q[1]*r.NormFloat64()))
	case Triangular:
		a, c, b := d.p[0], d.p[1], d.p[2]
		u := r.Float64()
		if u < d.q[0] {
			return Seconds(a + math.Sqrt(u*(b-a)*(c-a)))
		}
		return Seconds(b - math.Sqrt((1-u)*(b-a)*(b-c)))
	case Weibull:
		u := 1 - r.Float64() // in (0,1]
		return Seconds(d.p[1] * math.Pow(-math.Log(u), d.q[0]))
	}
	panic(fmt.Sprintf("sim: Sample of unknown distribution kind %d", d.Kind))
}

// Mean returns the mean of the distribution in seconds (for normal, the mean
// before truncation at zero).
func (d *Dist) Mean() float64 {
	switch d.Kind {
	case Uniform:
		return (d.p[0] + d.p[1]) / 2
	case Triangular:
		return (d.p[0] + d.p[1] + d.p[2]) / 3
	case Weibull:
		return d.p[1] * math.Gamma(1+1/d.p[0])
	default: // const, exp, normal and lognormal store the mean first
		return d.p[0]
	}
}

// StdDev returns the standard deviation of the distribution in seconds
// (for normal, the sd before truncation at zero).
func (d *Dist) StdDev() float64 {
	p := d.p
	switch d.Kind {
	case Exp:
		return p[0]
	case Uniform:
		return (p[1] - p[0]) / math.Sqrt(12)
	case Normal, Lognormal:
		return p[1]
	case Triangular:
		a, c, b := p[0], p[1], p[2]
		return math.Sqrt((a*a + b*b + c*c - a*b - a*c - b*c) / 18)
	case Weibull:
		g1 := math.Gamma(1 + 1/p[0])
		return p[1] * math.Sqrt(math.Max(0, math.Gamma(1+2/p[0])-g1*g1))
	default: // const
		return 0
	}
}

// Longest returns the largest of the distribution's time parameters (for
// weibull, its scale), as written: what must not pass MaxSpan.
func (d *Dist) Longest() Time {
	p := d.p
	switch d.Kind {
	case Weibull:
		return Seconds(p[1])
	case Const, Exp:
		return Seconds(p[0])
	case Triangular:
		return Seconds(max(p[0], p[1], p[2]))
	}
	return Seconds(max(p[0], p[1]))
}

// MeanTime returns Mean as simulated time.
func (d *Dist) MeanTime() Time { return Seconds(d.Mean()) }

// IsZero reports whether the distribution always gives 0.
func (d *Dist) IsZero() bool { return d.Kind == Const && d.p[0] == 0 }

// String returns the distribution in config syntax, e.g. "exp(3s)".
func (d Dist) String() string {
	n := [...]int{1, 1, 2, 2, 2, 3, 2}[d.Kind]
	parts := make([]string, n)
	for i := range n {
		if d.Kind == Weibull && i == 0 {
			parts[i] = strconv.FormatFloat(d.p[0], 'g', -1, 64)
			continue
		}
		parts[i] = Seconds(d.p[i]).String()
	}
	return d.Kind.String() + "(" + strings.Join(parts, ",") + ")"
}

// MarshalText writes the distribution in config syntax.
func (d Dist) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses config syntax; see ParseDist.
func (d *Dist) UnmarshalText(b []byte) error {
	v, err := ParseDist(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ParseDist parses a distribution written as in configs: const(2.8s),
// exp(3s) (mean), uniform(1s,2s), normal(3s,200ms) (mean, sd),
// lognormal(6m,2m) (mean, sd), triangular(1s,2s,4s) (min, mode, max),
// weibull(1.5,8h) (shape, scale), or a bare duration meaning const.
// Every parameter must make sense for its family; the error says which does not.
func ParseDist(s string) (Dist, error) {
	s = strings.TrimSpace(s)
	open := strings.IndexByte(s, '(')
	if open < 0 {
		t, err := ParseDuration(s)
		if err != nil {
			return Dist{}, err
		}
		return ConstDist(t), nil
	}
	if !strings.HasSuffix(s, ")") {
		return Dist{}, fmt.Errorf("distribution %q: missing closing parenthesis", s)
	}
	name := strings.TrimSpace(s[:open])
	kind := -1
	for i, n := range distNames {
		if n == name {
			kind = i
		}
	}
	if kind < 0 {
		return Dist{}, fmt.Errorf("unknown distribution %q in %q (want one of %s)", name, s, strings.Join(distNames[:], ", "))
	}
	args := strings.Split(s[open+1:len(s)-1], ",")
	d := Dist{Kind: DistKind(kind)}
	want := [...]int{1, 1, 2, 2, 2, 3, 2}[kind]
	if len(args) != want || (len(args) == 1 && strings.TrimSpace(args[0]) == "") {
		return Dist{}, fmt.Errorf("%s takes %d parameter(s), got %q", name, want, s)
	}
	for i, a := range args {
		if d.Kind == Weibull && i == 0 {
			f, err := strconv.ParseFloat(strings.TrimSpace(a), 64)
			if err != nil || !(f > 0) || math.IsInf(f, 0) {
				return Dist{}, fmt.Errorf("weibull shape %q must be a positive number in %q", strings.TrimSpace(a), s)
			}
			d.p[0] = f
			continue
		}
		t, err := ParseDuration(a)
		if err != nil {
			return Dist{}, fmt.Errorf("%s in %q", err, s)
		}
		d.p[i] = t.Seconds()
	}
	if err := d.check(); err != nil {
		return Dist{}, fmt.Errorf("%s: %w", s, err)
	}
	d.derive()
	return d, nil
}

func (d *Dist) check() error {
	p := d.p
	if d.Longest() > MaxSpan {
		return fmt.Errorf("a parameter is %w", ErrTooLong)
	}
	switch d.Kind {
	case Exp:
		if p[0] <= 0 {
			return errors.New("mean must be positive")
		}
	case Uniform:
		if p[1] < p[0] {
			return errors.New("upper bound is below lower bound")
		}
	case Normal:
		if p[0] <= 0 {
			return errors.New("mean must be positive")
		}
	case Lognormal:
		if p[0] <= 0 {
			return errors.New("mean must be positive")
		}
	case Triangular:
		if !(p[0] <= p[1] && p[1] <= p[2]) || p[0] == p[2] {
			return errors.New("want min <= mode <= max with min < max")
		}
	case Weibull:
		if p[1] <= 0 {
			return errors.New("scale must be positive")
		}
	}
	return nil
}

func (d *Dist) derive() {
	p := d.p
	switch d.Kind {
	case Lognormal:
		m, sd := p[0], p[1]
		v := math.Log(1 + sd*sd/(m*m))
		d.q[0] = math.Log(m) - v/2
		d.q[1] = math.Sqrt(v)
	case Triangular:
		d.q[0] = (p[1] - p[0]) / (p[2] - p[0])
	case Weibull:
		d.q[0] = 1 / p[0]
	}
}

// Scale returns d with every time parameter multiplied by f (weibull's
// shape stays): the same shape of distribution, f times as long. It is
// how a what-if runs a station faster or slower. f must be positive and
// finite.
func (d Dist) Scale(f float64) (Dist, error) {
	if !(f > 0) || math.IsInf(f, 0) {
		return Dist{}, fmt.Errorf("scaling %v by %v: want a positive finite factor", d, f)
	}
	for i := range d.p {
		if d.Kind == Weibull && i == 0 {
			continue
		}
		d.p[i] *= f
	}
	if err := d.check(); err != nil {
		return Dist{}, fmt.Errorf("scaling by %v: %w", f, err)
	}
	d.derive()
	return d, nil
}
