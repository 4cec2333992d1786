package scene

import (
	"math"
	"testing"

	"github.com/lightsout-sim/lightsout/configs/configstest"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

func TestTrayGrid(t *testing.T) {
	tray := Rect{100, 50, 54, 26}
	for _, tc := range []struct {
		c          stations.Capacity
		count      int
		rows, cols int
	}{
		{4, 0, 1, 4}, {5, 5, 1, 5}, {10, 3, 2, 5}, {20, 0, 3, 7}, {0, 0, 2, 4}, {stations.Inf, 3, 2, 4}, {stations.Inf, 40, 3, 8}, {500, 0, 3, 8},
	} {
		for _, dir := range []float64{1, -1} {
			g := NewTrayGrid(tray, dir, tc.c, tc.count)
			if g.Rows != tc.rows || g.Cols != tc.cols {
				t.Errorf("capacity %v, %d units: %dx%d grid, want %dx%d", tc.c, tc.count, g.Rows, g.Cols, tc.rows, tc.cols)
			}
			for k := range g.Places() {
				p := g.Place(k)
				u := g.Unit()
				if !(Rect{p.X - u/2, p.Y - u/2, u, u}).Inside(tray) {
					t.Errorf("capacity %v dir %v: place %d at %v outside the tray", tc.c, dir, k, p)
				}
			}
			// The head is at the exit: the right end flowing right, the left end flowing left.
			head, tail := g.Place(0), g.Place(g.Places()-1)
			if (head.X-tail.X)*dir <= 0 && g.Cols > 1 {
				t.Errorf("capacity %v dir %v: head %v is not nearer the exit than the tail %v", tc.c, dir, head, tail)
			}
		}
	}
}

func TestBufferUnitSlidesIn(t *testing.T) {
	tray := Rect{0, 0, 54, 26}
	g := NewTrayGrid(tray, 1, 4, 2)
	entry := Point{0, 13}
	ss := &twin.StationState{Buffer: 2, Capacity: 4, IdealCycle: 4 * sim.Second, LastIn: 10 * sim.Second, LastOut: -1}
	dur := slideTime(ss.IdealCycle)
	for _, tc := range []struct {
		now  sim.Time
		want Point
	}{
		{10 * sim.Second, entry},            // it just came in: at the entry
		{10*sim.Second + dur, g.Place(1)},   // done sliding: in its place
		{10*sim.Second + 5*dur, g.Place(1)}, // long after
		{10*sim.Second + dur/2, Lerp(entry, g.Place(1), 0.5)},
	} {
		if got := BufferUnit(g, ss, 1, entry, tc.now); Dist(got, tc.want) > 1e-9 {
			t.Errorf("newest unit at %v: %v, want %v", tc.now, got, tc.want)
		}
	}
	// The oldest unit does not move when a new one comes in.
	if got := BufferUnit(g, ss, 0, entry, 10*sim.Second); got != g.Place(0) {
		t.Errorf("head moved to %v when a unit came in", got)
	}
	// After a unit is taken, the others move up from the place behind.
	ss.LastIn, ss.LastOut = -1, 20*sim.Second
	if got := BufferUnit(g, ss, 0, entry, 20*sim.Second); Dist(got, g.Place(1)) > 1e-9 {
		t.Errorf("head just after a take at %v, want at place 1 %v", got, g.Place(1))
	}
	if got := BufferUnit(g, ss, 0, entry, 20*sim.Second+dur); got != g.Place(0) {
		t.Errorf("head after moving up at %v, want %v", got, g.Place(0))
	}
}

func TestEased(t *testing.T) {
	for _, tc := range []struct {
		now, start, dur sim.Time
		want            float64
	}{
		{5, -1, 10, 1}, {5, 0, 0, 1}, {0, 0, 10, 0}, {5, 0, 10, 0.5}, {10, 0, 10, 1}, {20, 0, 10, 1},
	} {
		if got := Eased(tc.now, tc.start, tc.dur); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("Eased(%v, %v, %v) = %v, want %v", tc.now, tc.start, tc.dur, got, tc.want)
		}
	}
}

func TestConveyorPositions(t *testing.T) {
	riding := []twin.Riding{{Progress: 1}, {Progress: 1}, {Progress: 0.99}, {Progress: 0.5}, {Progress: 0}}
	got := ConveyorPositions(riding, 100, 10, nil)
	want := []float64{100, 90, 80, 50, 0}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-9 {
			t.Errorf("unit %d at %v, want %v (all: %v)", i, got[i], want[i], got)
		}
	}
	// A crowded belt never pushes units behind the entry.
	crowd := make([]twin.Riding, 30)
	for i := range crowd {
		crowd[i].Progress = 1
	}
	for i, x := range ConveyorPositions(crowd, 100, 10, nil) {
		if x < 0 {
			t.Errorf("unit %d at %v", i, x)
		}
	}
}

func TestServerUnit(t *testing.T) {
	spec := configstest.Embedded(t, "demo-line")
	f := Lay(spec, 1280, 574)
	n := len(spec.Stations)
	st := f.Arms[0].Stations[0]
	sb := &f.Stations[st]
	in := sb.Servers[0].Center()
	pose := func(loading, carry bool, at float64) []ArmPose {
		return []ArmPose{{Line: 0, Station: st, Server: 0, Loading: loading, Carry: carry, UnitAt: at}}
	}
	working := stations.ServerView{Phase: stations.Working, Unit: true}
	loading := stations.ServerView{Phase: stations.Loading, Unit: true}
	unloading := stations.ServerView{Phase: stations.Unloading, Unit: true}
	for _, tc := range []struct {
		name  string
		poses []ArmPose
		v     stations.ServerView
		at    Point
		ok    bool
	}{
		{"empty", nil, stations.ServerView{Phase: stations.Starved}, Point{}, false},
		{"in the machine", nil, working, in, true},
		{"waiting for the arm", nil, loading, sb.Head(), true},
		{"reached for", pose(true, false, 0), loading, sb.Head(), true},
		{"in the gripper", pose(true, true, 0), loading, Point{}, false},
		{"taken out", pose(false, false, 0), unloading, in, true},
		{"put down", pose(false, false, 1), unloading, UnloadPoint(f, 0, n, st), true},
		{"another arm's move", pose(false, true, 0), loading, sb.Head(), true},
	} {
		at, ok := ServerUnit(f, n, tc.poses, sb, 0, tc.v)
		if ok != tc.ok || Dist(at, tc.at) > 1e-9 {
			t.Errorf("%s: at %v (shown %v), want %v (%v)", tc.name, at, ok, tc.at, tc.ok)
		}
	}
}

func TestConveyorBelt(t *testing.T) {
	f := Lay(configstest.Embedded(t, "phone-factory"), 1280, 574)
	seen := 0
	for i := range f.Stations {
		sb := &f.Stations[i]
		if !sb.Conveyor {
			continue
		}
		seen++
		heat, belt := sb.Heat(), sb.Belt()
		if !heat.Inside(sb.Box) || heat.Overlaps(sb.Servers[0]) {
			t.Errorf("station %d: heat zones %v outside the box %v or over the lamps %v", i, heat, sb.Box, sb.Servers[0])
		}
		if belt.X != heat.X || belt.W != heat.W || !belt.Inside(sb.Box) || sb.FlowY < belt.Y || sb.FlowY > belt.Y+belt.H {
			t.Errorf("station %d: belt %v not across %v on the flow line %v", i, belt, heat, sb.FlowY)
		}
	}
	if seen == 0 {
		t.Fatal("the factory has no conveyor")
	}
}
