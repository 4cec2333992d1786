// Package edge publishes a running [twin.Line] as Sparkplug B edge nodes,
// without MQTT: a [Node] turns snapshots of one copy of the line into
// NBIRTH, DBIRTH, NDATA and DDATA messages (report by exception), and
// turns NCMD and DCMD messages into rebirths and line commands. An MQTT
// adapter publishes what it returns and hands it what it receives.
//
// # Topology
//
// One edge node per copy of the line (e.g. "phone-factory-L1"), with one
// device per station and one per arm, named by their ids.
//
// Node metrics: Line/Shipped, Line/Scrapped, Line/WIP (this copy, from its
// stations' counters), Line/Good (only when the line has a single copy: the
// stations do not say which shipped units were defective), Time/Simulated
// (ms), plus bdSeq and Node Control/Rebirth kept by the session.
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
//	                                    (mean processing plus the arm's
//	                                    moves): servers x 60 / cycle in s
//	                                    (60 / pitch for a conveyor)
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
//	Server k/Since             Int64    metric timestamp (ms, Config.Epoch
//	                                    based) when that phase began
//	Server k/Done              Int64    ms of processing done on the unit
//	                                    when the phase began: while Working,
//	                                    done now = Done + (t - Since)
//	Server k/Unit              Boolean  the server holds a unit
//	Server k/Defective         Boolean  that unit carries a defect
//
// Station commands: Command/Break, Command/Repair (Boolean, true acts),
// Command/Server (Int32, from 1: the server Break and Repair of the same
// DCMD act on), Command/Buffer (Int32, new capacity, -1 unbounded),
// Command/Hold, Command/Unhold, Command/Reset (Boolean, true acts; Reset
// repairs every broken or down server and unholds) and Command/Speed
// (Float, new relative speed in (0, 10]). Arm devices: State, StateNumber,
// Counts/Moves, and the commands Command/Break, Command/Repair and
// Command/Reset (Boolean; Reset repairs a broken or down arm). Counters
// count since the line's statistics were last reset (the warm-up), as the
// snapshot does.
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
//	held by command: Starved          Held       done; starts nothing until
//	                                             Unhold or Reset
//
// A break outranks a hold (a held, broken server is Aborting or Aborted);
// a held server down by failure is Held and one in maintenance Stopped.
// The other transient states (Unholding, Clearing, Resetting …) are not
// published: the model moves between them in zero time. A station as a
// whole is in Execute when any of its servers is; otherwise in Holding
// when any of them is; otherwise in the most severe of its servers' states
// (Aborted, Aborting, Held, Stopped, Suspended).
//
// # Time
//
// Metric timestamps are Config.Epoch plus the simulated time in ms, so a
// host sees when things happened on the line's clock; payload timestamps
// are the nowMs the caller passes (the time of publication).
package edge
