package main

import (
	"testing"

	"github.com/lightsout-sim/lightsout/cmd/internal/pilotflags"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/configs/configstest"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"go.uber.org/zap/zaptest"
)

// fakePilot is a scene.PilotSource over a fixed decision log.
type fakePilot struct {
	ds []autopilot.Decision
	st scene.PilotStatus
}

func (f *fakePilot) Since(seq uint64, dst []autopilot.Decision) []autopilot.Decision {
	for _, d := range f.ds {
		if d.Seq > seq {
			dst = append(dst, d)
		}
	}
	return dst
}

func (f *fakePilot) Status() scene.PilotStatus { return f.st }

func TestRenderHealthBarsShowTheCondition(t *testing.T) {
	g := newTestGame(t, "phone-factory")
	g.runFor(120 * sim.Hour) // worn well below new
	g.observe()
	img := g.frame()
	checked, bad, poor := 0, 0, 0
	for i := range g.floor.Stations {
		ss := &g.sess.Snap.Stations[i]
		spec := &g.sess.Spec.Stations[ss.Index]
		bars := scene.HealthBars(&g.floor.Stations[i], ss, spec, nil)
		if spec.Wear == nil && len(bars) != 0 {
			t.Errorf("%s has no wear and %d bars", ss.ID, len(bars))
		}
		for _, b := range bars {
			fill, track := g.wr(b.Fill), g.wr(b.Track)
			y := track.Y + track.H/2
			if fill.W >= 4 {
				checked++
				if got, want := pixel(img, fill.X+fill.W/2, y), palette.Health(b.Level); !closeTo(got, want, 3) {
					bad++
					t.Logf("line %d %s: fill %v, want %v for level %.2f", ss.Line+1, ss.ID, got, want, b.Level)
				}
			}
			if empty := track.W - fill.W; empty >= 4 {
				checked++
				poor++
				x := fill.X + fill.W + empty/2
				if fill.X > track.X { // right to left: the empty part comes first
					x = track.X + empty/2
				}
				if got := pixel(img, x, y); !closeTo(got, palette.HealthTrack, 3) {
					bad++
					t.Logf("line %d %s: empty part %v, want %v", ss.Line+1, ss.ID, got, palette.HealthTrack)
				}
			}
		}
	}
	// Arms may cross a bar: allow a few.
	if checked < 20 || poor == 0 || bad > checked/10 {
		t.Errorf("%d of %d bar spots wrong (%d worn ones)", bad, checked, poor)
	}
}

func TestRenderDecisionMarkersWhereTheyAct(t *testing.T) {
	g := newTestGame(t, "phone-factory")
	g.runFor(2 * sim.Hour)
	now := g.sess.Snap.Now
	mk := func(seq uint64, at sim.Time, line int, target string, applied bool, why string) autopilot.Decision {
		return autopilot.Decision{Seq: seq, At: at, Policy: "predictive", Applied: applied, NotApplied: why,
			Action: autopilot.Action{Kind: autopilot.Maintain, Line: line, Target: target, Reason: "remaining useful life at most the lead time",
				Numbers: []autopilot.Number{{Name: "rul_s", Value: 7200}}}}
	}
	fake := &fakePilot{st: scene.PilotStatus{Policy: "predictive"}, ds: []autopilot.Decision{
		mk(1, now, 0, "printer", true, ""),
		mk(2, now, 1, "mount-chips", false, autopilot.NotAppliedRecommendOnly),
		mk(3, now, 1, "packing", false, autopilot.NotAppliedCap),
	}}
	g.sess.Source = fake
	g.observe()
	img := g.frame()
	marks := scene.Markers(g.floor, g.pilot.feed.Decisions(), now, scene.MarkerFade(100), nil)
	if len(marks) != 3 {
		t.Fatalf("%d markers, want 3", len(marks))
	}
	want := map[scene.Outcome]struct{}{}
	for _, m := range marks {
		ss := &g.sess.Snap.Stations[m.Slot]
		tip := g.ws(m.At)
		// The pointer under the pill, just above the machine's top edge.
		if got, c := pixel(img, tip.X, tip.Y-2), outcomeColour(m.Outcome); !closeTo(got, c, 4) {
			t.Errorf("marker on line %d %s (%v): %v, want %v", ss.Line+1, ss.ID, m.Outcome, got, c)
		}
		want[m.Outcome] = struct{}{}
	}
	if len(want) != 3 {
		t.Errorf("outcomes drawn %v, want applied, recommended and capped", want)
	}
	// Faded: an hour of simulated wall time later at 100x, gone.
	g.runFor(scene.MarkerFade(100) + sim.Minute)
	g.observe()
	img = g.frame()
	for _, m := range marks {
		tip := g.ws(m.At)
		if got := pixel(img, tip.X, tip.Y-2); closeTo(got, outcomeColour(m.Outcome), 4) {
			t.Errorf("marker of %v still drawn after it faded", m.Outcome)
		}
	}
	// Hiding the overlay hides the panel and the markers.
	if len(g.pilot.feed.Decisions()) != 3 {
		t.Errorf("the feed kept %d decisions", len(g.pilot.feed.Decisions()))
	}
}

func TestHoldKeyHoldsAndReleasesTheLocalPilot(t *testing.T) {
	log := zaptest.NewLogger(t)
	cfg, problems := (&pilotflags.Flags{Name: "predictive", MaxPerHour: autopilot.DefaultGuard().MaxPerHour}).Check()
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	sess, err := NewSession(configstest.Embedded(t, "phone-factory"), 1, cfg.New, log)
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGame(sess, 100, 1280, 800, log)
	if err != nil {
		t.Fatal(err)
	}
	g.runFor(sim.Hour)
	g.handle(scene.Intents{Autopilot: true})
	if !sess.Pilot.Pilot().Held() || !g.pilot.status.Held || g.toastBad {
		t.Fatalf("after A: held %v, shown %v, toast %q", sess.Pilot.Pilot().Held(), g.pilot.status.Held, g.toast)
	}
	ds := g.pilot.feed.Decisions()
	if len(ds) == 0 || ds[len(ds)-1].Action.Kind != autopilot.Hold || ds[len(ds)-1].At != sim.Hour {
		t.Errorf("the hold is not the latest decision at 1 h: %v", ds)
	}
	g.handle(scene.Intents{Autopilot: true})
	if sess.Pilot.Pilot().Held() {
		t.Error("A again did not release")
	}
	// Reset makes a new line and a new pilot, and the view forgets the old one's decisions.
	old := sess.Pilot
	g.handle(scene.Intents{Reset: true})
	if sess.Pilot == nil || sess.Pilot == old || len(g.pilot.feed.Decisions()) != 0 {
		t.Errorf("after reset: pilot %p (was %p), %d decisions kept", sess.Pilot, old, len(g.pilot.feed.Decisions()))
	}
	// Without an autopilot, A says so.
	plain := newTestGame(t, "demo-line")
	plain.handle(scene.Intents{Autopilot: true})
	if !plain.toastBad || plain.pilot.src != nil {
		t.Errorf("without an autopilot: toast %q (bad %v)", plain.toast, plain.toastBad)
	}
}
