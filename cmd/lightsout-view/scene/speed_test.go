package scene

import (
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

func TestParseSpeed(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Speed
		ok   bool
	}{
		{"1", 1, true}, {"100", 100, true}, {"100x", 100, true}, {" 20X ", 20, true}, {"0.5", 0.5, true},
		{"10000", 10000, true}, {"max", MaxSpeed, true}, {"MAX", MaxSpeed, true},
		{"0", 0, false}, {"-5", 0, false}, {"fast", 0, false}, {"", 0, false}, {"1e9", 0, false}, {"NaN", 0, false},
	} {
		got, err := ParseSpeed(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("ParseSpeed(%q) = %v, %v; want %v, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestSpeedSteps(t *testing.T) {
	want := []string{"1x", "2x", "5x", "10x", "20x", "50x", "100x", "200x", "500x", "1,000x", "2,000x", "5,000x", "10,000x", "max"}
	s := Speed(1)
	for i, w := range want {
		if s.String() != w {
			t.Fatalf("step %d: %v, want %v", i, s, w)
		}
		s = s.Faster()
	}
	if s != MaxSpeed {
		t.Errorf("faster than max: %v", s)
	}
	for i := len(want) - 1; i >= 0; i-- {
		if s.String() != want[i] {
			t.Fatalf("down step %d: %v, want %v", i, s, want[i])
		}
		s = s.Slower()
	}
	if s != 1 {
		t.Errorf("slower than 1x: %v", s)
	}
	for _, tc := range []struct {
		s              Speed
		faster, slower Speed
	}{
		{30, 50, 20}, {0.5, 1, 0.5}, {15000, MaxSpeed, 10000}, {100, 200, 50},
	} {
		if tc.s.Faster() != tc.faster || tc.s.Slower() != tc.slower {
			t.Errorf("%v: faster %v slower %v; want %v, %v", tc.s, tc.s.Faster(), tc.s.Slower(), tc.faster, tc.slower)
		}
	}
}

func TestFormatSpeed(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{{0, "0x"}, {0.44, "0.4x"}, {1, "1x"}, {2.5, "2.5x"}, {19.6, "20x"}, {98.7, "99x"}, {1234.5, "1,235x"}, {123456, "123,456x"}} {
		if got := FormatSpeed(tc.v); got != tc.want {
			t.Errorf("FormatSpeed(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestFlashWindow(t *testing.T) {
	for _, tc := range []struct {
		speed Speed
		real  float64
		want  sim.Time
	}{
		{1, 0, 150 * sim.Millisecond},
		{0.5, 0, 150 * sim.Millisecond}, // never shorter than 150 ms
		{100, 40, 15 * sim.Second},      // the speed asked for
		{MaxSpeed, 2000, 300 * sim.Second},
		{MaxSpeed, 0, 150 * sim.Millisecond},
	} {
		if got := FlashWindow(tc.speed, tc.real); got != tc.want {
			t.Errorf("FlashWindow(%v, %v) = %v, want %v", tc.speed, tc.real, got, tc.want)
		}
	}
}
