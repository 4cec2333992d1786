package main

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/configs/configstest"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// lastCommand returns the newest command of a local session's log.
func lastCommand(t *testing.T, g *Game) twin.TimedCommand {
	t.Helper()
	log := g.sess.Commands()
	if len(log) == 0 {
		t.Fatal("no command given")
	}
	return log[len(log)-1]
}

// The keys' intents give the commands on the selected station, through
// Line.Do; the station shows them; a held station wears its tag.
func TestStationKeysInLocalMode(t *testing.T) {
	g := newTestGame(t, "demo-line")
	g.runFor(10 * sim.Minute)
	const placer = 1
	g.sel = scene.Selection{Kind: scene.SelStation, Slot: placer, Server: -1}
	ss := func() *twin.StationState { return &g.sess.Snap.Stations[placer] }
	if ss().Held || ss().Speed != 1 {
		t.Fatalf("placer starts held %v at speed %v", ss().Held, ss().Speed)
	}
	before := g.frame()

	g.handle(scene.Intents{Hold: true})
	if c := lastCommand(t, g); c.Cmd != (twin.Command{Kind: twin.HoldStation, Target: "placer"}) || c.Err != "" {
		t.Fatalf("P gave %+v", c)
	}
	if !ss().Held {
		t.Fatal("placer is not held after P")
	}
	tag, held := scene.StationTag(ss())
	r, _, text, ok := g.tagPlace(placer, tag, held)
	if tag != "HELD" || !held || !ok || !text {
		t.Fatalf("held placer's tag %q (held %v, shown %v, text %v)", tag, held, ok, text)
	}
	pill := scene.Pt(r.X+r.H*0.2, r.Y+r.H/2)          // inside the pill, clear of sign and text
	bar := scene.Pt(r.X+r.H*0.35+r.H*0.07, r.Y+r.H/2) // the pause sign's first bar
	if got := pixel(before, pill.X, pill.Y); closeTo(got, palette.Text, 40) {
		t.Fatalf("the tag's place shows %v before the hold", got)
	}
	img := g.frame()
	if got := pixel(img, pill.X, pill.Y); !closeTo(got, palette.Text, 8) {
		t.Errorf("held placer: the tag at %v shows %v, want %v", pill, got, palette.Text)
	}
	if got := pixel(img, bar.X, bar.Y); !closeTo(got, palette.Machine, 8) {
		t.Errorf("held placer: the pause sign at %v shows %v, want %v", bar, got, palette.Machine)
	}
	// Held, it starts nothing new: after a while every server is idle.
	g.runFor(5 * sim.Minute)
	for k, v := range ss().Servers {
		if v.Unit || v.Phase == stations.Working {
			t.Errorf("held placer server %d still %v with a unit %v", k+1, scene.PhaseName(v.Phase), v.Unit)
		}
	}

	// Three steps slower and three back: exactly nominal.
	want := []float64{0.8, 0.63, 0.5, 0.63, 0.8, 1}
	for k, w := range want {
		it := scene.Intents{StationSlower: k < 3, StationFaster: k >= 3}
		g.handle(it)
		c := lastCommand(t, g)
		if c.Cmd.Kind != twin.SetSpeed || c.Cmd.Target != "placer" || c.Cmd.Speed != w || c.Err != "" {
			t.Fatalf("speed key %d gave %+v, want speed %v", k+1, c, w)
		}
		if ss().Speed != w {
			t.Fatalf("after speed key %d the placer runs at %v, want %v", k+1, ss().Speed, w)
		}
		if k == 2 {
			if tag, _ := scene.StationTag(ss()); tag != "HELD 0.5x" {
				t.Errorf("held and slowed tag %q", tag)
			}
		}
	}
	if tag, _ := scene.StationTag(ss()); tag != "HELD" {
		t.Errorf("back at nominal the tag is %q", tag)
	}

	g.handle(scene.Intents{Hold: true})
	if c := lastCommand(t, g); c.Cmd.Kind != twin.UnholdStation || ss().Held {
		t.Fatalf("P on a held station gave %+v; held %v", c, ss().Held)
	}
	if got := pixel(g.frame(), pill.X, pill.Y); closeTo(got, palette.Text, 40) {
		t.Errorf("unheld placer still shows its tag (%v)", got)
	}

	// Break it, hold it; C repairs and unholds at once.
	g.handle(scene.Intents{Break: true})
	g.handle(scene.Intents{Hold: true})
	g.runFor(2 * sim.Second)
	if v := ss().Servers[0]; !v.Broken || !ss().Held {
		t.Fatalf("placer broken %v held %v", v.Broken, ss().Held)
	}
	g.handle(scene.Intents{ResetStation: true})
	if c := lastCommand(t, g); c.Cmd.Kind != twin.ResetStation || c.Err != "" {
		t.Fatalf("C gave %+v", c)
	}
	g.runFor(sim.Second)
	if v := ss().Servers[0]; v.Broken || v.Phase == stations.Down || ss().Held {
		t.Errorf("after the reset: %v broken %v held %v", scene.PhaseName(v.Phase), v.Broken, ss().Held)
	}
	n := len(g.sess.Commands())
	g.handle(scene.Intents{ResetStation: true})
	if len(g.sess.Commands()) != n || !g.toastBad {
		t.Errorf("C on a running station gave a command (%d, toast %q)", len(g.sess.Commands())-n, g.toast)
	}
}

