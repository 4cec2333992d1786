package stations

import (
	"unsafe"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// UnitBytes is about how many bytes one unit in process takes: its record
// in the pool, its place in the free list, and its place in a queue twice
// over for the room a growing queue keeps.
const UnitBytes = int64(unsafe.Sizeof(Unit{}) + 3*unsafe.Sizeof(UnitID(0)))

// Footprint returns about how many bytes a station built from s takes
// (the station, its servers and its random streams), and the most units
// in process it holds at once when full: its buffer, when finite, and its
// machines or its conveyor. Units in an unbounded buffer and in the
// rework queue are not counted: nothing bounds them but the run. s must
// have passed Validate, so that the counts are within their limits.
func (s *Spec) Footprint() (bytes, units int64) {
	servers := int64(s.Servers)
	units = servers
	if s.Conveyor != nil {
		servers, units = 1, int64(s.Conveyor.Capacity)
		bytes += int64(unsafe.Sizeof(conveyor{})) + 2*units*int64(unsafe.Sizeof(riding{}))
	}
	if s.Buffer != Inf {
		units += int64(s.Buffer)
	}
	bytes += int64(unsafe.Sizeof(Station{})) + servers*int64(unsafe.Sizeof(server{})) + 3*sim.StreamBytes
	if s.Wear != nil {
		bytes += servers*int64(unsafe.Sizeof(serverExt{})) + 2*sim.StreamBytes
	}
	// Blocked servers upstream wait in the station's list of waiters.
	bytes += 2 * servers * int64(unsafe.Sizeof(waiter{}))
	return bytes, units
}
