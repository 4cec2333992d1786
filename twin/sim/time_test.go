package sim_test

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want sim.Time
	}{
		{"2.8s", 2800 * sim.Millisecond},
		{"150ms", 150 * sim.Millisecond},
		{"8h", 8 * sim.Hour},
		{"1h30m", 90 * sim.Minute},
		{"0s", 0},
		{"2d", 2 * sim.Day},
		{"0.5d", 12 * sim.Hour},
		{"  3m \t", 3 * sim.Minute},
		{" 1d ", sim.Day},
		// d and w combine with each other and with Go's units, in any order.
		{"1d12h", 36 * sim.Hour},
		{"1w", sim.Week},
		{"1w2d3h", 9*sim.Day + 3*sim.Hour},
		{"12h1d", 36 * sim.Hour},
		{"1.5w", 10*sim.Day + 12*sim.Hour},
		{"1d0.5h30m", sim.Day + sim.Hour},
		{"2d150ms", 2*sim.Day + 150*sim.Millisecond},
		{"+1d1s", sim.Day + sim.Second},
		{"-0d0s", 0},
		{"1us1µs1μs", 3 * sim.Microsecond},
		// Forms ParseFloat reads before a d were accepted before d could
		// combine, and still are.
		{"1e1d", 10 * sim.Day},
		{".5d", 12 * sim.Hour},
		{"5.d", 5 * sim.Day},
		{"+1d", sim.Day},
		{"-0d", 0},
		{"1e-400d", 0},
		// The limit, MaxSpan: 100 years of 365 days.
		{"36500d", sim.MaxSpan},
		{"5214w2d", sim.MaxSpan},
		{"876000h", sim.MaxSpan},
	}
	for _, tt := range tests {
		got, err := sim.ParseDuration(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	errs := []struct{ in, want string }{
		{"", "empty duration"},
		{"  ", "empty duration"},
		{"5", "no unit"},
		{"0", "no unit"},
		{"2x", "bad duration"},
		{"d", "bad duration"},
		{"NaNd", "bad duration"},
		{"Infd", "bad duration"},
		{"1x2d", "bad duration"},
		{"1d2", "bad duration"},
		{"1d.h", "bad duration"},
		{"1.5.5d", "bad duration"},
		{"dd", "bad duration"},
		{"-", "bad duration"},
		{"-1s", "negative duration"},
		{"-0.5d", "negative duration"},
		{"-1d12h", "negative duration"},
		{"-1e400d", "negative duration"},
		// Longer than MaxSpan: never silently "forever".
		{"99999999999999d", "longer than the limit of 100 years"},
		{"999999999999999d", "longer than the limit of 100 years"},
		{"36500.001d", "longer than the limit of 100 years"},
		{"36500d1ns", "longer than the limit of 100 years"},
		{"876000h1ns", "longer than the limit of 100 years"},
		{"1e400d", "longer than the limit of 100 years"},
		{"2562048h", "longer than the limit of 100 years"},    // Go's own limit is 2562047h
		{"9999999999999999999h", "longer than the limit"},     // overflows Go's parser
		{"99999999999999999999999w", "longer than the limit"}, // overflows uint64
		{"5215w", "longer than the limit of 100 years"},
	}
	for _, tt := range errs {
		got, err := sim.ParseDuration(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseDuration(%q) = %v, %v; want an error mentioning %q", tt.in, got, err, tt.want)
		}
	}
}

func TestTimeConversions(t *testing.T) {
	secs := []struct {
		in   float64
		want sim.Time
	}{
		{1.5, 1500 * sim.Millisecond},
		{1e-9, 1},
		{0.4e-9, 0}, // rounds to the nearest nanosecond
		{0, 0},
		{-1, 0},
		{math.NaN(), 0},
		{1e30, sim.Forever},
		{math.Inf(1), sim.Forever},
	}
	for _, tt := range secs {
		if got := sim.Seconds(tt.in); got != tt.want {
			t.Errorf("Seconds(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if got := (90 * sim.Minute).Hours(); got != 1.5 {
		t.Errorf("Hours = %v, want 1.5", got)
	}
	if got := sim.Forever.String(); got != "forever" {
		t.Errorf("Forever.String() = %q", got)
	}
	var tm sim.Time
	if err := tm.UnmarshalText([]byte("2d")); err != nil || tm != 2*sim.Day {
		t.Errorf("UnmarshalText(2d) = %v, %v", tm, err)
	}
	b, _ := (1500 * sim.Millisecond).MarshalText()
	if err := tm.UnmarshalText(b); err != nil || tm != 1500*sim.Millisecond {
		t.Errorf("UnmarshalText(MarshalText(1.5s)) = %v, %v", tm, err)
	}
}

// FuzzParseDurationMatchesGo checks that ParseDuration reads Go's syntax
// as time.ParseDuration does, also when a d or w unit sends it down its own
// parser ("0d" added to a Go duration), and that it never returns a span
// longer than MaxSpan.
func FuzzParseDurationMatchesGo(f *testing.F) {
	for _, s := range []string{"1h30m", "2.8s", "150ms", ".5h", "5.h", "1.000000001s", "0.333333333333h",
		"1us2µs3μs", "8760h", "876000h", "2562047h", "1e3s", "-3m", "0s", "+1m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := sim.ParseDuration(s)
		if err == nil && (got < 0 || got > sim.MaxSpan) {
			t.Fatalf("ParseDuration(%q) = %d: outside [0, MaxSpan]", s, int64(got))
		}
		want, gerr := time.ParseDuration(s)
		if gerr != nil || want < 0 || sim.Time(want) > sim.MaxSpan || strings.TrimSpace(s) != s {
			return
		}
		if _, ferr := strconv.ParseFloat(s, 64); ferr == nil {
			return // a plain number such as 0: refused for want of a unit
		}
		for _, in := range []string{s, s + "0d", "0w" + strings.TrimPrefix(s, "+")} {
			if strings.HasPrefix(s, "-") && in != s {
				continue
			}
			got, err := sim.ParseDuration(in)
			if err != nil || got != sim.Time(want) {
				t.Errorf("ParseDuration(%q) = %d, %v; time.ParseDuration(%q) = %d", in, int64(got), err, s, int64(want))
			}
		}
	})
}

func TestTimeAdd(t *testing.T) {
	for _, tt := range []struct{ t, d, want sim.Time }{
		{0, 0, 0},
		{sim.Hour, sim.Minute, sim.Hour + sim.Minute},
		{sim.MaxSpan, sim.MaxSpan, 2 * sim.MaxSpan},
		{sim.MaxSpan, sim.Forever, sim.Forever},
		{sim.Forever, 1, sim.Forever},
		{sim.Forever - 1, 1, sim.Forever},
	} {
		if got := tt.t.Add(tt.d); got != tt.want {
			t.Errorf("%d.Add(%d) = %d, want %d", int64(tt.t), int64(tt.d), int64(got), int64(tt.want))
		}
	}
}

// Seconds' rounding agrees with math.Round on every kind of value below
// 2^63: random ones of every magnitude, halfway cases and their neighbours,
// integers, and the edges of the float64 formats' integer ranges.
func TestRoundPositiveIsMathRound(t *testing.T) {
	check := func(x float64) {
		t.Helper()
		if !(x >= 0 && x < 1<<63) {
			return
		}
		if got, want := sim.RoundPositive(x), sim.Time(math.Round(x)); got != want {
			t.Fatalf("round(%v = %b) = %d, math.Round gives %d", x, math.Float64bits(x), got, want)
		}
	}
	near := func(x float64) {
		t.Helper()
		check(x)
		check(math.Nextafter(x, 0))
		check(math.Nextafter(x, math.Inf(1)))
	}
	for _, x := range []float64{0, math.SmallestNonzeroFloat64, 0.25, 0.5, 1, 1.5, 2.5, 1 << 52, 1<<52 + 0.5, 1<<52 + 1,
		1 << 53, 1<<53 + 2, 1 << 62, math.MaxInt64 / 2, 1 << 63} {
		near(x)
		near(x / 2)
		near(x + 0.5)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1_000_000 {
		// Random magnitudes from 2^-30 to 2^63, random bits below.
		x := math.Ldexp(1+rng.Float64(), rng.IntN(93)-30)
		check(x)
		// Halfway: an integer plus one half, exactly, below 2^52.
		k := float64(rng.Int64N(1 << 52))
		near(k + 0.5)
		check(k)
	}
	// Nanosecond counts from durations in seconds, as Seconds makes them.
	for range 1_000_000 {
		s := rng.ExpFloat64() * math.Ldexp(1, rng.IntN(40)-20)
		if got, want := sim.Seconds(s), sim.Time(math.Round(s*1e9)); s*1e9 < math.MaxInt64 && got != want {
			t.Fatalf("Seconds(%v) = %d, math.Round gives %d", s, got, want)
		}
	}
}

// A time prints in the syntax ParseDuration reads, without zero units,
// and reads back as itself.
func TestTimeStringRoundTrips(t *testing.T) {
	for _, c := range []struct {
		t    sim.Time
		want string
	}{
		{0, "0s"}, {2 * sim.Day, "2d"}, {8 * sim.Hour, "8h"}, {90 * sim.Minute, "1h30m"},
		{sim.Day + sim.Second, "1d1s"}, {5500 * sim.Millisecond, "5.5s"}, {250 * sim.Millisecond, "250ms"},
		{sim.Nanosecond, "1ns"}, {1500 * sim.Nanosecond, "1.5µs"}, {-sim.Millisecond, "-1ms"}, {-30 * sim.Second, "-30s"}, {-90 * sim.Second, "-1m30s"}, {sim.Forever, "forever"},
	} {
		if got := c.t.String(); got != c.want {
			t.Errorf("%d ns prints %q, want %q", int64(c.t), got, c.want)
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	for range 100000 {
		v := sim.Time(r.Int64N(int64(sim.MaxSpan)))
		if r.IntN(2) == 0 {
			v = v / sim.Second * sim.Second // whole seconds are common
		}
		back, err := sim.ParseDuration(v.String())
		if err != nil || back != v {
			t.Fatalf("%d ns prints %q, which reads back as %d ns (%v)", int64(v), v.String(), int64(back), err)
		}
	}
}
