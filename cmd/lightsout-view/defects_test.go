package main

import (
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// The view's defects of issue 12, each checked on frames drawn offscreen.

func TestViewDetailPanelLeavesTheSelectionInSight(t *testing.T) {
	for _, config := range []string{"demo-line", "phone-factory", "inspection-heavy"} {
		t.Run(config, func(t *testing.T) {
			g := newTestGame(t, config)
			g.runFor(10 * sim.Minute)
			right := 0
			for i := range g.floor.Stations {
				g.sel = scene.Selection{Kind: scene.SelStation, Slot: i, Server: -1}
				g.frame()
				box := g.wr(g.floor.Stations[i].Box)
				if box.Center().X > g.view.X+g.view.W/2 {
					right++
				}
				if ov := g.x.detailRect.Overlap(box); ov > 0 {
					t.Errorf("%s: the panel %v covers %.0f px² of the station %v", g.sess.Snap.Stations[i].ID, g.x.detailRect, ov, box)
				}
			}
			for j := range g.floor.Arms {
				g.sel = scene.Selection{Kind: scene.SelArm, Slot: j, Server: -1}
				g.frame()
				if base := g.ws(g.floor.Arms[j].Base); g.x.detailRect.Inset(-4).Contains(base) {
					t.Errorf("arm %s: the panel %v covers its base %v", g.floor.Arms[j].ID, g.x.detailRect, base)
				}
			}
			if right == 0 {
				t.Fatal("no station in the right half of the floor: the test checks nothing there")
			}
		})
	}
}

func TestViewDurationsReadForPeople(t *testing.T) {
	g := newTestGame(t, "demo-line")
	g.runFor(sim.Minute)
	for i := range g.floor.Stations {
		_, _, rows := g.stationDetails(i)
		for _, r := range rows {
			id := g.sess.Snap.Stations[i].ID
			if r.k == "Ideal cycle" && id == "assembly" && !strings.HasPrefix(r.v, "5.81 s (") {
				t.Errorf("assembly's ideal cycle (its cycle and the arm's moves, 5.808333333 s) reads %q, want 5.81 s", r.v)
			}
			for _, bad := range []string{"0s", "m0", "h0", "333"} {
				if strings.Contains(r.v, bad) {
					t.Errorf("%s: %s reads %q (%q: a duration not written for people)", id, r.k, r.v, bad)
				}
			}
		}
	}
}
