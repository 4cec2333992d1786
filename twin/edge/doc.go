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
// Station devices: State (String) and StateNumber (Int32) for the station
// as a whole and, for a station with several servers, "Server k/State" and
// "Server k/StateNumber"; Admin/ProdProcessedCount; Admin/ProdDefectiveCount
// (units that gained a defect here plus defective units its inspection
// caught); Counts/Scrapped; Counts/Failures; Buffer/Level; Buffer/Capacity
// (-1: unbounded); Conveyor/Inside for conveyors; and the commands
// Command/Break, Command/Repair (Boolean), Command/Buffer and
// Command/Server (Int32). Arm devices: State, StateNumber, Counts/Moves,
// Command/Break, Command/Repair. Counters count since the line's statistics
// were last reset (the warm-up), as the snapshot does. Cycle times are not
// published yet: the snapshot does not carry the last cycle.
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
//
// The transient states (Holding, Unholding, Clearing, Resetting …) are not
// published: the model moves between phases in zero time. A station as a
// whole is in Execute when any of its servers is; otherwise in the most
// severe of its servers' states (Aborted, Aborting, Held, Stopped,
// Suspended).
//
// # Time
//
// Metric timestamps are Config.Epoch plus the simulated time in ms, so a
// host sees when things happened on the line's clock; payload timestamps
// are the nowMs the caller passes (the time of publication).
package edge
