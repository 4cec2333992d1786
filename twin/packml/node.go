package packml

import (
	"strconv"
	"strings"

	"github.com/lightsout-sim/lightsout/twin"
)

// NodeID returns the edge node id of copy k (from 0) of a line whose
// nodes are named with prefix: NodeID("phone-factory", 1) is
// "phone-factory-L2".
func NodeID(prefix string, k int) string {
	return prefix + "-L" + strconv.Itoa(k+1)
}

// CopyOf returns the copy (from 0) that edge node id publishes, when id is
// NodeID(prefix, k) for a copy k of a line with lines copies.
func CopyOf(prefix, id string, lines int) (int, bool) {
	rest, ok := strings.CutPrefix(id, prefix+"-L")
	if !ok {
		return 0, false
	}
	k, err := strconv.Atoi(rest)
	if err != nil || k < 1 || k > lines || strconv.Itoa(k) != rest {
		return 0, false
	}
	return k - 1, true
}

// DesignSpeed returns station i's design speed in units per minute, as
// PackTags' Admin/MachDesignSpeed: its servers times 60 s over its ideal
// cycle (mean processing plus the arm's load and unload moves, see
// twin.Spec.IdealCycle), or 60 s over the pitch of a conveyor; 0 when that
// time is 0. It is the rate the simulator's own OEE measures against.
func DesignSpeed(spec *twin.Spec, i int) float64 {
	per, servers := spec.IdealCycle(i), spec.Stations[i].Servers
	if spec.Stations[i].Conveyor != nil {
		servers = 1
	}
	if per <= 0 {
		return 0
	}
	return float64(servers) * 60 / per.Seconds()
}
