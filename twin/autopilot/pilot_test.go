package autopilot

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// scripted is a policy that takes the same actions at every epoch and
// counts its calls; during, if set, runs inside Decide.
type scripted struct {
	acts   []Action
	calls  int
	err    error
	during func()
}

func (s *scripted) Name() string    { return "scripted" }
func (s *scripted) Epoch() sim.Time { return 10 * sim.Minute }
func (s *scripted) Decide(_ context.Context, _ *Observation, dst []Action) ([]Action, error) {
	s.calls++
	if s.during != nil {
		s.during()
	}
	return append(dst, s.acts...), s.err
}

func newTestPilot(t *testing.T, pol Policy, g Guard) *Pilot {
	t.Helper()
	p, err := NewPilot(pol, g)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func step(t *testing.T, p *Pilot, obs *Observation) []Action {
	t.Helper()
	acts, err := p.Step(context.Background(), obs)
	if err != nil {
		t.Fatal(err)
	}
	return acts
}

var maintainCut = Action{Kind: Maintain, Target: "cut", Reason: "test", Numbers: []Number{{"x", 1}}}

func TestPilotCap(t *testing.T) {
	pol := &scripted{acts: []Action{maintainCut}}
	p := newTestPilot(t, pol, Guard{MaxPerHour: 2, LogSize: 100})
	obs := testLine(0)
	var applied []sim.Time
	for now := sim.Time(0); now <= 2*sim.Hour; now += 10 * sim.Minute {
		obs.Now = now
		if !p.Due(now) {
			t.Fatalf("not due at %v (next %v)", now, p.Next())
		}
		if acts := step(t, p, &obs); len(acts) == 1 {
			applied = append(applied, now)
		}
		if p.Due(now + 5*sim.Minute) {
			t.Fatalf("due again within the epoch after %v", now)
		}
	}
	// Two in any hour: at 0 and 10m, then 1h and 1h10m, then 2h.
	want := []sim.Time{0, 10 * sim.Minute, sim.Hour, 70 * sim.Minute, 2 * sim.Hour}
	if len(applied) != len(want) {
		t.Fatalf("applied at %v, want %v", applied, want)
	}
	for i := range want {
		if applied[i] != want[i] {
			t.Fatalf("applied at %v, want %v", applied, want)
		}
	}
	st := p.Stats()
	if st.Epochs != 13 || st.Actions != 13 || st.Applied != 5 || st.Capped != 8 {
		t.Errorf("stats %+v", st)
	}
	ds := p.Log().Since(0, nil)
	if len(ds) != 13 || ds[2].Applied || ds[2].NotApplied != NotAppliedCap || !ds[6].Applied {
		t.Errorf("log: %v", ds)
	}
}

func TestPilotRecommendOnly(t *testing.T) {
	pol := &scripted{acts: []Action{maintainCut}}
	p := newTestPilot(t, pol, Guard{RecommendOnly: true, MaxPerHour: 10, LogSize: 10})
	obs := testLine(0)
	if acts := step(t, p, &obs); len(acts) != 0 {
		t.Errorf("recommend-only applied %v", acts)
	}
	ds := p.Log().Since(0, nil)
	if len(ds) != 1 || ds[0].Applied || ds[0].NotApplied != NotAppliedRecommendOnly || ds[0].Action.Reason != "test" {
		t.Errorf("log %v", ds)
	}
	p.SetRecommendOnly(false)
	obs.Now = p.Next()
	if acts := step(t, p, &obs); len(acts) != 1 {
		t.Errorf("applying again: %v", acts)
	}
	if st := p.Stats(); st.Recommended != 1 || st.Applied != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestPilotHold(t *testing.T) {
	pol := &scripted{acts: []Action{maintainCut}}
	p := newTestPilot(t, pol, DefaultGuard())
	obs := testLine(0)
	if !p.Hold(0, "line trial") || p.Hold(0, "again") {
		t.Fatal("Hold should report a change once")
	}
	for range 3 {
		if acts := step(t, p, &obs); len(acts) != 0 {
			t.Errorf("held pilot applied %v", acts)
		}
		obs.Now = p.Next()
	}
	if pol.calls != 0 {
		t.Errorf("held pilot asked its policy %d times", pol.calls)
	}
	st := p.Status(0)
	if !st.Held || st.HoldReason != "line trial" || st.HeldSince == nil || *st.HeldSince != 0 {
		t.Errorf("status %+v", st)
	}
	if !p.Release(obs.Now, "trial over") || p.Release(obs.Now, "again") {
		t.Fatal("Release should report a change once")
	}
	if acts := step(t, p, &obs); len(acts) != 1 || pol.calls != 1 {
		t.Errorf("released: applied %v after %d calls", acts, pol.calls)
	}
	// A hold that comes while the policy decides stops its actions.
	pol.during = func() { p.Hold(obs.Now, "stop") }
	obs.Now = p.Next()
	if acts := step(t, p, &obs); len(acts) != 0 {
		t.Errorf("hold during the decision: applied %v", acts)
	}
	var got []string
	for _, d := range p.Log().Since(0, nil) {
		s := d.Action.Kind.String()
		if !d.Applied {
			s += "(" + d.NotApplied + ")"
		}
		got = append(got, s)
	}
	if want := "hold,release,maintain,hold,maintain(held)"; strings.Join(got, ",") != want {
		t.Errorf("log %s, want %s", strings.Join(got, ","), want)
	}
	if st := p.Stats(); st.HeldEpochs != 3 || st.Held != 1 || st.Applied != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestPilotRefusesInvalidActions(t *testing.T) {
	cases := []struct {
		a    Action
		want string
	}{
		{Action{Kind: Maintain, Target: "nope"}, "no machine nope server 1 on line 1"},
		{Action{Kind: Dispatch, Target: "cut", Server: 1}, "no machine cut server 2 on line 1"},
		{Action{Kind: SetSpeed, Target: "cut", Speed: 0}, "speed 0"},
		{Action{Kind: SetSpeed, Target: "cut", Line: 1, Speed: 1}, "no station cut on line 2"},
		{Action{Kind: MoveBuffer, Target: "press", From: "press", Units: 1, FromCapacity: 49, ToCapacity: 51}, "to itself"},
		{Action{Kind: MoveBuffer, Target: "press", From: "cut", Units: 5, FromCapacity: 45, ToCapacity: 56}, "do not keep the total"},
		{Action{Kind: MoveBuffer, Target: "press", From: "cut", Units: 60, FromCapacity: -10, ToCapacity: 110}, "would have capacity -10"},
		{Action{Kind: Hold}, "hold is not a policy's action"},
		{Action{}, "none is not a policy's action"},
	}
	for _, c := range cases {
		p := newTestPilot(t, &scripted{acts: []Action{c.a}}, DefaultGuard())
		obs := testLine(0)
		if acts := step(t, p, &obs); len(acts) != 0 {
			t.Errorf("%v: applied", c.a)
		}
		ds := p.Log().Since(0, nil)
		if len(ds) != 1 || !strings.HasPrefix(ds[0].NotApplied, NotAppliedInvalid+": ") || !strings.Contains(ds[0].NotApplied, c.want) {
			t.Errorf("%v: logged %v, want invalid: …%s…", c.a, ds, c.want)
		}
	}
	// A valid move applies.
	ok := Action{Kind: MoveBuffer, Target: "press", From: "cut", Units: 5, FromCapacity: 45, ToCapacity: 55}
	p := newTestPilot(t, &scripted{acts: []Action{ok}}, DefaultGuard())
	obs := testLine(0)
	if acts := step(t, p, &obs); len(acts) != 1 {
		t.Errorf("valid move not applied: %v", p.Log().Since(0, nil))
	}
}

func TestPilotPolicyError(t *testing.T) {
	boom := errors.New("boom")
	p := newTestPilot(t, &scripted{acts: []Action{maintainCut}, err: boom}, DefaultGuard())
	obs := testLine(0)
	acts, err := p.Step(context.Background(), &obs)
	if !errors.Is(err, boom) || len(acts) != 0 || p.Stats().Errors != 1 || p.Log().Total() != 0 {
		t.Errorf("got %v, %v, stats %+v", acts, err, p.Stats())
	}
}

func TestGuardValidate(t *testing.T) {
	err := Guard{MaxPerHour: 0, LogSize: 0}.Validate()
	if err == nil || !strings.Contains(err.Error(), "max_per_hour 0") || !strings.Contains(err.Error(), "log_size 0") {
		t.Errorf("got %v, want both fields named", err)
	}
	if _, err := NewPilot(&scripted{}, Guard{MaxPerHour: 1}); err == nil {
		t.Error("a log of size 0 was accepted")
	}
	if err := DefaultGuard().Validate(); err != nil {
		t.Error(err)
	}
}

func TestLogRing(t *testing.T) {
	l := NewLog(3)
	for i := range 5 {
		l.add(Decision{At: sim.Time(i) * sim.Minute, Policy: "p", Action: Action{Kind: Maintain, Target: "cut",
			Numbers: []Number{{"i", float64(i)}}}, Applied: true})
	}
	ds := l.Since(0, nil)
	if len(ds) != 3 || ds[0].Seq != 3 || ds[2].Seq != 5 || ds[0].Action.Numbers[0].Value != 2 || l.Total() != 5 {
		t.Fatalf("kept %v", ds)
	}
	if ds := l.Since(4, nil); len(ds) != 1 || ds[0].Seq != 5 {
		t.Errorf("since 4: %v", ds)
	}
	if ds := l.Since(9, nil); len(ds) != 0 {
		t.Errorf("since 9: %v", ds)
	}
	// Copies are the caller's: the log overwriting its slot changes nothing.
	ds[0].Action.Numbers[0].Value = 99
	l.add(Decision{Action: Action{Kind: Maintain, Numbers: []Number{{"i", 5}}}})
	if got := l.Since(0, nil); got[0].Action.Numbers[0].Value != 3 {
		t.Errorf("a copy shares the log's numbers: %v", got)
	}
}

func TestDecisionJSON(t *testing.T) {
	ds := []Decision{
		{Seq: 7, At: 90 * sim.Minute, Policy: "predictive", Action: Action{Kind: Maintain, Line: 0, Target: "press", Server: 1,
			Reason: ReasonDue, Numbers: []Number{{"rul_s", 3600}, {"lead_s", 14400}}}, Applied: true},
		{Seq: 8, At: 2 * sim.Hour, Policy: "forecast", Action: Action{Kind: MoveBuffer, Line: 1, Target: "press", From: "cut",
			Units: 2, FromCapacity: 48, ToCapacity: 52, Reason: "r", Numbers: []Number{{"gain_p50", 12.5}}}, NotApplied: NotAppliedCap},
		{Seq: 9, At: 3 * sim.Hour, Policy: "forecast", Action: Action{Kind: SetSpeed, Target: "press", Speed: 1.1,
			Numbers: []Number{{"rul_s", sim.Forever.Seconds() * 0}, {"inf", lifeSeconds(sim.Forever)}}}, NotApplied: NotAppliedRecommendOnly},
		{Seq: 10, At: 4 * sim.Hour, Policy: "forecast", Action: Action{Kind: Hold, Reason: "night shift"}, Applied: true},
	}
	got, err := json.Marshal(ds)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"seq":7,"time_s":5400,"policy":"predictive","action":"maintain","line":1,"target":"press","server":2,"reason":"` + ReasonDue + `","numbers":[{"name":"rul_s","value":3600},{"name":"lead_s","value":14400}],"applied":true},` +
		`{"seq":8,"time_s":7200,"policy":"forecast","action":"move_buffer","line":2,"target":"press","from":"cut","units":2,"from_capacity":48,"to_capacity":52,"reason":"r","numbers":[{"name":"gain_p50","value":12.5}],"applied":false,"not_applied":"cap"},` +
		`{"seq":9,"time_s":10800,"policy":"forecast","action":"set_speed","line":1,"target":"press","speed":1.1,"reason":"","numbers":[{"name":"rul_s","value":0},{"name":"inf","value":null}],"applied":false,"not_applied":"recommend_only"},` +
		`{"seq":10,"time_s":14400,"policy":"forecast","action":"hold","reason":"night shift","numbers":[],"applied":true}]`
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// A client reads them back.
	var back []Decision
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	again, err := json.Marshal(back)
	if err != nil || string(again) != want {
		t.Errorf("round trip: %s, %v", again, err)
	}
	if !math.IsInf(back[2].Action.Numbers[1].Value, 1) || back[1].Action.Line != 1 || back[0].Action.Server != 1 {
		t.Errorf("read back %+v", back)
	}
}

// TestPilotConcurrentReaders: an operator (or an HTTP handler) may hold,
// release and read the pilot while its owner steps it (run with -race).
func TestPilotConcurrentReaders(t *testing.T) {
	p := newTestPilot(t, &scripted{acts: []Action{maintainCut}}, Guard{MaxPerHour: 100, LogSize: 16})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 200 {
			if i%2 == 0 {
				p.Hold(sim.Time(i), "op")
			} else {
				p.Release(sim.Time(i), "op")
			}
			if _, err := json.Marshal(p.Status(0)); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	obs := testLine(0)
	for i := range 200 {
		obs.Now = sim.Time(i) * 10 * sim.Minute
		step(t, p, &obs)
	}
	<-done
	st := p.Stats()
	if st.Epochs != 200 || st.Actions != st.Applied+st.Held+st.Capped || st.Epochs != st.HeldEpochs+st.Actions {
		t.Errorf("stats do not add up: %+v", st)
	}
}
