package experiment

import "math"

// Estimate is the mean of a quantity over replications with the half-width
// of its 95% confidence interval (Student t). Both are finite: a quantity
// with no finite observation is reported as 0 ± 0.
type Estimate struct {
	Mean float64 `json:"mean"`
	CI95 float64 `json:"ci95"`
}

// Stat accumulates a stream of observations of one quantity (one value per
// replication) and keeps its count, mean and sum of squared deviations
// (Welford's method), so memory stays constant however many values are added.
// Non-finite values (NaN, ±Inf) are not counted. The zero Stat is empty and
// ready to use. A Stat is not safe for concurrent use; the result depends on
// the order of the values only through floating-point rounding, so adding
// them in a fixed order gives bit-identical results.
type Stat struct {
	n    int
	mean float64
	m2   float64
}

// Add records the observation x; NaN and infinities are ignored.
func (s *Stat) Add(x float64) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return
	}
	s.n++
	d := x - s.mean
	s.mean += d / float64(s.n)
	s.m2 += d * (x - s.mean)
}

// N returns the number of observations recorded.
func (s *Stat) N() int { return s.n }

// Mean returns the sample mean, 0 when there is no observation.
func (s *Stat) Mean() float64 { return s.mean }

// StdDev returns the sample standard deviation (divisor n-1), 0 when there
// are fewer than two observations.
func (s *Stat) StdDev() float64 {
	if s.n < 2 || s.m2 <= 0 {
		return 0
	}
	return math.Sqrt(s.m2 / float64(s.n-1))
}

// CI95 returns the half-width of the two-sided 95% confidence interval of the
// mean, t(0.975, n-1) x s / sqrt(n); 0 when there are fewer than two
// observations.
func (s *Stat) CI95() float64 {
	if s.n < 2 {
		return 0
	}
	return StudentTQuantile(0.975, float64(s.n-1)) * s.StdDev() / math.Sqrt(float64(s.n))
}

// Estimate returns the mean and the 95% half-width, with any non-finite
// value replaced by 0.
func (s *Stat) Estimate() Estimate {
	return Estimate{Mean: finite(s.Mean()), CI95: finite(s.CI95())}
}

// finite returns x, or 0 when x is NaN or infinite (JSON has neither).
func finite(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}

// StudentTQuantile returns the p-quantile of Student's t distribution with
// df degrees of freedom (df > 0, not necessarily an integer): the t with
// P(T <= t) = p. It returns NaN when p is outside (0, 1) or df <= 0.
//
// It inverts [StudentTCDF] with Newton steps safeguarded by bisection, to
// about 1e-12 relative accuracy.
func StudentTQuantile(p, df float64) float64 {
	switch {
	case !(p > 0 && p < 1) || !(df > 0):
		return math.NaN()
	case p == 0.5:
		return 0
	case p < 0.5:
		return -StudentTQuantile(1-p, df)
	case df == 1:
		return math.Tan(math.Pi * (p - 0.5)) // Cauchy: exact
	}
	// Bracket the root in [lo, hi], then refine.
	lo, hi := 0.0, 1.0
	for StudentTCDF(hi, df) < p {
		lo, hi = hi, 2*hi
		if math.IsInf(hi, 0) {
			return math.Inf(1)
		}
	}
	t := (lo + hi) / 2
	for range 200 {
		f := StudentTCDF(t, df) - p
		if f == 0 {
			return t
		}
		if f < 0 {
			lo = t
		} else {
			hi = t
		}
		next := t - f/studentTPDF(t, df)
		if !(next > lo && next < hi) {
			next = (lo + hi) / 2 // Newton left the bracket: bisect
		}
		if math.Abs(next-t) <= 1e-14*math.Abs(next) || hi-lo <= 1e-14*hi {
			return next
		}
		t = next
	}
	return t
}

