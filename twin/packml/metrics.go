package packml

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// Metric names. Station and arm devices carry State and StateNumber; the
// counters follow the PackTags Admin names where one fits. See [Metrics]
// for each one's datatype and meaning.
const (
	MetricState       = "State"
	MetricStateNumber = "StateNumber"
	MetricProcessed   = "Admin/ProdProcessedCount"
	MetricDefective   = "Admin/ProdDefectiveCount"
	MetricDesignSpeed = "Admin/MachDesignSpeed"
	MetricScrapped    = "Counts/Scrapped"
	MetricFailures    = "Counts/Failures"
	MetricMoves       = "Counts/Moves"
	MetricBuffer      = "Buffer/Level"
	MetricCapacity    = "Buffer/Capacity"
	MetricInside      = "Conveyor/Inside"
	MetricSpeed       = "Status/Speed"
	MetricHeld        = "Status/Held"
	MetricCycleTotal  = "Cycle/Total"
	MetricEntryEye    = "Sensors/EntryEye"
	MetricExitEye     = "Sensors/ExitEye"
	MetricInspectPass = "Sensors/InspectPass"

	// The move an arm has under way: the station device it serves, the
	// server (from 1), its direction, and its timing (see Metrics).
	MetricMoveStation = "Move/Station"
	MetricMoveServer  = "Move/Server"
	MetricMoveLoading = "Move/Loading"
	MetricMoveSince   = "Move/Since"
	MetricMoveDone    = "Move/Done"
	MetricMoveTime    = "Move/Time"

	// Wear and upkeep of a station with wear or a crew: its wear-outs and
	// maintenance actions, and what its condition sensor reads.
	MetricWearOuts      = "Counts/WearOuts"
	MetricMaintenances  = "Counts/Maintenances"
	MetricConditionKind = "Condition/Kind"

	// Per-server metrics of every station, named with ServerMetric
	// ("Server 2/Phase"); multi-server stations also give each server its
	// own State and StateNumber.
	MetricServerPhase     = "Phase"
	MetricServerSince     = "Since"
	MetricServerDone      = "Done"
	MetricServerUnit      = "Unit"
	MetricServerDefective = "Defective"
	// The condition reading of a server of a worn station with a sensor,
	// when it was taken, and whether the server waits for the crew.
	MetricServerCondition   = "Condition"
	MetricServerConditionAt = "ConditionAt"
	MetricServerWaitingCrew = "WaitingCrew"

	// Commands: written by a host in a DCMD (see [Command]).
	MetricCmdBreak  = "Command/Break"
	MetricCmdRepair = "Command/Repair"
	MetricCmdServer = "Command/Server"
	MetricCmdBuffer = "Command/Buffer"
	MetricCmdHold   = "Command/Hold"
	MetricCmdUnhold = "Command/Unhold"
	MetricCmdReset  = "Command/Reset"
	MetricCmdSpeed  = "Command/Speed"
	// MetricCmdMaintain maintains a server of a worn station now;
	// MetricCmdDispatch puts a server's crew job first in the queue.
	MetricCmdMaintain = "Command/Maintain"
	MetricCmdDispatch = "Command/Dispatch"

	// Node metrics of one copy of the line.
	MetricShipped   = "Line/Shipped"
	MetricGood      = "Line/Good"
	MetricLineScrap = "Line/Scrapped"
	MetricWIP       = "Line/WIP"
	MetricSimTime   = "Time/Simulated"

	// Node metrics of a line with a crew: the crew serving this copy (the
	// factory's, when it is shared).
	MetricCrewSize   = "Crew/Size"
	MetricCrewBusy   = "Crew/Busy"
	MetricCrewQueued = "Crew/Queued"
)

// Scope says where a metric is published.
type Scope uint8

// The scopes of the contract's metrics.
const (
	NodeScope    Scope = iota // the edge node: one copy of the line
	StationScope              // a station device
	ServerScope               // each server of a station ("Server k/…")
	ArmScope                  // an arm device
)

var scopeNames = [...]string{"node", "station", "server", "arm"}

// String returns the scope's name ("station").
func (s Scope) String() string {
	if int(s) < len(scopeNames) {
		return scopeNames[s]
	}
	return "Scope(" + strconv.Itoa(int(s)) + ")"
}

// A Metric is one metric of the contract: its name, Sparkplug datatype,
// the scopes it is published in, whether it is a command (written by a
// host in a DCMD) and what it means.
type Metric struct {
	Name    string
	Type    sparkplug.DataType
	Scopes  []Scope
	Command bool
	Doc     string
}

