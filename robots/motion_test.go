package robots_test

import (
	"math"
	"testing"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

func TestTravelTime(t *testing.T) {
	tests := []struct {
		name    string
		d, v, a float64
		want    sim.Time
	}{
		{"zero distance", 0, 1, 2, 0},
		{"negative distance", -1, 1, 2, 0},
		{"long move cruises: d/v + v/a", 2, 1, 2, 2500 * sim.Millisecond},
		{"long move, faster arm", 3, 2, 4, 2 * sim.Second},
		{"short move never reaches v: 2 sqrt(d/a)", 0.125, 1, 2, 500 * sim.Millisecond},
		{"very short move", 0.02, 1, 2, 200 * sim.Millisecond},
		{"short move above v^2/2a", 0.32, 1, 2, 800 * sim.Millisecond},
		{"exactly v^2/a", 0.5, 1, 2, sim.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := robots.TravelTime(tt.d, tt.v, tt.a); got != tt.want {
				t.Errorf("TravelTime(%v, %v, %v) = %v, want %v", tt.d, tt.v, tt.a, got, tt.want)
			}
		})
	}
}

// At d = v^2/a the trapezoid has no cruise and both formulas give 2v/a; the
// time is continuous there and grows with distance.
func TestTravelTimeContinuousAtCruiseThreshold(t *testing.T) {
	for _, va := range [][2]float64{{1, 2}, {1.2, 0.7}, {0.35, 3.1}} {
		v, a := va[0], va[1]
		d := v * v / a
		want := sim.Seconds(2 * v / a)
		for _, x := range []float64{math.Nextafter(d, 0), d, math.Nextafter(d, 2*d)} {
			if got := robots.TravelTime(x, v, a); got < want-1 || got > want+1 {
				t.Errorf("v=%v a=%v: TravelTime(%v) = %v, want %v ± 1ns", v, a, x, got, want)
			}
		}
		// Against the kinematics written another way: reaching v takes v/a
		// over v^2/2a metres, and stopping the same.
		prev := sim.Time(0)
		for i := 1; i <= 400; i++ {
			x := d * float64(i) / 200
			want := 2 * math.Sqrt(x/a)
			if ramp := v * v / (2 * a); x >= 2*ramp {
				want = 2*v/a + (x-2*ramp)/v
			}
			got := robots.TravelTime(x, v, a)
			if diff := got - sim.Seconds(want); diff < -1 || diff > 1 {
				t.Fatalf("v=%v a=%v: TravelTime(%v) = %v, want %v", v, a, x, got, sim.Seconds(want))
			}
			if got < prev {
				t.Fatalf("v=%v a=%v: TravelTime falls from %v to %v at %v m", v, a, prev, got, x)
			}
			prev = got
		}
	}
}

func TestMoveTimeAddsGripAndRelease(t *testing.T) {
	s := &robots.Spec{ID: "arm", Speed: 1, Accel: 2, Grip: 100 * sim.Millisecond, Release: 50 * sim.Millisecond}
	for _, tt := range []struct {
		d    float64
		want sim.Time
	}{
		{0, 150 * sim.Millisecond},
		{0.125, 650 * sim.Millisecond},
		{1, 1650 * sim.Millisecond},
	} {
		if got := s.MoveTime(tt.d); got != tt.want {
			t.Errorf("MoveTime(%v) = %v, want %v", tt.d, got, tt.want)
		}
	}
}
