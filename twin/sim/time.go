package sim

import (
	"math"
	"strconv"
	"time"
)

// Time is a point on the simulated clock, or a span of simulated time, in
// nanoseconds. Integer time makes every run exactly reproducible.
type Time int64

// Common spans of simulated time.
const (
	Nanosecond  Time = 1
	Microsecond      = 1000 * Nanosecond
	Millisecond      = 1000 * Microsecond
	Second           = 1000 * Millisecond
	Minute           = 60 * Second
	Hour             = 60 * Minute
	Day              = 24 * Hour
	Week             = 7 * Day
	Year             = 365 * Day
)

// MaxSpan is the longest span of simulated time a model may use: 100
// years of 365 days (36500d). ParseDuration refuses anything longer, and
// so does every config and flag that reads a duration. The clock itself
// holds about 292 years (up to Forever); keeping every span at most
// MaxSpan leaves room to add a span to a time within a run of at most
// MaxSpan without passing it.
const MaxSpan = 100 * Year

// Forever is a time later than any event; it means "never".
const Forever Time = math.MaxInt64

// Seconds converts a number of seconds to simulated time, rounding to the
// nearest nanosecond (halfway cases up, as math.Round does). Negative values
// and NaN give 0; values too large give Forever.
func Seconds(s float64) Time {
	if !(s > 0) {
		return 0
	}
	ns := s * 1e9
	if ns >= math.MaxInt64 {
		return Forever
	}
	return roundPositive(ns)
}

// roundPositive is Time(math.Round(x)) for 0 <= x < 2^63, without
// math.Round's bit manipulation (done in software on amd64): the conversion
// truncates, and x - trunc(x) is exact for every float64, so adding 1 when
// it is at least a half rounds exactly as math.Round does.
func roundPositive(x float64) Time {
	t := Time(x)
	if x-float64(t) >= 0.5 {
		t++
	}
	return t
}

// Add returns t + d for a d that is not negative, or Forever when the sum
// would pass it: a time plus a long random draw never wraps around.
func (t Time) Add(d Time) Time {
	if s := t + d; s >= t {
		return s
	}
	return Forever
}

// Seconds returns t in seconds.
func (t Time) Seconds() float64 { return float64(t) / 1e9 }

// Hours returns t in hours.
func (t Time) Hours() float64 { return float64(t) / float64(Hour) }

// Duration returns t as a time.Duration.
func (t Time) Duration() time.Duration { return time.Duration(t) }

// String formats t in the syntax ParseDuration reads, with whole days,
// hours and minutes and then seconds, leaving out the units that are zero:
// "2d", "8h", "1h30m", "5.5s", "0s", and below a second alone "250ms" (or
// Go's "1.5µs"); Forever prints as "forever".
// ParseDuration(t.String()) is t.
func (t Time) String() string {
	if t == Forever {
		return "forever"
	}
	if t == 0 {
		return "0s"
	}
	var buf [40]byte
	b := buf[:0]
	u := uint64(t)
	if t < 0 {
		b = append(b, '-')
		u = -u
	}
	for _, d := range [...]struct {
		n    uint64
		unit byte
	}{{uint64(Day), 'd'}, {uint64(Hour), 'h'}, {uint64(Minute), 'm'}} {
		if u >= d.n {
			b = strconv.AppendUint(b, u/d.n, 10)
			b = append(b, d.unit)
			u %= d.n
		}
	}
	alone := len(b) == 0 || len(b) == 1 && b[0] == '-'
	switch {
	case u > 0 && u < 1e9 && alone:
		// Below a second alone: in milliseconds, or as Go writes it.
		if u%1e6 == 0 {
			b = append(strconv.AppendUint(b, u/1e6, 10), "ms"...)
		} else {
			b = append(b, time.Duration(u).String()...)
		}
	case u > 0:
		b = strconv.AppendUint(b, u/1e9, 10)
		if frac := u % 1e9; frac > 0 {
			f := strconv.AppendUint(nil, 1e9+frac, 10)[1:] // nine digits
			for len(f) > 0 && f[len(f)-1] == '0' {
				f = f[:len(f)-1]
			}
			b = append(append(b, '.'), f...)
		}
		b = append(b, 's')
	}
	return string(b)
}

// UnmarshalText parses a duration as ParseDuration does ("2.8s", "8h", "2d").
func (t *Time) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// MarshalText writes t as String does.
func (t Time) MarshalText() ([]byte, error) { return []byte(t.String()), nil }
