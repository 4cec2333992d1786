// Package experiment runs many replications of a line and analyses their
// output: batches with confidence intervals, batches run to a precision,
// warm-up detection, and sweeps of scenarios with common random numbers
// that shards, run on different machines, merge back into exactly what one
// machine would have written. A single replication is twin.Run; this
// package decides which runs to make, runs them in parallel and summarises
// them.
//
// # Batches
//
// [Batch] runs independent replications of one line and returns a
// [Report]: every KPI as an [Estimate], the mean over replications with the
// half-width of its 95% confidence interval (Student t, see [Stat]).
// Replication i runs with seed [twin.ReplicationSeed](seed, i) and its
// result is placed at index i, so a report depends only on the spec and the
// options, never on the worker count or GOMAXPROCS; only its timing fields
// vary. The JSON form of a Report is what `lightsout batch --json` prints.
//
// [BatchToPrecision] adds rounds of replications until the good output's
// interval is narrow enough. [DetectWarmup] chooses the warm-up by [MSER5]
// from pilot runs with their own seeds ([PilotSeed]).
//
// # Sweeps
//
// A [Plan] lists the points (each a validated spec and the parameter values
// that make it), the base seed and the number of replications. [Execute]
// runs the points a [Shard] owns: replication i of every point uses the seed
// twin.ReplicationSeed(seed, i), so the scenarios share their random
// numbers. Because the random streams are named per station and arm, a
// change to one buffer leaves the failures and cycle times of every machine
// as they were: the difference between two scenarios in replication i is
// the effect of the change, not of different luck, and the paired
// differences vary far less than the results themselves.
//
// The outputs of a sweep are three files ([WriteRunsCSV], [WriteSummaryJSON],
// [WriteManifestJSON]): runs.csv, one row per (point, replication);
// summary.json, the mean, 95% half-width and n of each KPI per point
// ([KPIEstimate]) and the paired difference against the first point;
// manifest.json, the plan and the points the shard ran. None holds a
// wall-clock time, so [Merge] of the shards' runs.csv and manifest.json
// gives byte for byte the files of a run that was not sharded.
//
// # Contracts
//
// Batch, BatchToPrecision, DetectWarmup and Execute run replications on a
// pool of goroutines; a replication that fails or panics stops the pool
// and its error (the one with the lowest index) is returned. Their Progress
// callbacks are never called concurrently. A [Stat] is not safe for
// concurrent use. The package keeps no state and logs only through the
// logger it is given.
package experiment
