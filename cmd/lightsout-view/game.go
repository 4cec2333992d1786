package main

import (
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Game adapts a Session to ebiten: Update reads intents, runs the line
// for one tick and takes a snapshot; Draw paints the snapshot. It holds
// everything the view needs between frames and nothing the model needs.
type Game struct {
	sess   *Session
	log    *zap.Logger
	fonts  *Fonts
	shapes *Shapes // the floor and panels
	smooth *Shapes // arms and round things, anti-aliased
	input  Input
	pacer  *scene.Pacer
	Times  scene.FrameTimes

	floor  *scene.Floor
	cam    scene.Camera
	fitted bool // the camera follows the fit until the person zooms or pans
	w, h   int
	view   scene.Rect // the floor's part of the screen

	paused    bool
	cut       bool // the budget cut the last tick short
	sinceDraw int  // ticks since the last Draw
	overlays  scene.Overlays
	help      bool
	sel       scene.Selection
	poses     []scene.ArmPose
	toast     string
	toastBad  bool
	toastEnd  time.Time

	// frames, when positive, ends the run after that many ticks, saving
	// the frame to shot if it is set.
	frames   int
	ticks    int
	shot     string
	captured bool
	err      error // a failure to report when the run ends
	quit     bool

	floorOf  *ebiten.Image // the image floorImg is part of
	floorImg *ebiten.Image // the floor's part of the screen
	convPos  []float64     // scratch: positions on a conveyor
	chartV   []float64     // scratch: chart values
	texts    []pendingText // text queued over a panel's shapes

	bars   []scene.HealthBar  // scratch: a station's health bars
	crew   []scene.CrewSpot   // scratch: where the crew members are
	trends scene.Trends       // condition readings, for the detail panel
	trendP []scene.TrendPoint // scratch: one server's readings
	spark  []scene.Point      // scratch: the sparkline's points
	pilot  pilotView
	x      extras // timeline, recording, scale and what tests look at (extras.go)

	run  func(sim.Time) // runs the line: the session's Run, or the playback's
	play *playState     // the lesson or recording played, if any (see lesson_play.go)
}

// NewGame returns a game showing sess at the given speed in a window of
// w x h pixels.
func NewGame(sess *Session, speed scene.Speed, w, h int, log *zap.Logger) (*Game, error) {
	fonts, err := NewFonts()
	if err != nil {
		return nil, err
	}
	g := &Game{
		sess: sess, log: log, fonts: fonts,
		shapes: NewShapes(false), smooth: NewShapes(true),
		pacer: scene.NewPacer(speed),
		sel:   scene.Selection{Server: -1},

		overlays: scene.AllOverlays(),
		x:        newExtras(),
	}
	g.run = sess.Run
	g.resize(w, h)
	g.observe()
	return g, nil
}

// Script makes the game run frames ticks and then end, saving the last
// frame to shot (a PNG file) if shot is not empty. Each tick then runs
// exactly speed x tick of simulated time (no wall-time budget, except at
// MaxSpeed), so the same flags give the same picture.
func (g *Game) Script(frames int, shot string) {
	g.frames, g.shot = frames, shot
	g.pacer.Exact = true
}

// Err returns the error that ended the run, if any (a screenshot that
// could not be written).
func (g *Game) Err() error { return g.err }

// Update runs one tick: intents, the line, the snapshot.
func (g *Game) Update() error {
	t0 := time.Now()
	defer func() { g.Times.AddUpdate(time.Since(t0)) }()
	if g.quit || g.err != nil || (g.frames > 0 && g.ticks >= g.frames && (g.shot == "" || g.captured)) {
		return ebiten.Termination
	}
	g.handle(g.playInput(g.input.Read()))
	g.handleExtras()
	g.twinResults()
	if g.frames > 0 && g.ticks >= g.frames {
		return nil // hold the last frame until Draw has saved it
	}
	if g.sess.Snap.Now >= simHorizon && !g.paused {
		g.paused = true
		g.say("paused: the clock reached "+scene.Clock(simHorizon)+"; R starts again", true)
	}
	// When the budget cut the last tick short and no frame was drawn since,
	// ebiten is calling Update again to catch up: running the line again
	// would only starve Draw, so this tick holds.
	catchUp := g.cut && g.sinceDraw > 0
	_, cut := g.pacer.Advance(g.paused || catchUp, g.run, time.Now)
	if !catchUp {
		g.cut = cut
	}
	g.sinceDraw++
	g.sess.Refresh()
	g.observe()
	g.ticks++
	return nil
}

// observe keeps what the view remembers of the snapshot just taken: the
// condition readings and the autopilot's decisions.
func (g *Game) observe() {
	g.trends.Observe(&g.sess.Snap, g.sess.Twin == nil)
	g.readPilot()
	g.x.timeline.Observe(&g.sess.Snap)
}

// simHorizon is where the view stops the clock: a century of simulated
// time, well before int64 nanoseconds run out (292 years).
const simHorizon = 100 * sim.Year

// Draw paints the current snapshot.
func (g *Game) Draw(screen *ebiten.Image) {
	t0 := time.Now()
	g.sinceDraw = 0
	g.render(screen)
	g.x.recordFrame(screen, g.ticks)
	if g.shot != "" && !g.captured && g.frames > 0 && g.ticks >= g.frames {
		g.captured = true
		if err := SavePNG(screen, g.shot); err != nil {
			g.err = err
		} else {
			g.log.Info("screenshot saved", zap.String("file", g.shot), zap.Int("ticks", g.ticks), zap.String("at", scene.Clock(g.sess.Snap.Now)))
		}
	}
	g.Times.AddDraw(time.Since(t0))
}

// Layout keeps one screen pixel per window pixel and re-lays the floor
// when the window changes size.
func (g *Game) Layout(outsideW, outsideH int) (int, int) {
	if outsideW != g.w || outsideH != g.h {
		g.resize(outsideW, outsideH)
	}
	return outsideW, outsideH
}

// resize lays the floor out for a w x h screen and fits the camera to it.
func (g *Game) resize(w, h int) {
	g.w, g.h = w, h
	g.view = g.floorView(w, h)
	g.floor = scene.Lay(g.sess.Spec, g.view.W, g.view.H)
	g.fit()
}

// fit shows the whole floor in the view.
func (g *Game) fit() {
	g.cam = scene.FitCamera(g.floor, g.view)
	g.fitted = true
}

// say shows a message over the floor for a few seconds.
func (g *Game) say(msg string, bad bool) {
	g.toast, g.toastBad, g.toastEnd = msg, bad, time.Now().Add(3500*time.Millisecond)
}