// Metrics returns every metric of the contract, in the order an edge
// node defines them. The returned slice is new on each call.
func Metrics() []Metric {
	node, station, server, arm := []Scope{NodeScope}, []Scope{StationScope}, []Scope{ServerScope}, []Scope{ArmScope}
	machine := []Scope{StationScope, ServerScope, ArmScope}
	device := []Scope{StationScope, ArmScope}
	return []Metric{
		{MetricShipped, sparkplug.Int64, node, false, "units this copy shipped: the last station's output less rework and scrap"},
		{MetricGood, sparkplug.Int64, node, false, "good units shipped (only a line of one copy: the stations do not say which shipped units were defective)"},
		{MetricLineScrap, sparkplug.Int64, node, false, "units this copy's inspections scrapped"},
		{MetricWIP, sparkplug.Int64, node, false, "units in this copy: buffers, conveyors and servers"},
		{MetricSimTime, sparkplug.Int64, node, false, "ms of simulated time since the start"},
		{MetricCrewSize, sparkplug.Int32, node, false, "members of the maintenance crew (lines with a crew)"},
		{MetricCrewBusy, sparkplug.Int32, node, false, "crew members on a job, travelling or at work"},
		{MetricCrewQueued, sparkplug.Int32, node, false, "crew jobs waiting for a free member"},

		{MetricState, sparkplug.String, machine, false, "PackML state name (a station as a whole, one server of a multi-server station, an arm)"},
		{MetricStateNumber, sparkplug.Int32, machine, false, "its PackTags v3.0 number"},
		{MetricProcessed, sparkplug.Int64, station, false, "units processed"},
		{MetricDefective, sparkplug.Int64, station, false, "units that gained a defect here plus defective units its inspection caught"},
		{MetricScrapped, sparkplug.Int64, station, false, "units its inspection scrapped"},
		{MetricFailures, sparkplug.Int64, device, false, "random failures (a worn arm: all its failures)"},
		{MetricBuffer, sparkplug.Int32, station, false, "units in the input buffer (rework queue included)"},
		{MetricCapacity, sparkplug.Int32, station, false, "the input buffer's capacity (-1: unbounded)"},
		{MetricSpeed, sparkplug.Float, station, false, "relative speed, 1 = nominal"},
		{MetricHeld, sparkplug.Boolean, station, false, "the station is held by command"},
		{MetricDesignSpeed, sparkplug.Float, station, false, "units per minute at the ideal cycle (see DesignSpeed)"},
		{MetricCycleTotal, sparkplug.Int64, station, false, "ms of processing of the processed units (mean cycle = Cycle/Total / ProdProcessedCount)"},
		{MetricEntryEye, sparkplug.Int64, station, false, "metric timestamp (ms) the photo-eye at the buffer entry last fired, -1 never"},
		{MetricExitEye, sparkplug.Int64, station, false, "the same at the buffer exit"},
		{MetricInspectPass, sparkplug.Boolean, station, false, "the last inspection's verdict (inspecting stations only)"},
		{MetricInside, sparkplug.Int32, station, false, "units riding (conveyors only)"},
		{MetricWearOuts, sparkplug.Int64, device, false, "servers whose health was used up (stations and arms with wear)"},
		{MetricMaintenances, sparkplug.Int64, device, false, "maintenance actions: calendar windows and on-demand maintenances (stations with wear or a crew, arms with wear)"},
		{MetricConditionKind, sparkplug.String, device, false, "what the condition sensor reads: vibration (mm/s RMS) or temperature (degrees C)"},

		{MetricServerPhase, sparkplug.String, server, false, "the simulation's phase (Working, Starved, Blocked, Down …)"},
		{MetricServerSince, sparkplug.Int64, server, false, "metric timestamp (ms) when that phase began"},
		{MetricServerDone, sparkplug.Int64, server, false, "ms of processing done on the unit when the phase began: while Working, done now = Done + (t - Since)"},
		{MetricServerUnit, sparkplug.Boolean, server, false, "the server holds a unit"},
		{MetricServerDefective, sparkplug.Boolean, server, false, "that unit carries a defect"},
		{MetricServerCondition, sparkplug.Float, server, false, "the last condition reading to arrive (see Condition/Kind); a function of the health a host does not see (a worn arm with a sensor publishes it as its Server 1)"},
		{MetricServerConditionAt, sparkplug.Int64, server, false, "metric timestamp (ms) when that reading was taken, -1 none yet"},
		{MetricServerWaitingCrew, sparkplug.Boolean, server, false, "the server waits for a crew member (queued or on the way) to repair or maintain it"},

		{MetricMoves, sparkplug.Int64, arm, false, "moves the arm made"},
		{MetricMoveStation, sparkplug.String, arm, false, "the station device the move under way serves, empty when the arm has none"},
		{MetricMoveServer, sparkplug.Int32, arm, false, "that station's server (from 1), 0 without a move"},
		{MetricMoveLoading, sparkplug.Boolean, arm, false, "the move loads the server from its buffer (false: unloads it to the next station)"},
		{MetricMoveSince, sparkplug.Int64, arm, false, "metric timestamp (ms) the move last started moving, or stopped while the arm is down; -1 without a move"},
		{MetricMoveDone, sparkplug.Int64, arm, false, "ms of the move done at Move/Since: while the arm is in Execute, done now = Move/Done + (t - Move/Since)"},
		{MetricMoveTime, sparkplug.Int64, arm, false, "ms the whole move takes (0 without a move): its share done is done / Move/Time"},

		{MetricCmdBreak, sparkplug.Boolean, device, true, "true breaks a server (stations) or the arm"},
		{MetricCmdRepair, sparkplug.Boolean, device, true, "true repairs a broken or down server (stations) or the arm"},
		{MetricCmdServer, sparkplug.Int32, device, true, "the server (from 1) Break, Repair and Maintain of the same DCMD act on; 0 or absent: the first that fits (a maintainable arm: 0 or 1)"},
		{MetricCmdBuffer, sparkplug.Int32, station, true, "new input buffer capacity (-1: unbounded)"},
		{MetricCmdHold, sparkplug.Boolean, station, true, "true holds: finish the units under way, start no new one"},
		{MetricCmdUnhold, sparkplug.Boolean, station, true, "true unholds"},
		{MetricCmdReset, sparkplug.Boolean, device, true, "true repairs every broken or down server and unholds (stations); repairs a broken or down arm"},
		{MetricCmdSpeed, sparkplug.Float, station, true, "new relative speed in (0, 10]"},
		{MetricCmdMaintain, sparkplug.Boolean, device, true, "true maintains a server now (stations with wear), or the arm (arms with wear and a maintain time); the server of Command/Server, 0: the first up"},
		{MetricCmdDispatch, sparkplug.Boolean, station, true, "true puts a server's crew job first in the crew's queue; Command/Server as for Maintain, 0: the first waiting"},
	}
}

