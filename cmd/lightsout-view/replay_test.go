package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/configs/configstest"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// recordSession records a session on demo-line, seed 3, and returns its file.
func recordSession(t *testing.T) string {
	t.Helper()
	sess, err := NewSession(configstest.Embedded(t, "demo-line"), 3, nil, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		after sim.Time
		cmd   twin.Command
	}{
		{7 * sim.Minute, twin.Command{Kind: twin.BreakStation, Target: "placer"}},
		{6 * sim.Minute, twin.Command{Kind: twin.RepairStation, Target: "placer"}},
		{5 * sim.Minute, twin.Command{Kind: twin.SetSpeed, Target: "test", Speed: 1.5}},
		{0, twin.Command{Kind: twin.SetBuffer, Target: "screwing", Capacity: 9}},
		{11 * sim.Minute, twin.Command{Kind: twin.BreakArm, Target: "arm-1"}},
	} {
		sess.Run(step.after)
		if err := sess.Do(step.cmd); err != nil {
			t.Fatal(err)
		}
	}
	sess.Run(20 * sim.Minute)
	path := filepath.Join(t.TempDir(), "session.json")
	if err := writeSession(path, sess.line.SessionLog("demo-line")); err != nil {
		t.Fatal(err)
	}
	return path
}

// headless replays the recording's commands up to t on a line of its own,
// as lightsout replay-session does, and returns the line.
func headless(t *testing.T, s *setup, cmds []twin.TimedCommand, at sim.Time) *twin.Line {
	t.Helper()
	line, err := twin.NewLine(s.spec, s.seed, nil)
	if err != nil {
		t.Fatal(err)
	}
	var upTo []twin.TimedCommand
	for _, tc := range cmds {
		if tc.At <= at {
			upTo = append(upTo, twin.TimedCommand{At: tc.At, Cmd: tc.Cmd})
		}
	}
	if err := line.Replay(upTo, at); err != nil {
		t.Fatal(err)
	}
	return line
}

