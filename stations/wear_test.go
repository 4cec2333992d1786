package stations_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// phaseLog records each server's phase changes, for the wear and crew
// tests; it ignores everything else.
type phaseLog struct {
	eng  *sim.Engine
	down map[string][]sim.Time // when each station's server 0 went down
	up   map[string][]sim.Time // when it next worked
	last map[string]stations.Phase
}

func (p *phaseLog) Created(stations.UnitID, *stations.Unit)                {}
func (p *phaseLog) Entered(*stations.Station, stations.UnitID)             {}
func (p *phaseLog) Taken(*stations.Station, stations.UnitID)               {}
func (p *phaseLog) Processed(*stations.Station, stations.UnitID, sim.Time) {}
func (p *phaseLog) Inspected(*stations.Station, stations.UnitID, bool)     {}
func (p *phaseLog) Departed(*stations.Station, stations.UnitID, *stations.Unit, stations.Departure) {
}
func (p *phaseLog) PhaseChanged(st *stations.Station, k int, ph stations.Phase) {
	if k != 0 {
		return
	}
	id := st.ID()
	if ph == stations.Down {
		p.down[id] = append(p.down[id], p.eng.Now())
	}
	if ph == stations.Working && p.last[id] == stations.Down {
		p.up[id] = append(p.up[id], p.eng.Now())
	}
	p.last[id] = ph
}

// upkeepLine builds independent stations, each with unlimited raw material
// and shipping its output, served by a crew of crew members (none: 0).
func upkeepLine(t *testing.T, specs []stations.Spec, crew int, travel string) (*sim.Engine, *phaseLog, []*stations.Station, *stations.Crew) {
	t.Helper()
	eng := sim.NewEngine(16)
	log := &phaseLog{eng: eng, down: map[string][]sim.Time{}, up: map[string][]sim.Time{}, last: map[string]stations.Phase{}}
	var c *stations.Crew
	if crew > 0 {
		c = stations.NewCrew(eng, crew, dist(t, travel), sim.NewStream(1, "crew"), 16)
	}
	units := &stations.Units{}
	var sts []*stations.Station
	for i := range specs {
		specs[i].Defaults()
		if err := specs[i].Validate(); err != nil {
			t.Fatal(err)
		}
		id := specs[i].ID
		st := stations.New(stations.Config{Spec: &specs[i], Index: i, Engine: eng, Units: units, Obs: log, Crew: c,
			Streams: stations.Streams{Cycle: sim.NewStream(1, id+"c"), Fail: sim.NewStream(1, id+"f"),
				Quality: sim.NewStream(1, id+"q"), Wear: sim.NewStream(1, id+"w"), Condition: sim.NewStream(1, id+"s")}})
		st.SetUnlimited()
		sts = append(sts, st)
	}
	for _, st := range sts {
		st.Start()
	}
	return eng, log, sts, c
}

// With no variability, health falls linearly with busy time; the server
// wears out after exactly Life of work and is replaced, new again.
func TestWearLinearToWearOut(t *testing.T) {
	eng, log, sts, _ := upkeepLine(t, []stations.Spec{{ID: "M", Cycle: dist(t, "1s"),
		Wear: &stations.Wear{Life: 100 * sim.Second, Replace: dist(t, "10s")}}}, 0, "")
	st := sts[0]
	eng.RunUntil(50*sim.Second + sim.Millisecond)
	if h := st.Health(0); math.Abs(h-0.5) > 1e-9 {
		t.Errorf("health after 50 s of work %v, want 0.5", h)
	}
	eng.RunUntil(105 * sim.Second)
	if got := log.down["M"]; len(got) != 1 || got[0] != 100*sim.Second {
		t.Fatalf("down at %v, want once at 100s", got)
	}
	if h := st.Health(0); h != 0 || st.Phase(0) != stations.Down {
		t.Errorf("at 105s health %v phase %v, want 0 and Down", h, st.Phase(0))
	}
	eng.RunUntil(111 * sim.Second)
	if h, s := st.Health(0), st.Stats(); h < 0.98 || s.WearOuts != 1 || s.Failures != 1 || s.Processed != 101 {
		t.Errorf("after the replacement health %v, wear-outs %d, failures %d, processed %d; want ~0.99, 1, 1, 101",
			h, s.WearOuts, s.Failures, s.Processed)
	}
}

