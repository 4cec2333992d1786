// Package monitor is what the twin watches in what it mirrors: a
// [Monitor] follows a mirror.Mirror as its observer and keeps, per edge
// node and device, the time spent in each PackML state, the counters
// behind the live KPIs, and the deviation detectors with the events they
// raised. It reads:
//
//   - [Monitor.Tree]: the ISA-95 tree (site / area = Sparkplug group /
//     line = edge node / cell = a station and the arms that serve it /
//     device) with each device's PackML state, since when, and the time in
//     each state;
//   - [Monitor.KPIs]: throughput, WIP, yield and OEE (availability x
//     performance x quality, ISO 22400-2) per station and per line, from
//     the mirrored counters and states;
//   - [Monitor.Deviations]: cycle-time drift against the model (CUSUM),
//     stale nodes and devices, protocol faults, and the output-band events
//     the forecaster raises (added with [Monitor.Add]).
//
// Times are the line's own (metric timestamps), never the host's clock,
// except for silence, which only the host's clock can see. The monitor
// does no I/O and knows no transport.
package monitor
