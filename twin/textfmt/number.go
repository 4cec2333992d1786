package textfmt

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Span writes a simulated span the way configs do, in the largest whole
// units: "7d", "1d12h", "1h30m", "2.5s", "0s".
func Span(t sim.Time) string {
	if t == 0 {
		return "0s"
	}
	var b strings.Builder
	if t < 0 {
		b.WriteByte('-')
		t = -t
	}
	for _, u := range []struct {
		d    sim.Time
		name string
	}{{sim.Day, "d"}, {sim.Hour, "h"}, {sim.Minute, "m"}} {
		if t >= u.d {
			fmt.Fprintf(&b, "%d%s", t/u.d, u.name)
			t %= u.d
		}
	}
	if t > 0 {
		b.WriteString(strconv.FormatFloat(t.Seconds(), 'f', -1, 64) + "s")
	}
	return b.String()
}

// Grouped writes x with the given number of decimals and its thousands
// grouped with commas: Grouped(1234567.8, 1) is "1,234,567.8". A value that
// rounds to zero has no minus sign.
func Grouped(x float64, decimals int) string {
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	if math.Signbit(x) && strings.Trim(b.String(), "0.,") == "" {
		sign = "" // no "-0.0"
	}
	return sign + b.String()
}

// Percent writes a fraction as a percentage with one decimal: Percent(0.612)
// is "61.2%".
func Percent(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + "%" }

// Bytes writes a number of bytes in decimal units, with two significant
// figures from 10 kB up: Bytes(1.234e12) is "1.2 TB", Bytes(56e6) "56 MB",
// Bytes(512) "512 B".
func Bytes(n float64) string {
	units := []string{"B", "kB", "MB", "GB", "TB", "PB", "EB"}
	i := 0
	for ; i < len(units)-1 && math.Abs(n) >= 999.5; i++ {
		n /= 1000
	}
	if i == 0 || math.Abs(n) >= 9.95 {
		return strconv.FormatFloat(n, 'f', 0, 64) + " " + units[i]
	}
	return strconv.FormatFloat(n, 'f', 1, 64) + " " + units[i]
}