// The time to wear out along the gamma path has the configured mean and
// coefficient of variation (statistically, over 2,000 lives).
func TestWearGammaLife(t *testing.T) {
	if testing.Short() {
		t.Skip("a long run")
	}
	const life, cv = 100.0, 0.3
	eng, log, _, _ := upkeepLine(t, []stations.Spec{{ID: "M", Cycle: dist(t, "100ms"),
		Wear: &stations.Wear{Life: sim.Seconds(life), CV: cv, Replace: dist(t, "1s")}}}, 0, "")
	eng.RunUntil(sim.Seconds(2000 * (life + 1)))
	downs, ups := log.down["M"], log.up["M"]
	var lives []float64
	prev := sim.Time(0)
	for i, d := range downs {
		lives = append(lives, (d - prev).Seconds())
		if i < len(ups) {
			prev = ups[i]
		}
	}
	n := float64(len(lives))
	var sum, sq float64
	for _, x := range lives {
		sum += x
	}
	mean := sum / n
	for _, x := range lives {
		sq += (x - mean) * (x - mean)
	}
	gotCV := math.Sqrt(sq/(n-1)) / mean
	// The first passage of a gamma process over 1 comes a little after
	// Life on average (about Life·(1 + CV²/2)); 4 standard errors either side.
	se := cv * life / math.Sqrt(n)
	if lo, hi := life-4*se, life*(1+cv*cv/2)+4*se; mean < lo || mean > hi || n < 1500 {
		t.Errorf("%v lives of mean %.2f s, want %.2f to %.2f", n, mean, lo, hi)
	}
	if gotCV < 0.25 || gotCV > 0.35 {
		t.Errorf("coefficient of variation of the life %.3f, want about %v", gotCV, cv)
	}
}

// A worn server is slower and makes more defects, as the documented
// functions of health say.
func TestWearSlowsAndSpoils(t *testing.T) {
	eng, _, sts, _ := upkeepLine(t, []stations.Spec{{ID: "M", Cycle: dist(t, "1s"), DefectRate: 0.05,
		Wear: &stations.Wear{Life: 300000 * sim.Hour, Slowdown: 1, DefectRate: 0.4, Replace: dist(t, "1s")}}}, 0, "")
	st := sts[0]
	st.SetHealth(0, 0.5)
	// Cycle 1 s x (1 + 1 x 0.5²) = 1.25 s; defects 0.05 + 0.4 x 0.25 = 0.15.
	eng.RunUntil(20000*1250*sim.Millisecond + sim.Millisecond)
	s := st.Stats()
	// (The health falls by ~2e-5 meanwhile: the cycle is 1.25 s to 1e-4.)
	if mean := s.CycleTotal.Seconds() / float64(s.Processed); s.Processed < 19990 || math.Abs(mean-1.25) > 1e-4 {
		t.Errorf("processed %d, mean cycle %v s; want 20000 at 1.25 s", s.Processed, mean)
	}
	p := float64(s.Defects) / float64(s.Processed)
	if se := math.Sqrt(0.15 * 0.85 / 20000); math.Abs(p-0.15) > 4*se {
		t.Errorf("defect share %.4f, want 0.15 ± %.4f", p, 4*se)
	}
}

// Wear raises the failure hazard: at health h a server fails at
// (1-h)²/MTBF per busy second (health held near constant here).
func TestWearHazard(t *testing.T) {
	if testing.Short() {
		t.Skip("a long run")
	}
	eng, _, sts, _ := upkeepLine(t, []stations.Spec{{ID: "M", Cycle: dist(t, "1s"),
		Wear: &stations.Wear{Life: 300000 * sim.Hour, MTBF: 100 * sim.Second, Replace: dist(t, "1ms")}}}, 0, "")
	st := sts[0]
	st.SetHealth(0, 0.5) // hazard 0.25/100 s: a failure every 400 busy seconds
	eng.RunUntil(400 * 3000 * sim.Second)
	s := st.Stats()
	busy := s.PhaseTime[stations.Working].Seconds()
	rate := float64(s.Failures) / busy * 400
	if se := 1 / math.Sqrt(float64(s.Failures)); math.Abs(rate-1) > 4*se || s.WearOuts != 0 {
		t.Errorf("%d failures in %.0f busy s: %.3f per 400 s, want 1 ± %.3f (and no wear-out, got %d)", s.Failures, busy, rate, 4*se, s.WearOuts)
	}
}

