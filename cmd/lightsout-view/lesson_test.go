package main

import (
	"image"
	"image/color"
	"strings"
	"testing"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/lesson"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// newLessonGame returns a 1280x800 game playing the embedded lesson name,
// each tick running exactly 10 s of simulated time.
func newLessonGame(t *testing.T, name string) *Game {
	t.Helper()
	ls, err := configs.LoadLesson(name)
	if err != nil {
		t.Fatal(err)
	}
	log := zaptest.NewLogger(t)
	sess, err := NewSession(ls.Spec, ls.Seed, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGame(sess, 600, 1280, 800, log)
	if err != nil {
		t.Fatal(err)
	}
	g.pacer.Exact = true
	g.Play(scene.NewLessonPlayback(ls))
	return g
}

// updateUntilPaused runs the game's Update until the window pauses, at
// most max ticks, and returns the ticks run.
func updateUntilPaused(t *testing.T, g *Game, max int) int {
	t.Helper()
	for n := 1; n <= max; n++ {
		if err := g.Update(); err != nil {
			t.Fatal(err)
		}
		if g.paused {
			return n
		}
	}
	t.Fatalf("not paused after %d ticks (at %s)", max, scene.Clock(g.sess.Snap.Now))
	return 0
}

// The lesson's question and pause stop the line until the trainer goes
// on; its break happens at 0:20 and its callout is drawn next to the
// placer.
func TestLessonPausesAndCallouts(t *testing.T) {
	g := newLessonGame(t, "blocking-and-starvation")
	updateUntilPaused(t, g, 200)
	p := g.play
	if g.sess.Snap.Now != 15*sim.Minute || p.Waiting == nil || p.Waiting.Kind != lesson.Question {
		t.Fatalf("paused at %s waiting for %v; want the question at 0:15", scene.Clock(g.sess.Snap.Now), p.Waiting)
	}
	before := g.frame()
	for range 5 {
		if err := g.Update(); err != nil {
			t.Fatal(err)
		}
	}
	if g.sess.Snap.Now != 15*sim.Minute || !g.paused {
		t.Fatalf("the line ran on to %s while the question waited", scene.Clock(g.sess.Snap.Now))
	}

	// Enter goes on; the answer becomes the narration.
	g.handle(g.playKeys(scene.Intents{}, playKeys{Go: true}))
	if g.paused || p.Waiting != nil || !strings.HasPrefix(p.Say, "Answer: ") {
		t.Fatalf("after Enter: paused %v, waiting %v, say %q", g.paused, p.Waiting, p.Say)
	}
	updateUntilPaused(t, g, 100)
	if g.sess.Snap.Now != 24*sim.Minute || p.Waiting == nil || p.Waiting.Kind != lesson.Pause {
		t.Fatalf("paused at %s waiting for %v; want the pause at 0:24", scene.Clock(g.sess.Snap.Now), p.Waiting)
	}
	log := g.sess.Commands()
	if len(log) != 1 || log[0].At != 20*sim.Minute || log[0].Cmd.Target != "placer" || log[0].Err != "" {
		t.Fatalf("the line's log is %+v, want the placer's break at 0:20", log)
	}
	placer := g.sess.Snap.Stations[1]
	if placer.ID != "placer" || placer.Servers[0].Phase != stations.Down || placer.Servers[0].Since != 20*sim.Minute {
		t.Fatalf("%s is %v since %v, want down since 0:20", placer.ID, placer.Servers[0].Phase, placer.Servers[0].Since)
	}

	// The placer's callout is drawn next to it, where nothing of the kind was before.
	var note *calloutPlace
	places := g.calloutPlaces()
	for i, c := range p.Callouts {
		if c.Station == "placer" {
			note = &places[i]
		}
	}
	if note == nil {
		t.Fatalf("no callout at the placer among %+v", p.Callouts)
	}
	box, slot := g.wr(g.stationBox("placer").Box), g.wr(g.stationBox("placer").Slot)
	gap := max(slot.X-(note.r.X+note.r.W), note.r.X-(slot.X+slot.W), slot.Y-(note.r.Y+note.r.H), note.r.Y-(slot.Y+slot.H))
	if gap > 30 || note.r.Overlaps(box) {
		t.Errorf("the note %+v is %.0f px from the placer's slot %+v (overlapping its machine %v); want next to it", note.r, gap, slot, note.r.Overlaps(box))
	}
	if !box.Inset(-2).Contains(note.anchor) && !g.wr(g.stationBox("placer").Slot).Inset(-2).Contains(note.anchor) {
		t.Errorf("the note points at %+v, not at the placer %+v", note.anchor, box)
	}
	after := g.frame()
	spot := scene.Pt(note.r.X+note.r.W-4, note.r.Y+note.r.H/2) // the note's right margin, clear of text
	if c := pixel(after, spot.X, spot.Y); !closeTo(c, calloutFill, 8) {
		t.Errorf("the note's pixel at %+v is %v, want the callout colour %v", spot, c, calloutFill)
	}
	if c := pixel(before, spot.X, spot.Y); closeTo(c, calloutFill, 40) {
		t.Errorf("the pixel at %+v was already %v before the callout", spot, c)
	}
	if !inkIn(after, note.r.Inset(4), calloutText) {
		t.Error("the note has no text")
	}

	// Space goes on too.
	g.handle(g.playKeys(scene.Intents{Pause: true}, playKeys{}))
	if g.paused || p.Waiting != nil {
		t.Fatalf("after Space: paused %v, waiting %v", g.paused, p.Waiting)
	}
	if err := g.Update(); err != nil {
		t.Fatal(err)
	}
	if now := g.sess.Snap.Now; now <= 24*sim.Minute || now > 24*sim.Minute+10*sim.Second {
		t.Errorf("after Space and a tick the line is at %s, want one tick past 0:24", scene.Clock(now))
	}

	// A step goes on after a pause too, by a step.
	g.play.Waiting = &lesson.Event{Kind: lesson.Pause, Text: "look"}
	g.paused = true
	at := g.sess.Snap.Now
	g.handle(g.playKeys(scene.Intents{Step: true}, playKeys{}))
	if !g.paused || p.Waiting != nil || g.sess.Snap.Now != at+stepSmall {
		t.Errorf("a step at a pause: paused %v, waiting %v, at %s; want paused a step on", g.paused, p.Waiting, scene.Clock(g.sess.Snap.Now))
	}

	// R starts the lesson again, from its first event.
	g.handle(scene.Intents{Reset: true})
	if err := g.Update(); err != nil {
		t.Fatal(err)
	}
	if len(p.Callouts) != 0 || p.Say == "" || len(g.sess.Commands()) != 0 {
		t.Errorf("after R: callouts %+v, say %q, %d commands; want the lesson from its start", p.Callouts, p.Say, len(g.sess.Commands()))
	}
}

// inkIn reports whether some pixel in r is close to c.
func inkIn(img *image.RGBA, r scene.Rect, c color.RGBA) bool {
	for y := r.Y; y < r.Y+r.H; y++ {
		for x := r.X; x < r.X+r.W; x++ {
			if closeTo(pixel(img, x, y), c, 60) {
				return true
			}
		}
	}
	return false
}
