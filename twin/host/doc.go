// Package host is the Sparkplug B host application of the twin: a [Host]
// connects to an MQTT broker through package link, publishes its STATE
// (with the offline STATE as its Will), subscribes to the Sparkplug
// namespace, feeds every message to a sparkplug.HostSession, sends the
// rebirth requests the session asks for, and keeps the mirror of every edge
// node and device behind a mutex.
//
// On top of the mirror, fed by every message:
//   - [Host.Tree]: the ISA-95 tree (site / area = group / line = edge node /
//     cell / device) with each device's PackML state, since when, and the
//     time spent in each state;
//   - [Host.KPIs]: throughput, WIP, yield and OEE (A x P x Q) per station
//     and per line, from the mirrored counters and states;
//   - [Host.Deviations]: cycle-time drift per station against the model,
//     stale nodes and devices, protocol faults and, through [Host.Tick],
//     output outside the forecast band;
//   - with a model of the line (Config.Spec): [Host.State] assembles a
//     twin.State from the mirror, [Host.Forecast] forks it to the end of
//     the shift, [Host.WhatIf] compares two forks with common random
//     numbers;
//   - [Host.Command] and [Host.SendCommand] send DCMDs back (hold, unhold,
//     reset, break, repair, speed, buffer).
//
// [Host.Handler] serves all of it over HTTP: /api/state, /api/tree,
// /api/kpis, /api/deviations, /api/forecast, POST /api/whatif,
// POST /api/command and /metrics (Prometheus). Config.Record receives a
// JSON-lines recording of every message received; a [Replayer] feeds such
// a recording back into a host, giving the same mirror.
package host