// TypeOf returns the datatype of the contract metric called name, which
// may be a per-server name ("Server 2/Phase"); false for a name the
// contract does not define.
func TypeOf(name string) (sparkplug.DataType, bool) {
	scope := Scope(255)
	if _, sub, ok := ParseServerMetric(name); ok {
		name, scope = sub, ServerScope
	}
	for _, m := range Metrics() {
		if m.Name == name && (scope != ServerScope || slices.Contains(m.Scopes, ServerScope)) {
			return m.Type, true
		}
	}
	return sparkplug.Unknown, false
}

// serverPrefix starts every per-server metric name.
const serverPrefix = "Server "

// ServerMetric returns the name of a per-server metric of a station:
// ServerMetric(2, MetricState) is "Server 2/State". server counts from 1.
func ServerMetric(server int, name string) string {
	return serverPrefix + strconv.Itoa(server) + "/" + name
}

// ParseServerMetric splits a per-server metric name into its server (from
// 1) and the name within it: "Server 2/Phase" gives 2, "Phase".
func ParseServerMetric(name string) (server int, sub string, ok bool) {
	rest, ok := strings.CutPrefix(name, serverPrefix)
	if !ok {
		return 0, "", false
	}
	num, sub, ok := strings.Cut(rest, "/")
	if !ok || sub == "" {
		return 0, "", false
	}
	k, err := strconv.Atoi(num)
	if err != nil || k < 1 || strconv.Itoa(k) != num {
		return 0, "", false
	}
	return k, sub, true
}

// RoundSpeed gives back the relative speed a Float metric (Status/Speed,
// Command/Speed) was set to: a 32-bit Float carries 0.8 as
// 0.800000011920929, and six decimals are the speed meant.
func RoundSpeed(f float64) float64 { return math.Round(f*1e6) / 1e6 }
