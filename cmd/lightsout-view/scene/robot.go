package scene

import (
	"math"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/twin"
)

// SolveIK places a two-link arm with links l1 and l2 standing at base so
// that its hand is as close to target as it can reach; side (+1 or -1)
// picks which way the elbow bends. It returns the elbow and the hand.
func SolveIK(base, target Point, l1, l2, side float64) (elbow, hand Point) {
	dx, dy := target.X-base.X, target.Y-base.Y
	d := math.Hypot(dx, dy)
	lo, hi := math.Abs(l1-l2)+1e-6, l1+l2-1e-6
	theta := math.Atan2(dy, dx)
	if d < 1e-9 {
		theta = -math.Pi / 2
	}
	dc := math.Min(math.Max(d, lo), hi)
	cosA := (l1*l1 + dc*dc - l2*l2) / (2 * l1 * dc)
	alpha := math.Acos(math.Min(math.Max(cosA, -1), 1))
	a := theta + side*alpha
	elbow = Point{base.X + l1*math.Cos(a), base.Y + l1*math.Sin(a)}
	hand = Point{base.X + dc*math.Cos(theta), base.Y + dc*math.Sin(theta)}
	return elbow, hand
}

// The stages of one move, as shares of its progress: reach the pick point,
// close the gripper, carry, open the gripper.
const (
	moveReach   = 0.18
	moveGrip    = 0.28
	moveCarry   = 0.88
	moveRelease = 0.94
)

// ArmPose is how an arm is drawn at one moment.
type ArmPose struct {
	Base, Elbow, Hand Point
	Grip              float64 // 0 open, 1 closed
	Carry             bool    // a unit is in the gripper
	Defective         bool    // the unit carried is defective
	// Station and Server are what the move serves (-1: none); Loading
	// says it carries into the machine, and UnitAt where the unit it moves
	// is drawn while not in the gripper: 0 at the pick point, 1 at the place.
	Line, Station, Server int
	Loading               bool
	UnitAt                float64
}

// Rest returns where an idle arm holds its hand: half-folded, towards the line.
func (a *ArmBox) Rest() Point {
	return Point{a.Base.X, a.Base.Y - (a.L1+a.L2)*0.32}
}

// Pose works out the arm's pose from its state in a snapshot: idle at rest;
// moving (or stopped by a failure mid-move) along reach, grip, carry and
// release between the pick point and the place point of the move.
func Pose(f *Floor, n int, a *ArmBox, st *twin.ArmState, snap *twin.Snapshot) ArmPose {
	p := ArmPose{Base: a.Base, Line: a.Line, Station: -1, Server: -1}
	target := a.Rest()
	if st.Station >= 0 && st.Station < n {
		s := &f.Stations[a.Line*n+st.Station]
		k := min(max(st.Server, 0), len(s.Servers)-1)
		pick, place := s.Head(), s.Servers[k].Center()
		if !st.Loading {
			pick, place = s.Servers[k].Center(), UnloadPoint(f, a.Line, n, st.Station)
		}
		p.Station, p.Server, p.Loading = st.Station, k, st.Loading
		if ss := stationState(snap, a.Line, n, st.Station); ss != nil && k < len(ss.Servers) {
			p.Defective = ss.Servers[k].Defective
		}
		pr := clamp01(st.Progress)
		switch {
		case pr < moveReach:
			target = Lerp(a.Rest(), pick, smooth(pr/moveReach))
		case pr < moveGrip:
			target, p.Grip = pick, (pr-moveReach)/(moveGrip-moveReach)
		case pr < moveCarry:
			target, p.Grip = Lerp(pick, place, smooth((pr-moveGrip)/(moveCarry-moveGrip))), 1
		case pr < moveRelease:
			target, p.Grip = place, 1-(pr-moveCarry)/(moveRelease-moveCarry)
		default:
			target = Lerp(place, a.Rest(), smooth((pr-moveRelease)/(1-moveRelease)))
		}
		p.Carry = pr >= (moveReach+moveGrip)/2 && pr < moveRelease
		if pr >= moveRelease {
			p.UnitAt = 1
		}
	}
	p.Elbow, p.Hand = SolveIK(a.Base, target, a.L1, a.L2, a.Elbow)
	return p
}

// Poses returns the pose of every arm of f in snap, reusing dst; an arm
// the snapshot does not have yet gets none.
func Poses(f *Floor, n int, snap *twin.Snapshot, dst []ArmPose) []ArmPose {
	dst = dst[:0]
	for j := range f.Arms {
		if j < len(snap.Arms) {
			dst = append(dst, Pose(f, n, &f.Arms[j], &snap.Arms[j], snap))
		}
	}
	return dst
}

// stationState returns station i of copy c in snap, or nil.
func stationState(snap *twin.Snapshot, c, n, i int) *twin.StationState {
	k := c*n + i
	if snap == nil || k < 0 || k >= len(snap.Stations) {
		return nil
	}
	return &snap.Stations[k]
}

// smooth eases t (0 to 1) in and out.
func smooth(t float64) float64 {
	t = clamp01(t)
	return t * t * (3 - 2*t)
}

// ArmPhaseName says what an arm is doing, for labels and the detail panel.
func ArmPhaseName(st *twin.ArmState) string {
	switch {
	case st.Broken:
		return "Down (broken by command)"
	case st.Phase == robots.Down:
		return "Down (failure)"
	case st.Phase == robots.Moving && st.Loading:
		return "Moving: loading"
	case st.Phase == robots.Moving:
		return "Moving: unloading"
	}
	return st.Phase.String()
}
