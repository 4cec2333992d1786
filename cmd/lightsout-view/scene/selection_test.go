package scene

import (
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
)

// snapWith returns a snapshot of one station ("st", on line 2) with the
// given server phases, and one arm.
func snapWith(c stations.Capacity, buffer int, phases ...stations.Phase) *twin.Snapshot {
	ss := twin.StationState{Line: 1, ID: "st", Capacity: c, Buffer: buffer}
	for _, p := range phases {
		ss.Servers = append(ss.Servers, stations.ServerView{Phase: p, Broken: p == stations.Down && len(ss.Servers)%2 == 1})
	}
	return &twin.Snapshot{Stations: []twin.StationState{ss}, Arms: []twin.ArmState{{Line: 1, ID: "arm", Phase: robots.Idle}}}
}

func TestBreakCommand(t *testing.T) {
	st := func(server int) Selection { return Selection{Kind: SelStation, Slot: 0, Server: server} }
	for _, tc := range []struct {
		name   string
		sel    Selection
		snap   *twin.Snapshot
		server int
		kind   twin.CommandKind
		err    string
	}{
		{"first working server", st(-1), snapWith(4, 0, stations.Down, stations.Working), 1, twin.BreakStation, ""},
		{"the clicked server", st(0), snapWith(4, 0, stations.Working, stations.Working), 0, twin.BreakStation, ""},
		{"down by failure, not broken: can be broken", st(-1), snapWith(4, 0, stations.Down), 0, twin.BreakStation, ""},
		{"all broken", st(-1), snapWith(4, 0, stations.Working, stations.Down), -1, 0, ""},
		{"nothing selected", Selection{Server: -1}, snapWith(4, 0, stations.Working), -1, 0, "select"},
		{"an arm", Selection{Kind: SelArm, Slot: 0, Server: -1}, snapWith(4, 0, stations.Working), 0, twin.BreakArm, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "all broken" {
				for k := range tc.snap.Stations[0].Servers {
					tc.snap.Stations[0].Servers[k].Broken = true
				}
				tc.err = "already broken"
			}
			cmd, err := BreakCommand(tc.sel, tc.snap)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cmd.Kind != tc.kind || cmd.Line != 1 || (tc.kind == twin.BreakStation && (cmd.Server != tc.server || cmd.Target != "st")) || (tc.kind == twin.BreakArm && cmd.Target != "arm") {
				t.Errorf("command %+v", cmd)
			}
		})
	}
}

func TestRepairCommand(t *testing.T) {
	sel := Selection{Kind: SelStation, Slot: 0, Server: -1}
	// Server 1 (odd) is broken by command, server 0 down by failure: the broken one first.
	snap := snapWith(4, 0, stations.Down, stations.Down)
	if cmd, err := RepairCommand(sel, snap); err != nil || cmd.Kind != twin.RepairStation || cmd.Server != 1 {
		t.Errorf("repair: %+v, %v; want server 1 (broken by command)", cmd, err)
	}
	if _, err := RepairCommand(sel, snapWith(4, 0, stations.Working)); err == nil {
		t.Error("repairing a working station gave a command")
	}
	clicked := Selection{Kind: SelStation, Slot: 0, Server: 0}
	if cmd, err := RepairCommand(clicked, snap); err != nil || cmd.Server != 0 {
		t.Errorf("repair the clicked server: %+v, %v", cmd, err)
	}
	arm := Selection{Kind: SelArm, Slot: 0, Server: -1}
	if _, err := RepairCommand(arm, snap); err == nil {
		t.Error("repairing an idle arm gave a command")
	}
	snap.Arms[0].Phase, snap.Arms[0].Broken = robots.Down, true
	if cmd, err := RepairCommand(arm, snap); err != nil || cmd.Kind != twin.RepairArm || cmd.Target != "arm" {
		t.Errorf("repair arm: %+v, %v", cmd, err)
	}
}

func TestBufferCommand(t *testing.T) {
	sel := Selection{Kind: SelStation, Slot: 0, Server: -1}
	for _, tc := range []struct {
		c      stations.Capacity
		buffer int
		delta  int
		want   stations.Capacity
		ok     bool
	}{
		{4, 0, 1, 5, true},
		{4, 0, -1, 3, true},
		{4, 0, 5, 9, true},
		{1, 0, -5, 0, true},
		{0, 0, -1, 0, false}, // already 0
		{stations.Inf, 7, -1, 7, true},
		{stations.Inf, 0, -1, 1, true},
		{stations.Inf, 7, 1, 0, false},
	} {
		cmd, err := BufferCommand(sel, snapWith(tc.c, tc.buffer, stations.Working), tc.delta)
		if (err == nil) != tc.ok || (tc.ok && (cmd.Kind != twin.SetBuffer || cmd.Capacity != tc.want || cmd.Target != "st")) {
			t.Errorf("capacity %v by %+d: %+v, %v; want %v", tc.c, tc.delta, cmd, err, tc.want)
		}
	}
	if _, err := BufferCommand(Selection{Kind: SelArm}, snapWith(4, 0, stations.Working), 1); err == nil {
		t.Error("an arm's buffer changed")
	}
}
