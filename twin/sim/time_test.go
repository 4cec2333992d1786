package sim_test

import (
	"math"
	"strings"
	"testing"

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
		{"1d12h", "bad duration"},
		{"NaNd", "bad duration"},
		{"Infd", "bad duration"},
		{"-1s", "negative duration"},
		{"-0.5d", "negative duration"},
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
