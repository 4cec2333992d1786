package scene

import (
	"errors"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
)

// SelKind says what is selected.
type SelKind uint8

// What can be selected.
const (
	SelNone SelKind = iota
	SelStation
	SelArm
)

// Selection is the station or arm whose details are shown and which the
// break, repair and buffer keys act on. Slot indexes the snapshot's
// Stations or Arms (copy*n + i); Server is the clicked server, or -1.
type Selection struct {
	Kind   SelKind
	Slot   int
	Server int
}

// armHitRadius is how close (world units) to an arm's base, elbow or hand a
// click selects the arm.
const armHitRadius = 12

// HitTest returns what a click at world point p selects: an arm (drawn on
// top, so tried first) near its base, elbow or hand, else a station (and
// the server under p, if any), else nothing.
func HitTest(f *Floor, poses []ArmPose, p Point) Selection {
	for j := range poses {
		for _, q := range [3]Point{poses[j].Base, poses[j].Elbow, poses[j].Hand} {
			if Dist(p, q) <= armHitRadius {
				return Selection{Kind: SelArm, Slot: j, Server: -1}
			}
		}
	}
	for i := range f.Stations {
		s := &f.Stations[i]
		if !s.Hit().Contains(p) {
			continue
		}
		sel := Selection{Kind: SelStation, Slot: i, Server: -1}
		for k, r := range s.Servers {
			if len(s.Servers) > 1 && r.Contains(p) {
				sel.Server = k
			}
		}
		return sel
	}
	return Selection{Kind: SelNone, Server: -1}
}

// BreakCommand returns the command that breaks the selected machine: the
// clicked server, else the first that is not already broken (a working one
// first); or the selected arm.
func BreakCommand(sel Selection, snap *twin.Snapshot) (twin.Command, error) {
	switch sel.Kind {
	case SelArm:
		a := &snap.Arms[sel.Slot]
		if a.Broken {
			return twin.Command{}, errors.New(a.ID + " is already broken: F repairs it")
		}
		return twin.Command{Kind: twin.BreakArm, Line: a.Line, Target: a.ID}, nil
	case SelStation:
		ss := &snap.Stations[sel.Slot]
		k := pickServer(ss, sel.Server, func(v stations.ServerView) bool { return !v.Broken && v.Phase != stations.Down }, func(v stations.ServerView) bool { return !v.Broken })
		if k < 0 {
			return twin.Command{}, errors.New("every server of " + ss.ID + " is already broken: F repairs one")
		}
		return twin.Command{Kind: twin.BreakStation, Line: ss.Line, Target: ss.ID, Server: k}, nil
	}
	return twin.Command{}, errors.New("select a station or an arm first (click it)")
}

// RepairCommand returns the command that repairs the selected machine: the
// clicked server, else the first broken by command, else the first down.
func RepairCommand(sel Selection, snap *twin.Snapshot) (twin.Command, error) {
	switch sel.Kind {
	case SelArm:
		a := &snap.Arms[sel.Slot]
		if !a.Broken && a.Phase != robots.Down {
			return twin.Command{}, errors.New(a.ID + " is not down")
		}
		return twin.Command{Kind: twin.RepairArm, Line: a.Line, Target: a.ID}, nil
	case SelStation:
		ss := &snap.Stations[sel.Slot]
		k := pickServer(ss, sel.Server, func(v stations.ServerView) bool { return v.Broken }, func(v stations.ServerView) bool { return v.Phase == stations.Down })
		if k < 0 {
			return twin.Command{}, errors.New(ss.ID + " has no server down")
		}
		return twin.Command{Kind: twin.RepairStation, Line: ss.Line, Target: ss.ID, Server: k}, nil
	}
	return twin.Command{}, errors.New("select a station or an arm first (click it)")
}

// pickServer returns the clicked server when it qualifies (by either
// test), else the first server passing the first test, else the first
// passing the second, else -1.
func pickServer(ss *twin.StationState, clicked int, first, second func(stations.ServerView) bool) int {
	if clicked >= 0 && clicked < len(ss.Servers) {
		if v := ss.Servers[clicked]; first(v) || second(v) {
			return clicked
		}
		return -1
	}
	for _, test := range []func(stations.ServerView) bool{first, second} {
		for k, v := range ss.Servers {
			if test(v) {
				return k
			}
		}
	}
	return -1
}

// BufferCommand returns the command that changes the selected station's
// input buffer by delta places (at least 0). Shrinking an unbounded buffer
// bounds it at the units it holds (at least one); growing it does nothing.
func BufferCommand(sel Selection, snap *twin.Snapshot, delta int) (twin.Command, error) {
	if sel.Kind != SelStation {
		return twin.Command{}, errors.New("select a station first: [ and ] change its input buffer")
	}
	ss := &snap.Stations[sel.Slot]
	c := ss.Capacity
	switch {
	case c == stations.Inf && delta > 0:
		return twin.Command{}, errors.New(ss.ID + "'s buffer is already unbounded")
	case c == stations.Inf:
		c = stations.Capacity(max(ss.Buffer, 1))
	default:
		c = stations.Capacity(max(int(c)+delta, 0))
	}
	if c == ss.Capacity {
		return twin.Command{}, errors.New(ss.ID + "'s buffer is already " + c.String())
	}
	return twin.Command{Kind: twin.SetBuffer, Line: ss.Line, Target: ss.ID, Capacity: c}, nil
}
