// Package host is the Sparkplug B host application of the twin: a [Host]
// connects to an MQTT broker through package link, publishes its STATE
// (with the offline STATE as its Will), subscribes to the Sparkplug
// namespace, feeds every message to a sparkplug.HostSession, sends the
// rebirth requests the session asks for, and keeps the mirror of every edge
// node and device behind a mutex. [Host.Mirror] returns copies as plain
// values; [Host.Handler] serves them as JSON; Config.Record receives a
// JSON-lines recording of every message received.
//
// Not yet here: KPIs, forecasts, deviations and commands other than rebirth.
package host
