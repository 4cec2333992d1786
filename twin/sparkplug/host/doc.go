// Package host is the Sparkplug B 3.0 host application session, without
// a network: a [Session] mirrors every edge node and device it hears
// from, checks seq continuity and bdSeq, marks data stale on death, says
// when to ask for a rebirth (a seq gap, a node it joins after its birth),
// and builds commands from the births it mirrors. What it mirrors and the
// rebirths it asks for are bounded by its [Config]: payload size, nodes,
// devices, metrics, memory and a rebirth budget; [Session.EvictIdle]
// forgets silent nodes. [NodeView], [DeviceView] and [MetricView] are
// copies of what it mirrors, [Stats] and [Size] what it has seen and
// holds.
//
// Everything on the wire (topics, payloads, their encoding, STATE, the
// protocol's errors) is package sparkplug's; protocol faults found here
// match sparkplug.ErrProtocol, and messages refused at a limit match
// [ErrLimit]. Like package sparkplug, it never reads the wall clock: the
// host's time is passed in, so a recorded session replays byte for byte.
//
// A Session is not safe for concurrent use; wrap it in a mutex if several
// goroutines share one (twin/mirror does).
package host
