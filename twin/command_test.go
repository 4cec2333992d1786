package twin_test

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

func newLine(t *testing.T, name string, seed uint64) *twin.Line {
	t.Helper()
	spec, err := configs.Embedded(name)
	if err != nil {
		t.Fatal(err)
	}
	l, err := twin.NewLine(spec, seed, nil)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// A session of commands replays exactly: the same line, seed and logged
// commands give the same state and the same results.
func TestCommandsReplayExactly(t *testing.T) {
	live := newLine(t, "demo-line", 9)
	steps := []struct {
		after sim.Time
		cmd   twin.Command
	}{
		{10 * sim.Minute, twin.Command{Kind: twin.BreakStation, Target: "placer"}},
		{3 * sim.Minute, twin.Command{Kind: twin.SetBuffer, Target: "test", Capacity: 12}},
		{7 * sim.Minute, twin.Command{Kind: twin.RepairStation, Target: "placer"}},
		{1 * sim.Minute, twin.Command{Kind: twin.BreakArm, Target: "arm-1"}},
		{0, twin.Command{Kind: twin.RepairStation, Target: "placer"}}, // not down: logged error
		{5 * sim.Minute, twin.Command{Kind: twin.RepairArm, Target: "arm-1"}},
	}
	for _, s := range steps {
		live.RunFor(s.after)
		if err := live.Do(s.cmd); err != nil {
			t.Fatalf("%v: %v", s.cmd, err)
		}
	}
	live.RunFor(2 * sim.Hour)
	log := live.Log()
	if len(log) != len(steps) {
		t.Fatalf("log has %d commands, want %d", len(log), len(steps))
	}
	if !strings.Contains(log[4].Err, "not down") {
		t.Errorf("repairing a working station: logged error %q, want \"not down\"", log[4].Err)
	}
	for i, tc := range log {
		if i != 4 && tc.Err != "" {
			t.Errorf("command %v failed: %s", tc.Cmd, tc.Err)
		}
	}

	again := newLine(t, "demo-line", 9)
	if err := again.Replay(log, live.Now()); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(live.Snapshot(), again.Snapshot()) {
		t.Error("snapshots differ after replay")
	}
	if !reflect.DeepEqual(live.Result(), again.Result()) {
		t.Error("results differ after replay")
	}

	plain := newLine(t, "demo-line", 9)
	plain.RunUntil(live.Now())
	if reflect.DeepEqual(live.Result(), plain.Result()) {
		t.Error("the commands changed nothing: the test does not test replay")
	}
}

// A broken station shows as down and broken in the next snapshot, and
// produces nothing until repaired.
func TestBreakShowsInSnapshot(t *testing.T) {
	l := newLine(t, "demo-line", 1)
	l.RunFor(sim.Hour)
	if err := l.Do(twin.Command{Kind: twin.BreakStation, Target: "screwing"}); err != nil {
		t.Fatal(err)
	}
	l.RunFor(sim.Second)
	s := l.Snapshot()
	st := s.Stations[4]
	if st.ID != "screwing" || st.Servers[0].Phase != stations.Down || !st.Servers[0].Broken {
		t.Fatalf("screwing after break: %+v", st.Servers[0])
	}
	shipped := s.Line.Shipped
	l.RunFor(30 * sim.Minute)
	s2 := l.Snapshot()
	// The units downstream drain, then nothing more ships.
	l.RunFor(30 * sim.Minute)
	s3 := l.Snapshot()
	if s3.Line.Shipped != s2.Line.Shipped || s2.Line.Shipped < shipped {
		t.Errorf("shipped %d then %d while screwing is broken, want no change", s2.Line.Shipped, s3.Line.Shipped)
	}
	if s3.Stations[3].Servers[0].Phase != stations.Blocked {
		t.Errorf("assembly (before screwing) is %v, want Blocked", s3.Stations[3].Servers[0].Phase)
	}
}

// Commands that name nothing in the line are refused at once.
func TestBadCommandsRefused(t *testing.T) {
	l := newLine(t, "demo-line", 1)
	for _, c := range []twin.Command{
		{Kind: twin.BreakStation, Target: "nope"},
		{Kind: twin.BreakStation, Target: "test", Server: 3},
		{Kind: twin.BreakArm, Target: "printer"},
		{Kind: twin.BreakStation, Line: 1, Target: "test"},
		{Kind: twin.SetBuffer, Target: "test", Capacity: -7},
		{Kind: twin.SetBuffer, Target: "test", Capacity: stations.MaxCapacity + 1},
		{Kind: twin.CommandKind(99), Target: "test"},
		{Kind: twin.HoldStation, Target: "nope"},
		{Kind: twin.UnholdStation, Target: "arm-1"},
		{Kind: twin.ResetStation, Line: 2, Target: "test"},
		{Kind: twin.SetSpeed, Target: "test", Speed: 0},
		{Kind: twin.SetSpeed, Target: "test", Speed: 11},
		{Kind: twin.SetSpeed, Target: "test", Speed: math.NaN()},
		{Kind: twin.SetSpeed, Target: "nope", Speed: 1},
	} {
		if err := l.Do(c); err == nil {
			t.Errorf("%v accepted", c)
		}
	}
	if len(l.Log()) != 0 {
		t.Errorf("refused commands were logged: %v", l.Log())
	}
}

// Taking a snapshot into a used Snapshot does not allocate.
func TestSnapshotIntoDoesNotAllocate(t *testing.T) {
	l := newLine(t, "phone-factory", 1)
	l.RunFor(sim.Hour)
	var s twin.Snapshot
	l.SnapshotInto(&s)
	allocs := testing.AllocsPerRun(20, func() {
		l.RunFor(sim.Second)
		l.SnapshotInto(&s)
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations per snapshot, want 0", allocs)
	}
	if len(s.Stations) != 2*14 || len(s.Arms) != 2*4 {
		t.Errorf("%d stations and %d arms in the snapshot, want 28 and 8", len(s.Stations), len(s.Arms))
	}
	moving := 0
	for _, a := range s.Arms {
		if a.Phase == robots.Moving {
			moving++
			if a.Station < 0 || a.Progress < 0 || a.Progress > 1 {
				t.Errorf("moving arm %s: station %d progress %v", a.ID, a.Station, a.Progress)
			}
		}
	}
	if s.Line.Shipped == 0 || s.History[twin.HistoryLen-2] == 0 {
		t.Errorf("nothing shipped after an hour: %+v", s.Line)
	}
}

// Hold stops a station taking new units, unhold resumes it; the snapshot
// shows the hold and the speed; speed and reset replay exactly.
func TestHoldUnholdSpeedReset(t *testing.T) {
	l := newLine(t, "demo-line", 3)
	l.RunFor(sim.Hour)
	do := func(c twin.Command) {
		t.Helper()
		if err := l.Do(c); err != nil {
			t.Fatalf("%v: %v", c, err)
		}
	}
	do(twin.Command{Kind: twin.HoldStation, Target: "test"})
	l.RunFor(sim.Minute) // the unit under test (9 s) is done
	s := l.Snapshot()
	st := s.Stations[5]
	if st.ID != "test" || !st.Held || !st.Servers[0].Held || st.Servers[0].Unit {
		t.Fatalf("test after hold: held %v, server %+v", st.Held, st.Servers[0])
	}
	processed := st.Counts.Processed
	l.RunFor(10 * sim.Minute)
	if got := l.Snapshot().Stations[5].Counts.Processed; got != processed {
		t.Errorf("held test processed %d more units", got-processed)
	}
	do(twin.Command{Kind: twin.UnholdStation, Target: "test"})
	do(twin.Command{Kind: twin.SetSpeed, Target: "test", Speed: 0.5})
	l.RunFor(10 * sim.Minute)
	s = l.Snapshot()
	st = s.Stations[5]
	if st.Held || st.Speed != 0.5 {
		t.Errorf("test after unhold and speed 0.5: held %v, speed %v", st.Held, st.Speed)
	}
	n := st.Counts.Processed - processed
	if n < 25 || n > 34 { // 600 s / 18 s = 33 at most, less the first unit's start
		t.Errorf("test processed %d units in 10 min at speed 0.5, want about 33", n)
	}
	if mean := st.Counts.CycleTotal / sim.Time(st.Counts.Processed); mean < 9*sim.Second || mean > 18*sim.Second {
		t.Errorf("mean cycle %v, want between 9s and 18s", mean)
	}
	do(twin.Command{Kind: twin.BreakStation, Target: "test"})
	do(twin.Command{Kind: twin.HoldStation, Target: "test"})
	l.RunFor(sim.Minute)
	do(twin.Command{Kind: twin.ResetStation, Target: "test"})
	l.RunFor(sim.Second)
	st = l.Snapshot().Stations[5]
	if st.Held || st.Servers[0].Broken || st.Servers[0].Phase == stations.Down {
		t.Errorf("test after reset: held %v, server %+v", st.Held, st.Servers[0])
	}
	for _, tc := range l.Log() {
		if tc.Err != "" {
			t.Errorf("%v: %s", tc.Cmd, tc.Err)
		}
	}
	again := newLine(t, "demo-line", 3)
	if err := again.Replay(l.Log(), l.Now()); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(l.Snapshot(), again.Snapshot()) {
		t.Error("snapshots differ after replay")
	}
}

func TestCommandStrings(t *testing.T) {
	for _, tt := range []struct {
		c    twin.Command
		want string
	}{
		{twin.Command{Kind: twin.HoldStation, Target: "test"}, "hold test on line 1"},
		{twin.Command{Kind: twin.UnholdStation, Target: "test", Line: 1}, "unhold test on line 2"},
		{twin.Command{Kind: twin.ResetStation, Target: "oven"}, "reset oven on line 1"},
		{twin.Command{Kind: twin.SetSpeed, Target: "test", Speed: 0.75}, "speed test to 0.75 on line 1"},
	} {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}
