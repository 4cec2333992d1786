package edge

import (
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// moveMetrics returns the metrics of the move an arm has under way: the
// station device and server it serves, its direction, and its timing
// (twin.ArmState's MoveSince, MoveDone and MoveTime), which change only
// when a move starts, stops or resumes, so that a host can draw the arm
// moving between messages.
func (n *Node) moveMetrics(arm func(*twin.Snapshot) *twin.ArmState) []metricDef {
	stations := n.line.Spec().Stations
	moving := func(s *twin.Snapshot) bool {
		a := arm(s)
		return a.Station >= 0 && a.Station < len(stations)
	}
	return []metricDef{
		{packml.MetricMoveStation, func(s *twin.Snapshot) sparkplug.Value {
			if !moving(s) {
				return sparkplug.StringValue("")
			}
			return sparkplug.StringValue(stations[arm(s).Station].ID)
		}},
		{packml.MetricMoveServer, func(s *twin.Snapshot) sparkplug.Value {
			if !moving(s) {
				return sparkplug.Int32Value(0)
			}
			return sparkplug.Int32Value(int32(arm(s).Server + 1))
		}},
		{packml.MetricMoveLoading, func(s *twin.Snapshot) sparkplug.Value {
			return sparkplug.BooleanValue(moving(s) && arm(s).Loading)
		}},
		{packml.MetricMoveSince, func(s *twin.Snapshot) sparkplug.Value {
			if !moving(s) {
				return int64v(-1)
			}
			return int64v(int64(n.SimMs(arm(s).MoveSince)))
		}},
		{packml.MetricMoveDone, func(s *twin.Snapshot) sparkplug.Value {
			return int64v(int64(arm(s).MoveDone / sim.Millisecond))
		}},
		{packml.MetricMoveTime, func(s *twin.Snapshot) sparkplug.Value {
			return int64v(int64(arm(s).MoveTime / sim.Millisecond))
		}},
	}
}
