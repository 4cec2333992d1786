// Package bench measures how fast the simulator runs on this machine: the
// standard measurements of `lightsout bench`, made in-process one after the
// other.
//
//	kernel        events per second of the bare event kernel (twin/sim): the
//	              hold model with KernelPending pending events
//	factory       one run of a line (twin.Run): events and phones simulated
//	              per second of wall time, and wall time per simulated year
//	year, copies  the same run with the line's copies on CopyWorkers cores at
//	              once (twin.Options.CopyWorkers): wall time per simulated
//	              year, speed-up and cores kept busy
//	memory        the process's peak resident memory after the factory run
//	replications  the speed-up of a batch (twin/experiment) on 2 workers over
//	              the same batch on 1, and the cores the 2-worker batch kept busy
//
// [Run] makes them and returns a [Report], with a description of the machine;
// [WriteText] and [WriteJSON] print it. [RunTwin] measures the twin's host
// side instead (`lightsout bench twin`): its ingest rate, the lag of a
// message from an edge node to the mirror and its observers, and memory,
// fed by many edge nodes in-process ([TwinReport]). The figures are wall-clock
// measurements: they mean something only on an otherwise idle machine.
// Reading /proc, the package gives fuller figures on Linux than elsewhere.
package bench
