package scene

import (
	"math"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/cmd/internal/pilotflags"
	"github.com/lightsout-sim/lightsout/configs/configstest"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/pilot"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// decision returns a logged decision of the kind, for target on line,
// at time at, with seq.
func decision(seq uint64, at sim.Time, kind autopilot.ActionKind, line int, target string, applied bool, notApplied string) autopilot.Decision {
	return autopilot.Decision{Seq: seq, At: at, Policy: "predictive", Applied: applied, NotApplied: notApplied,
		Action: autopilot.Action{Kind: kind, Line: line, Target: target, Server: 1, Reason: "remaining useful life at most the lead time",
			Numbers: []autopilot.Number{{Name: "rul_s", Value: 4.5 * 3600}, {Name: "lead_s", Value: 6 * 3600}, {Name: "level", Value: 3.2}}}}
}

func TestDecisionOutcome(t *testing.T) {
	for _, tc := range []struct {
		d    autopilot.Decision
		want Outcome
	}{
		{decision(1, 0, autopilot.Maintain, 0, "a", true, ""), Applied},
		{decision(1, 0, autopilot.Maintain, 0, "a", false, autopilot.NotAppliedRecommendOnly), Recommended},
		{decision(1, 0, autopilot.Maintain, 0, "a", false, autopilot.NotAppliedCap), Capped},
		{decision(1, 0, autopilot.Maintain, 0, "a", false, autopilot.NotAppliedHeld), HeldBack},
		{decision(1, 0, autopilot.Maintain, 0, "a", false, autopilot.NotAppliedInvalid+": no station"), Invalid},
		{decision(1, 0, autopilot.Hold, 0, "", true, ""), OperatorAct},
	} {
		if got := DecisionOutcome(&tc.d); got != tc.want {
			t.Errorf("%v: %v, want %v", tc.d, got, tc.want)
		}
	}
}

func TestFormatDecision(t *testing.T) {
	d := decision(7, 2*sim.Day+14*sim.Hour+5*sim.Minute+30*sim.Second, autopilot.Maintain, 1, "mount-ics", false, autopilot.NotAppliedCap)
	got := FormatDecision(&d, 2)
	want := DecisionLine{Clock: "d3 14:05", Action: "maintain mount-ics s2 L2", Reason: "remaining useful life at most the lead time", Note: "capped", Outcome: Capped}
	if got != want {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if got := FormatDecision(&d, 1).Action; got != "maintain mount-ics s2" {
		t.Errorf("one copy: %q names the line", got)
	}
	for _, tc := range []struct {
		a    autopilot.Action
		want string
	}{
		{autopilot.Action{Kind: autopilot.SetSpeed, Target: "packing", Speed: 1.25}, "speed packing 1.25"},
		{autopilot.Action{Kind: autopilot.MoveBuffer, Target: "screws", From: "camera", Units: 2}, "buffer +2 screws from camera"},
		{autopilot.Action{Kind: autopilot.Dispatch, Target: "func-test", Server: 6}, "dispatch func-test s7"},
		{autopilot.Action{Kind: autopilot.Hold, Reason: "operator"}, "hold"},
	} {
		if got := DecisionAction(&autopilot.Decision{Action: tc.a}, 1); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.a, got, tc.want)
		}
	}
	if got := MarkerText(&d); got != "maintain s2 · rul 4.5h · lead 6.0h" {
		t.Errorf("marker text %q", got)
	}
	if got := Figures([]autopilot.Number{{Name: "rul_s", Value: math.Inf(1)}, {Name: "queue_position", Value: 3}, {Name: "x", Value: 1}}, 2); got != "rul inf · queue position 3" {
		t.Errorf("figures %q", got)
	}
	if got := ShortReason("idle with little remaining life while the constraint has buffer cover", 20); got != "idle with little re…" || len([]rune(got)) != 20 {
		t.Errorf("short reason %q", got)
	}
	if got := ShortReason("deviation raised: the best of the what-ifs", 60); got != "deviation raised" {
		t.Errorf("short reason %q, want the first clause", got)
	}
}