// Calendar and on-demand maintenance restore health; on demand, a working
// server stops at once and resumes its unit afterwards.
func TestMaintenanceRestoresHealth(t *testing.T) {
	eng, _, sts, _ := upkeepLine(t, []stations.Spec{{ID: "M", Cycle: dist(t, "1s"),
		Maintenance: stations.MaintenancePlan{Every: 50 * sim.Second, Duration: 5 * sim.Second},
		Wear:        &stations.Wear{Life: 100 * sim.Second, Replace: dist(t, "10s"), Maintain: dist(t, "3s"), Restore: 0.9}}}, 0, "")
	st := sts[0]
	eng.RunUntil(49*sim.Second + sim.Millisecond)
	if h := st.Health(0); math.Abs(h-0.51) > 1e-9 {
		t.Fatalf("health at 49s %v, want 0.51", h)
	}
	eng.RunUntil(56 * sim.Second)
	if h := st.Health(0); math.Abs(h-(0.9-0.01)) > 1e-9 { // restored at 55 s, one cycle since
		t.Errorf("health after the calendar window %v, want 0.89", h)
	}
	eng.RunUntil(60*sim.Second + 500*sim.Millisecond)
	if err := st.Maintain(0); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(61 * sim.Second)
	if st.Phase(0) != stations.Maintenance {
		t.Fatalf("phase after Maintain %v, want Maintenance", st.Phase(0))
	}
	if err := st.Maintain(0); err == nil || !strings.Contains(err.Error(), "already") {
		t.Errorf("maintaining twice: %v", err)
	}
	eng.RunUntil(63*sim.Second + 500*sim.Millisecond)
	if h, s := st.Health(0), st.Stats(); h != 0.9 || s.Maintenances != 2 || st.Phase(0) != stations.Working {
		t.Errorf("after the maintenance health %v, maintenances %d, phase %v; want 0.9, 2, Working", h, s.Maintenances, st.Phase(0))
	}
	// The paused unit finishes: 0.5 s done before, 0.5 s after (50 units
	// before the window at 50-55 s, 5 after it, and this one).
	eng.RunUntil(64 * sim.Second)
	if s := st.Stats(); s.Processed != 56 || s.PhaseTime[stations.Maintenance] != 8*sim.Second {
		t.Errorf("processed %d, maintenance %v; want 56 and 8s", s.Processed, s.PhaseTime[stations.Maintenance])
	}
}

// A blocked server asked for a maintenance stops as soon as it has handed
// its unit on, then resumes work.
func TestMaintainWaitsForABlockedServer(t *testing.T) {
	eng, _, sts, _ := upkeepLine(t, []stations.Spec{
		{ID: "M", Cycle: dist(t, "1s"), Wear: &stations.Wear{Life: 1000 * sim.Second, Replace: dist(t, "10s"), Maintain: dist(t, "3s")}},
		{ID: "B", Cycle: dist(t, "1s"), Buffer: 1},
	}, 0, "")
	m, b := sts[0], sts[1]
	m.SetNext(b)
	b.Hold()
	eng.RunUntil(10 * sim.Second)
	if m.Phase(0) != stations.Blocked {
		t.Fatalf("M at 10s is %v, want Blocked by the held B", m.Phase(0))
	}
	if err := m.Maintain(0); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(11 * sim.Second)
	if v, _ := m.Upkeep(0); m.Phase(0) != stations.Blocked || !v.Maintaining {
		t.Fatalf("M at 11s is %v (maintaining %v), want still Blocked with the maintenance asked", m.Phase(0), v.Maintaining)
	}
	b.Unhold()
	if m.Phase(0) != stations.Maintenance {
		t.Fatalf("M after B took its unit is %v, want Maintenance", m.Phase(0))
	}
	eng.RunUntil(14*sim.Second + sim.Millisecond)
	if v, _ := m.Upkeep(0); m.Phase(0) != stations.Working || v.Maintaining || m.Stats().Maintenances != 1 {
		t.Errorf("M at 14s is %v (maintaining %v, %d maintenances), want Working after one", m.Phase(0), v.Maintaining, m.Stats().Maintenances)
	}
}

