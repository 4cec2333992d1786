package scene

import (
	"math"
	"testing"

	"github.com/lightsout-sim/lightsout/configs/configstest"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
)

func TestCrewSpots(t *testing.T) {
	spec := configstest.Parse(t, wornLine)
	f := Lay(spec, 1280, 600)
	n := len(spec.Stations)
	idle := stations.MemberView{Line: -1, Station: -1, Server: -1, AtLine: -1, AtStation: -1, FromLine: -1, FromStation: -1}
	home := idle
	rested := idle
	rested.AtLine, rested.AtStation = 0, 1
	working := idle
	working.Busy, working.Job, working.Line, working.Station, working.Server = true, stations.JobRepair, 0, 0, 1
	working.AtLine, working.AtStation = 0, 0
	going := idle
	going.Busy, going.Travelling, going.Progress = true, true, 0.25
	going.Line, going.Station, going.Server = 0, 0, 0
	snap := &twin.Snapshot{Crews: []twin.CrewState{{Line: 0, Size: 4, Busy: 2, Queued: 1,
		Members: []stations.MemberView{home, rested, working, going}}}}
	spots := CrewSpots(f, n, snap, nil)
	if len(spots) != 4 {
		t.Fatalf("%d spots, want one per member", len(spots))
	}
	depot := CrewDepot(f, 0)
	if !f.Blocks[0].Header.Contains(depot) {
		t.Errorf("depot %v outside the header %+v", depot, f.Blocks[0].Header)
	}
	if got, want := spots[0].At, CrewHome(f, 0, 0, 4); got != want || spots[0].Busy {
		t.Errorf("member at the depot: %+v, want at %v", spots[0], want)
	}
	below := func(slot int, p Point) bool {
		b := f.Stations[slot].Box
		return p.Y > b.Y+b.H+HealthBarH && p.Y < b.Y+b.H+rowGap+armLane && p.X >= b.X-crewGap && p.X <= b.X+b.W+crewGap
	}
	if !below(1, spots[1].At) || spots[1].Busy {
		t.Errorf("member resting by station 2: %+v, want in front of %+v", spots[1], f.Stations[1].Box)
	}
	if !below(0, spots[2].At) || !spots[2].Busy || spots[2].Travelling || spots[2].Job != stations.JobRepair {
		t.Errorf("member at work: %+v, want in front of %+v", spots[2], f.Stations[0].Box)
	}
	if x := ServerBar(&f.Stations[0], 1, 2).Center().X; math.Abs(spots[2].At.X-(x+crewGap*0.6)) > 1e-9 {
		t.Errorf("member at work at x %g, want under server 2's bar (%g), moved aside as member 3", spots[2].At.X, x)
	}
	// Travelling from the depot, a quarter of the way to server 1 of station 1.
	to, _ := memberAtStation(f, n, 0, 0, 0, 3)
	want := Lerp(CrewHome(f, 0, 3, 4), to, 0.25)
	if d := Dist(spots[3].At, want); d > 1e-9 || !spots[3].Travelling {
		t.Errorf("travelling member at %v, want %v", spots[3].At, want)
	}
	// Members at the depot stand apart, in a row centred on it.
	a, b := CrewHome(f, 0, 0, 4), CrewHome(f, 0, 3, 4)
	if math.Abs((a.X+b.X)/2-depot.X) > 1e-9 || b.X-a.X < 3*2*CrewR {
		t.Errorf("depot row from %v to %v around %v", a, b, depot)
	}
	if got := CrewDepotLabel(&snap.Crews[0]); got != "crew 2/4 busy · 1 queued" {
		t.Errorf("label %q", got)
	}
	if got := CrewDepotLabel(&twin.CrewState{Size: 3}); got != "crew 0/3 busy" {
		t.Errorf("label %q", got)
	}
}

func TestCrewSpotsOnARealLine(t *testing.T) {
	spec := configstest.Embedded(t, "phone-factory")
	l, err := twin.NewLine(spec, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := Lay(spec, 1280, 574)
	var snap twin.Snapshot
	var spots []CrewSpot
	seen := map[bool]int{}
	for range 200 {
		l.RunFor(twin.HistoryBucket * 6)
		l.SnapshotInto(&snap)
		spots = CrewSpots(f, len(spec.Stations), &snap, spots)
		if len(spots) != spec.People() {
			t.Fatalf("%d spots for %d people", len(spots), spec.People())
		}
		for _, s := range spots {
			if !f.Bounds.Inset(-20).Contains(s.At) {
				t.Fatalf("member %d of crew %d at %v, off the floor %+v", s.Member, s.Crew, s.At, f.Bounds)
			}
			seen[s.Busy]++
		}
	}
	if seen[true] == 0 || seen[false] == 0 {
		t.Errorf("in 100 simulated hours the crew was never busy or never idle: %v", seen)
	}
}
