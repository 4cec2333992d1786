package main

import (
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// After test, demo-line's constraint, is sped up to 2.5x, line OEE and
// performance stay at most 100%, and the top bar and the OEE panel name
// the same bottleneck, which moves off test within the window.
func TestTopBarAndOEEPanelNameOneBottleneck(t *testing.T) {
	g := newTestGame(t, "demo-line")
	named := func() (top, panel string) {
		for _, it := range g.headline() {
			if it.caption == "bottleneck" {
				top = it.value
			}
		}
		return top, strings.TrimPrefix(g.oeeAside().s, "bottleneck ")
	}
	g.runFor(2 * sim.Hour)
	if top, panel := named(); top != "test" || panel != "test" {
		t.Fatalf("before the speed-up the top bar names %q and the OEE panel %q, want test", top, panel)
	}
	if err := g.sess.Do(twin.Command{Kind: twin.SetSpeed, Target: "test", Speed: 2.5}); err != nil {
		t.Fatal(err)
	}
	g.runFor(8 * sim.Hour)
	ls := g.sess.Snap.Line
	if ls.OEE > 1 || ls.Performance > 1 {
		t.Errorf("OEE %.3f, performance %.3f after the speed-up: want at most 1", ls.OEE, ls.Performance)
	}
	top, panel := named()
	if top != panel || top == "test" || top == "" {
		t.Errorf("after the speed-up the top bar names %q and the OEE panel %q: want one station, not test", top, panel)
	}
	g.frame() // both draw
}

// A held station is drawn in the Held colour, not the starved one, once
// its unit is done, whatever its buffer holds.
func TestHeldStationIsDrawnHeld(t *testing.T) {
	g := newTestGame(t, "demo-line")
	g.runFor(10 * sim.Minute)
	const test = 5
	if err := g.sess.Do(twin.Command{Kind: twin.HoldStation, Target: "test"}); err != nil {
		t.Fatal(err)
	}
	g.runFor(5 * sim.Minute)
	if ph := g.sess.Snap.Stations[test].Servers[0].Phase; ph != stations.Held {
		t.Fatalf("held test is %v", ph)
	}
	spot := g.serverSpot(test, 0)
	if got := pixel(g.frame(), spot.X, spot.Y); !closeTo(got, palette.Phase(stations.Held), 2) {
		t.Errorf("held test shows %v, want the Held colour %v", got, palette.Phase(stations.Held))
	}
}
