package scene

import (
	"strconv"

	"github.com/lightsout-sim/lightsout/twin/autopilot"
)

// PilotStatus is what the view shows of an autopilot beside its
// decisions.
type PilotStatus struct {
	// Policy is the policy's name; empty while nothing is known (a twin
	// not yet asked, or running no autopilot).
	Policy              string
	Held, RecommendOnly bool
	MaxPerHour          int
	Stats               autopilot.Stats
	// Note says why nothing is known ("the twin runs no autopilot"), or
	// the latest failure to ask; empty when all is well.
	Note string
}

// PilotSource is where the view reads an autopilot: a pilot flying the
// local line, or a twin's /api/autopilot. Since appends to dst the
// decisions after seq, oldest first (copies: the caller's to keep);
// Status says how the pilot stands. Both belong to the window's
// goroutine and must not block.
type PilotSource interface {
	Since(seq uint64, dst []autopilot.Decision) []autopilot.Decision
	Status() PilotStatus
}

// LocalPilot is a PilotSource over a pilot in this process.
type LocalPilot struct{ P *autopilot.Pilot }

// Since implements PilotSource from the pilot's log.
func (l LocalPilot) Since(seq uint64, dst []autopilot.Decision) []autopilot.Decision {
	return l.P.Log().Since(seq, dst)
}

// Status implements PilotSource.
func (l LocalPilot) Status() PilotStatus {
	st := l.P.Status(^uint64(0))
	return PilotStatus{Policy: st.Policy, Held: st.Held, RecommendOnly: st.RecommendOnly, MaxPerHour: st.MaxPerHour, Stats: st.Stats}
}

// PilotHeadline is the first line of the autopilot panel: the policy, its
// mode and its counts ("predictive · applied 12 · recommended 0 · capped
// 1"), or the note when nothing is known.
func PilotHeadline(st PilotStatus) string {
	if st.Policy == "" {
		if st.Note != "" {
			return st.Note
		}
		return "waiting for the autopilot"
	}
	s := st.Policy
	switch {
	case st.Held:
		s += " · HELD"
	case st.RecommendOnly:
		s += " · recommend-only"
	}
	x := st.Stats
	s += " · applied " + strconv.FormatUint(x.Applied, 10)
	if x.Recommended > 0 {
		s += " · recommended " + strconv.FormatUint(x.Recommended, 10)
	}
	if x.Capped > 0 {
		s += " · capped " + strconv.FormatUint(x.Capped, 10)
	}
	if n := x.Held + x.Invalid; n > 0 {
		s += " · not applied " + strconv.FormatUint(n, 10)
	}
	if st.Note != "" {
		s += " · " + st.Note
	}
	return s
}
