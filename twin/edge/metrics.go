package edge

import (
	"fmt"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// Metric names. Station and arm devices carry State and StateNumber; the
// counters follow the PackTags Admin names where one fits.
const (
	MetricState       = "State"       // PackML state name (String)
	MetricStateNumber = "StateNumber" // PackTags v3.0 state number (Int32)
	MetricProcessed   = "Admin/ProdProcessedCount"
	MetricDefective   = "Admin/ProdDefectiveCount"
	MetricScrapped    = "Counts/Scrapped"
	MetricFailures    = "Counts/Failures"
	MetricBuffer      = "Buffer/Level"
	MetricCapacity    = "Buffer/Capacity" // -1: unbounded
	MetricInside      = "Conveyor/Inside" // conveyors only
	MetricMoves       = "Counts/Moves"    // arms only

	MetricSpeed       = "Status/Speed"          // Float: relative speed, 1 = nominal (stations)
	MetricHeld        = "Status/Held"           // Boolean: the station is held (stations)
	MetricDesignSpeed = "Admin/MachDesignSpeed" // Float: units per minute at the mean cycle (stations)
	MetricCycleTotal  = "Cycle/Total"           // Int64: ms of processing of the processed units (stations)
	MetricEntryEye    = "Sensors/EntryEye"      // Int64: timestamp (ms) the buffer-entry photo-eye last fired, -1 never
	MetricExitEye     = "Sensors/ExitEye"       // Int64: timestamp (ms) the buffer-exit photo-eye last fired, -1 never
	MetricInspectPass = "Sensors/InspectPass"   // Boolean: the last inspection's verdict (inspecting stations)

	// Per-server metrics of every station, named with ServerMetric.
	MetricServerPhase     = "Phase"     // String: the stations.Phase name ("Working")
	MetricServerSince     = "Since"     // Int64: metric timestamp (ms) when the phase began
	MetricServerDone      = "Done"      // Int64: ms of processing done on the unit when the phase began
	MetricServerUnit      = "Unit"      // Boolean: the server holds a unit
	MetricServerDefective = "Defective" // Boolean: the unit it holds is defective

	MetricCmdBreak  = "Command/Break"  // Boolean: true breaks
	MetricCmdRepair = "Command/Repair" // Boolean: true repairs
	MetricCmdBuffer = "Command/Buffer" // Int32: new capacity, -1 = unbounded (stations)
	MetricCmdServer = "Command/Server" // Int32: server (from 1) for Break/Repair (stations)
	MetricCmdHold   = "Command/Hold"   // Boolean: true holds (stations)
	MetricCmdUnhold = "Command/Unhold" // Boolean: true unholds (stations)
	MetricCmdReset  = "Command/Reset"  // Boolean: true resets (stations and arms)
	MetricCmdSpeed  = "Command/Speed"  // Float: new relative speed (stations)

	MetricShipped   = "Line/Shipped"
	MetricGood      = "Line/Good" // only for a line with one copy
	MetricLineScrap = "Line/Scrapped"
	MetricWIP       = "Line/WIP"
	MetricSimTime   = "Time/Simulated" // ms of simulated time since the start
)

// ServerMetric returns the name of a per-server metric of a station:
// ServerMetric(2, MetricState) is "Server 2/State".
func ServerMetric(server int, name string) string {
	return fmt.Sprintf("Server %d/%s", server, name)
}

// metricDef is one gauge of a device: its name, type and reader.
type metricDef struct {
	name string
	t    sparkplug.DataType
	read func(*twin.Snapshot) sparkplug.Value
}

// commandIDs are the command metrics of a device (-1 where it has none).
type commandIDs struct {
	brk, repair, buffer, server sparkplug.MetricID
	hold, unhold, reset, speed  sparkplug.MetricID
}

// noCommands returns a commandIDs with no command at all.
func noCommands() commandIDs {
	return commandIDs{brk: -1, repair: -1, buffer: -1, server: -1, hold: -1, unhold: -1, reset: -1, speed: -1}
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

// add defines one metric of device ("" for the node) with its reader.
func (n *Node) add(dev, name string, t sparkplug.DataType, read func(*twin.Snapshot) sparkplug.Value) error {
	var (
		id  sparkplug.MetricID
		err error
	)
	v := read(&n.snap)
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

// addCommand defines a command metric, born null (Boolean ones false).
func (n *Node) addCommand(dev, name string, t sparkplug.DataType) (sparkplug.MetricID, error) {
	var v sparkplug.Value
	if t == sparkplug.Boolean {
		v = sparkplug.BooleanValue(false)
	}
	return n.sess.AddDeviceMetric(dev, name, t, v)
}

func (n *Node) defineNode() error {
	c := n.cfg.Copy
	per := len(n.line.Spec().Stations)
	copyStations := func(s *twin.Snapshot) []twin.StationState { return s.Stations[c*per : (c+1)*per] }
	if err := n.add("", MetricShipped, sparkplug.Int64, func(s *twin.Snapshot) sparkplug.Value {
		return int64v(shipped(copyStations(s)))
	}); err != nil {
		return err
	}
	if n.single {
		if err := n.add("", MetricGood, sparkplug.Int64, func(s *twin.Snapshot) sparkplug.Value {
			return int64v(s.Line.Good)
		}); err != nil {
			return err
		}
	}
	if err := n.add("", MetricLineScrap, sparkplug.Int64, func(s *twin.Snapshot) sparkplug.Value {
		var sum int64
		for i := range copyStations(s) {
			sum += copyStations(s)[i].Counts.Scrapped
		}
		return int64v(sum)
	}); err != nil {
		return err
	}
	if err := n.add("", MetricWIP, sparkplug.Int64, func(s *twin.Snapshot) sparkplug.Value {
		return int64v(wip(copyStations(s)))
	}); err != nil {
		return err
	}
	return n.add("", MetricSimTime, sparkplug.Int64, func(s *twin.Snapshot) sparkplug.Value {
		return int64v(int64(s.Now / sim.Millisecond))
	})
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
	design := float32(DesignSpeed(spec, i))
	defs := []metricDef{
		{MetricState, sparkplug.String, func(s *twin.Snapshot) sparkplug.Value {
			return sparkplug.StringValue(StationState(st(s).Servers).String())
		}},
		{MetricStateNumber, sparkplug.Int32, func(s *twin.Snapshot) sparkplug.Value {
			return sparkplug.Int32Value(int32(StationState(st(s).Servers)))
		}},
		{MetricProcessed, sparkplug.Int64, func(s *twin.Snapshot) sparkplug.Value { return int64v(st(s).Counts.Processed) }},
		{MetricDefective, sparkplug.Int64, func(s *twin.Snapshot) sparkplug.Value {
			return int64v(st(s).Counts.Defects + st(s).Counts.Caught)
		}},
		{MetricScrapped, sparkplug.Int64, func(s *twin.Snapshot) sparkplug.Value { return int64v(st(s).Counts.Scrapped) }},
		{MetricFailures, sparkplug.Int64, func(s *twin.Snapshot) sparkplug.Value { return int64v(st(s).Counts.Failures) }},
		{MetricBuffer, sparkplug.Int32, func(s *twin.Snapshot) sparkplug.Value { return int32v(int64(st(s).Buffer)) }},
		{MetricCapacity, sparkplug.Int32, func(s *twin.Snapshot) sparkplug.Value { return int32v(int64(st(s).Capacity)) }},
		{MetricSpeed, sparkplug.Float, func(s *twin.Snapshot) sparkplug.Value { return sparkplug.FloatValue(float32(st(s).Speed)) }},
		{MetricHeld, sparkplug.Boolean, func(s *twin.Snapshot) sparkplug.Value { return sparkplug.BooleanValue(st(s).Held) }},
		{MetricDesignSpeed, sparkplug.Float, func(*twin.Snapshot) sparkplug.Value { return sparkplug.FloatValue(design) }},
		{MetricCycleTotal, sparkplug.Int64, func(s *twin.Snapshot) sparkplug.Value {
			return int64v(int64(st(s).Counts.CycleTotal / sim.Millisecond))
		}},
	}
	eye := func(at func(s *twin.Snapshot) sim.Time) func(s *twin.Snapshot) sparkplug.Value {
		return func(s *twin.Snapshot) sparkplug.Value {
			if t := at(s); t >= 0 {
				return int64v(int64(n.SimMs(t)))
			}
			return int64v(-1)
		}
	}
	defs = append(defs,
		metricDef{MetricEntryEye, sparkplug.Int64, eye(func(s *twin.Snapshot) sim.Time { return st(s).LastIn })},
		metricDef{MetricExitEye, sparkplug.Int64, eye(func(s *twin.Snapshot) sim.Time { return st(s).LastOut })})
	if n.snap.Stations[slot].Inspects {
		defs = append(defs, metricDef{MetricInspectPass, sparkplug.Boolean, func(s *twin.Snapshot) sparkplug.Value {
			return sparkplug.BooleanValue(st(s).LastPass)
		}})
	}
	for _, d := range defs {
		if err := n.add(id, d.name, d.t, d.read); err != nil {
			return err
		}
	}
	if n.snap.Stations[slot].Conveyor {
		if err := n.add(id, MetricInside, sparkplug.Int32, func(s *twin.Snapshot) sparkplug.Value {
			return int32v(int64(st(s).Inside))
		}); err != nil {
			return err
		}
	}
	servers := len(n.snap.Stations[slot].Servers)
	for k := range servers {
		if err := n.defineServer(id, k, servers > 1, func(s *twin.Snapshot) *stations.ServerView {
			return &st(s).Servers[k]
		}); err != nil {
			return err
		}
	}
	cmds := noCommands()
	for _, c := range []struct {
		name string
		t    sparkplug.DataType
		id   *sparkplug.MetricID
	}{
		{MetricCmdBreak, sparkplug.Boolean, &cmds.brk},
		{MetricCmdRepair, sparkplug.Boolean, &cmds.repair},
		{MetricCmdBuffer, sparkplug.Int32, &cmds.buffer},
		{MetricCmdServer, sparkplug.Int32, &cmds.server},
		{MetricCmdHold, sparkplug.Boolean, &cmds.hold},
		{MetricCmdUnhold, sparkplug.Boolean, &cmds.unhold},
		{MetricCmdReset, sparkplug.Boolean, &cmds.reset},
		{MetricCmdSpeed, sparkplug.Float, &cmds.speed},
	} {
		mid, err := n.addCommand(id, c.name, c.t)
		if err != nil {
			return err
		}
		*c.id = mid
	}
	n.devices[id] = device{index: i, cmds: cmds}
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
			metricDef{MetricState, sparkplug.String, func(s *twin.Snapshot) sparkplug.Value {
				return sparkplug.StringValue(ServerState(*srv(s)).String())
			}},
			metricDef{MetricStateNumber, sparkplug.Int32, func(s *twin.Snapshot) sparkplug.Value {
				return sparkplug.Int32Value(int32(ServerState(*srv(s))))
			}})
	}
	defs = append(defs,
		metricDef{MetricServerPhase, sparkplug.String, func(s *twin.Snapshot) sparkplug.Value {
			return sparkplug.StringValue(srv(s).Phase.String())
		}},
		metricDef{MetricServerSince, sparkplug.Int64, func(s *twin.Snapshot) sparkplug.Value {
			return int64v(int64(n.SimMs(srv(s).Since)))
		}},
		metricDef{MetricServerDone, sparkplug.Int64, func(s *twin.Snapshot) sparkplug.Value {
			return int64v(int64(srv(s).Done / sim.Millisecond))
		}},
		metricDef{MetricServerUnit, sparkplug.Boolean, func(s *twin.Snapshot) sparkplug.Value {
			return sparkplug.BooleanValue(srv(s).Unit)
		}},
		metricDef{MetricServerDefective, sparkplug.Boolean, func(s *twin.Snapshot) sparkplug.Value {
			return sparkplug.BooleanValue(srv(s).Defective)
		}})
	for _, d := range defs {
		if err := n.add(id, ServerMetric(k+1, d.name), d.t, d.read); err != nil {
			return err
		}
	}
	return nil
}

// DesignSpeed returns station i's design speed in units per minute, as
// PackTags' Admin/MachDesignSpeed: its servers times 60 s over its ideal
// cycle (mean processing plus the arm's load and unload moves, see
// twin.Spec.IdealCycle), or 60 s over the pitch of a conveyor (0 when that
// time is 0). It is the rate the simulator's own OEE measures against.
func DesignSpeed(spec *twin.Spec, i int) float64 {
	per, servers := spec.IdealCycle(i), spec.Stations[i].Servers
	if spec.Stations[i].Conveyor != nil {
		servers = 1
	}
	if per <= 0 {
		return 0
	}
	return float64(servers) * 60 / per.Seconds()
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
	if err := n.add(id, MetricState, sparkplug.String, func(s *twin.Snapshot) sparkplug.Value {
		return sparkplug.StringValue(ArmState(arm(s).Phase, arm(s).Broken).String())
	}); err != nil {
		return err
	}
	if err := n.add(id, MetricStateNumber, sparkplug.Int32, func(s *twin.Snapshot) sparkplug.Value {
		return sparkplug.Int32Value(int32(ArmState(arm(s).Phase, arm(s).Broken)))
	}); err != nil {
		return err
	}
	if err := n.add(id, MetricMoves, sparkplug.Int64, func(s *twin.Snapshot) sparkplug.Value { return int64v(arm(s).Moves) }); err != nil {
		return err
	}
	cmds := noCommands()
	var err error
	if cmds.brk, err = n.addCommand(id, MetricCmdBreak, sparkplug.Boolean); err != nil {
		return err
	}
	if cmds.repair, err = n.addCommand(id, MetricCmdRepair, sparkplug.Boolean); err != nil {
		return err
	}
	if cmds.reset, err = n.addCommand(id, MetricCmdReset, sparkplug.Boolean); err != nil {
		return err
	}
	n.devices[id] = device{arm: true, index: j, cmds: cmds}
	return nil
}