// With a crew of one, a second failure waits for the member, who travels
// to each machine; the job queue is first in, first out unless dispatched.
func TestCrewQueueAndTravel(t *testing.T) {
	spec := func(id string) stations.Spec {
		return stations.Spec{ID: id, Cycle: dist(t, "1s"), MTBF: dist(t, "3s"), MTTR: dist(t, "20s")}
	}
	eng, log, sts, crew := upkeepLine(t, []stations.Spec{spec("A"), spec("B"), spec("C")}, 1, "10s")
	eng.RunUntil(20 * sim.Second)
	// All fail at 3 s: A first (scheduled first), then B and C wait.
	if crew.Queued() != 2 {
		t.Fatalf("%d jobs queued at 20s, want 2", crew.Queued())
	}
	if v, _ := sts[1].Upkeep(0); !v.WaitingCrew || sts[1].Phase(0) != stations.Down {
		t.Errorf("B at 20s: %+v phase %v, want waiting for the crew, Down", v, sts[1].Phase(0))
	}
	if m := crew.Member(0); !m.Busy || m.Travelling || m.Station != 0 {
		t.Errorf("member at 20s %+v, want at work on A", m)
	}
	if err := sts[2].Dispatch(0); err != nil { // C before B
		t.Fatal(err)
	}
	if err := sts[0].Dispatch(0); !errors.Is(err, stations.ErrNoJob) {
		t.Errorf("dispatching A, whose job is under way: %v", err)
	}
	eng.RunUntil(38 * sim.Second)
	if m := crew.Member(0); !m.Travelling || m.Station != 2 || m.FromStation != 0 || math.Abs(m.Progress-0.5) > 1e-9 {
		t.Errorf("member at 38s %+v, want half-way from A to C", m)
	}
	eng.RunUntil(200 * sim.Second)
	// A: down 3-33 (travel 3-13, repair 13-33); C: travel 33-43, repair
	// 43-63; B: travel 63-73, repair 73-93.
	for id, want := range map[string]sim.Time{"A": 33 * sim.Second, "C": 63 * sim.Second, "B": 93 * sim.Second} {
		if got := log.up[id]; len(got) == 0 || got[0] != want {
			t.Errorf("%s back at %v, want %v", id, got, want)
		}
	}
	s := crew.Stats()
	if s.Jobs < 3 || s.Wait < (10+40+70)*sim.Second {
		t.Errorf("crew stats %+v: want at least 3 jobs and 120 s of waiting for the first three", s)
	}
}

// The machine-repairman model: N machines failing at rate λ while working,
// c repairers, exponential repairs at rate μ and no travel. The mean number
// of failed machines waiting for a repairer and the repairers' utilisation
// match the finite-source queue's stationary distribution.
func TestCrewMachineRepairman(t *testing.T) {
	if testing.Short() {
		t.Skip("a long run")
	}
	const n, c = 6, 2
	lambda, mu := 1/3600.0, 1/1200.0 // failures every 1 h of work, 20 min repairs
	var specs []stations.Spec
	for i := range n {
		specs = append(specs, stations.Spec{ID: string(rune('A' + i)), Cycle: dist(t, "10m"), MTBF: dist(t, "exp(1h)"), MTTR: dist(t, "exp(20m)")})
	}
	eng, _, _, crew := upkeepLine(t, specs, c, "0s")
	eng.RunUntil(1000 * sim.Hour)
	crew.ResetStats()
	eng.RunUntil(61000 * sim.Hour)
	s := crew.Stats()
	window := (60000 * sim.Hour).Seconds()
	// p_k ∝ C(n,k) r^k for k <= c, and C(n,k) k!/(c! c^(k-c)) r^k above.
	r := lambda / mu
	p := make([]float64, n+1)
	var z float64
	for k := 0; k <= n; k++ {
		w := binom(n, k) * math.Pow(r, float64(k))
		if k > c {
			w *= fact(k) / (fact(c) * math.Pow(c, float64(k-c)))
		}
		p[k] = w
		z += w
	}
	var lq, busy float64
	for k := range p {
		p[k] /= z
		lq += float64(max(k-c, 0)) * p[k]
		busy += float64(min(k, c)) * p[k]
	}
	gotLq := s.Queue / window
	gotUtil := s.Busy.Seconds() / window / c
	if math.Abs(gotLq-lq) > 0.06*lq {
		t.Errorf("mean jobs waiting %.4f, theory %.4f", gotLq, lq)
	}
	if want := busy / c; math.Abs(gotUtil-want) > 0.03*want {
		t.Errorf("crew utilisation %.4f, theory %.4f", gotUtil, want)
	}
}

func binom(n, k int) float64 { return fact(n) / (fact(k) * fact(n-k)) }

func fact(n int) float64 {
	f := 1.0
	for i := 2; i <= n; i++ {
		f *= float64(i)
	}
	return f
}

