package autopilot

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// fakeEvaluator scores each candidate by its kind of action, and records
// what it was asked.
type fakeEvaluator struct {
	gain  map[ActionKind]float64
	asked []string
	calls int
	err   error
}

func (f *fakeEvaluator) Evaluate(_ context.Context, _ *Observation, cands [][]Action, out []Outcome) ([]Outcome, error) {
	f.calls++
	f.asked = f.asked[:0]
	for _, c := range cands {
		f.asked = append(f.asked, describe(c))
		g := f.gain[c[0].Kind]
		out = append(out, Outcome{Replications: 20, P10: g - 3, P50: g, P90: g + 3})
	}
	return out, f.err
}

// behind returns the test line with a forecast made at now that falls
// short of its target, a busy crew with two machines queued, and cut
// wearing (2h left).
func behind(now sim.Time) Observation {
	obs := testLine(now)
	obs.Forecast = &ShiftForecast{At: now, End: now + 4*sim.Hour, Target: 1000, P10: 850, P50: 900, P90: 950}
	obs.Crews = []Crew{{Line: -1, Size: 1, Busy: 1, Queue: []MachineRef{{ID: "pack"}, {ID: "press"}}}}
	obs.Machines[1].State = WaitingForCrew
	obs.Machines[2].State = WaitingForCrew
	wearing(&obs.Machines[0], now, 2*sim.Hour)
	return obs
}

func newTestForecast(t *testing.T, ev Evaluator) Policy {
	t.Helper()
	p, err := New("forecast", DefaultParams(), ev)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestForecastPicksTheBest(t *testing.T) {
	ev := &fakeEvaluator{gain: map[ActionKind]float64{Dispatch: 8, SetSpeed: 5, MoveBuffer: 12, Maintain: 3}}
	pol := newTestForecast(t, ev)
	now := 3 * sim.Hour
	obs := behind(now)
	acts := decide(t, pol, &obs)
	wantAsked := "dispatch press server 1 on line 1|set_speed press to 1.1 on line 1|move_buffer press 2 unit(s) from cut on line 1|maintain cut server 1 on line 1"
	if got := strings.Join(ev.asked, "|"); got != wantAsked {
		t.Errorf("candidates\n%s\nwant\n%s", got, wantAsked)
	}
	if got := describe(acts); got != "move_buffer press 2 unit(s) from cut on line 1" {
		t.Fatalf("applied %q, want the buffer move (gain 12)", got)
	}
	a := acts[0]
	if a.FromCapacity != 48 || a.ToCapacity != 52 || a.Reason != ReasonBelowTarget {
		t.Errorf("action %+v", a)
	}
	var nums []string
	for _, n := range a.Numbers {
		nums = append(nums, n.Name)
	}
	if got := strings.Join(nums, ","); got != "forecast_p50,target,deviation,gain_p10,gain_p50,gain_p90,replications,candidates,candidate" {
		t.Errorf("numbers %s", got)
	}
	if g, _ := number(a, "gain_p50"); g != 12 {
		t.Errorf("gain_p50 %v", g)
	}
	if c, _ := number(a, "candidate"); c != 3 {
		t.Errorf("candidate %v, want 3", c)
	}

	// The same forecast is not looked at twice; a new one within the
	// cooldown is not acted on.
	obs.Now += 15 * sim.Minute
	if acts := decide(t, pol, &obs); len(acts) != 0 || ev.calls != 1 {
		t.Errorf("same forecast: %s after %d calls", describe(acts), ev.calls)
	}
	obs.Forecast.At = obs.Now
	if acts := decide(t, pol, &obs); len(acts) != 0 || ev.calls != 1 {
		t.Errorf("within the cooldown: %s after %d calls", describe(acts), ev.calls)
	}
	// After the cooldown a new forecast short of the target is acted on.
	obs.Now, obs.Forecast.At = now+sim.Hour, now+sim.Hour
	if acts := decide(t, pol, &obs); len(acts) != 1 || ev.calls != 2 {
		t.Errorf("after the cooldown: %s after %d calls", describe(acts), ev.calls)
	}
}

func TestForecastTriggers(t *testing.T) {
	ev := &fakeEvaluator{gain: map[ActionKind]float64{SetSpeed: 5}}
	now := 3 * sim.Hour

	// On target, no deviation: nothing asked.
	obs := behind(now)
	obs.Forecast.P50 = 1000
	if acts := decide(t, newTestForecast(t, ev), &obs); len(acts) != 0 || ev.calls != 0 {
		t.Errorf("on target: %s, %d evaluations", describe(acts), ev.calls)
	}
	// A deviation raised: asked, and the reason says so.
	obs.Deviations = []Deviation{{At: now - sim.Minute, ID: "press", Kind: "CycleTimeDrift", Reason: "slow"}}
	acts := decide(t, newTestForecast(t, ev), &obs)
	if len(acts) != 1 || acts[0].Kind != SetSpeed || acts[0].Reason != ReasonDeviation {
		t.Fatalf("deviation: %s", describe(acts))
	}
	if d, _ := number(acts[0], "deviation"); d != 1 {
		t.Errorf("deviation number %v", d)
	}
	// No forecast at all and no deviation: nothing.
	obs = behind(now)
	obs.Forecast = nil
	if acts := decide(t, newTestForecast(t, ev), &obs); len(acts) != 0 {
		t.Errorf("no forecast: %s", describe(acts))
	}
}

func TestForecastMinGainAndErrors(t *testing.T) {
	now := 3 * sim.Hour
	// Every candidate loses or gains too little: nothing applied.
	ev := &fakeEvaluator{gain: map[ActionKind]float64{Dispatch: -4, SetSpeed: 0.5, MoveBuffer: 0, Maintain: -1}}
	obs := behind(now)
	if acts := decide(t, newTestForecast(t, ev), &obs); len(acts) != 0 || ev.calls != 1 {
		t.Errorf("no gain of 1 or more: %s after %d calls", describe(acts), ev.calls)
	}
	// Ties go to the earlier candidate.
	ev = &fakeEvaluator{gain: map[ActionKind]float64{Dispatch: 4, SetSpeed: 4, MoveBuffer: 4, Maintain: 4}}
	obs = behind(now)
	if acts := decide(t, newTestForecast(t, ev), &obs); describe(acts) != "dispatch press server 1 on line 1" {
		t.Errorf("tie: %s", describe(acts))
	}
	// The evaluator's error is the policy's.
	boom := errors.New("fork failed")
	ev = &fakeEvaluator{err: boom}
	obs = behind(now)
	if _, err := newTestForecast(t, ev).Decide(context.Background(), &obs, nil); !errors.Is(err, boom) {
		t.Errorf("got %v, want the evaluator's error", err)
	}
	// So is a count of outcomes that does not match.
	obs = behind(now)
	short := evaluatorFunc(func(cands [][]Action, out []Outcome) []Outcome { return append(out, Outcome{P50: 9}) })
	if _, err := newTestForecast(t, short).Decide(context.Background(), &obs, nil); err == nil || !strings.Contains(err.Error(), "1 outcome(s) for 4 candidate(s)") {
		t.Errorf("got %v", err)
	}
}

type evaluatorFunc func(cands [][]Action, out []Outcome) []Outcome

func (f evaluatorFunc) Evaluate(_ context.Context, _ *Observation, cands [][]Action, out []Outcome) ([]Outcome, error) {
	return f(cands, out), nil
}
