// Package edge publishes a running [twin.Line] as Sparkplug B edge nodes,
// without MQTT: a [Node] turns snapshots of one copy of the line into
// NBIRTH, DBIRTH, NDATA and DDATA messages (report by exception), and
// turns NCMD and DCMD messages into rebirths and line commands. A
// [Runner] runs the line with one node per copy: it advances it on each
// [Step] ([Paced] keeps it at a speed of the wall clock), publishes each
// node's births on every new connection and its changes after every step
// through a [Publisher], and applies the commands received. An MQTT
// adapter gives it one connection per node and hands it what the broker
// delivers.
//
// What the nodes publish, and how commands are written, is the contract
// of package [packml]: one edge node per copy of the line, named
// packml.NodeID(prefix, k), a device per station and per arm, the metric
// names and datatypes of packml.Metrics, the PackML states of
// packml.ServerState, packml.StationState and packml.ArmState, and the
// commands of packml.Decode. This package only reads those values off
// the line's snapshots and applies the commands.
//
// # Time
//
// Metric timestamps are Config.Epoch plus the simulated time in ms, so a
// host sees when things happened on the line's clock; payload timestamps
// are the nowMs the caller passes (the time of publication).
package edge
