package main

import (
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"
	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/cmd/internal/pilotflags"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/configs/configstest"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// shots, when set, makes TestShots write a screenshot of each scenario
// into that directory, to look at: go test -run Shots -shots DIR.
var shots = flag.String("shots", "", "write scenario screenshots into this directory")

// scenario is a situation worth looking at: a line, what happens to it,
// and what the person has selected or opened.
type scenario struct {
	name   string
	config string
	edit   func(*twin.Spec) // changes to the config, if any
	// autopilot, when set, is the policy flying the line.
	autopilot string
	script    func(t *testing.T, g *Game)
	// w and h are the window's size, 1280 x 800 when 0.
	w, h int
}

var scenarios = []scenario{
	{name: "factory-broken-arm", config: "phone-factory", script: func(t *testing.T, g *Game) {
		g.runFor(40 * sim.Minute)
		do(t, g, twin.Command{Kind: twin.BreakArm, Line: 0, Target: "arm-battery"})
		g.runFor(3 * sim.Minute)
		g.sel = scene.Selection{Kind: scene.SelArm, Slot: 1, Server: -1} // arm-battery, line 1
	}},
	{name: "demo-full-buffers", config: "demo-line", script: func(t *testing.T, g *Game) {
		g.runFor(20 * sim.Minute)
		do(t, g, twin.Command{Kind: twin.BreakStation, Target: "test"})
		do(t, g, twin.Command{Kind: twin.SetBuffer, Target: "test", Capacity: 8})
		g.runFor(4 * sim.Minute)
		g.sel = scene.Selection{Kind: scene.SelStation, Slot: 5, Server: -1}
	}},
	{name: "defect-burst", config: "inspection-heavy", edit: func(s *twin.Spec) {
		s.Stations[1].DefectRate = 0.35 // solder goes bad
	}, script: func(t *testing.T, g *Game) {
		g.runFor(50 * sim.Minute)
		g.sel = scene.Selection{Kind: scene.SelStation, Slot: 2, Server: -1} // aoi
	}},
	{name: "factory-help", config: "phone-factory", script: func(t *testing.T, g *Game) {
		g.runFor(2 * sim.Hour)
		g.help = true
	}},
	{name: "factory-help-1920", config: "phone-factory", w: 1920, h: 1080, script: func(t *testing.T, g *Game) {
		g.runFor(2 * sim.Hour)
		g.help = true
	}},
	{name: "demo-help-smallest", config: "demo-line", w: minWidth, h: minHeight, script: func(t *testing.T, g *Game) {
		g.runFor(20 * sim.Minute)
		g.help = true
	}},
	{name: "factory-zoomed", config: "phone-factory", script: func(t *testing.T, g *Game) {
		g.runFor(5*sim.Hour + 17*sim.Second)
		g.cam = g.cam.ZoomAbout(scene.Pt(1000, 250), 2.4, 0.1, 10)
	}},
	{name: "factory-7h", config: "phone-factory", script: func(t *testing.T, g *Game) {
		g.runFor(7*sim.Hour + 3*sim.Second)
	}},
	{name: "demo-arm-zoom", config: "demo-line", script: func(t *testing.T, g *Game) {
		g.pacer.Speed = 1
		g.runFor(30*sim.Minute + 1300*sim.Millisecond)
		arm := g.ws(g.floor.Arms[0].Base)
		g.cam = g.cam.ZoomAbout(scene.Pt(arm.X, arm.Y-60), 2.2, 0.1, 10)
	}},
	{name: "demo-held-slowed", config: "demo-line", script: func(t *testing.T, g *Game) {
		g.runFor(20 * sim.Minute)
		do(t, g, twin.Command{Kind: twin.SetSpeed, Target: "screwing", Speed: 0.5})
		do(t, g, twin.Command{Kind: twin.HoldStation, Target: "placer"})
		g.runFor(3 * sim.Minute)
		g.sel = scene.Selection{Kind: scene.SelStation, Slot: 1, Server: -1} // placer
	}},
	{name: "factory-held-slowed", config: "phone-factory", script: func(t *testing.T, g *Game) {
		g.runFor(2 * sim.Hour)
		do(t, g, twin.Command{Kind: twin.HoldStation, Line: 0, Target: "calibration"})
		do(t, g, twin.Command{Kind: twin.SetSpeed, Line: 1, Target: "mount-ics", Speed: 0.63})
		do(t, g, twin.Command{Kind: twin.SetSpeed, Line: 1, Target: "screws", Speed: 1.6})
		g.runFor(20 * sim.Minute)
	}},
	{name: "two-machine", config: "two-machine", script: func(t *testing.T, g *Game) {
		g.runFor(9 * sim.Hour)
	}},
	{name: "factory-autopilot", config: "phone-factory", autopilot: "predictive", script: func(t *testing.T, g *Game) {
		for range 6 * 140 { // 140 h, a snapshot every 10 min as a window would take (the readings' period)
			g.runFor(10 * sim.Minute)
			g.observe()
		}
		g.sel = scene.Selection{Kind: scene.SelStation, Slot: 2, Server: -1} // mount-chips, line 1
	}},
}

func do(t *testing.T, g *Game, c twin.Command) {
	t.Helper()
	if err := g.sess.Do(c); err != nil {
		t.Fatal(err)
	}
}

func TestShots(t *testing.T) {
	if *shots == "" {
		t.Skip("no -shots directory")
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			spec := configstest.Embedded(t, sc.config)
			if sc.edit != nil {
				sc.edit(spec)
			}
			log := zaptest.NewLogger(t)
			var mk func(autopilot.Evaluator) (*autopilot.Pilot, error)
			if sc.autopilot != "" {
				cfg, problems := (&pilotflags.Flags{Name: sc.autopilot, MaxPerHour: autopilot.DefaultGuard().MaxPerHour}).Check()
				if len(problems) > 0 {
					t.Fatal(problems)
				}
				mk = cfg.New
			}
			sess, err := NewSession(spec, 1, mk, log)
			if err != nil {
				t.Fatal(err)
			}
			w, h := 1280, 800
			if sc.w > 0 {
				w, h = sc.w, sc.h
			}
			g, err := NewGame(sess, 100, w, h, log)
			if err != nil {
				t.Fatal(err)
			}
			sc.script(t, g)
			img := ebiten.NewImage(g.w, g.h)
			g.render(img)
			f, err := os.Create(filepath.Join(*shots, sc.name+".png"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := png.Encode(f, Pixels(img)); err != nil {
				t.Fatal(err)
			}
		})
	}
}
