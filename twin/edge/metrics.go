package edge

import (
	"fmt"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// reader reads one metric's value from a snapshot.
type reader func(*twin.Snapshot) sparkplug.Value

// metricDef is one metric of a device: its contract name and its reader.
type metricDef struct {
	name string
	read reader
}

func int32v(v int64) sparkplug.Value { return sparkplug.Int32Value(int32(v)) }
func int64v(v int64) sparkplug.Value { return sparkplug.Int64Value(v) }

// define declares every metric of the node and its devices.
func (n *Node) define() error {
	if err := n.defineNode(); err != nil {
		return err
	}
	for i := range n.line.Spec().Stations {
		if err := n.defineStation(i); err != nil {
			return err
		}
	}
	for j := range n.line.Spec().Arms {
		if err := n.defineArm(j); err != nil {
			return err
		}
	}
	return nil
}

// add defines one metric of device ("" for the node), typed as the
// contract says, with its reader: read is published whenever it changes.
func (n *Node) add(dev, name string, read reader) error {
	t, ok := packml.TypeOf(name)
	if !ok {
		return fmt.Errorf("metric %q is not in the contract", name)
	}
	v := read(&n.snap)
	var (
		id  sparkplug.MetricID
		err error
	)
	if dev == "" {
		id, err = n.sess.AddNodeMetric(name, t, v)
	} else {
		id, err = n.sess.AddDeviceMetric(dev, name, t, v)
	}
	if err != nil {
		return err
	}
	n.gauges = append(n.gauges, gauge{id: id, read: read})
	return nil
}

// addAll defines defs on device dev.
func (n *Node) addAll(dev string, defs []metricDef) error {
	for _, d := range defs {
		if err := n.add(dev, d.name, d.read); err != nil {
			return err
		}
	}
	return nil
}

// constant reads the same value from every snapshot.
func constant(v sparkplug.Value) reader { return func(*twin.Snapshot) sparkplug.Value { return v } }

func (n *Node) defineNode() error {
	c := n.cfg.Copy
	per := len(n.line.Spec().Stations)
	copyStations := func(s *twin.Snapshot) []twin.StationState { return s.Stations[c*per : (c+1)*per] }
	defs := []metricDef{
		{packml.MetricShipped, func(s *twin.Snapshot) sparkplug.Value { return int64v(shipped(copyStations(s))) }},
	}
	if n.single {
		defs = append(defs, metricDef{packml.MetricGood, func(s *twin.Snapshot) sparkplug.Value { return int64v(s.Line.Good) }})
	}
	defs = append(defs,
		metricDef{packml.MetricLineScrap, func(s *twin.Snapshot) sparkplug.Value {
			var sum int64
			for i := range copyStations(s) {
				sum += copyStations(s)[i].Counts.Scrapped
			}
			return int64v(sum)
		}},
		metricDef{packml.MetricWIP, func(s *twin.Snapshot) sparkplug.Value { return int64v(wip(copyStations(s))) }},
		metricDef{packml.MetricSimTime, func(s *twin.Snapshot) sparkplug.Value { return int64v(int64(s.Now / sim.Millisecond)) }},
	)
	if len(n.snap.Crews) > 0 {
		crew := func(s *twin.Snapshot) *twin.CrewState { return &s.Crews[min(c, len(s.Crews)-1)] }
		defs = append(defs,
			metricDef{packml.MetricCrewSize, func(s *twin.Snapshot) sparkplug.Value { return int32v(int64(crew(s).Size)) }},
			metricDef{packml.MetricCrewBusy, func(s *twin.Snapshot) sparkplug.Value { return int32v(int64(crew(s).Busy)) }},
			metricDef{packml.MetricCrewQueued, func(s *twin.Snapshot) sparkplug.Value { return int32v(int64(crew(s).Queued)) }},
		)
	}
	return n.addAll("", defs)
}

// shipped counts the units the copy's last station handed on out of the
// line: all it handed on less what went to rework or scrap.
func shipped(sts []twin.StationState) int64 {
	last := &sts[len(sts)-1].Counts
	return last.Out - last.Reworked - last.Scrapped
}

// wip counts the units in the copy: in buffers, on conveyors and held by
// servers.
func wip(sts []twin.StationState) int64 {
	var sum int64
	for i := range sts {
		sum += int64(sts[i].Buffer + sts[i].Inside)
		if sts[i].Conveyor {
			continue
		}
		for _, v := range sts[i].Servers {
			if v.Unit {
				sum++
			}
		}
	}
	return sum
}

func (n *Node) defineStation(i int) error {
	spec := n.line.Spec()
	slot := n.cfg.Copy*len(spec.Stations) + i
	id := spec.Stations[i].ID
	if err := n.sess.AddDevice(id); err != nil {
		return err
	}
	st := func(s *twin.Snapshot) *twin.StationState { return &s.Stations[slot] }
	eye := func(at func(s *twin.Snapshot) sim.Time) reader {
		return func(s *twin.Snapshot) sparkplug.Value {
			if t := at(s); t >= 0 {
				return int64v(int64(n.SimMs(t)))
			}
			return int64v(-1)
		}
	}
	speed := func(s *twin.Snapshot) sparkplug.Value { return sparkplug.FloatValue(float32(st(s).Speed)) }
	capacity := func(s *twin.Snapshot) sparkplug.Value { return int32v(int64(st(s).Capacity)) }
	defs := []metricDef{
		{packml.MetricState, func(s *twin.Snapshot) sparkplug.Value {
			return sparkplug.StringValue(packml.StationState(st(s).Servers).String())
		}},
		{packml.MetricStateNumber, func(s *twin.Snapshot) sparkplug.Value {
			return sparkplug.Int32Value(int32(packml.StationState(st(s).Servers)))
		}},
		{packml.MetricProcessed, func(s *twin.Snapshot) sparkplug.Value { return int64v(st(s).Counts.Processed) }},
		{packml.MetricDefective, func(s *twin.Snapshot) sparkplug.Value {
			return int64v(st(s).Counts.Defects + st(s).Counts.Caught)
		}},
		{packml.MetricScrapped, func(s *twin.Snapshot) sparkplug.Value { return int64v(st(s).Counts.Scrapped) }},
		{packml.MetricFailures, func(s *twin.Snapshot) sparkplug.Value { return int64v(st(s).Counts.Failures) }},
		{packml.MetricBuffer, func(s *twin.Snapshot) sparkplug.Value { return int32v(int64(st(s).Buffer)) }},
		{packml.MetricCapacity, capacity},
		{packml.MetricSpeed, speed},
		{packml.MetricHeld, func(s *twin.Snapshot) sparkplug.Value { return sparkplug.BooleanValue(st(s).Held) }},
		{packml.MetricDesignSpeed, constant(sparkplug.FloatValue(float32(packml.DesignSpeed(spec, i))))},
		{packml.MetricCycleTotal, func(s *twin.Snapshot) sparkplug.Value {
			return int64v(int64(st(s).Counts.CycleTotal / sim.Millisecond))
		}},
		{packml.MetricEntryEye, eye(func(s *twin.Snapshot) sim.Time { return st(s).LastIn })},
		{packml.MetricExitEye, eye(func(s *twin.Snapshot) sim.Time { return st(s).LastOut })},
	}
	if n.snap.Stations[slot].Inspects {
		defs = append(defs, metricDef{packml.MetricInspectPass, func(s *twin.Snapshot) sparkplug.Value {
			return sparkplug.BooleanValue(st(s).LastPass)
		}})
	}
	if n.snap.Stations[slot].Conveyor {
		defs = append(defs, metricDef{packml.MetricInside, func(s *twin.Snapshot) sparkplug.Value {
			return int32v(int64(st(s).Inside))
		}})
	}
	upkeep := len(n.snap.Stations[slot].Upkeep) > 0
	wear := spec.Stations[i].Wear
	if upkeep {
		if wear != nil {
			defs = append(defs, metricDef{packml.MetricWearOuts, func(s *twin.Snapshot) sparkplug.Value {
				return int64v(st(s).Counts.WearOuts)
			}})
		}
		defs = append(defs, metricDef{packml.MetricMaintenances, func(s *twin.Snapshot) sparkplug.Value {
			return int64v(st(s).Counts.Maintenances)
		}})
		if wear != nil && wear.Sensor != nil {
			defs = append(defs, metricDef{packml.MetricConditionKind, constant(sparkplug.StringValue(wear.Sensor.Kind))})
		}
	}
	if err := n.addAll(id, defs); err != nil {
		return err
	}
	servers := len(n.snap.Stations[slot].Servers)
	for k := range servers {
		if err := n.defineServer(id, k, servers > 1, func(s *twin.Snapshot) *stations.ServerView {
			return &st(s).Servers[k]
		}); err != nil {
			return err
		}
		if upkeep {
			if err := n.defineUpkeep(id, k, wear != nil && wear.Sensor != nil, func(s *twin.Snapshot) *stations.UpkeepView {
				return &st(s).Upkeep[k]
			}); err != nil {
				return err
			}
		}
	}
	// Command metrics, born with a value of their type: the Booleans
	// false, Command/Server 0 (the first that fits), and the current speed
	// and capacity, kept up to date, so writing back what a host reads
	// changes nothing.
	off := constant(sparkplug.BooleanValue(false))
	if err := n.addAll(id, []metricDef{
		{packml.MetricCmdBreak, off},
		{packml.MetricCmdRepair, off},
		{packml.MetricCmdBuffer, capacity},
		{packml.MetricCmdServer, constant(sparkplug.Int32Value(0))},
		{packml.MetricCmdHold, off},
		{packml.MetricCmdUnhold, off},
		{packml.MetricCmdReset, off},
		{packml.MetricCmdSpeed, speed},
	}); err != nil {
		return err
	}
	if n.snap.Stations[slot].CanMaintain {
		if err := n.add(id, packml.MetricCmdMaintain, off); err != nil {
			return err
		}
	}
	if upkeep && spec.Crew != nil {
		if err := n.add(id, packml.MetricCmdDispatch, off); err != nil {
			return err
		}
	}
	n.devices[id] = device{index: i}
	return nil
}

// defineServer declares the metrics of server k of station device id:
// its PackML state when the station has several servers (state), and for
// every station its phase, when the phase began, the processing done by
// then, and the unit it holds.
func (n *Node) defineServer(id string, k int, state bool, srv func(*twin.Snapshot) *stations.ServerView) error {
	var defs []metricDef
	if state {
		defs = append(defs,
			metricDef{packml.MetricState, func(s *twin.Snapshot) sparkplug.Value {
				return sparkplug.StringValue(packml.ServerState(*srv(s)).String())
			}},
			metricDef{packml.MetricStateNumber, func(s *twin.Snapshot) sparkplug.Value {
				return sparkplug.Int32Value(int32(packml.ServerState(*srv(s))))
			}})
	}
	defs = append(defs,
		metricDef{packml.MetricServerPhase, func(s *twin.Snapshot) sparkplug.Value {
			return sparkplug.StringValue(srv(s).Phase.String())
		}},
		metricDef{packml.MetricServerSince, func(s *twin.Snapshot) sparkplug.Value {
			return int64v(int64(n.SimMs(srv(s).Since)))
		}},
		metricDef{packml.MetricServerDone, func(s *twin.Snapshot) sparkplug.Value {
			return int64v(int64(srv(s).Done / sim.Millisecond))
		}},
		metricDef{packml.MetricServerUnit, func(s *twin.Snapshot) sparkplug.Value {
			return sparkplug.BooleanValue(srv(s).Unit)
		}},
		metricDef{packml.MetricServerDefective, func(s *twin.Snapshot) sparkplug.Value {
			return sparkplug.BooleanValue(srv(s).Defective)
		}})
	for i := range defs {
		defs[i].name = packml.ServerMetric(k+1, defs[i].name)
	}
	return n.addAll(id, defs)
}

// defineUpkeep declares the upkeep metrics of server k of station device
// id (a station with wear or a crew): its condition reading and when it
// was taken (sensor), and whether it waits for the crew.
func (n *Node) defineUpkeep(id string, k int, sensor bool, up func(*twin.Snapshot) *stations.UpkeepView) error {
	var defs []metricDef
	if sensor {
		defs = append(defs,
			metricDef{packml.MetricServerCondition, func(s *twin.Snapshot) sparkplug.Value {
				return sparkplug.FloatValue(float32(up(s).Reading))
			}},
			metricDef{packml.MetricServerConditionAt, func(s *twin.Snapshot) sparkplug.Value {
				if t := up(s).ReadingAt; t >= 0 {
					return int64v(int64(n.SimMs(t)))
				}
				return int64v(-1)
			}})
	}
	if n.line.Spec().Crew != nil {
		defs = append(defs, metricDef{packml.MetricServerWaitingCrew, func(s *twin.Snapshot) sparkplug.Value {
			return sparkplug.BooleanValue(up(s).WaitingCrew)
		}})
	}
	for i := range defs {
		defs[i].name = packml.ServerMetric(k+1, defs[i].name)
	}
	return n.addAll(id, defs)
}

func (n *Node) defineArm(j int) error {
	spec := n.line.Spec()
	slot := n.cfg.Copy*len(spec.Arms) + j
	id := spec.Arms[j].ID
	if _, dup := n.devices[id]; dup {
		return fmt.Errorf("arm %q has the id of a station", id)
	}
	if err := n.sess.AddDevice(id); err != nil {
		return err
	}
	arm := func(s *twin.Snapshot) *twin.ArmState { return &s.Arms[slot] }
	off := constant(sparkplug.BooleanValue(false))
	if err := n.addAll(id, []metricDef{
		{packml.MetricState, func(s *twin.Snapshot) sparkplug.Value {
			return sparkplug.StringValue(packml.ArmState(arm(s).Phase, arm(s).Broken).String())
		}},
		{packml.MetricStateNumber, func(s *twin.Snapshot) sparkplug.Value {
			return sparkplug.Int32Value(int32(packml.ArmState(arm(s).Phase, arm(s).Broken)))
		}},
		{packml.MetricMoves, func(s *twin.Snapshot) sparkplug.Value { return int64v(arm(s).Moves) }},
	}); err != nil {
		return err
	}
	if err := n.addAll(id, n.moveMetrics(arm)); err != nil {
		return err
	}
	if err := n.addAll(id, []metricDef{
		{packml.MetricCmdBreak, off},
		{packml.MetricCmdRepair, off},
		{packml.MetricCmdReset, off},
	}); err != nil {
		return err
	}
	if err := n.defineArmWear(id, j, arm); err != nil {
		return err
	}
	n.devices[id] = device{arm: true, index: j}
	return nil
}

// defineArmWear declares the wear metrics of worn arm j (device id): its
// failures, wear-outs and maintenances, its condition sensor's kind and
// reading (as its Server 1, a station's per-server names), and the
// maintain command when it can be maintained.
func (n *Node) defineArmWear(id string, j int, arm func(*twin.Snapshot) *twin.ArmState) error {
	w := n.line.Spec().Arms[j].Wear
	if w == nil {
		return nil
	}
	defs := []metricDef{
		{packml.MetricFailures, func(s *twin.Snapshot) sparkplug.Value { return int64v(arm(s).Upkeep.Failures) }},
		{packml.MetricWearOuts, func(s *twin.Snapshot) sparkplug.Value { return int64v(arm(s).Upkeep.WearOuts) }},
		{packml.MetricMaintenances, func(s *twin.Snapshot) sparkplug.Value { return int64v(arm(s).Upkeep.Maintenances) }},
	}
	if w.Sensor != nil {
		defs = append(defs,
			metricDef{packml.MetricConditionKind, constant(sparkplug.StringValue(w.Sensor.Kind))},
			metricDef{packml.ServerMetric(1, packml.MetricServerCondition), func(s *twin.Snapshot) sparkplug.Value {
				return sparkplug.FloatValue(float32(arm(s).Upkeep.Reading))
			}},
			metricDef{packml.ServerMetric(1, packml.MetricServerConditionAt), func(s *twin.Snapshot) sparkplug.Value {
				if t := arm(s).Upkeep.ReadingAt; t >= 0 {
					return int64v(int64(n.SimMs(t)))
				}
				return int64v(-1)
			}})
	}
	if n.line.Spec().Arms[j].CanMaintain() {
		off := constant(sparkplug.BooleanValue(false))
		defs = append(defs, metricDef{packml.MetricCmdMaintain, off},
			metricDef{packml.MetricCmdServer, constant(sparkplug.Int32Value(0))})
	}
	return n.addAll(id, defs)
}