// Condition readings are the documented function of health, with the
// sensor's noise; none arrive before the first period.
func TestConditionReadings(t *testing.T) {
	eng, _, sts, _ := upkeepLine(t, []stations.Spec{{ID: "M", Cycle: dist(t, "1s"),
		Wear: &stations.Wear{Life: 300000 * sim.Hour, Replace: dist(t, "1s"),
			Sensor: &stations.ConditionSensor{Kind: stations.ConditionVibration, Every: sim.Minute, New: 1, Worn: 5, Noise: 0.1}}}}, 0, "")
	st := sts[0]
	st.SetHealth(0, 0.25) // reads 1 + 4 x 0.75 = 4
	eng.RunUntil(59 * sim.Second)
	if v, _ := st.Upkeep(0); v.ReadingAt != -1 {
		t.Errorf("a reading before the first period: %+v", v)
	}
	var sum, sq float64
	const n = 2000
	for i := 1; i <= n; i++ {
		eng.RunUntil(sim.Time(i)*sim.Minute + sim.Second)
		v, _ := st.Upkeep(0)
		if v.ReadingAt != sim.Time(i)*sim.Minute {
			t.Fatalf("reading at %v taken at %v", eng.Now(), v.ReadingAt)
		}
		sum += v.Reading
		sq += v.Reading * v.Reading
	}
	mean := sum / n
	sd := math.Sqrt(sq/n - mean*mean)
	if math.Abs(mean-4) > 4*0.1/math.Sqrt(n) || math.Abs(sd-0.1) > 0.01 {
		t.Errorf("readings mean %.4f sd %.4f, want 4 and 0.1", mean, sd)
	}
}

// Every wear field is checked, with the field named.
func TestWearValidation(t *testing.T) {
	base := func() stations.Spec {
		return stations.Spec{ID: "M", Cycle: dist(t, "1s"), Wear: &stations.Wear{Life: sim.Hour, Replace: dist(t, "1m"),
			Sensor: &stations.ConditionSensor{Kind: "vibration", Every: sim.Minute, New: 1, Worn: 4}}}
	}
	for _, tc := range []struct {
		name string
		edit func(*stations.Spec)
		want string
	}{
		{"no life", func(s *stations.Spec) { s.Wear.Life = 0 }, "wear.life: missing"},
		{"cv NaN", func(s *stations.Spec) { s.Wear.CV = math.NaN() }, "wear.cv: NaN"},
		{"slowdown Inf", func(s *stations.Spec) { s.Wear.Slowdown = math.Inf(1) }, "wear.slowdown: +Inf"},
		{"defect rate above 1", func(s *stations.Spec) { s.Wear.DefectRate = 1.5 }, "wear.defect_rate: 1.5"},
		{"negative mtbf", func(s *stations.Spec) { s.Wear.MTBF = -1 }, "wear.mtbf"},
		{"no replace", func(s *stations.Spec) { s.Wear.Replace = sim.Dist{} }, "wear.replace: missing"},
		{"restore 0", func(s *stations.Spec) { s.Wear.Restore = -0.1 }, "wear.restore"},
		{"age above 1", func(s *stations.Spec) { s.Wear.Age = 2 }, "wear.age: 2"},
		{"sensor kind", func(s *stations.Spec) { s.Wear.Sensor.Kind = "smell" }, `wear.sensor.kind: "smell"`},
		{"sensor period", func(s *stations.Spec) { s.Wear.Sensor.Every = 0 }, "wear.sensor.every: missing"},
		{"sensor flat", func(s *stations.Spec) { s.Wear.Sensor.Worn = 1 }, "wear.sensor.worn: 1 is the reading when new"},
		{"sensor NaN", func(s *stations.Spec) { s.Wear.Sensor.New = math.NaN() }, "wear.sensor.new: NaN"},
		{"sensor noise", func(s *stations.Spec) { s.Wear.Sensor.Noise = -1 }, "wear.sensor.noise: -1"},
		{"too long", func(s *stations.Spec) { s.Wear.Life = sim.MaxSpan + 1 }, "wear.life: "},
		{"conveyor", func(s *stations.Spec) {
			s.Cycle = sim.Dist{}
			s.Conveyor = &stations.Conveyor{Dwell: dist(t, "1m"), Pitch: sim.Second}
		}, "wear: conveyor wear is not modelled"},
	} {
		s := base()
		tc.edit(&s)
		s.Defaults()
		err := s.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	s := base()
	s.Defaults()
	if err := s.Validate(); err != nil {
		t.Errorf("a good wear block: %v", err)
	}
}
