package sim

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// MarshalJSON writes t as a number of seconds, exactly: the whole seconds
// and up to nine decimals ("1.5", "28800", "0.000000001"). Every JSON
// document of Lightsout holds durations and simulated times so, in fields
// named with an _s suffix. Forever is written as any other time.
func (t Time) MarshalJSON() ([]byte, error) {
	neg := t < 0
	u := uint64(t)
	if neg {
		u = -u
	}
	var b []byte
	if neg {
		b = append(b, '-')
	}
	b = strconv.AppendUint(b, u/1e9, 10)
	if frac := u % 1e9; frac != 0 {
		s := fmt.Sprintf("%09d", frac)
		b = append(b, '.')
		b = append(b, strings.TrimRight(s, "0")...)
	}
	return b, nil
}

// UnmarshalJSON reads a number of seconds as MarshalJSON writes it (any
// JSON number, rounded to the nanosecond past nine decimals), or a
// duration string as ParseDuration reads it ("8h", "2d").
func (t *Time) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		s, err := strconv.Unquote(string(b))
		if err != nil {
			return fmt.Errorf("bad duration %s", b)
		}
		v, err := ParseDuration(s)
		if err != nil {
			return err
		}
		*t = v
		return nil
	}
	v, err := parseSeconds(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// parseSeconds reads a JSON number of seconds exactly when it has at most
// nine decimals and no exponent, else through float64.
func parseSeconds(s string) (Time, error) {
	whole, frac, dot := strings.Cut(s, ".")
	neg := strings.HasPrefix(whole, "-")
	digits := strings.TrimPrefix(whole, "-")
	exact := !strings.ContainsAny(s, "eE") && len(frac) <= 9 && digits != "" && (!dot || frac != "")
	if exact {
		w, err1 := strconv.ParseUint(digits, 10, 63)
		f := uint64(0)
		var err2 error
		if frac != "" {
			f, err2 = strconv.ParseUint(frac+strings.Repeat("0", 9-len(frac)), 10, 32)
		}
		if err1 == nil && err2 == nil && w <= uint64(Forever/Second) {
			v := w*1e9 + f
			if v <= uint64(Forever) {
				if neg {
					return -Time(v), nil
				}
				return Time(v), nil
			}
		}
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("bad number of seconds %q", s)
	}
	if x < 0 {
		return -Seconds(-x), nil
	}
	if x > Forever.Seconds() {
		return 0, errors.New("number of seconds " + s + " is out of range")
	}
	return Seconds(x), nil
}
