package pilot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/pilot"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// factory returns the default factory, which has wear, condition sensors
// and a crew.
func factory(t testing.TB) *twin.Spec {
	t.Helper()
	spec, err := configs.Resolve("phone-factory")
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// maker returns a pilot maker for policy name with default parameters.
func maker(name string, g autopilot.Guard) func(autopilot.Evaluator) (*autopilot.Pilot, error) {
	return func(e autopilot.Evaluator) (*autopilot.Pilot, error) {
		p, err := autopilot.New(name, autopilot.DefaultParams(), e)
		if err != nil {
			return nil, err
		}
		return autopilot.NewPilot(p, g)
	}
}

func run(t testing.TB, spec *twin.Spec, policy string, days int, seed uint64) *twin.Result {
	t.Helper()
	opt := twin.Options{Duration: sim.Time(days) * sim.Day, Warmup: sim.Day, Seed: seed, SeriesBucket: -1}
	if policy != "" {
		opt.Control = pilot.Control(maker(policy, autopilot.DefaultGuard()))
	}
	r, err := twin.Run(spec, opt)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// kpis returns r's JSON without what an autopilot adds by itself (its
// epochs are events; its counts).
func kpis(t testing.TB, r *twin.Result) []byte {
	t.Helper()
	c := *r
	c.Events, c.WallSeconds, c.Autopilot = 0, 0, nil
	b, err := json.Marshal(&c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The policy none acts on nothing: flying it leaves every figure of the
// run as it is without an autopilot (the epochs draw no random number).
func TestNoneLeavesTheRunAsItIs(t *testing.T) {
	spec := factory(t)
	plain, none := run(t, spec, "", 4, 7), run(t, spec, "none", 4, 7)
	if !bytes.Equal(kpis(t, plain), kpis(t, none)) {
		t.Fatalf("none changed the run:\n%s\n%s", kpis(t, plain), kpis(t, none))
	}
	if a := none.Autopilot; a == nil || a.Policy != "none" || a.Epochs != 3*24 || a.Decisions != 0 {
		t.Fatalf("autopilot result %+v, want none with 72 epochs (hourly, after the 1-day warm-up) and no decision", a)
	}
}

// Predictive maintains the worn machines from their condition readings
// before they wear out; run to failure, the factory's machines wear out
// tens of times a month.
func TestPredictiveMaintainsBeforeWearOut(t *testing.T) {
	if testing.Short() {
		t.Skip("a long single-threaded run: not under -short (the race detector's run)")
	}
	spec := factory(t)
	none, pred := run(t, spec, "none", 15, 3), run(t, spec, "predictive", 15, 3)
	if none.Upkeep.WearOuts < 8 {
		t.Fatalf("run to failure: %d wear-outs in 14 days; the test needs a line that wears out", none.Upkeep.WearOuts)
	}
	a := pred.Autopilot
	if a == nil || a.Maintains == 0 || a.Applied != a.Maintains || a.Refused != 0 || a.Errors != 0 {
		t.Fatalf("predictive: %+v, want maintenances applied, none refused, no error", a)
	}
	if pred.Upkeep.WearOuts*4 > none.Upkeep.WearOuts {
		t.Fatalf("predictive let %d machines wear out, run to failure %d: want at most a quarter", pred.Upkeep.WearOuts, none.Upkeep.WearOuts)
	}
	if pred.Upkeep.MaintenanceActions < none.Upkeep.MaintenanceActions+a.Maintains {
		t.Fatalf("maintenance actions %d, want the calendar's %d plus the %d ordered", pred.Upkeep.MaintenanceActions,
			none.Upkeep.MaintenanceActions, a.Maintains)
	}
}

// The same config and seed give the same decisions and the same figures.
func TestFlightIsReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("a long single-threaded run: not under -short (the race detector's run)")
	}
	spec := factory(t)
	fly := func() ([]byte, []byte) {
		l, err := twin.NewLine(spec, 11, nil)
		if err != nil {
			t.Fatal(err)
		}
		s, err := pilot.Attach(l, maker("predictive", autopilot.DefaultGuard()))
		if err != nil {
			t.Fatal(err)
		}
		l.RunUntil(8 * sim.Day)
		log, err := json.Marshal(s.Pilot().Status(0))
		if err != nil {
			t.Fatal(err)
		}
		return log, kpis(t, l.Result())
	}
	log1, r1 := fly()
	log2, r2 := fly()
	if !bytes.Equal(log1, log2) || !bytes.Equal(r1, r2) {
		t.Fatal("two flights with the same seed differ")
	}
	var st autopilot.Status
	if err := json.Unmarshal(log1, &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Decisions) == 0 {
		t.Fatal("no decision in 8 days: the test shows nothing")
	}
	for _, d := range st.Decisions {
		if d.Action.Kind != autopilot.Maintain || d.Action.Reason == "" || len(d.Action.Numbers) == 0 {
			t.Fatalf("decision %+v: want a maintenance with a reason and its numbers", d)
		}
	}
}

// recorder is a policy that keeps what it was shown.
type recorder struct {
	obs      []autopilot.Observation
	readings int
	late     bool
}

func (r *recorder) Name() string    { return "recorder" }
func (r *recorder) Epoch() sim.Time { return 10 * sim.Minute }
func (r *recorder) Decide(_ context.Context, o *autopilot.Observation, dst []autopilot.Action) ([]autopilot.Action, error) {
	for _, m := range o.Machines {
		for _, s := range m.Sensors {
			for _, rd := range s.Readings {
				r.readings++
				if rd.At > o.Now {
					r.late = true
				}
			}
		}
	}
	if len(r.obs) < 3 {
		c := *o
		c.Machines = append([]autopilot.Machine(nil), o.Machines...)
		r.obs = append(r.obs, c)
	}
	return dst, nil
}

// The observation lists every machine of every copy with its published
// state and counters, the crews, and the condition readings that have
// arrived, each once; none is from the future.
func TestObservation(t *testing.T) {
	spec := factory(t)
	l, err := twin.NewLine(spec, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	_, err = pilot.Attach(l, func(autopilot.Evaluator) (*autopilot.Pilot, error) {
		return autopilot.NewPilot(rec, autopilot.DefaultGuard())
	})
	if err != nil {
		t.Fatal(err)
	}
	l.RunUntil(2 * sim.Day)
	servers, worn, sensorsPerEpoch := 0, 0, 0
	for i := range spec.Stations {
		servers += spec.Stations[i].Servers
		if w := spec.Stations[i].Wear; w != nil && w.Sensor != nil {
			worn += spec.Stations[i].Servers
			sensorsPerEpoch += spec.Stations[i].Servers * int(rec.Epoch()/w.Sensor.Every)
		}
	}
	o := rec.obs[1]
	if want := spec.Lines * (servers + len(spec.Arms)); len(o.Machines) != want {
		t.Fatalf("%d machines observed, want %d", len(o.Machines), want)
	}
	withSensor := 0
	for _, m := range o.Machines {
		if len(m.Sensors) > 0 {
			withSensor++
			if m.Sensors[0].Limit == 0 {
				t.Fatalf("%s: sensor without its trip level", m.ID)
			}
		}
	}
	if withSensor != spec.Lines*worn || worn == 0 {
		t.Fatalf("%d machines with a condition sensor, want %d", withSensor, spec.Lines*worn)
	}
	if len(o.Crews) == 0 || o.Crews[0].Size == 0 {
		t.Fatalf("crews %+v: the factory has a crew", o.Crews)
	}
	if rec.late {
		t.Fatal("a reading taken after the observation's time")
	}
	// Every reading arrives once: about the sampling rate times the epochs,
	// less the dropout.
	epochs := int(2 * sim.Day / rec.Epoch())
	if want := epochs * spec.Lines * sensorsPerEpoch; rec.readings > want || rec.readings < want*8/10 {
		t.Fatalf("%d readings in %d epochs, want at most %d and not much fewer", rec.readings, epochs, want)
	}
}

// What-ifs share their random numbers with the baseline: a candidate that
// does nothing differs from it by exactly nothing in every replication.
func TestEvaluatorPairs(t *testing.T) {
	spec := factory(t)
	l, err := twin.NewLine(spec, 9, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.RunUntil(3 * sim.Hour)
	ev := pilot.NewEvaluator(func() (twin.State, *twin.Spec, error) { return l.State(), spec, nil },
		pilot.EvalOptions{Replications: 4, Seed: 1, Horizon: func(now sim.Time) sim.Time { return now + 2*sim.Hour }})
	slow := []autopilot.Action{{Kind: autopilot.SetSpeed, Line: 0, Target: spec.Stations[spec.Constraint()].ID, Speed: 0.5}}
	out, err := ev.Evaluate(context.Background(), nil, [][]autopilot.Action{nil, slow}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if o := out[0]; o.Replications != 4 || o.P10 != 0 || o.P50 != 0 || o.P90 != 0 {
		t.Fatalf("doing nothing vs the baseline: %+v, want exactly 0", o)
	}
	if o := out[1]; o.P90 >= 0 {
		t.Fatalf("the constraint at half speed: %+v, want a loss in every replication", o)
	}
}

// The policy forecast flies in the simulator: the Sim forecasts the shift
// and the policy forks what-ifs when it falls behind.
func TestForecastFlies(t *testing.T) {
	if testing.Short() {
		t.Skip("a long single-threaded run: not under -short (the race detector's run)")
	}
	spec := factory(t)
	spec.TargetPerHour = 5 * spec.IdealPerHour() // always behind: it asks what-ifs
	l, err := twin.NewLine(spec, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := pilot.Attach(l, maker("forecast", autopilot.DefaultGuard()))
	if err != nil {
		t.Fatal(err)
	}
	l.RunUntil(3 * sim.Hour)
	o := s.Observation()
	if o.Forecast == nil || o.Forecast.P50 <= 0 || o.Forecast.Target <= o.Forecast.P50 {
		t.Fatalf("forecast %+v, want one below its target", o.Forecast)
	}
	st := s.Pilot().Stats()
	if st.Errors != 0 {
		t.Fatalf("%d epochs failed", st.Errors)
	}
}
