// Package twin is the line model: a [Spec] describes a line (stations,
// buffers, robot arms, source, sensors, copies), and a [Line] is a running
// discrete-event simulation of it. A Line runs ([Line.RunUntil],
// [Line.RunFor]), takes commands ([Line.Do]), shows itself as a [Snapshot],
// saves and restarts from a [State], and measures its KPIs ([Line.Result],
// with OEE per ISO 22400) and output over time ([Series]). [Run] is one
// replication from start to end; [SessionLog] replays an interactive
// session; [Forecast] runs forks of a State. Running many replications and
// analysing them (batches, confidence intervals, warm-up, sweeps) is
// package twin/experiment's work.
//
// # Determinism
//
// A Line built from the same spec and seed runs the same events in the same
// order and gives the same results, byte for byte, on any machine and
// whatever GOMAXPROCS: time is an integer, events due at the same time run
// in the order they were scheduled, and every station, arm, source and
// sensor draws from its own random stream, named after it and derived from
// the seed (so adding a station leaves the others' numbers as they were).
// [ReplicationSeed] derives the seed of replication i of a batch.
//
// # Concurrency
//
// A Line is not safe for concurrent use: one goroutine at a time calls its
// methods. Lines share nothing but their Spec, which they only read, so
// separate lines (replications, forecasts) may run on separate goroutines
// from one validated Spec.
//
// # Commands
//
// Commands go through the event queue: Do checks a command and schedules
// it at the current time, after the events already due, and [Line.Log]
// keeps it with its time and outcome. A session's commands with their times
// therefore replay exactly ([Line.Replay], [SessionLog]).
//
// # Snapshots and states
//
// A Snapshot holds plain values that stay valid after the line moves on.
// [Line.SnapshotInto] fills one reusing its slices, so a view taking one
// every frame does not allocate; a Snapshot passed to it again is
// overwritten. A State is a plain, serialisable picture of a line
// (buffers, phases, elapsed cycles, counters) that a twin host can
// assemble from what it mirrors. [NewLineFromState] builds a line that
// starts from it at its time, with its counters and fresh statistics; the
// State does not hold every random draw, so that line continues as a fresh
// sample of what may follow, not as the run the State came from
// (NewLineFromState lists what is drawn afresh).
//
// # Logging, errors and faults
//
// The package never logs on its own: [Run] logs to the zap logger in its
// [Options] (none when nil), at the start and end of a run and never per
// event. The simulation loop never logs, and once its queues have grown to
// their working size it does not allocate.
//
// Simulated faults (a breakdown, a defect, a scrapped unit, a blocked or
// starved station) are states and events of the model, counted in its
// results, never Go errors. Errors report input that cannot run (an
// invalid Spec, State, Command or Options, each with the path or value at
// fault) and I/O failures of a trace. A valid command that meets the wrong
// state when it applies (repairing a machine that is running) is no error
// of Do: its message is kept in the Log. Misuse that is a programming
// error, such as recording a series with no positive bucket, panics.
package twin
