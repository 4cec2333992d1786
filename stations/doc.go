// Package stations models the machines of a line: stations with parallel
// servers and a finite input buffer, blocking after service, failures that
// count busy time, planned maintenance, defects, inspection with scrap or
// rework, and conveyors such as a reflow oven.
//
// A Spec is the immutable description read from a config; a Station is its
// running state inside one simulation. Stations know nothing of robot arms
// or of the line that wires them: an arm is any Loader, and everything a
// station does is reported to an Observer.
//
// Commands change a running station in place: Break and Repair a server,
// SetBuffer, Hold and Unhold (finish the units under way, start no new
// one: the idle servers are then in phase Held, not Starved), SetSpeed (scale the cycles started from then on) and Reset (repair
// everything and unhold, as a PackML Reset).
//
// An ActivityObserver is told when a station turns active (no server
// starved, blocked or held) or inactive: what bottleneck detection by
// active periods needs.
package stations
