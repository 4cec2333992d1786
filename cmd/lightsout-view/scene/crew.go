package scene

import (
	"strconv"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
)

// CrewR is the radius of a crew member on the floor, in world units.
const CrewR = 5.0

// crewGap is the space between members standing side by side.
const crewGap = 2*CrewR + 3

// CrewSpot is where one crew member is drawn, in world units, and what it
// does.
type CrewSpot struct {
	// Crew and Member index the snapshot's Crews and the crew's Members.
	Crew, Member int
	At           Point
	// Busy says the member is on a job; Travelling that it is on its way
	// (to the job, or back to the depot); Job is the job's kind.
	Busy, Travelling bool
	Job              stations.JobKind
}

// CrewDepot returns where crew line's idle members wait: the middle of
// its copy's header band (the first copy's for a crew shared by all, line
// -1).
func CrewDepot(f *Floor, line int) Point {
	b := depotBlock(f, line)
	if b == nil {
		return f.Bounds.Center()
	}
	return b.Header.Center()
}

// CrewDepotLabel is the text beside a crew's depot: its busy and queued
// counts ("crew 2/5 busy · 1 queued").
func CrewDepotLabel(c *twin.CrewState) string {
	s := "crew " + strconv.Itoa(c.Busy) + "/" + strconv.Itoa(c.Size) + " busy"
	if c.Queued > 0 {
		s += " · " + strconv.Itoa(c.Queued) + " queued"
	}
	return s
}

func depotBlock(f *Floor, line int) *Block {
	line = max(line, 0)
	for i := range f.Blocks {
		if f.Blocks[i].Line == line {
			return &f.Blocks[i]
		}
	}
	if len(f.Blocks) > 0 {
		return &f.Blocks[0]
	}
	return nil
}

// CrewHome returns the place of member m of a crew of size members at
// its depot (crew line): in a row centred on the depot, to the right of
// its label.
func CrewHome(f *Floor, line, m, size int) Point { return memberAtDepot(f, line, m, size) }

func memberAtDepot(f *Floor, line, m, size int) Point {
	d := CrewDepot(f, line)
	return Point{d.X + (float64(m)-float64(size-1)/2)*crewGap, d.Y}
}

// memberAtStation returns the place of member m at station st of copy
// line (n stations a copy), working on server k (-1: the whole station):
// in front of the machine, below its health bar, under the server's bar.
func memberAtStation(f *Floor, n, line, st, k, m int) (Point, bool) {
	slot := line*n + st
	if line < 0 || st < 0 || st >= n || slot >= len(f.Stations) {
		return Point{}, false
	}
	sb := &f.Stations[slot]
	x := sb.Box.Center().X
	if k >= 0 && k < len(sb.Servers) {
		x = ServerBar(sb, k, len(sb.Servers)).Center().X
	}
	// Members at the same station side by side: spread by member index.
	x += float64(m%3-1) * crewGap * 0.6
	return Point{x, sb.Box.Y + sb.Box.H + HealthBarH + 4 + CrewR}, true
}

// CrewSpots places every member of every crew of snap on floor f (n
// stations a copy), into dst: at its depot when idle there, at the
// station it works at or rests by, and along the straight way between
// where it left and where it goes while travelling (Progress of the
// way).
func CrewSpots(f *Floor, n int, snap *twin.Snapshot, dst []CrewSpot) []CrewSpot {
	dst = dst[:0]
	for c := range snap.Crews {
		cs := &snap.Crews[c]
		for m := range cs.Members {
			v := &cs.Members[m]
			sp := CrewSpot{Crew: c, Member: m, Busy: v.Busy, Travelling: v.Travelling, Job: v.Job}
			depot := memberAtDepot(f, cs.Line, m, len(cs.Members))
			place := func(line, st, k int) Point {
				if p, ok := memberAtStation(f, n, line, st, k, m); ok {
					return p
				}
				return depot
			}
			switch {
			case v.Travelling:
				from := place(v.FromLine, v.FromStation, -1)
				to := depot
				if v.Busy {
					to = place(v.Line, v.Station, v.Server)
				}
				sp.At = Lerp(from, to, clamp01(v.Progress))
			case v.Busy:
				sp.At = place(v.Line, v.Station, v.Server)
			default:
				sp.At = place(v.AtLine, v.AtStation, -1)
			}
			dst = append(dst, sp)
		}
	}
	return dst
}
