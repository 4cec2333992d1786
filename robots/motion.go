package robots

import (
	"math"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// TravelTime returns the time to move distance metres from rest to rest
// with top speed v (m/s) and acceleration a (m/s^2): a trapezoidal velocity
// profile, or a triangular one when the move is too short to reach v.
func TravelTime(distance, v, a float64) sim.Time {
	if distance <= 0 {
		return 0
	}
	if distance >= v*v/a { // accelerate to v, cruise, decelerate
		return sim.Seconds(distance/v + v/a)
	}
	return sim.Seconds(2 * math.Sqrt(distance/a))
}

// MoveTime returns the time of one pick-move-place over distance metres:
// grip, travel, release.
func (s *Spec) MoveTime(distance float64) sim.Time {
	return s.Grip + TravelTime(distance, s.Speed, s.Accel) + s.Release
}
