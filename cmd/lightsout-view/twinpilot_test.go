package main

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/cmd/internal/pilotflags"
	"github.com/lightsout-sim/lightsout/cmd/internal/twinwire"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/twinmode"
	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Twin mode end to end: a real twin host flies the policy predictive on
// the line its edge nodes publish and serves /api/autopilot; the view,
// mirroring the same messages, reads the decisions from that endpoint and
// draws each where it acts, in the colour of its outcome, with the
// policy's status in its panel.
func TestTwinViewShowsTheTwinsDecisions(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a day or more of the factory through a twin")
	}
	mt := newMemTwin(t, "phone-factory", nil)
	spec := mt.line.Spec()
	pc, problems := (&pilotflags.Flags{Name: "predictive", MaxPerHour: autopilot.DefaultGuard().MaxPerHour}).Check()
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	h, err := twinwire.New(twinwire.Config{Mirror: mirror.Config{HostID: "twin-test", Group: "lightsout", Log: zaptest.NewLogger(t)},
		Model: mirror.Model{Spec: spec}, Autopilot: pc.New})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Pilot.Close)
	hd, err := h.Handler(api.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hd)
	t.Cleanup(srv.Close)

	// Both the twin host and the view's link hear every message.
	mt.also, mt.step = []*mirror.Mirror{h.Mirror}, 2*sim.Minute
	mt.birth(t)
	for mt.line.Now() < 3*sim.Day {
		mt.run(t, 10*sim.Minute)
		h.Pilot.Flush()
		if h.Pilot.Pilot().Stats().Applied > 0 {
			break
		}
	}
	if h.Pilot.Pilot().Stats().Applied == 0 {
		t.Fatal("the twin's autopilot applied nothing in 3 days of the factory")
	}

	log := zaptest.NewLogger(t)
	g, err := NewGame(NewTwinSession(mt.tl, log), 1, 1280, 800, log)
	if err != nil {
		t.Fatal(err)
	}
	poll, err := twinmode.NewAutopilotPoll(srv.URL, time.Second, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	g.sess.Source = poll
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	poll.Poll(ctx)
	g.sess.Refresh()
	g.observe()
	img := g.frame()

	want := h.Pilot.Status(0).Decisions
	got := g.pilot.feed.Decisions()
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("the view holds %d decisions, /api/autopilot lists %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Seq != want[i].Seq || got[i].Action.Target != want[i].Action.Target || got[i].Applied != want[i].Applied {
			t.Fatalf("decision %d: the view has %v, the twin %v", i, got[i], want[i])
		}
	}
	if st := g.pilot.status; st.Policy != "predictive" || st.Stats.Applied == 0 {
		t.Errorf("panel status %+v, want the twin's predictive with its decisions", st)
	}
	marks := scene.Markers(g.floor, got, g.sess.Snap.Now, scene.MarkerFade(g.pacer.Real()), nil)
	if len(marks) == 0 {
		t.Fatalf("no marker drawn for %d decisions at %v (the latest at %v)", len(got), g.sess.Snap.Now, got[len(got)-1].At)
	}
	for _, m := range marks {
		tip := g.ws(m.At)
		if c, want := pixel(img, tip.X, tip.Y-2), outcomeColour(m.Outcome); !closeTo(c, want, 4) {
			t.Errorf("marker %+v: %v under its pill, want %v", m, c, want)
		}
	}
	t.Logf("%d decisions, %d markers; the first: %v", len(got), len(marks), got[0])
}
