package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"go.uber.org/zap/zaptest"
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

func TestViewCountsFitTheirBoxesAtHighCounts(t *testing.T) {
	g := newTestGame(t, "phone-factory")
	g.runFor(10 * sim.Minute)
	// Counts as after a month of running, ten times those of day 3 (the
	// snapshot is what the view draws; the next refresh puts the line's
	// own back): inspections catch and scrap, the others make defects.
	for i := range g.sess.Snap.Stations {
		ss := &g.sess.Snap.Stations[i]
		c := &ss.Counts
		c.Defects = 25680
		if ss.Inspects {
			c.Defects, c.Caught, c.Scrapped = 760, 12140, 12140
		}
	}
	g.frame()
	is := scene.FloorTextSize(scene.InfoSize, g.cam.Zoom)
	for i := range g.floor.Stations {
		sb := &g.floor.Stations[i]
		ss := &g.sess.Snap.Stations[i]
		s, size := g.defectLabel(sb, &ss.Counts, is)
		if strings.Contains(s, "…") || g.fonts.Width(s, size, true) > g.wr(sb.InfoBox).W || size < scene.MinTextSize {
			t.Errorf("%s: defect counts %q do not fit %.0f px", g.sess.Snap.Stations[i].ID, s, g.wr(sb.InfoBox).W)
		}
		if !strings.Contains(s, "▲") || ss.Inspects && (!strings.Contains(s, "●") || !strings.Contains(s, "×")) {
			t.Errorf("%s: defect counts %q leave a count out", g.sess.Snap.Stations[i].ID, s)
		}
	}
	for c := range g.floor.Docks {
		ship := g.floor.Docks[c].Ship
		w := g.wr(scene.XYWH(ship.X+2, ship.Y+20, ship.W-4, 22)).W
		ls := scene.FloorTextSize(scene.LabelSize, g.cam.Zoom) * 1.1
		if s := g.countLabel(17_432_123, ls, w); strings.Contains(s, "…") || s != "17M" && s != "17,432,123" {
			t.Errorf("copy %d: 17,432,123 shipped reads %q in %.0f px", c+1, s, w)
		}
	}
}

func TestViewBufferShowsReworkApart(t *testing.T) {
	g := newTestGame(t, "inspection-heavy")
	seen := false
	for step := 0; step < 240 && !seen; step++ {
		g.runFor(30 * sim.Second)
		for i := range g.sess.Snap.Stations {
			ss := &g.sess.Snap.Stations[i]
			if ss.Rework == 0 {
				continue
			}
			seen = true
			forms := scene.BufferForms(ss)
			want := strconv.Itoa(ss.Buffer-ss.Rework) + "/" + scene.CapacityText(ss.Capacity)
			if !strings.HasPrefix(forms[0], want+" +"+strconv.Itoa(ss.Rework)+" rework") {
				t.Errorf("%s: buffer %d with %d to rework reads %q, want %s and the rework apart", ss.ID, ss.Buffer, ss.Rework, forms[0], want)
			}
			_, _, rows := g.stationDetails(i)
			if rows[1].k != "Buffer" || !strings.Contains(rows[1].v, "rework queue") {
				t.Errorf("%s: panel's buffer row %+v does not name the rework queue", ss.ID, rows[1])
			}
		}
	}
	if !seen {
		t.Fatal("no unit waited for rework in 2 simulated hours")
	}
	// A buffer of 20 with one more to rework is full, not 21/20.
	ss := twinStationFixture(21, 1, 20)
	if f := scene.BufferForms(&ss)[0]; f != "20/20 +1 rework" || !scene.BufferFull(&ss) {
		t.Errorf("21 waiting, 1 to rework, 20 places: %q full=%v", f, scene.BufferFull(&ss))
	}
	g.sess.Snap.Stations[1] = ss
	g.frame() // draws with the rework apart
}

// twinStationFixture is a station with buffer units waiting, rework of
// them in the rework queue, and capacity places.
func twinStationFixture(buffer, rework, capacity int) twin.StationState {
	return twin.StationState{ID: "fixture", Buffer: buffer, Rework: rework, Capacity: stations.Capacity(capacity), Speed: 1}
}