// A recording replayed in the window reaches the same counters as the
// headless replay at the same simulated time: played to its end, after
// seeking back with the slider, stepping back and stepping on.
func TestReplayInWindowMatchesHeadless(t *testing.T) {
	path := recordSession(t)
	code, errs, s, _ := runCLI(t, "--replay", path)
	if code != 0 || s.play == nil || s.spec.Name != "demo-line" || s.seed != 3 {
		t.Fatalf("--replay: exit %d, %s", code, errs)
	}
	log := zaptest.NewLogger(t)
	sess, err := NewSession(s.spec, s.seed, s.pilot, log)
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGame(sess, 600, 1280, 800, log)
	if err != nil {
		t.Fatal(err)
	}
	g.pacer.Exact = true
	g.Play(s.play)
	end := g.play.End
	if end != 49*sim.Minute || len(g.play.Marks) != 5 {
		t.Fatalf("the recording ends at %v with %d commands, want 0:49 and 5", end, len(g.play.Marks))
	}
	cmds := recorded(t, path)
	same := func(what string) {
		t.Helper()
		at := g.sess.line.Now()
		if g.sess.Snap.Now != at {
			t.Errorf("%s: the snapshot is at %s, the line at %s", what, scene.Clock(g.sess.Snap.Now), scene.Clock(at))
		}
		want := headless(t, s, cmds, at)
		if got := g.sess.line.Result(); !reflect.DeepEqual(got, want.Result()) {
			t.Errorf("%s at %s: the window's line differs from the headless replay (shipped %d vs %d)",
				what, scene.Clock(at), got.Shipped, want.Result().Shipped)
		}
		if len(g.sess.Commands()) != len(want.Log()) {
			t.Errorf("%s at %s: %d commands given, headless %d", what, scene.Clock(at), len(g.sess.Commands()), len(want.Log()))
		}
	}

	updateUntilPaused(t, g, 400)
	if g.sess.line.Now() != end {
		t.Fatalf("the replay paused at %s, want its end %s", scene.Clock(g.sess.line.Now()), scene.Clock(end))
	}
	same("played to the end")

	// A press on the slider seeks back (re-running from the start) and
	// does not reach the floor.
	tr := g.sliderTrack()
	cursor := scene.Pt(tr.X+tr.W*0.4, tr.Y)
	it := g.playKeys(scene.Intents{Cursor: cursor, Click: true, DragX: 5}, playKeys{Down: true})
	if it.Click || it.DragX != 0 {
		t.Error("a press on the slider reached the floor as a click or a drag")
	}
	if want := g.play.SliderTime(0.4); g.sess.line.Now() != want {
		t.Fatalf("the slider at 40%% seeked to %s, want %s", scene.Clock(g.sess.line.Now()), scene.Clock(want))
	}
	same("seeked to 40%")
	// Dragging on keeps seeking, even off the panel, until released.
	g.playKeys(scene.Intents{Cursor: scene.Pt(tr.X+tr.W*0.8, tr.Y-200)}, playKeys{Down: true})
	if want := g.play.SliderTime(0.8); g.sess.line.Now() != want {
		t.Fatalf("the drag to 80%% seeked to %s, want %s", scene.Clock(g.sess.line.Now()), scene.Clock(want))
	}
	same("dragged to 80%")
	g.playKeys(scene.Intents{Cursor: scene.Pt(tr.X, tr.Y-200)}, playKeys{})
	g.playKeys(scene.Intents{Cursor: scene.Pt(tr.X, tr.Y-200)}, playKeys{Down: true})
	if want := g.play.SliderTime(0.8); g.sess.line.Now() != want {
		t.Errorf("a press off the slider after the drag moved the line to %s", scene.Clock(g.sess.line.Now()))
	}

	// "," steps back a second; "." steps on one, applying the recording.
	before := g.sess.line.Now()
	g.playKeys(scene.Intents{}, playKeys{Back: true})
	if g.sess.line.Now() != before-sim.Second {
		t.Fatalf(", went to %s, want a second back", scene.Clock(g.sess.line.Now()))
	}
	same("stepped back")
	g.seek(7*sim.Minute - sim.Second)
	g.handle(scene.Intents{Step: true, BigStep: true})
	if g.sess.line.Now() != 8*sim.Minute-sim.Second || len(g.sess.Commands()) != 1 {
		t.Fatalf("a step over the placer's break: at %s with %d commands", scene.Clock(g.sess.line.Now()), len(g.sess.Commands()))
	}
	same("stepped over a command")
	g.playKeys(scene.Intents{}, playKeys{End: true})
	if g.sess.line.Now() != end {
		t.Errorf("End went to %s, want %s", scene.Clock(g.sess.line.Now()), scene.Clock(end))
	}
	same("End")
	if img := g.frame(); !inkIn(img, g.sliderPanel().Inset(4), palette.ArmMove) {
		t.Error("no slider drawn")
	}
}

// recorded reads the commands of the recording at path.
func recorded(t *testing.T, path string) []twin.TimedCommand {
	t.Helper()
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
	return cmds
}

func TestPlayFlags(t *testing.T) {
	code, errs, s, _ := runCLI(t, "--lesson", "six-big-losses")
	if code != 0 || s.spec.Name != "demo-line" || s.play == nil || s.play.Lesson == nil || s.speed != 20 {
		t.Fatalf("--lesson: exit %d, %s", code, errs)
	}
	code, _, s, _ = runCLI(t, "--lesson", "predictive-maintenance", "--speed", "500")
	if code != 0 || s.spec.Autopilot == nil || s.pilot == nil || s.speed != 500 {
		t.Errorf("--lesson predictive-maintenance: exit %d; want its autopilot flying at --speed 500", code)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--lesson", "nope"}, "no such file, nor an embedded lesson (embedded: blocking-and-starvation"},
		{[]string{"--lesson", "six-big-losses", "--config", "demo-line"}, "--config does not apply with --lesson"},
		{[]string{"--lesson", "six-big-losses", "--replay", "x.json"}, "--lesson and --replay cannot be used together"},
		{[]string{"--lesson", "six-big-losses", "--record", "x.json"}, "--record does not apply with --lesson"},
		{[]string{"--replay", "no-such.json"}, "--replay: open no-such.json"},
		{[]string{"--replay", "testdata-none", "--seed", "3"}, "--seed does not apply with --replay"},
		{[]string{"--replay", "testdata-none", "--autopilot", "predictive"}, "--autopilot does not apply with --replay"},
	} {
		code, errs, _, _ := runCLI(t, c.args...)
		if code != exitBadInput || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, errs, c.want)
		}
	}
}
