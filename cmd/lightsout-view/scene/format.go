package scene

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Thousands writes n with commas between groups of three digits: "12,345".
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// Percent writes a fraction as a percentage with one decimal: "79.5%".
func Percent(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "-"
	}
	return strconv.FormatFloat(f*100, 'f', 1, 64) + "%"
}

// Clock writes a simulated time as the day of the run (from 1) and the time
// of day: "day 3 14:05:12".
func Clock(t sim.Time) string {
	if t < 0 {
		t = 0
	}
	day := int64(t / sim.Day)
	rest := t % sim.Day
	h := int64(rest / sim.Hour)
	m := int64(rest % sim.Hour / sim.Minute)
	s := int64(rest % sim.Minute / sim.Second)
	return fmt.Sprintf("day %d %02d:%02d:%02d", day+1, h, m, s)
}

// Ago writes how long before now a sensor fired: "1.2 s ago", "3 min ago",
// or "never" for a time below zero (the snapshot's "never fired").
func Ago(now, at sim.Time) string {
	if at < 0 {
		return "never"
	}
	d := (now - at).Seconds()
	switch {
	case d < 60:
		return strconv.FormatFloat(d, 'f', 1, 64) + " s ago"
	case d < 3600:
		return strconv.FormatFloat(d/60, 'f', 0, 64) + " min ago"
	default:
		return strconv.FormatFloat(d/3600, 'f', 1, 64) + " h ago"
	}
}

// PerHour writes a rate in units per hour without decimals: "1,142/h".
func PerHour(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "-"
	}
	return Thousands(int64(math.Round(v))) + "/h"
}

// CapacityText writes a buffer capacity: the number, or ∞.
func CapacityText(c stations.Capacity) string {
	if c == stations.Inf {
		return "∞"
	}
	return strconv.Itoa(int(c))
}

// durationTidier drops the zero parts Go prints in durations: "24h0m0s"
// reads "24h", "8m0s" reads "8m".
var durationTidier = strings.NewReplacer("h0m0s", "h", "m0s", "m", "h0m", "h")

// Tidy shortens the durations in a distribution or time ("lognormal(8m0s,4m0s)").
func Tidy(s string) string { return durationTidier.Replace(s) }

// Duration writes a span of simulated time for people, with at most three
// significant figures and a unit a person reads at a glance: "0.25 s",
// "5.81 s", "45 s", "8 min", "8.5 min", "4 h", "1.5 h", "2 d". Zero is
// "0 s"; a negative span is written with a minus sign.
func Duration(t sim.Time) string {
	if t < 0 {
		return "-" + Duration(-t)
	}
	s := t.Seconds()
	switch {
	case t == 0:
		return "0 s"
	case t < sim.Millisecond:
		return sig3(s*1e6) + " µs"
	case t < sim.Second:
		return sig3(s*1e3) + " ms"
	case t < sim.Minute:
		return sig3(s) + " s"
	case t < sim.Hour:
		return sig3(s/60) + " min"
	case t < 2*sim.Day:
		return sig3(s/3600) + " h"
	}
	return sig3(s/86400) + " d"
}

// sig3 writes v (at least 1, below 1000) with three significant figures
// at most and no trailing zeros: 5.808 is "5.81", 45.0 is "45".
func sig3(v float64) string {
	dec := 2
	switch {
	case v >= 100:
		dec = 0
	case v >= 10:
		dec = 1
	}
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// DistText writes a distribution of durations as configs do, its
// durations for people (see Duration): "lognormal(8 min, 4 min)",
// "exp(4 h)", "weibull(1.5, 8 h)"; a constant is its duration alone.
func DistText(d sim.Dist) string {
	s := d.String()
	open := strings.IndexByte(s, '(')
	if open < 0 || !strings.HasSuffix(s, ")") {
		return s
	}
	parts := strings.Split(s[open+1:len(s)-1], ",")
	if s[:open] == "const" && len(parts) == 1 {
		if v, err := sim.ParseDuration(parts[0]); err == nil {
			return Duration(sim.Time(v)) // a fixed time reads as itself
		}
	}
	for i, p := range parts {
		if v, err := sim.ParseDuration(p); err == nil {
			parts[i] = Duration(sim.Time(v))
		}
	}
	return s[:open+1] + strings.Join(parts, ", ") + ")"
}
