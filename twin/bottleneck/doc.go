// Package bottleneck finds the shifting bottleneck of a production line by
// the active period method (Roser, Nakano and Tanaka): a station is active
// while it works, is loaded or unloaded, is down or in maintenance, and
// inactive while it waits (starved, blocked or held). At any moment the
// momentary bottleneck is the active station whose current active period
// is the longest. When one bottleneck's active period ends and another's,
// which overlapped it, takes over, the overlap is a shifting period: both
// are the bottleneck then (shifting bottlenecks); the rest of the time the
// bottleneck is the sole bottleneck.
//
// Over a window, each station's bottleneck share is the share of time it
// was the sole or a shifting bottleneck; the average bottleneck is the
// station with the largest share. A [Detector] keeps these shares over a
// sliding window (a ring of buckets) and since its last reset, fed with
// the moments stations turn active or inactive. Online, the current
// active period is measured up to now (its end is not known yet); a
// station that turns active later than the bottleneck cannot overtake it
// while the bottleneck stays active, so the momentary bottleneck changes
// only when its active period ends, and the overlap is then known.
//
// A Detector does not allocate after New; it is not safe for concurrent
// use.
package bottleneck
