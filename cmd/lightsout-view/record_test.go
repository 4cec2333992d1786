package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// A session recorded with --record replays headless to the same line.
func TestRecordedSessionReplays(t *testing.T) {
	spec, err := configs.Resolve("demo-line")
	if err != nil {
		t.Fatal(err)
	}
	sess, err := NewSession(spec, 3, nil, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	sess.Run(15 * sim.Minute)
	if err := sess.Do(twin.Command{Kind: twin.BreakArm, Target: "arm-1"}); err != nil {
		t.Fatal(err)
	}
	sess.Run(10 * sim.Minute)
	if err := sess.Do(twin.Command{Kind: twin.RepairArm, Target: "arm-1"}); err != nil {
		t.Fatal(err)
	}
	sess.Run(30 * sim.Minute)

	path := filepath.Join(t.TempDir(), "session.json")
	if err := writeSession(path, sess.line.SessionLog("demo-line")); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	log, err := twin.ReadSessionLog(f)
	if err != nil {
		t.Fatal(err)
	}
	cmds, err := log.Timed()
	if err != nil {
		t.Fatal(err)
	}
	if len(cmds) != 2 {
		t.Fatalf("%d commands recorded, want 2", len(cmds))
	}
	again, err := twin.NewLine(spec, uint64(log.Seed), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := again.Replay(cmds, log.Until); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.Result(), sess.line.Result()) {
		t.Error("the replayed session differs from the recorded one")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("%d files beside the record, want none (no temporary left)", len(entries)-1)
	}
}
