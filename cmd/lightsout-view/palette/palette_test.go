package palette

import (
	"image/color"
	"testing"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
)

func TestPhase(t *testing.T) {
	for _, tc := range []struct {
		phase stations.Phase
		want  color.RGBA
	}{
		{stations.Working, RGB(0x3f, 0xb9, 0x50)},     // green
		{stations.Loading, RGB(0x2d, 0xb8, 0xc5)},     // teal: handling
		{stations.Unloading, RGB(0x2d, 0xb8, 0xc5)},   // teal: handling
		{stations.Starved, RGB(0xd9, 0xb4, 0x4a)},     // yellow
		{stations.Blocked, RGB(0x5b, 0x7c, 0xf5)},     // blue
		{stations.Down, RGB(0xf0, 0x52, 0x4f)},        // red
		{stations.Maintenance, RGB(0xa8, 0x7b, 0xe8)}, // violet
		{stations.Phase(99), TextFade},                // unknown: grey
	} {
		if got := Phase(tc.phase); got != tc.want {
			t.Errorf("Phase(%v) = %v, want %v", tc.phase, got, tc.want)
		}
	}
}

func TestPhaseColorsAreDistinct(t *testing.T) {
	// Every state but the two handling phases has a colour of its own, and
	// none is the colour of a defect, a unit or the floor.
	seen := map[color.RGBA]stations.Phase{}
	for p := range stations.Phase(stations.NumPhases) {
		c := Phase(p)
		if q, dup := seen[c]; dup && !(p == stations.Unloading && q == stations.Loading) {
			t.Errorf("%v and %v share colour %v", p, q, c)
		}
		seen[c] = p
		for _, other := range []color.RGBA{Defect, Unit, Floor, Block, Machine} {
			if c == other {
				t.Errorf("%v has the colour %v of something else on the floor", p, c)
			}
		}
	}
}

func TestArm(t *testing.T) {
	for _, tc := range []struct {
		phase robots.Phase
		want  color.RGBA
	}{
		{robots.Idle, ArmJoint}, {robots.Moving, ArmMove}, {robots.Down, ArmDown},
	} {
		if got := Arm(tc.phase); got != tc.want {
			t.Errorf("Arm(%v) = %v, want %v", tc.phase, got, tc.want)
		}
	}
}

func TestLegendCoversEveryPhase(t *testing.T) {
	shown := map[color.RGBA]bool{}
	for _, e := range Legend() {
		shown[e.Color] = true
	}
	for p := range stations.Phase(stations.NumPhases) {
		if !shown[Phase(p)] {
			t.Errorf("the legend does not explain the colour of %v", p)
		}
	}
}

func TestColourHelpers(t *testing.T) {
	if got := Mix(RGB(0, 0, 0), RGB(200, 100, 50), 0.5); got != RGB(100, 50, 25) {
		t.Errorf("Mix = %v", got)
	}
	if got := Mix(RGB(0, 0, 0), RGB(200, 100, 50), 7); got != RGB(200, 100, 50) {
		t.Errorf("Mix past 1 = %v, want b", got)
	}
	if got := Fade(RGB(200, 100, 50), 0.5); got != (color.RGBA{100, 50, 25, 127}) {
		t.Errorf("Fade = %v", got)
	}
	if got := Fade(RGB(200, 100, 50), -1); got != (color.RGBA{}) {
		t.Errorf("Fade below 0 = %v, want clear", got)
	}
	if got := RGBA(200, 100, 50, 128); got != (color.RGBA{100, 50, 25, 128}) {
		t.Errorf("RGBA = %v (want premultiplied)", got)
	}
}

func TestHealth(t *testing.T) {
	for _, tc := range []struct {
		h    float64
		want color.RGBA
	}{
		{1, HealthGood}, {2, HealthGood}, {0.5, HealthFair}, {0, HealthPoor}, {-1, HealthPoor},
		{0.75, Mix(HealthFair, HealthGood, 0.5)}, {0.25, Mix(HealthPoor, HealthFair, 0.5)},
	} {
		if got := Health(tc.h); got != tc.want {
			t.Errorf("Health(%g) = %v, want %v", tc.h, got, tc.want)
		}
	}
	// Redder as health falls: the red share never drops, the green never rises.
	prev := Health(1)
	for k := 19; k >= 0; k-- {
		c := Health(float64(k) / 20)
		if c.G > prev.G+1 {
			t.Errorf("Health(%g) greener than Health(%g): %v after %v", float64(k)/20, float64(k+1)/20, c, prev)
		}
		prev = c
	}
}
