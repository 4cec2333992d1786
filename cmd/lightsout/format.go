package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// formatSpan writes a simulated span the way configs do, in the largest
// whole units: "7d", "1d12h", "90m" → "1h30m", "2.5s".
func formatSpan(t sim.Time) string {
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

// grouped formats x with the given decimals and a thin grouping of
// thousands with commas: 1234567.8 → "1,234,567.8".
func grouped(x float64, decimals int) string {
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

// percent formats a fraction as a percentage with one decimal: "61.2%".
func percent(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + "%" }
