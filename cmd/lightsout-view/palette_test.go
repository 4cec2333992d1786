package main

import (
	"image/color"
	"testing"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
)

func TestPhaseColor(t *testing.T) {
	for _, tc := range []struct {
		phase stations.Phase
		want  color.RGBA
	}{
		{stations.Working, rgb(0x3f, 0xb9, 0x50)},     // green
		{stations.Loading, rgb(0x2d, 0xb8, 0xc5)},     // teal: handling
		{stations.Unloading, rgb(0x2d, 0xb8, 0xc5)},   // teal: handling
		{stations.Starved, rgb(0xd9, 0xb4, 0x4a)},     // yellow
		{stations.Blocked, rgb(0x5b, 0x7c, 0xf5)},     // blue
		{stations.Down, rgb(0xf0, 0x52, 0x4f)},        // red
		{stations.Maintenance, rgb(0xa8, 0x7b, 0xe8)}, // violet
		{stations.Phase(99), colTextFade},             // unknown: grey
	} {
		if got := PhaseColor(tc.phase); got != tc.want {
			t.Errorf("PhaseColor(%v) = %v, want %v", tc.phase, got, tc.want)
		}
	}
}

func TestPhaseColorsAreDistinct(t *testing.T) {
	// Every state but the two handling phases has a colour of its own, and
	// none is the colour of a defect, a unit or the floor.
	seen := map[color.RGBA]stations.Phase{}
	for p := range stations.Phase(stations.NumPhases) {
		c := PhaseColor(p)
		if q, dup := seen[c]; dup && !(p == stations.Unloading && q == stations.Loading) {
			t.Errorf("%v and %v share colour %v", p, q, c)
		}
		seen[c] = p
		for _, other := range []color.RGBA{colDefect, colUnit, colFloor, colBlock, colMachine} {
			if c == other {
				t.Errorf("%v has the colour %v of something else on the floor", p, c)
			}
		}
	}
}

func TestArmColor(t *testing.T) {
	for _, tc := range []struct {
		phase robots.Phase
		want  color.RGBA
	}{
		{robots.Idle, colArmJoint}, {robots.Moving, colArmMove}, {robots.Down, colArmDown},
	} {
		if got := ArmColor(tc.phase); got != tc.want {
			t.Errorf("ArmColor(%v) = %v, want %v", tc.phase, got, tc.want)
		}
	}
}

func TestStateLegendCoversEveryPhase(t *testing.T) {
	shown := map[color.RGBA]bool{}
	for _, e := range stateLegend {
		shown[e.Color] = true
	}
	for p := range stations.Phase(stations.NumPhases) {
		if !shown[PhaseColor(p)] {
			t.Errorf("the legend does not explain the colour of %v", p)
		}
	}
}

func TestColourHelpers(t *testing.T) {
	if got := mix(rgb(0, 0, 0), rgb(200, 100, 50), 0.5); got != rgb(100, 50, 25) {
		t.Errorf("mix = %v", got)
	}
	if got := fade(rgb(200, 100, 50), 0.5); got != (color.RGBA{100, 50, 25, 127}) {
		t.Errorf("fade = %v", got)
	}
	if got := rgba(200, 100, 50, 128); got != (color.RGBA{100, 50, 25, 128}) {
		t.Errorf("rgba = %v (want premultiplied)", got)
	}
}
