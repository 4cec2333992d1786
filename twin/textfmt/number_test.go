package textfmt_test

import (
	"math/rand/v2"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

func TestSpan(t *testing.T) {
	for in, want := range map[sim.Time]string{
		0: "0s", 7 * sim.Day: "7d", 36 * sim.Hour: "1d12h", 90 * sim.Minute: "1h30m",
		2500 * sim.Millisecond: "2.5s", sim.Day + 1500*sim.Millisecond: "1d1.5s",
		-90 * sim.Minute: "-1h30m", sim.Millisecond: "0.001s",
	} {
		if got := textfmt.Span(in); got != want {
			t.Errorf("Span(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestGrouped(t *testing.T) {
	for _, tt := range []struct {
		x    float64
		d    int
		want string
	}{
		{0, 0, "0"}, {999, 0, "999"}, {1000, 0, "1,000"}, {1234567.89, 1, "1,234,567.9"},
		{-1234.5, 1, "-1,234.5"}, {-0.01, 1, "0.0"}, {123456, 2, "123,456.00"},
	} {
		if got := textfmt.Grouped(tt.x, tt.d); got != tt.want {
			t.Errorf("Grouped(%v, %d) = %q, want %q", tt.x, tt.d, got, tt.want)
		}
	}
}

func TestPercent(t *testing.T) {
	for in, want := range map[float64]string{0: "0.0%", 0.612: "61.2%", 1: "100.0%", 0.0004: "0.0%"} {
		if got := textfmt.Percent(in); got != want {
			t.Errorf("Percent(%v) = %q, want %q", in, got, want)
		}
	}
}

// TestSpanParsesBack checks that what Span writes, sim.ParseDuration reads
// back exactly: configs and flags take the spans the program prints.
func TestSpanParsesBack(t *testing.T) {
	spans := []sim.Time{0, 1, 999, sim.Second, 36 * sim.Hour, sim.Day + 1500*sim.Millisecond,
		sim.Week + 3*sim.Hour + 7*sim.Minute + 123456789, sim.MaxSpan, sim.MaxSpan - 1}
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		spans = append(spans, sim.Time(r.Int64N(int64(sim.MaxSpan)+1)), sim.Time(r.Int64N(int64(sim.Hour))))
	}
	for _, in := range spans {
		s := textfmt.Span(in)
		got, err := sim.ParseDuration(s)
		if err != nil || got != in {
			t.Fatalf("ParseDuration(Span(%d) = %q) = %d, %v", int64(in), s, int64(got), err)
		}
	}
}

func TestBytes(t *testing.T) {
	for in, want := range map[float64]string{
		0: "0 B", 512: "512 B", 999: "999 B", 1000: "1.0 kB", 12345: "12 kB", 999.4e3: "999 kB",
		999.6e3: "1.0 MB", 56e6: "56 MB", 9.94e9: "9.9 GB", 9.96e9: "10 GB", 1.234e12: "1.2 TB", 3e21: "3000 EB",
	} {
		if got := textfmt.Bytes(in); got != want {
			t.Errorf("Bytes(%v) = %q, want %q", in, got, want)
		}
	}
}