// A session with hold, speed and reset commands given by the keys replays
// headless to the same line, as lightsout replay-session does it.
func TestRecordedStationCommandsReplay(t *testing.T) {
	g := newTestGame(t, "demo-line")
	g.runFor(12 * sim.Minute)
	g.sel = scene.Selection{Kind: scene.SelStation, Slot: 3, Server: -1} // screwing
	for _, it := range []scene.Intents{{StationSlower: true}, {StationSlower: true}, {Hold: true}} {
		g.handle(it)
		g.runFor(7 * sim.Minute)
	}
	g.sel = scene.Selection{Kind: scene.SelStation, Slot: 1, Server: -1} // placer
	g.handle(scene.Intents{StationFaster: true})
	g.handle(scene.Intents{Break: true})
	g.runFor(9 * sim.Minute)
	g.handle(scene.Intents{ResetStation: true})
	g.sel = scene.Selection{Kind: scene.SelStation, Slot: 3, Server: -1}
	g.handle(scene.Intents{Hold: true})
	g.runFor(20 * sim.Minute)

	kinds := map[twin.CommandKind]int{}
	for _, c := range g.sess.Commands() {
		if c.Err != "" {
			t.Errorf("%v failed: %s", c.Cmd, c.Err)
		}
		kinds[c.Cmd.Kind]++
	}
	for _, k := range []twin.CommandKind{twin.SetSpeed, twin.HoldStation, twin.UnholdStation, twin.ResetStation} {
		if kinds[k] == 0 {
			t.Errorf("no %v command in the session %v", k, kinds)
		}
	}
	path := filepath.Join(t.TempDir(), "session.json")
	if err := writeSession(path, g.sess.line.SessionLog("demo-line")); err != nil {
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
	if len(cmds) != len(g.sess.Commands()) {
		t.Fatalf("%d commands read back, want %d", len(cmds), len(g.sess.Commands()))
	}
	for k, c := range cmds {
		if w := g.sess.Commands()[k]; c.Cmd != w.Cmd || c.At != w.At {
			t.Errorf("command %d read back as %+v at %v, want %+v at %v", k, c.Cmd, c.At, w.Cmd, w.At)
		}
	}
	again, err := twin.NewLine(configstest.Embedded(t, "demo-line"), uint64(log.Seed), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := again.Replay(cmds, log.Until); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.Result(), g.sess.line.Result()) {
		t.Error("the replayed session differs from the recorded one")
	}
	if got, want := again.Snapshot(), g.sess.line.Snapshot(); got.Stations[3].Speed != want.Stations[3].Speed || got.Stations[1].Speed != 1.25 {
		t.Errorf("replayed speeds %v, %v; want %v, 1.25", got.Stations[3].Speed, got.Stations[1].Speed, want.Stations[3].Speed)
	}
}

// sentCommand is one command a twin link sent, caught before MQTT.
type sentCommand struct {
	group, node, device string
	writes              []sparkplug.NamedValue
}

// In twin mode the keys send DCMDs that the edge node accepts and applies
// to its line; the mirror then shows the station held and slowed, with
// its tag.
func TestTwinStationKeysReachTheEdge(t *testing.T) {
	sent := make(chan sentCommand, 4)
	mt := newMemTwin(t, "demo-line", func(_ context.Context, group, node, device string, writes ...sparkplug.NamedValue) error {
		sent <- sentCommand{group, node, device, append([]sparkplug.NamedValue(nil), writes...)}
		return nil
	})
	mt.birth(t)
	mt.run(t, 10*sim.Minute)
	log := zaptest.NewLogger(t)
	g, err := NewGame(NewTwinSession(mt.tl, log), 1, 1280, 800, log)
	if err != nil {
		t.Fatal(err)
	}
	const placer = 1
	ss := func() *twin.StationState { return &g.sess.Snap.Stations[placer] }
	if ss().Held || ss().Speed != 1 {
		t.Fatalf("mirrored placer held %v speed %v before any command", ss().Held, ss().Speed)
	}
	g.sel = scene.Selection{Kind: scene.SelStation, Slot: placer, Server: -1}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// press gives the intent, hands the DCMD sent to the edge node and
	// mirrors what it publishes after a few simulated seconds.
	press := func(it scene.Intents, metric string) {
		t.Helper()
		g.handle(it)
		var sc sentCommand
		select {
		case sc = <-sent:
		case <-ctx.Done():
			t.Fatalf("%+v: no command sent (toast %q)", it, g.toast)
		}
		if sc.group != "lightsout" || sc.node != "demo-line-L1" || sc.device != "placer" || len(sc.writes) != 1 || sc.writes[0].Name != metric {
			t.Fatalf("%+v sent %+v, want %s to lightsout/demo-line-L1/placer", it, sc, metric)
		}
		m, err := mt.tl.Host.Mirror.BuildCommand(sc.group, sc.node, sc.device, sc.writes...)
		if err != nil {
			t.Fatalf("%s: %v", metric, err)
		}
		out, err := mt.nodes[0].HandleCommand(m.Topic.String(), m.Payload, mt.ms)
		if err != nil {
			t.Fatalf("the edge refused %s: %v", metric, err)
		}
		mt.deliver(out)
		mt.run(t, 4*sim.Second)
		select {
		case err := <-mt.tl.Outcomes():
			if err != nil {
				t.Fatal(err)
			}
		case <-ctx.Done():
			t.Fatal("no result of the command sent")
		}
		g.sess.Refresh()
	}
	press(scene.Intents{Hold: true}, packml.MetricCmdHold)
	if !mt.line.Snapshot().Stations[placer].Held || !ss().Held {
		t.Fatalf("after P: the line's placer held %v, the view's %v", mt.line.Snapshot().Stations[placer].Held, ss().Held)
	}
	press(scene.Intents{StationSlower: true}, packml.MetricCmdSpeed)
	press(scene.Intents{StationSlower: true}, packml.MetricCmdSpeed)
	if got := mt.line.Snapshot().Stations[placer].Speed; math.Abs(got-0.63) > 1e-9 || ss().Speed != 0.63 {
		t.Fatalf("after Z Z: the line's placer runs at %v, the view shows %v; want 0.63", got, ss().Speed)
	}
	if tag, held := scene.StationTag(ss()); tag != "HELD 0.63x" || !held {
		t.Errorf("twin tag %q", tag)
	}
	r, _, _, _ := g.tagPlace(placer, "HELD 0.63x", true)
	if got := pixel(g.frame(), r.X+r.H*0.2, r.Y+r.H/2); !closeTo(got, palette.Text, 8) {
		t.Errorf("mirrored held placer: the tag shows %v", got)
	}
	press(scene.Intents{StationFaster: true}, packml.MetricCmdSpeed)
	press(scene.Intents{StationFaster: true}, packml.MetricCmdSpeed)
	if got := mt.line.Snapshot().Stations[placer].Speed; got != 1 || ss().Speed != 1 {
		t.Errorf("after X X: the line's placer runs at %v, the view shows %v; want 1", got, ss().Speed)
	}
	press(scene.Intents{ResetStation: true}, packml.MetricCmdReset)
	if mt.line.Snapshot().Stations[placer].Held || ss().Held {
		t.Errorf("after C the placer is still held")
	}
}