// StudentTCDF returns P(T <= t) for Student's t distribution with df degrees
// of freedom, from the regularized incomplete beta function:
// P(T > |t|) = I_x(df/2, 1/2) / 2 with x = df / (df + t²).
func StudentTCDF(t, df float64) float64 {
	if math.IsNaN(t) || !(df > 0) {
		return math.NaN()
	}
	if math.IsInf(t, 0) {
		if t > 0 {
			return 1
		}
		return 0
	}
	// x and 1-x are both computed directly so that neither loses digits
	// when the other is close to 1.
	x, y := df/(df+t*t), t*t/(df+t*t)
	tail := 0.5 * regIncBeta(df/2, 0.5, x, y)
	if t > 0 {
		return 1 - tail
	}
	return tail
}

// studentTPDF returns the density of Student's t with df degrees of freedom.
func studentTPDF(t, df float64) float64 {
	return math.Exp(-lnBeta(df/2, 0.5) - 0.5*math.Log(df) - (df+1)/2*math.Log1p(t*t/df))
}

// regIncBeta returns the regularized incomplete beta function I_x(a, b) for
// a, b > 0 and x in [0, 1], given y = 1 - x computed by the caller as
// accurately as x. It uses the continued fraction of Numerical Recipes
// (§6.4), evaluated with the modified Lentz method on whichever side of the
// mean converges quickly.
func regIncBeta(a, b, x, y float64) float64 {
	switch {
	case x <= 0:
		return 0
	case y <= 0:
		return 1
	}
	lx, ly := math.Log(x), math.Log(y)
	if x > 0.5 {
		lx = math.Log1p(-y)
	} else {
		ly = math.Log1p(-x)
	}
	front := math.Exp(a*lx + b*ly - lnBeta(a, b))
	if x < (a+1)/(a+b+2) {
		return front * betaCF(a, b, x) / a
	}
	return 1 - front*betaCF(b, a, y)/b
}

// lnBeta returns log B(a, b) for a, b > 0. When one argument is large it
// avoids the cancellation of log Γ(a+b) - log Γ(a) by working with the
// remainders of Stirling's series (as R's lbeta does).
func lnBeta(a, b float64) float64 {
	p, q := min(a, b), max(a, b)
	switch {
	case p >= 10:
		corr := stirlingRem(p) + stirlingRem(q) - stirlingRem(p+q)
		return -0.5*math.Log(q) + 0.5*math.Log(2*math.Pi) + corr +
			(p-0.5)*math.Log(p/(p+q)) + q*math.Log1p(-p/(p+q))
	case q >= 10:
		corr := stirlingRem(q) - stirlingRem(p+q)
		lp, _ := math.Lgamma(p)
		return lp + corr + p - p*math.Log(p+q) + (q-0.5)*math.Log1p(-p/(p+q))
	}
	lp, _ := math.Lgamma(p)
	lq, _ := math.Lgamma(q)
	lpq, _ := math.Lgamma(p + q)
	return lp + lq - lpq
}

// stirlingRem returns log Γ(x) - ((x-1/2) log x - x + log(2π)/2) for
// x >= 10, from the asymptotic series (error below 1e-16 there).
func stirlingRem(x float64) float64 {
	z := 1 / (x * x)
	return (1.0/12 + z*(-1.0/360+z*(1.0/1260+z*(-1.0/1680+z*(1.0/1188+z*(-691.0/360360+z*(1.0/156))))))) / x
}

// betaCF evaluates the continued fraction of the incomplete beta function.
func betaCF(a, b, x float64) float64 {
	const (
		eps   = 4e-16
		tiny  = 1e-300
		limit = 100000 // converges in O(sqrt(max(a, b))) steps
	)
	qab, qap, qam := a+b, a+1, a-1
	c := 1.0
	d := 1 - qab*x/qap
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= limit; m++ {
		fm := float64(m)
		m2 := 2 * fm
		// Even step.
		aa := fm * (b - fm) * x / ((qam + m2) * (a + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		// Odd step.
		aa = -(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < eps {
			break
		}
	}
	return h
}
