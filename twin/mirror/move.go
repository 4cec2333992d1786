package mirror

import (
	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
)

// readMove sets the move under way of as, an arm filled by fillArm, from
// its device's Move/ metrics: the station and server it serves, its
// direction, and the share of it done at now, the node's simulated time
// (metric timestamps are epochMs + simulated ms). A moving arm's share
// grows from Move/Done at Move/Since; a stopped one's stays there. An arm
// whose edge publishes no move, or names a station the model lacks, is
// left idle at its base.
func (f *Filler) readMove(as *twin.ArmState, nv *host.NodeView, now sim.Time, epochMs int64) {
	d, ok := findDevice(nv, as.ID)
	if !ok {
		return
	}
	ms := indexMetrics(d.Metrics)
	name, ok := ms.text(packml.MetricMoveStation)
	if !ok || name == "" {
		return
	}
	station := -1
	for i := range f.Model.Spec.Stations {
		if f.Model.Spec.Stations[i].ID == name {
			station = i
		}
	}
	server, _ := ms.int(packml.MetricMoveServer)
	since, okSince := ms.int(packml.MetricMoveSince)
	done, _ := ms.int(packml.MetricMoveDone)
	total, okTotal := ms.int(packml.MetricMoveTime)
	if station < 0 || server < 1 || !okSince || since < 0 || !okTotal {
		return
	}
	as.Station, as.Server = station, int(server-1)
	as.Loading, _ = ms.flag(packml.MetricMoveLoading)
	as.MoveSince = sim.Time(since-epochMs) * sim.Millisecond
	as.MoveDone, as.MoveTime = sim.Time(done)*sim.Millisecond, sim.Time(total)*sim.Millisecond
	at := as.MoveDone
	if as.Phase == robots.Moving && now > as.MoveSince {
		at += now - as.MoveSince
	}
	as.Progress = 1
	if as.MoveTime > 0 {
		as.Progress = min(float64(at)/float64(as.MoveTime), 1)
	}
}
