package scene

import (
	"reflect"
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
)

// twoCopies returns a snapshot of two copies of a line of three stations:
// a machine, an oven and a packer.
func twoCopies() *twin.Snapshot {
	st := func(line int, id string, c twin.StationCounts, buffer, inside int, conveyor bool, units ...bool) twin.StationState {
		ss := twin.StationState{Line: line, ID: id, Counts: c, Buffer: buffer, Inside: inside, Conveyor: conveyor}
		for _, u := range units {
			ss.Servers = append(ss.Servers, stations.ServerView{Unit: u})
		}
		return ss
	}
	return &twin.Snapshot{Lines: 2, Stations: []twin.StationState{
		st(0, "press", twin.StationCounts{Defects: 4, Scrapped: 1}, 3, 0, false, true, false),
		st(0, "oven", twin.StationCounts{}, 2, 7, true, true), // the lamp strip's server is not a unit
		st(0, "pack", twin.StationCounts{Out: 50, Caught: 2, Scrapped: 2}, 0, 0, false, true),
		st(1, "press", twin.StationCounts{Defects: 1}, 0, 0, false),
		st(1, "oven", twin.StationCounts{}, 0, 0, true),
		st(1, "pack", twin.StationCounts{Out: 40, Caught: 5}, 1, 0, false, false),
	}}
}

func TestCopyFigures(t *testing.T) {
	snap := twoCopies()
	for _, tc := range []struct {
		c                 int
		shipped, scrapped int64
		wip               int
	}{
		{0, 48, 3, 3 + 1 + 2 + 7 + 1},
		{1, 40, 0, 1},
	} {
		if got := CopyShipped(snap, 3, tc.c); got != tc.shipped {
			t.Errorf("copy %d shipped %d, want %d", tc.c, got, tc.shipped)
		}
		if got := CopyScrapped(snap, 3, tc.c); got != tc.scrapped {
			t.Errorf("copy %d scrapped %d, want %d", tc.c, got, tc.scrapped)
		}
		if got := CopyWIP(snap, 3, tc.c); got != tc.wip {
			t.Errorf("copy %d WIP %d, want %d", tc.c, got, tc.wip)
		}
	}
	if got := HeatScale(snap); got != 5 {
		t.Errorf("heat scale %v, want 5 (a packer's catches)", got)
	}
}

func TestWorstStations(t *testing.T) {
	snap := twoCopies()
	want := []StationDefects{{"pack", 0, 7, 2}, {"press", 5, 0, 1}}
	if got := WorstStations(snap, 3, 3); !reflect.DeepEqual(got, want) {
		t.Errorf("worst %+v, want %+v", got, want)
	}
	if got := WorstStations(snap, 3, 1); len(got) != 1 || got[0].ID != "pack" {
		t.Errorf("the worst one: %+v", got)
	}
	if got := WorstStations(&twin.Snapshot{}, 3, 3); len(got) != 0 {
		t.Errorf("no stations: %+v", got)
	}
}
