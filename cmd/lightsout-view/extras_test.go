package main

import (
	"image"
	"image/gif"
	"os"
	"path/filepath"
	"strings"
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

// newSizedGame returns a w x h game on an embedded config, seed 1, 100x.
func newSizedGame(t testing.TB, config string, w, h int) *Game {
	t.Helper()
	log := zaptest.NewLogger(t)
	sess, err := NewSession(configstest.Embedded(t, config), 1, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGame(sess, 100, w, h, log)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestCLIViewFlags(t *testing.T) {
	dir := t.TempDir()
	code, errs, _, o := runCLI(t, "--palette", "colorblind", "--ui-scale", "1.5", "--fullscreen", "--gif", filepath.Join(dir, "a.gif"), "--timeline", "2h")
	if code != 0 || o.view.palette != "colorblind" || o.view.uiScale != 1.5 || !o.view.fullscreen || o.view.gif == "" || scene.TimelineSpans[o.view.span] != 2*sim.Hour {
		t.Fatalf("exit %d %q, %+v", code, errs, o.view)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--palette", "sepia"}, `--palette "sepia": want one of standard, colorblind`},
		{[]string{"--ui-scale", "3"}, "--ui-scale 3: want 1 to 2"},
		{[]string{"--timeline", "3h"}, `--timeline "3h": want one of`},
		{[]string{"--gif", filepath.Join(dir, "a.png")}, "must end in .gif"},
		{[]string{"--gif", "/no/such/dir/a.gif"}, "no directory"},
	} {
		code, errs, _, _ := runCLI(t, tc.args...)
		if code != exitBadInput || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, code, errs, tc.want)
		}
	}
}

func TestGIFRecordsFramesThatDecode(t *testing.T) {
	for _, size := range [][2]int{{1280, 800}, {900, 600}} {
		g := newSizedGame(t, "demo-line", size[0], size[1])
		path := filepath.Join(t.TempDir(), "line.gif")
		g.x.gif = newGIFRecorder(path)
		img := ebiten.NewImage(g.w, g.h)
		const ticks = 30
		for tick := 1; tick <= ticks; tick++ {
			g.runFor(sim.Second)
			g.render(img)
			g.x.recordFrame(img, tick)
		}
		img.Deallocate()
		if err := g.x.gif.Write(); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		anim, err := gif.DecodeAll(f)
		f.Close()
		if err != nil {
			t.Fatalf("%v: the GIF does not decode: %v", size, err)
		}
		w, h := size[0], size[1]
		if w > gifHalveAbove {
			w, h = w/2, h/2
		}
		if want := (ticks + gifStride - 1) / gifStride; len(anim.Image) != want || anim.Config.Width != w || anim.Config.Height != h {
			t.Errorf("%v: %d frames of %dx%d, want %d of %dx%d", size, len(anim.Image), anim.Config.Width, anim.Config.Height, want, w, h)
		}
		if anim.LoopCount != 0 || anim.Delay[0] != gifStride*100/60 {
			t.Errorf("loop %d, delay %d", anim.LoopCount, anim.Delay[0])
		}
		// A station's colour survives the palette: the working printer.
		last := anim.Image[len(anim.Image)-1]
		spot := g.serverSpot(0, 0)
		k := 1
		if size[0] > gifHalveAbove {
			k = 2
		}
		got := last.At(int(spot.X)/k+1, int(spot.Y)/k+1)
		want := palette.Phase(g.sess.Snap.Stations[0].Servers[0].Phase)
		if r, gg, b, _ := got.RGBA(); !closeTo(palette.RGB(uint8(r>>8), uint8(gg>>8), uint8(b>>8)), want, 24) {
			t.Errorf("%v: the printer reads %v in the GIF, want about %v", size, got, want)
		}
	}
}

func TestTimelineShowsWhenTheConstraintStarved(t *testing.T) {
	g := newTestGame(t, "demo-line")
	for range 20 { // 20 minutes, observed as the window does
		g.runFor(sim.Minute)
		g.observe()
	}
	// Break the placer: the stations after it starve.
	do(t, g, twin.Command{Kind: twin.BreakStation, Target: "placer"})
	for range 15 {
		g.runFor(sim.Minute)
		g.observe()
	}
	g.applyExtras(extraIntents{timeline: true})
	g.applyExtras(extraIntents{span: true}) // 30 min
	if g.timelineSpan() != 30*sim.Minute || !g.x.showTimeline {
		t.Fatalf("span %v shown %v", g.timelineSpan(), g.x.showTimeline)
	}
	img := g.frame()
	r := g.timelineRect()
	gantt := scene.XYWH(r.X+12+tlLabelW, r.Y+28, r.W-24-tlLabelW, r.H-28-tlChartH-26)
	rowH := min(gantt.H/float64(g.x.timeline.Stations()), tlMaxRow)
	at := func(i int, ago sim.Time) (float64, float64) {
		return gantt.X + gantt.W*(1-ago.Seconds()/(30*sim.Minute).Seconds()) - 2, gantt.Y + float64(i)*rowH + rowH/2
	}
	const placer, test = 1, 5
	for _, tc := range []struct {
		i     int
		ago   sim.Time
		phase stations.Phase
	}{
		{placer, 5 * sim.Minute, stations.Down},     // broken
		{test, 2 * sim.Minute, stations.Starved},    // the constraint, starved behind it
		{placer, 25 * sim.Minute, stations.Working}, // before the break
	} {
		x, y := at(tc.i, tc.ago)
		if got := pixel(img, x, y); !closeTo(got, palette.Phase(tc.phase), 3) {
			t.Errorf("%s %v ago is %v on the timeline, want %v (%v)", g.sess.Snap.Stations[tc.i].ID, tc.ago, got, tc.phase, palette.Phase(tc.phase))
		}
	}
	g.applyExtras(extraIntents{timeline: true})
	if g.x.showTimeline {
		t.Error("S does not hide the timeline")
	}
}

func TestColourBlindPaletteOnTheFloor(t *testing.T) {
	g := newTestGame(t, "demo-line")
	g.runFor(10 * sim.Minute)
	do(t, g, twin.Command{Kind: twin.BreakStation, Target: "placer"})
	g.runFor(2 * sim.Second)
	g.applyExtras(extraIntents{palette: true})
	if g.x.scheme.Name != palette.SchemeColorBlind {
		t.Fatalf("Y gives the %s palette", g.x.scheme.Name)
	}
	img := g.frame()
	cb, _ := palette.NewScheme(palette.SchemeColorBlind)
	checkSchemeColours(t, g, img, cb)
	// The glyph of down (an exclamation mark) is on the placer's server.
	r := g.wr(g.floor.Stations[1].Servers[0])
	s := min(min(r.W, r.H)*0.3, 16)
	if got := pixel(img, r.X+r.W-3-s/2, r.Y+3+s*0.3); closeTo(got, g.phaseColour(stations.Down), 10) {
		t.Errorf("no glyph on the down placer: %v", got)
	}
	g.applyExtras(extraIntents{palette: true})
	if g.x.scheme.Name != palette.SchemeStandard {
		t.Errorf("Y again gives %s", g.x.scheme.Name)
	}
	checkStationColours(t, g, g.frame())
}

// checkSchemeColours checks each server shows its phase's colour in the
// palette sc.
func checkSchemeColours(t *testing.T, g *Game, img *image.RGBA, sc *palette.Scheme) {
	t.Helper()
	for i := range g.floor.Stations {
		ss := &g.sess.Snap.Stations[i]
		for k := range g.floor.Stations[i].Servers {
			p := g.serverSpot(i, k)
			ph := ss.Servers[k].Phase
			if sc.Name != palette.SchemeStandard && closeTo(pixel(img, p.X, p.Y), palette.Phase(ph), 6) {
				t.Errorf("%s server %d shows the standard colour of %v", ss.ID, k+1, ph)
			}
			if want := sc.Phase(ph); !closeTo(pixel(img, p.X, p.Y), want, 2) {
				t.Errorf("%s server %d is %v (%v), want %v", ss.ID, k+1, pixel(img, p.X, p.Y), ss.Servers[k].Phase, want)
			}
		}
	}
}

func TestUIScaleFollowsTheWindow(t *testing.T) {
	for _, tc := range []struct {
		w, h   int
		scale  float64
		config string
	}{{1280, 800, 1, "phone-factory"}, {1920, 1080, 1.35, "phone-factory"}, {2560, 1600, 2, "demo-line"}} {
		g := newSizedGame(t, tc.config, tc.w, tc.h)
		g.runFor(20 * sim.Minute)
		img := g.frame()
		if g.ui() != tc.scale {
			t.Errorf("%dx%d: UI scale %v, want %v", tc.w, tc.h, g.ui(), tc.scale)
		}
		// The top bar and the dashboard grow with it: the floor starts
		// and ends where they do.
		bar := scene.TopBarH * tc.scale
		if g.view.Y != bar || g.view.Y+g.view.H != float64(tc.h)-scene.DashboardH*tc.scale {
			t.Errorf("%dx%d: floor view %v", tc.w, tc.h, g.view)
		}
		if got := pixel(img, float64(tc.w)/2, bar-3); closeTo(got, palette.Floor, 2) {
			t.Errorf("%dx%d: the top bar stops short of %.0f px", tc.w, tc.h, bar)
		}
		// The HUD's small text is 12 px at 1x, more on a large window.
		if px := hudSmall * g.ui(); tc.w >= 1920 && px < 16 {
			t.Errorf("%dx%d: HUD text %.1f px", tc.w, tc.h, px)
		}
		// The defect table labels its rows and has room for three at least.
		if g.x.worstRows < 3 {
			t.Errorf("%dx%d: the defect table has room for %d rows", tc.w, tc.h, g.x.worstRows)
		}
	}
	g := newSizedGame(t, "demo-line", 1920, 1080)
	g.x.uiForced = 1
	g.resize(1920, 1080)
	if g.ui() != 1 || g.view.Y != scene.TopBarH {
		t.Errorf("--ui-scale 1 at 1920x1080: scale %v, view %v", g.ui(), g.view)
	}
}
