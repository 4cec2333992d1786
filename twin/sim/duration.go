package sim

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// spanUnits are the units of ParseDuration, in nanoseconds: Go's, plus d
// (24 h) and w (7 d).
var spanUnits = map[string]uint64{
	"ns": 1, "us": 1e3, "µs": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9,
	"d": uint64(Day), "w": uint64(Week),
}

// ParseDuration parses a duration as configs, flags and query strings
// write it: Go's syntax ("2.8s", "150ms", "1h30m") plus d for days of
// 24 h and w for weeks of 7 d, in any combination and order ("2d", "0.5d",
// "1d12h", "1w2d3h", as textfmt.Span writes them). A unit is required: a
// plain number is refused, and so are a negative duration and one longer
// than MaxSpan; the error says which.
func ParseDuration(s string) (Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty duration")
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return 0, fmt.Errorf("duration %q has no unit (write e.g. %ss)", s, s)
	}
	// A number of days as ParseFloat reads it ("0.5d", "1e3d"), as before
	// d could be combined with other units.
	if days, ok := strings.CutSuffix(s, "d"); ok && !strings.HasSuffix(s, "nd") {
		f, err := strconv.ParseFloat(days, 64)
		switch {
		case err == nil:
			return parseDays(s, f)
		case errors.Is(err, strconv.ErrRange) && f < 0:
			return 0, fmt.Errorf("negative duration %q", s)
		case errors.Is(err, strconv.ErrRange) && f > 0:
			return 0, tooLong(s)
		}
	}
	if v, err := time.ParseDuration(s); err == nil {
		return checkSpan(s, Time(v), v < 0)
	}
	return parseSpan(s)
}

// parseDays returns f days, written s.
func parseDays(s string, f float64) (Time, error) {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0): // written "NaN" or "Inf"
		return 0, badDuration(s)
	case f < 0:
		return 0, fmt.Errorf("negative duration %q", s)
	case f*86400 > MaxSpan.Seconds():
		return 0, tooLong(s)
	}
	return Seconds(f * 86400), nil
}

// parseSpan parses s as Go's time.ParseDuration does, with the units of
// spanUnits, checking the result against MaxSpan rather than overflowing.
func parseSpan(s string) (Time, error) {
	rest, neg := s, false
	if rest[0] == '-' || rest[0] == '+' {
		neg, rest = rest[0] == '-', rest[1:]
	}
	if rest == "" {
		return 0, badDuration(s)
	}
	var total uint64 // nanoseconds, capped just past MaxSpan
	for rest != "" {
		var n uint64
		var ok bool
		if n, rest, ok = spanPart(rest); !ok {
			return 0, badDuration(s)
		}
		total = min(total+n, uint64(MaxSpan)+1)
	}
	return checkSpan(s, Time(total), neg && total > 0)
}

// spanPart reads one number and its unit from the start of s and returns
// its value in nanoseconds (at most MaxSpan + 1: longer is too long
// anyway) and what follows it.
func spanPart(s string) (ns uint64, rest string, ok bool) {
	const limit = uint64(MaxSpan) + 1
	i, whole := 0, uint64(0)
	for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
		whole = min(whole*10+uint64(s[i]-'0'), limit)
	}
	digits := i
	frac, scale := uint64(0), 1.0
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
			digits++
			if frac < 1e18 { // further digits cannot matter
				frac, scale = frac*10+uint64(s[i]-'0'), scale*10
			}
		}
	}
	j := i
	for ; j < len(s) && s[j] != '.' && (s[j] < '0' || s[j] > '9'); j++ {
	}
	unit, known := spanUnits[s[i:j]]
	if digits == 0 || !known {
		return 0, "", false
	}
	ns = limit
	if whole <= limit/unit {
		ns = min(whole*unit+uint64(float64(frac)*(float64(unit)/scale)), limit)
	}
	return ns, s[j:], true
}

// checkSpan returns t, parsed from s, unless it is negative (neg) or
// longer than MaxSpan.
func checkSpan(s string, t Time, neg bool) (Time, error) {
	switch {
	case neg:
		return 0, fmt.Errorf("negative duration %q", s)
	case t > MaxSpan:
		return 0, tooLong(s)
	}
	return t, nil
}

func badDuration(s string) error {
	return fmt.Errorf("bad duration %q (want e.g. 2.8s, 150ms, 8h, 2d, 1d12h)", s)
}

// ErrTooLong is the cause of ParseDuration's error for a duration longer
// than MaxSpan.
var ErrTooLong = errors.New("longer than the limit of 100 years (36500d)")

func tooLong(s string) error {
	return fmt.Errorf("duration %q is %w", s, ErrTooLong)
}
