// Package mirror is the host side of the twin, without a transport: a
// [Mirror] keeps the Sparkplug B host application's session (the STATE
// it publishes, the rebirths it asks for, every edge node and device it
// hears from), records what it receives and replays such a recording,
// and converts what it mirrors into the model's terms: a [twin.State] to
// fork forecasts from ([View.State]) and a [twin.Snapshot] the window
// draws ([Filler]).
//
// A Mirror does no I/O: an MQTT adapter hands it what the broker delivers
// ([Mirror.Receive]) and publishes what it returns (rebirth requests, its
// STATE, commands built with [Mirror.Command]). Analytics follow it as
// [Observer]s: after each message or connection event the mirror tells
// them, in order, what changed ([Update]), outside its own lock, so that
// readers of the mirror never wait for them. A [History] is one: the
// modelled line's output per five simulated minutes, the last day.
//
// What a Mirror holds is bounded by Config.Limits, whatever its peers
// send, and it forgets the edge nodes silent for longer than
// Config.EvictAfter, telling its observers ([EventEvicted]).
//
// The metric names, PackML states and commands it reads and writes are
// the contract of package [packml].
package mirror