func TestMarkersPlaceAndFade(t *testing.T) {
	spec := configstest.Parse(t, wornLine+"lines: 2\n")
	f := Lay(spec, 1280, 600)
	n := len(spec.Stations)
	fade := 30 * sim.Minute
	ds := []autopilot.Decision{
		decision(1, 0, autopilot.Maintain, 0, "press", true, ""),                                             // faded out by now
		decision(2, 40*sim.Minute, autopilot.Maintain, 1, "press", false, autopilot.NotAppliedRecommendOnly), // older on the same target
		decision(3, 50*sim.Minute, autopilot.Hold, 0, "", true, ""),                                          // no place on the floor
		decision(4, 55*sim.Minute, autopilot.Maintain, 1, "press", true, ""),
		decision(5, 60*sim.Minute, autopilot.Maintain, 0, "no-such", true, ""),
	}
	now := 60 * sim.Minute
	ms := Markers(f, ds, now, fade, nil)
	if len(ms) != 1 {
		t.Fatalf("%d markers, want 1 (the newest on line 2's press): %+v", len(ms), ms)
	}
	m := ms[0]
	slot := 1*n + 0
	b := f.Stations[slot].Box
	if m.Slot != slot || m.Arm != -1 || m.At != Pt(b.X+b.W/2, b.Y) {
		t.Errorf("marker %+v, want on top of slot %d's machine %+v", m, slot, b)
	}
	if want := 1 - float64(5*sim.Minute)/float64(fade); math.Abs(m.Alpha-want) > 1e-12 || m.Outcome != Applied {
		t.Errorf("marker alpha %g outcome %v, want %g applied", m.Alpha, m.Outcome, want)
	}
	if !strings.HasPrefix(m.Text, "maintain s2 · rul") {
		t.Errorf("marker text %q", m.Text)
	}
	// Fading: younger is stronger; at the fade, gone.
	prev := 2.0
	for age := sim.Time(0); age < fade; age += fade / 10 {
		ms = Markers(f, ds[3:4], ds[3].At+age, fade, ms)
		if len(ms) != 1 || ms[0].Alpha >= prev || ms[0].Alpha <= 0 {
			t.Fatalf("age %v: %+v after alpha %g", age, ms, prev)
		}
		prev = ms[0].Alpha
	}
	if ms = Markers(f, ds[3:4], ds[3].At+fade, fade, ms); len(ms) != 0 {
		t.Errorf("at the fade: %+v", ms)
	}
	// Two targets, two markers, newest first.
	ms = Markers(f, []autopilot.Decision{decision(1, now, autopilot.Maintain, 0, "press", true, ""), decision(2, now, autopilot.Maintain, 1, "press", true, "")}, now, fade, ms)
	if len(ms) != 2 || ms[0].Slot != n || ms[1].Slot != 0 {
		t.Errorf("two targets: %+v", ms)
	}
}

func TestMarkerFade(t *testing.T) {
	if got := MarkerFade(1); got != 30*sim.Minute {
		t.Errorf("real time: %v, want 30 simulated minutes", got)
	}
	if got := MarkerFade(10000); got != 40000*sim.Second {
		t.Errorf("10,000x: %v, want 4 s of wall time", got)
	}
}

func TestFeed(t *testing.T) {
	var f Feed
	var batch []autopilot.Decision
	for k := range FeedLen + 5 {
		batch = append(batch, decision(uint64(k+1), sim.Time(k), autopilot.Maintain, 0, "a", true, ""))
	}
	f.Add(batch[:3])
	f.Add(batch[:3]) // seen again: ignored
	if len(f.Decisions()) != 3 || f.Last() != 3 {
		t.Fatalf("%d kept, last %d", len(f.Decisions()), f.Last())
	}
	f.Add(batch[3:])
	ds := f.Decisions()
	if len(ds) != FeedLen || ds[0].Seq != 6 || ds[len(ds)-1].Seq != FeedLen+5 || f.Last() != FeedLen+5 {
		t.Errorf("kept %d from %d to %d, last %d", len(ds), ds[0].Seq, ds[len(ds)-1].Seq, f.Last())
	}
	f.Reset()
	if len(f.Decisions()) != 0 || f.Last() != 0 {
		t.Error("reset kept decisions")
	}
}

func TestPilotHeadline(t *testing.T) {
	for _, tc := range []struct {
		st   PilotStatus
		want string
	}{
		{PilotStatus{}, "waiting for the autopilot"},
		{PilotStatus{Note: "the twin runs no autopilot"}, "the twin runs no autopilot"},
		{PilotStatus{Policy: "predictive", Stats: autopilot.Stats{Applied: 3}}, "predictive · applied 3"},
		{PilotStatus{Policy: "predictive", Held: true, Stats: autopilot.Stats{Applied: 3, Capped: 1, Held: 2}}, "predictive · HELD · applied 3 · capped 1 · not applied 2"},
		{PilotStatus{Policy: "forecast", RecommendOnly: true, Stats: autopilot.Stats{Recommended: 4}, Note: "twin: timeout"}, "forecast · recommend-only · applied 0 · recommended 4 · twin: timeout"},
	} {
		if got := PilotHeadline(tc.st); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.st, got, tc.want)
		}
	}
}

func TestLocalPilotDecisionsLandOnTheFloor(t *testing.T) {
	spec := configstest.Embedded(t, "phone-factory")
	l, err := twin.NewLine(spec, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := pilotflags.Flags{Name: "predictive", MaxPerHour: autopilot.DefaultGuard().MaxPerHour}
	c, problems := cfg.Check()
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	ps, err := pilot.Attach(l, c.New)
	if err != nil {
		t.Fatal(err)
	}
	src := LocalPilot{P: ps.Pilot()}
	f := Lay(spec, 1280, 574)
	var feed Feed
	var marks []Marker
	placed := 0
	for range 200 {
		l.RunFor(sim.Hour)
		feed.Add(src.Since(feed.Last(), nil))
		marks = Markers(f, feed.Decisions(), l.Now(), 2*sim.Hour, marks)
		for _, m := range marks {
			if m.Slot < 0 || f.Stations[m.Slot].ID == "" {
				t.Fatalf("marker %+v on no station", m)
			}
			placed++
		}
	}
	st := src.Status()
	if st.Policy != "predictive" || st.Stats.Applied == 0 || feed.Total == 0 || placed == 0 {
		t.Fatalf("after 200 h: status %+v, %d decisions seen, %d markers placed", st, feed.Total, placed)
	}
	ps.Pilot().Hold(l.Now(), "test")
	if !src.Status().Held {
		t.Error("hold not shown")
	}
	feed.Add(src.Since(feed.Last(), nil))
	if last := feed.Decisions()[len(feed.Decisions())-1]; DecisionOutcome(&last) != OperatorAct {
		t.Errorf("the hold is not the latest decision: %v", last)
	}
}
