package report

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
)

// readableTicks labels about six round values of an axis (steps of 1, 2,
// 2.5 or 5 times a power of ten) with numbers written for people (12,500
// rather than 12500, 2.5M rather than 2.5e+06), with unlabelled minor ticks
// between them.
type readableTicks struct{}

// Ticks returns the major and minor ticks between lo and hi.
func (readableTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	const want = 6
	raw := (hi - lo) / want
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * pow
	minors := 5
	for _, m := range []struct {
		mult   float64
		minors int
	}{{1, 5}, {2, 4}, {2.5, 5}, {5, 5}} {
		if m.mult*pow >= raw*0.75 {
			step, minors = m.mult*pow, m.minors
			break
		}
	}
	var ticks []plot.Tick
	minor := step / float64(minors)
	first := math.Ceil(lo/minor-1e-9) * minor
	for i := 0; ; i++ {
		v := first + float64(i)*minor
		if v > hi+minor*1e-9 {
			break
		}
		if q := v / step; math.Abs(q-math.Round(q)) < 1e-6 {
			v = math.Round(q) * step
			ticks = append(ticks, plot.Tick{Value: v, Label: formatNumber(v)})
			continue
		}
		ticks = append(ticks, plot.Tick{Value: v})
	}
	return ticks
}

// pointTicks labels each of a few integer values and nothing else; ok is
// false when xs are not all integers or too many for one label each.
func pointTicks(xs []float64) (ticks []plot.Tick, ok bool) {
	if len(xs) > 15 {
		return nil, false
	}
	for _, x := range xs {
		if x != math.Trunc(x) {
			return nil, false
		}
		ticks = append(ticks, plot.Tick{Value: x, Label: formatNumber(x)})
	}
	return ticks, true
}

// formatNumber formats v with at most four significant digits, thousands
// separators below ten million and an M or G suffix above.
func formatNumber(v float64) string {
	switch {
	case math.IsNaN(v):
		return "–"
	case math.IsInf(v, 0):
		return strconv.FormatFloat(v, 'f', -1, 64)
	case v == 0:
		return "0"
	}
	a := math.Abs(v)
	switch {
	case a >= 1e10:
		return trimZeros(strconv.FormatFloat(v/1e9, 'f', 2, 64)) + "G"
	case a >= 1e7:
		return trimZeros(strconv.FormatFloat(v/1e6, 'f', 2, 64)) + "M"
	case a >= 1000:
		return groupThousands(strconv.FormatFloat(math.Round(v), 'f', 0, 64))
	}
	// Four significant digits, without trailing zeros.
	decimals := 3 - int(math.Floor(math.Log10(a)))
	decimals = max(0, min(decimals, 6))
	return trimZeros(strconv.FormatFloat(v, 'f', decimals, 64))
}

func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// groupThousands inserts commas into a string of digits with an optional sign.
func groupThousands(s string) string {
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
