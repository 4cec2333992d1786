package robots

import "github.com/lightsout-sim/lightsout/twin/sim"

// MoveClock returns the timing of the current move, from which its
// progress at any later time follows without asking the arm again: since
// is when the move last started moving (or stopped, while the arm is
// down), done how much of it was done by then, and total the time the
// whole move takes. While the arm is Moving the share done at time t is
// (done + t - since) / total; while it is down it stays done / total. ok
// is false when the arm has no move under way.
func (a *Arm) MoveClock() (since, done, total sim.Time, ok bool) {
	if a.cur.h == nil {
		return 0, 0, 0, false
	}
	total = a.spec.MoveTime(a.cur.distance)
	if total > 0 {
		total = a.slow(total) // a worn arm moves slower, as in Move
	}
	done = min(max(total-a.remaining, 0), total)
	since = a.since
	if a.phase == Moving {
		since = a.started
	}
	return since, done, total, true
}
