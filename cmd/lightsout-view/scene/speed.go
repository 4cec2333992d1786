package scene

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Speed is how fast simulated time runs: a multiple of real time (1 is real
// time, 100 runs a simulated minute in 0.6 s), or MaxSpeed: as fast as the
// frame budget allows.
type Speed float64

// MaxSpeed runs as much simulated time as each tick's wall-time budget allows.
const MaxSpeed Speed = 0

// RealTime runs simulated time as fast as real time: the first speed step.
const RealTime Speed = 1

// speedSteps are the speeds the faster and slower keys step through; after
// the last comes MaxSpeed.
var speedSteps = [...]Speed{RealTime, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000}

// maxSpeedFlag bounds a speed given on the command line, and maxSpeedCap
// the speed MaxSpeed may reach (a day in under a tenth of a second).
const (
	maxSpeedFlag       = 1e6
	maxSpeedCap  Speed = 1e6
)

// ParseSpeed reads a --speed value: a positive multiple of real time ("100"
// or "100x") or "max".
func ParseSpeed(s string) (Speed, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "max" {
		return MaxSpeed, nil
	}
	v, err := strconv.ParseFloat(strings.TrimSuffix(t, "x"), 64)
	if err != nil || !(v > 0) || v > maxSpeedFlag || math.IsInf(v, 0) {
		return 0, fmt.Errorf("--speed %q: want a multiple of real time from 1 to 10000 (any positive number up to %s works), or max", s, Thousands(maxSpeedFlag))
	}
	return Speed(v), nil
}

// IsMax reports whether s is MaxSpeed.
func (s Speed) IsMax() bool { return s <= 0 }

// String returns "100x", "0.5x" or "max".
func (s Speed) String() string {
	if s.IsMax() {
		return "max"
	}
	return FormatSpeed(float64(s))
}

// FormatSpeed writes a speed factor compactly: "1x", "2.5x", "12,000x".
func FormatSpeed(v float64) string {
	switch {
	case v >= 100:
		return Thousands(int64(math.Round(v))) + "x"
	case v >= 10:
		return strconv.FormatFloat(math.Round(v), 'f', -1, 64) + "x"
	default:
		return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) + "x"
	}
}

// Faster returns the next speed step above s; after the last step comes
// MaxSpeed, which stays.
func (s Speed) Faster() Speed {
	if s.IsMax() {
		return MaxSpeed
	}
	for _, st := range speedSteps {
		if st > s*(1+1e-9) {
			return st
		}
	}
	return MaxSpeed
}

// Slower returns the next speed step below s; MaxSpeed steps down to the
// last step, and the first step (real time) stays.
func (s Speed) Slower() Speed {
	if s.IsMax() {
		return speedSteps[len(speedSteps)-1]
	}
	for i := len(speedSteps) - 1; i >= 0; i-- {
		if speedSteps[i] < s*(1-1e-9) {
			return speedSteps[i]
		}
	}
	return min(s, speedSteps[0])
}

// FlashWindow returns how long after firing a sensor stays lit, in
// simulated time: 150 ms of wall time at the speed shown (the speed
// reached, real, at MaxSpeed), so a sensor blinks visibly at any speed
// (and stays lit when it fires faster than the eye can follow).
func FlashWindow(speed Speed, real float64) sim.Time {
	f := float64(speed)
	if speed.IsMax() {
		f = real
	}
	return sim.Time(150 * float64(sim.Millisecond) * max(f, 1))
}