func TestViewRealSpeedFollowsTheSpeedKeys(t *testing.T) {
	g := newTestGame(t, "demo-line") // 100x, paced by the wall clock
	now := time.Unix(0, 0)
	clock := func() time.Time { return now }
	tick := func() {
		now = now.Add(g.pacer.Tick)
		g.pacer.Advance(false, g.sess.Run, clock)
	}
	for range 300 {
		tick()
	}
	g.handleTime(scene.Intents{Faster: true}) // 100x -> 200x
	tick()
	if got, want := g.pacer.Real(), float64(g.pacer.Speed); got < 0.9*want || got > 1.01*want {
		t.Errorf("a tick after + the top bar's real speed reads %.0fx, want about %.0fx", got, want)
	}
	g.handleTime(scene.Intents{RealTime: true})
	tick()
	if got := g.pacer.Real(); got < 0.9 || got > 1.01 {
		t.Errorf("a tick after 1 the real speed reads %.1fx", got)
	}
}

func TestViewChartReachesNow(t *testing.T) {
	g := newTestGame(t, "demo-line")
	for _, at := range []sim.Time{2*sim.Hour + 40*sim.Second, 2*sim.Hour + 3*sim.Minute} {
		g.runFor(at - g.sess.Snap.Now)
		img := g.frame()
		plot := scene.ChartPlot(scene.DashPanels(g.w, g.h)[0])
		m := scene.NewChartModel(g.sess.Snap.History, g.sess.Snap.Now, 0, nil)
		rightmost := -1
		for x := int(plot.X); x < int(plot.X+plot.W)+4; x++ {
			for y := int(plot.Y); y < int(plot.Y+plot.H); y++ {
				if closeTo(img.RGBAAt(x, y), palette.ChartLine, 40) {
					rightmost = x
				}
			}
		}
		// The line stops at most a minute short of now (the bucket in
		// progress shows once a minute of it has passed).
		want := plot.X + plot.W*(1-float64(sim.Minute)/float64(sim.Time(m.Hours)*sim.Hour))
		if float64(rightmost) < want-1 {
			t.Errorf("at %s the chart line ends at x=%d, want it to reach %.0f (now at %.0f)", scene.Clock(at), rightmost, want, plot.X+plot.W)
		}
	}
}

func TestViewLegendExplainsWhatTheFloorShows(t *testing.T) {
	has := func(ms []legendMark, m legendMark) bool {
		for _, x := range ms {
			if x == m {
				return true
			}
		}
		return false
	}
	g := newTestGame(t, "demo-line")
	g.runFor(sim.Minute)
	g.frame()
	local := g.legendMarks(nil)
	for _, m := range []legendMark{markDefective, markBroken, markHeld, markHalo, markSensor, markBottleneck} {
		if !has(local, m) {
			t.Errorf("the local legend leaves out %q", legendMarkLabels[m])
		}
	}
	if has(local, markWarning) || has(local, markStale) {
		t.Error("the local legend lists the twin's marks")
	}
	// Every line of it has room: none is cut.
	states := g.legendStates()
	panel := scene.DashPanels(g.w, g.h)[3]
	rows := max(int((panel.H-4-34)/legendRowH+0.5), 1)
	if n := len(states) + len(local); n > rows*(len(g.x.legendX)-1) {
		t.Errorf("%d lines in a legend of %d rows", n, rows)
	}
	for k := range len(states) + len(local) {
		c := k / rows
		if w := g.fonts.Width(g.legendLabel(states, k), hudSmall, false) + 28; w > g.x.legendX[c+1]-g.x.legendX[c] {
			t.Errorf("legend line %q (%.0f px) is cut to %.0f px", g.legendLabel(states, k), w, g.x.legendX[c+1]-g.x.legendX[c])
		}
	}

	mt := newMemTwin(t, "demo-line", nil)
	mt.birth(t)
	mt.run(t, sim.Minute)
	log := zaptest.NewLogger(t)
	tg, err := NewGame(NewTwinSession(mt.tl, log), 1, 1280, 800, log)
	if err != nil {
		t.Fatal(err)
	}
	tg.frame()
	twinMarks := tg.legendMarks(nil)
	if has(twinMarks, markBottleneck) {
		t.Error("the twin's legend lists the bottleneck, which twin mode does not frame")
	}
	for _, m := range []legendMark{markBroken, markHeld, markStale, markWarning} {
		if !has(twinMarks, m) {
			t.Errorf("the twin's legend leaves out %q", legendMarkLabels[m])
		}
	}
}
