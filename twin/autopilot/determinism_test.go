package autopilot

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// wearLine is a small stand-in for the simulator: the three stations of
// testLine wear along synthetic paths, fail when worn out, and start a
// fresh path when maintained or repaired. It feeds a pilot the readings
// that arrived each epoch and applies its maintenances.
type wearLine struct {
	obs    Observation
	paths  [3]*wearPath
	start  [3]sim.Time
	drawn  uint64
	prev   sim.Time
	failed int
}

func newWearLine() *wearLine {
	w := &wearLine{obs: testLine(0), prev: -1}
	w.obs.Crews = []Crew{{Line: -1, Size: 1}}
	for i := range w.paths {
		w.renew(i, 0)
	}
	return w
}

func (w *wearLine) renew(i int, now sim.Time) {
	w.drawn++
	w.paths[i], w.start[i] = newWearPath(w.drawn, 0.05, 0.2, 10*sim.Minute), now
	w.obs.Machines[i].Sensors[0].Limit = w.paths[i].limit()
}

// advance moves to now: machines worn out fail (and are renewed at once),
// and each sensor gets the readings that arrived since the last epoch.
func (w *wearLine) advance(now sim.Time) {
	w.obs.Now = now
	for i := range w.paths {
		m := &w.obs.Machines[i]
		if now-w.start[i] >= w.paths[i].fail {
			m.Failures++
			w.failed++
			w.renew(i, now)
		}
		s := &m.Sensors[0]
		s.Readings = w.paths[i].arrived(w.prev-w.start[i], now-w.start[i], s.Readings[:0])
		for k := range s.Readings {
			s.Readings[k].At += w.start[i]
		}
		m.State = Working
		if i > 0 && now%(7*sim.Hour) < sim.Hour {
			m.State = Starved // some idle spells, for opportunities
		}
	}
	w.prev = now
}

func (w *wearLine) apply(acts []Action) {
	for _, a := range acts {
		if a.Kind == Maintain {
			for i := range w.obs.Machines {
				if w.obs.Machines[i].ID == a.Target {
					w.obs.Machines[i].Maintained++
					w.renew(i, w.obs.Now)
				}
			}
		}
	}
}

// runLine runs policy name on a wear line for span and returns the
// pilot's log as JSON, and the line.
func runLine(t *testing.T, name string, span sim.Time) ([]byte, *wearLine) {
	t.Helper()
	ev := &fakeEvaluator{gain: map[ActionKind]float64{SetSpeed: 2, Maintain: 4}}
	pol, err := New(name, DefaultParams(), ev)
	if err != nil {
		t.Fatal(err)
	}
	p := newTestPilot(t, pol, Guard{MaxPerHour: 3, LogSize: 10_000})
	w := newWearLine()
	for now := sim.Time(0); now < span; now += 5 * sim.Minute {
		w.advance(now)
		if name == "forecast" && now%sim.Hour == 0 {
			w.obs.Forecast = &ShiftForecast{At: now, Target: 100, P50: float64(90 + now/sim.Hour%20)}
		}
		if p.Due(now) {
			w.apply(step(t, p, &w.obs))
		}
	}
	b, err := json.Marshal(p.Status(0))
	if err != nil {
		t.Fatal(err)
	}
	return b, w
}

// TestDeterminism: the same observations give the same decisions, byte
// for byte, for every policy.
func TestDeterminism(t *testing.T) {
	for _, name := range Names() {
		a, _ := runLine(t, name, 600*sim.Hour)
		b, _ := runLine(t, name, 600*sim.Hour)
		if string(a) != string(b) {
			t.Errorf("%s: two runs differ:\n%s\n%s", name, a, b)
		}
		var st Status
		if err := json.Unmarshal(a, &st); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d decisions, %+v", name, st.DecisionsTotal, st.Stats)
		if name != "none" && st.Stats.Applied == 0 {
			t.Errorf("%s decided nothing: the test shows nothing", name)
		}
	}
}

// TestPredictiveBeatsNoneOnTheWearLine: on the stand-in line, predictive
// leaves fewer failures than doing nothing.
func TestPredictiveBeatsNoneOnTheWearLine(t *testing.T) {
	_, none := runLine(t, "none", 2000*sim.Hour)
	_, pred := runLine(t, "predictive", 2000*sim.Hour)
	t.Logf("failures in 2000h: none %d, predictive %d", none.failed, pred.failed)
	if none.failed < 10 || pred.failed*5 > none.failed {
		t.Errorf("failures: none %d, predictive %d; want predictive at most a fifth", none.failed, pred.failed)
	}
}

// TestSteadyStepAllocatesNothing: an epoch with readings but no decision
// allocates nothing once the policy has seen the line.
func TestSteadyStepAllocatesNothing(t *testing.T) {
	for _, name := range []string{"predictive", "forecast"} {
		pol, err := New(name, DefaultParams(), &fakeEvaluator{})
		if err != nil {
			t.Fatal(err)
		}
		p := newTestPilot(t, pol, DefaultGuard())
		obs := testLine(0)
		for i := range obs.Machines {
			obs.Machines[i].Sensors[0].Readings = make([]Reading, 1)
		}
		now := sim.Time(0)
		stepAt := func() {
			now += pol.Epoch()
			obs.Now = now
			for i := range obs.Machines {
				obs.Machines[i].Sensors[0].Readings[0] = Reading{At: now - sim.Minute, Value: 1 + float64(now/sim.Minute%7)*0.01}
			}
			if acts, err := p.Step(context.Background(), &obs); err != nil || len(acts) != 0 {
				t.Fatalf("%s: %v %v", name, acts, err)
			}
		}
		for range 200 {
			stepAt()
		}
		if n := testing.AllocsPerRun(100, stepAt); n != 0 {
			t.Errorf("%s: %v allocations per steady epoch", name, n)
		}
	}
}
