package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"
	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/configs/configstest"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// These tests draw real frames offscreen and read the pixels back; they
// need the running game TestMain provides.

// newTestGame returns a 1280x800 game on an embedded config, seed 1, 100x.
func newTestGame(t testing.TB, config string) *Game {
	t.Helper()
	log := zaptest.NewLogger(t)
	sess, err := NewSession(configstest.Embedded(t, config), 1, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGame(sess, 100, 1280, 800, log)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// runFor runs the game's line for d and takes a snapshot.
func (g *Game) runFor(d sim.Time) {
	g.sess.Run(d)
	g.sess.Refresh()
}

// frame renders the game offscreen and returns the pixels.
func (g *Game) frame() *image.RGBA {
	img := ebiten.NewImage(g.w, g.h)
	defer img.Deallocate()
	g.render(img)
	return Pixels(img)
}

// pixel returns the colour at (x, y).
func pixel(img *image.RGBA, x, y float64) color.RGBA {
	return img.RGBAAt(int(math.Floor(x)), int(math.Floor(y)))
}

// close reports whether two colours differ by at most tol in each channel.
func closeTo(a, b color.RGBA, tol int) bool {
	d := func(x, y uint8) bool { return math.Abs(float64(x)-float64(y)) <= float64(tol) }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B)
}

// serverSpot returns the screen point tested for server k of station slot
// i: just inside the top-left corner, clear of the unit, the progress bar
// and the broken cross.
func (g *Game) serverSpot(i, k int) scene.Point {
	r := g.wr(g.floor.Stations[i].Servers[k])
	return scene.Pt(r.X+3, r.Y+3)
}

// checkStationColours checks that every server of every station shows the
// colour of its state in the snapshot.
func checkStationColours(t *testing.T, g *Game, img *image.RGBA) {
	t.Helper()
	seen := map[stations.Phase]int{}
	for i := range g.floor.Stations {
		ss := &g.sess.Snap.Stations[i]
		for k := range g.floor.Stations[i].Servers {
			p := g.serverSpot(i, k)
			if !g.view.Contains(p) {
				t.Fatalf("station %s server %d at %v is off the floor view %v", ss.ID, k, p, g.view)
			}
			want := palette.Phase(ss.Servers[k].Phase)
			if got := pixel(img, p.X, p.Y); !closeTo(got, want, 2) {
				t.Errorf("line %d %s server %d is %v (%v), want %v", ss.Line+1, ss.ID, k+1, ss.Servers[k].Phase, got, want)
			}
			seen[ss.Servers[k].Phase]++
		}
	}
	t.Logf("servers checked by phase: %v", seen)
}

func TestRenderStationColoursMatchTheSnapshot(t *testing.T) {
	for _, tc := range []struct {
		config string
		after  []sim.Time // check at each of these times
	}{
		{"demo-line", []sim.Time{0, 30 * sim.Second, 20 * sim.Minute, 3 * sim.Hour}},
		{"phone-factory", []sim.Time{0, 5 * sim.Minute, 2 * sim.Hour, 9 * sim.Hour, 6*sim.Day + sim.Hour}}, // day 6: maintenance
	} {
		t.Run(tc.config, func(t *testing.T) {
			g := newTestGame(t, tc.config)
			for _, at := range tc.after {
				g.runFor(at - g.sess.Snap.Now)
				checkStationColours(t, g, g.frame())
			}
		})
	}
}

func TestRenderBrokenStationTurnsDown(t *testing.T) {
	g := newTestGame(t, "demo-line")
	g.runFor(10 * sim.Minute)
	const placer = 1 // never fails by itself
	spot := g.serverSpot(placer, 0)
	down := palette.Phase(stations.Down)
	if got := pixel(g.frame(), spot.X, spot.Y); closeTo(got, down, 10) {
		t.Fatalf("placer already shows the down colour %v before the break", got)
	}
	if err := g.sess.Do(twin.Command{Kind: twin.BreakStation, Target: "placer"}); err != nil {
		t.Fatal(err)
	}
	g.runFor(2 * sim.Second)
	if ph := g.sess.Snap.Stations[placer].Servers[0].Phase; ph != stations.Down {
		t.Fatalf("placer is %v after the break", ph)
	}
	img := g.frame()
	if got := pixel(img, spot.X, spot.Y); !closeTo(got, down, 2) {
		t.Errorf("broken placer shows %v, want the down colour %v", got, down)
	}
	// The command is in the log, for a headless replay.
	if log := g.sess.Commands(); len(log) != 1 || log[0].Cmd.Target != "placer" || log[0].Err != "" {
		t.Errorf("command log %+v", log)
	}
	// Repaired, it works again.
	if err := g.sess.Do(twin.Command{Kind: twin.RepairStation, Target: "placer"}); err != nil {
		t.Fatal(err)
	}
	g.runFor(sim.Second)
	if got := pixel(g.frame(), spot.X, spot.Y); closeTo(got, down, 10) {
		t.Errorf("repaired placer still shows the down colour %v", got)
	}
}

func TestRenderChartIsDrawn(t *testing.T) {
	g := newTestGame(t, "phone-factory")
	g.runFor(3 * sim.Hour)
	img := g.frame()
	panel := scene.DashPanels(g.w, g.h)[0]
	plot := scene.ChartPlot(panel)
	bg := pixel(img, panel.X+4, panel.Y+panel.H-4)
	green, different := 0, 0
	for y := plot.Y; y < plot.Y+plot.H; y++ {
		for x := plot.X; x < plot.X+plot.W; x++ {
			c := pixel(img, x, y)
			if !closeTo(c, bg, 3) {
				different++
			}
			if int(c.G) > int(c.R)+30 && int(c.G) > int(c.B)+20 {
				green++
			}
		}
	}
	area := plot.W * plot.H
	if float64(green) < 0.15*area {
		t.Errorf("only %d green pixels in the chart (%.0f): no throughput area drawn", green, area)
	}
	if float64(different) < 0.2*area {
		t.Errorf("only %d drawn pixels in the chart (%.0f)", different, area)
	}
	// The target line crosses the chart at its height.
	snap := &g.sess.Snap
	m := scene.NewChartModel(snap.History, snap.Now, snap.Line.TargetPerHour, nil)
	y := plot.Y + plot.H*(1-m.Y(m.Target))
	target := 0
	for x := plot.X; x < plot.X+plot.W; x++ {
		for dy := -1.0; dy <= 1; dy++ {
			if closeTo(pixel(img, x, y+dy), palette.Target, 40) {
				target++
				break
			}
		}
	}
	if float64(target) < 0.4*plot.W {
		t.Errorf("target line at y=%.0f: %d of %.0f pixels in its colour", y, target, plot.W)
	}
}

func TestRenderIsReproducible(t *testing.T) {
	a, b := newTestGame(t, "demo-line"), newTestGame(t, "demo-line")
	a.runFor(7 * sim.Minute)
	b.runFor(7 * sim.Minute)
	if !bytes.Equal(a.frame().Pix, b.frame().Pix) {
		t.Error("the same line at the same time renders differently")
	}
}

func TestScriptSavesTheFrameAndEnds(t *testing.T) {
	g := newTestGame(t, "demo-line")
	path := filepath.Join(t.TempDir(), "shot.png")
	g.Script(3, path)
	screen := ebiten.NewImage(g.w, g.h)
	for tick := range 3 {
		if err := g.Update(); err != nil {
			t.Fatalf("tick %d: %v", tick, err)
		}
	}
	if err := g.Update(); err != nil {
		t.Fatalf("ended before the frame was saved: %v", err)
	}
	g.Draw(screen)
	if err := g.Update(); err != ebiten.Termination {
		t.Fatalf("after the screenshot Update returned %v, want ebiten.Termination", err)
	}
	if want := sim.Time(3 * 100 * float64(g.pacer.Tick)); g.sess.Snap.Now != want {
		t.Errorf("3 ticks at 100x ran to %v, want %v", g.sess.Snap.Now, want)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 800 {
		t.Errorf("screenshot is %v", b)
	}
}
