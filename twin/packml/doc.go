// Package packml is the contract between the three programs of the twin:
// the edge (a line published as Sparkplug B edge nodes), the host (the
// twin that mirrors them) and the view (the window, in twin mode). It is
// written once here and imported by all three; none of them spells a
// metric name, a PackML state or a command encoding on its own.
//
// It holds the metric names and datatypes ([Metrics], [TypeOf]), the
// PackML states and their numbers ([State]), the mapping of the
// simulation's phases to PackML states and back ([ServerState],
// [StationState], [ArmState], [ServerFromState], [ArmFromState]), the
// naming of edge nodes ([NodeID], [CopyOf]), the design speed a station
// publishes ([DesignSpeed]) and the commands a host sends as DCMD writes,
// in both directions ([Command], [Decode], [FromTwin], [Command.ToTwin]).
// It does no I/O: no MQTT, no HTTP.
//
// # Topology
//
// One edge node per copy of the line, named NodeID(prefix, k)
// ("phone-factory-L1"), with one device per station and one per arm,
// named by their ids.
//
// Node metrics: Line/Shipped, Line/Scrapped, Line/WIP (this copy, from its
// stations' counters), Line/Good (only when the line has a single copy: the
// stations do not say which shipped units were defective), Time/Simulated
// (ms), plus bdSeq and Node Control/Rebirth kept by the Sparkplug session.
// A line with a maintenance crew adds Crew/Size, Crew/Busy and Crew/Queued
// (Int32: members, members on a job, jobs waiting) of the crew serving the
// copy.
//
// Station devices:
//
//	metric                     type     what
//	State, StateNumber         String,  PackML state of the station as a
//	                           Int32    whole (see below)
//	Admin/ProdProcessedCount   Int64    units processed
//	Admin/ProdDefectiveCount   Int64    units that gained a defect here plus
//	                                    defective units its inspection caught
//	Admin/MachDesignSpeed      Float    units per minute at the ideal cycle
//	                                    (see DesignSpeed)
//	Status/Speed               Float    relative speed, 1 = nominal
//	Status/Held                Boolean  the station is held
//	Cycle/Total                Int64    ms of processing of the processed
//	                                    units (mean cycle = Cycle/Total /
//	                                    ProdProcessedCount)
//	Counts/Scrapped            Int64    units its inspection scrapped
//	Counts/Failures            Int64    random failures
//	Sensors/EntryEye           Int64    timestamp (ms) the photo-eye at the
//	                                    buffer entry last fired (-1 never)
//	Sensors/ExitEye            Int64    the same at the buffer exit
//	Sensors/InspectPass        Boolean  the last inspection verdict
//	                                    (inspecting stations only)
//	Buffer/Level               Int32    units in the input buffer
//	Buffer/Capacity            Int32    its capacity (-1: unbounded)
//	Conveyor/Inside            Int32    units riding (conveyors only)
//	Server k/State,            String,  PackML state of server k (from 1);
//	Server k/StateNumber       Int32    only for stations with several
//	Server k/Phase             String   the simulation's phase ("Working",
//	                                    "Starved", "Blocked", "Down" …)
//	Server k/Since             Int64    metric timestamp (ms) when that
//	                                    phase began
//	Server k/Done              Int64    ms of processing done on the unit
//	                                    when the phase began: while Working,
//	                                    done now = Done + (t - Since)
//	Server k/Unit              Boolean  the server holds a unit
//	Server k/Defective         Boolean  that unit carries a defect
//
// Stations with wear or served by a crew add (the true health is never
// published: a host sees what a plant's sensors would show):
//
//	Counts/WearOuts            Int64    servers whose health was used up
//	                                    (stations with wear)
//	Counts/Maintenances        Int64    calendar windows and on-demand
//	                                    maintenances
//	Condition/Kind             String   what the condition sensor reads:
//	                                    vibration or temperature
//	Server k/Condition         Float    the last condition reading to
//	                                    arrive (stations with a sensor)
//	Server k/ConditionAt       Int64    metric timestamp (ms) it was taken,
//	                                    -1 none yet
//	Server k/WaitingCrew       Boolean  waits for a crew member (lines with
//	                                    a crew)
//
// Arm devices: State, StateNumber and Counts/Moves (Int64), and the move
// under way, from which a host draws the arm moving between messages:
//
//	metric         type     what
//	Move/Station   String   the station device the move serves, "" none
//	Move/Server    Int32    its server, from 1 (0: no move)
//	Move/Loading   Boolean  buffer into the server (else the server out to
//	                        the next station)
//	Move/Since     Int64    metric timestamp (ms) the move last started
//	                        moving, or stopped while the arm is down; -1
//	Move/Done      Int64    ms of the move done at Move/Since
//	Move/Time      Int64    ms the whole move takes; while the arm is in
//	                        Execute its share done at t is
//	                        (Move/Done + t - Move/Since) / Move/Time
//
// Counters count since the line's statistics were last reset (the
// warm-up). An arm with wear adds Counts/Failures, Counts/WearOuts and
// Counts/Maintenances (its failures, wear-outs and maintenances since the
// start), and with a condition sensor Condition/Kind and, as a machine of
// one server, Server 1/Condition and Server 1/ConditionAt; a maintenance
// shows as its Down state.
//
// # Commands
//
// A host writes commands in a DCMD to a station or arm device; each
// [Action] is one metric:
//
//	metric           type     devices   what
//	Command/Hold     Boolean  stations  true: finish the units under way,
//	                                    start no new one
//	Command/Unhold   Boolean  stations  true: start units again
//	Command/Reset    Boolean  both      true: repair every broken or down
//	                                    server and unhold; an arm: repair it
//	                                    if it is broken or down
//	Command/Break    Boolean  both      true: break a server, or the arm
//	Command/Repair   Boolean  both      true: repair a broken or down
//	                                    server, or the arm
//	Command/Server   Int32    stations  the server (from 1) Break and Repair
//	                                    of the same DCMD act on; 0 or absent:
//	                                    the first that fits
//	Command/Speed    Float    stations  new relative speed in (0, 10]
//	Command/Buffer   Int32    stations  new input buffer capacity, -1
//	                                    unbounded
//	Command/Maintain Boolean  both      true: maintain a server now (stations
//	                                    with wear that can be maintained), or
//	                                    the arm (arms with wear and a
//	                                    maintain time; Command/Server 0 or 1);
//	                                    Command/Server names it, 0: the first
//	                                    up
//	Command/Dispatch Boolean  stations  true: put a server's crew job first
//	                                    in the crew's queue (lines with a
//	                                    crew); Command/Server names it, 0:
//	                                    the first waiting
//
// Command/Maintain and Command/Dispatch are born only on the devices that
// take them (a maintainable arm's with Command/Server).
//
// Births carry every command metric with a value of its type: false for
// the Booleans, 0 for Command/Server, and the station's current speed and
// capacity for Command/Speed and Command/Buffer (data keeps those two up
// to date, so writing back what a host reads changes nothing).
//
// # PackML states
//
// States carry their PackML name beside their number. Numbers are those of
// PackTags v3.0 (ISA-TR88.00.02), as PLCs publish Status/StateCurrent:
// Clearing 1, Stopped 2, Starting 3, Idle 4, Suspended 5, Execute 6,
// Stopping 7, Aborting 8, Aborted 9, Holding 10, Held 11, Unholding 12,
// Suspending 13, Unsuspending 14, Resetting 15, Completing 16, Complete 17.
// OPC 30060 numbers the same states differently (Stopped 0 … Unholding 16);
// [State.OPC30060] converts.
//
// The simulation's phases map onto PackML states so:
//
//	phase (server or arm)             PackML     why
//	Working, Loading, Unloading       Execute    the machine is running its
//	Moving (arm)                                 cycle on a unit; arm handling
//	                                             is part of that cycle
//	Starved, Blocked, Idle (arm)      Suspended  running, but an external
//	                                             condition (no input, no room
//	                                             downstream) stops production
//	Down by a random failure          Held       an internal condition stops
//	                                             production; it clears by
//	                                             itself (repair) and resumes,
//	                                             as Unhold resumes from Held
//	broken by command, not yet down   Aborting   the break waits for the
//	                                             current step to end
//	broken by command, down           Aborted    an abnormal stop that stays
//	                                             until a command (Repair)
//	                                             clears it
//	Maintenance (planned)             Stopped    taken out of production on
//	                                             purpose, not by a fault;
//	                                             PackML's Maintenance is a
//	                                             mode, not a state
//	held by command: Working,         Holding    finishing the unit it holds
//	Loading, Unloading, Blocked                  before it stops
//	held by command: Held (idle,      Held       done; starts nothing until
//	whatever its buffer holds)                   Unhold or Reset
//
// A break outranks a hold (a held, broken server is Aborting or Aborted);
// a held server down by failure is Held and one in maintenance Stopped.
// The other transient states (Unholding, Clearing, Resetting …) are not
// published: the model moves between them in zero time. A station as a
// whole is in Execute when any of its servers is; otherwise in Holding
// when any of them is; otherwise in the most severe of its servers' states
// (Aborted, Aborting, Held, Stopped, Suspended).
//
// A host that knows a server's state but not its phase (an edge node that
// does not publish Server k/Phase) reads it back with [ServerFromState],
// which has one rule per state (Suspended is Blocked when units wait in
// the station's buffer, else Starved; Held is the phase Held when the
// station is held, else Down).
//
// # Time
//
// Metric timestamps are the edge's epoch plus the simulated time in ms,
// so a host sees when things happened on the line's clock; payload
// timestamps are the time of publication.
package packml
