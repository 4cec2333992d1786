// Package experiment runs sweeps: many scenarios (points) of a line, each
// replicated, with common random numbers, and writes their results in a form
// that shards of the work, run on different machines, merge back into
// exactly what one machine would have written.
//
// A [Plan] lists the points (each a validated spec and the parameter values
// that make it), the base seed and the number of replications. [Execute]
// runs the points a [Shard] owns: replication i of every point uses the seed
// [twin.ReplicationSeed](seed, i), so the scenarios share their random
// numbers. Because the random streams are named per station and arm, a
// change to one buffer leaves the failures and cycle times of every machine
// as they were: the difference between two scenarios in replication i is
// the effect of the change, not of different luck, and the paired
// differences vary far less than the results themselves.
//
// The outputs of a run are three files ([WriteRunsCSV], [WriteSummaryJSON],
// [WriteManifestJSON]): runs.csv, one row per (point, replication);
// summary.json, the mean, 95% half-width and n of each KPI per point and the
// paired difference against the first point; manifest.json, the plan and the
// points the shard ran. None holds a wall-clock time, so [Merge] of the
// shards' runs.csv and manifest.json gives byte for byte the files of a run
// that was not sharded.
//
// The package keeps no state and logs only through the logger it is given.
package experiment
