package stations_test

import (
	"math"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// A break stops a working server at once; the repair resumes the same unit.
func TestBreakAndRepairResumeTheUnit(t *testing.T) {
	eng, rec, sts := build(t, []stations.Spec{{ID: "M", Cycle: dist(t, "2s")}}, true)
	eng.RunUntil(sim.Second)
	if err := sts[0].Break(0); err != nil {
		t.Fatal(err)
	}
	if err := sts[0].Break(0); err == nil {
		t.Error("breaking a broken server: no error")
	}
	eng.RunUntil(5 * sim.Second)
	if err := sts[0].Repair(0); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(6 * sim.Second)
	checkLog(t, rec.log, []string{
		"0s new u1",
		"0s M[0] Working",
		"1s M[0] Down",
		"5s M[0] Working",
		"6s M done", // 1 s of work left after the repair
		"6s u1 shipped",
		"6s new u2",
	})
	if err := sts[0].Repair(0); err == nil {
		t.Error("repairing a working server: no error")
	}
}

// A break while the server is blocked takes effect once its unit has left;
// a random failure does not end a break.
func TestBreakWhileBlockedAndDuringFailure(t *testing.T) {
	eng, _, sts := build(t, []stations.Spec{
		{ID: "A", Cycle: dist(t, "1s"), MTBF: dist(t, "const(1500ms)"), MTTR: dist(t, "const(1s)")},
		{ID: "B", Cycle: dist(t, "10s")},
	}, false)
	eng.RunUntil(2200 * sim.Millisecond) // A failed at 1.5 s, repair due at 2.5 s
	a := sts[0]
	if a.Phase(0) != stations.Down {
		t.Fatalf("A is %v at 2.2s, want Down (random failure)", a.Phase(0))
	}
	if err := a.Break(0); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(20 * sim.Second)
	if a.Phase(0) != stations.Down || !a.Broken(0) {
		t.Fatalf("A is %v (broken %v) at 20s, want still Down: the random repair must not end a break", a.Phase(0), a.Broken(0))
	}
	if err := a.Repair(0); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(20500 * sim.Millisecond)
	if a.Phase(0) != stations.Working {
		t.Fatalf("A is %v after the repair, want Working", a.Phase(0))
	}

	// Now let A block behind B, break it, and watch the break wait for the hand-over.
	eng.RunUntil(22 * sim.Second)
	if a.Phase(0) != stations.Blocked {
		t.Fatalf("A is %v at 22s, want Blocked behind B", a.Phase(0))
	}
	if err := a.Break(0); err != nil {
		t.Fatal(err)
	}
	if a.Phase(0) != stations.Blocked {
		t.Errorf("A is %v right after the break, want still Blocked", a.Phase(0))
	}
	eng.RunUntil(40 * sim.Second)
	if a.Phase(0) != stations.Down {
		t.Errorf("A is %v once its unit left, want Down", a.Phase(0))
	}
}

// Growing a full buffer lets the blocked machine upstream move on at once.
func TestSetBufferWakesBlockedFeeder(t *testing.T) {
	eng, _, sts := build(t, []stations.Spec{
		{ID: "A", Cycle: dist(t, "1s")},
		{ID: "B", Cycle: dist(t, "100s"), Buffer: 2},
	}, false)
	eng.RunUntil(10 * sim.Second)
	if sts[0].Phase(0) != stations.Blocked || sts[1].BufferLen() != 2 {
		t.Fatalf("A %v, B buffer %d at 10s: want Blocked and 2", sts[0].Phase(0), sts[1].BufferLen())
	}
	if err := sts[1].SetBuffer(5); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(20 * sim.Second)
	if got := sts[1].BufferLen(); got != 5 {
		t.Errorf("B buffer %d after growing to 5, want 5", got)
	}
	if err := sts[1].SetBuffer(1); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(150 * sim.Second) // B takes one unit at 100 s
	if got := sts[1].BufferLen(); got != 4 {
		t.Errorf("B buffer %d after shrinking to 1 and one unit taken, want 4 (no new entries)", got)
	}
	if err := sts[1].SetBuffer(-5); err == nil {
		t.Error("negative capacity accepted")
	}
}

// A held station finishes the unit it holds, then starts nothing new until
// unheld.
func TestHoldFinishesTheUnitThenStops(t *testing.T) {
	eng, rec, sts := build(t, []stations.Spec{{ID: "M", Cycle: dist(t, "2s")}}, true)
	eng.RunUntil(sim.Second)
	sts[0].Hold()
	if !sts[0].Held() || !sts[0].Server(0).Held {
		t.Fatal("Held() or the server view does not say held")
	}
	eng.RunUntil(10 * sim.Second)
	if got := sts[0].Stats().Processed; got != 1 {
		t.Errorf("processed %d by 10s while held from 1s, want 1 (the unit under way)", got)
	}
	sts[0].Unhold()
	sts[0].Unhold() // unholding twice does nothing more
	eng.RunUntil(12 * sim.Second)
	checkLog(t, rec.log, []string{
		"0s new u1",
		"0s M[0] Working",
		"2s M done",
		"2s u1 shipped",
		"2s M[0] Held", // held: no new unit from the raw material
		"10s new u2",
		"10s M[0] Working",
		"12s M done",
		"12s u2 shipped",
		"12s new u3",
	})
}

// A held station's buffer fills to its capacity and then blocks the
// station upstream; unholding takes the units in turn.
func TestHoldFillsBufferAndBlocksUpstream(t *testing.T) {
	eng, _, sts := build(t, []stations.Spec{
		{ID: "A", Cycle: dist(t, "1s")},
		{ID: "B", Cycle: dist(t, "3s"), Buffer: 2},
	}, false)
	a, b := sts[0], sts[1]
	b.Hold()
	b.Hold() // holding twice is holding
	eng.RunUntil(10 * sim.Second)
	if b.BufferLen() != 2 || b.Stats().Processed != 0 || a.Phase(0) != stations.Blocked {
		t.Fatalf("B buffer %d, processed %d, A %v at 10s: want 2, 0, Blocked", b.BufferLen(), b.Stats().Processed, a.Phase(0))
	}
	if b.Phase(0) != stations.Held {
		t.Errorf("held idle B with a full buffer is %v, want Held", b.Phase(0))
	}
	if x := b.Stats(); x.PhaseTime[stations.Held] != 10*sim.Second || x.PhaseTime[stations.Starved] != 0 {
		t.Errorf("B's held / starved time by 10s: %v / %v, want 10s / 0s", x.PhaseTime[stations.Held], x.PhaseTime[stations.Starved])
	}
	b.Unhold()
	if b.Phase(0) != stations.Working || a.Phase(0) == stations.Blocked {
		t.Errorf("after unhold B is %v and A %v: want Working and not Blocked", b.Phase(0), a.Phase(0))
	}
	eng.RunUntil(19 * sim.Second)
	if got := b.Stats().Processed; got != 3 {
		t.Errorf("B processed %d in the 9s after unhold, want 3", got)
	}
}

// A held conveyor lets no unit on; those riding leave as usual.
func TestHoldConveyor(t *testing.T) {
	eng, _, sts := build(t, []stations.Spec{
		{ID: "feed", Cycle: dist(t, "500ms")},
		{ID: "oven", Buffer: 3, Conveyor: &stations.Conveyor{Dwell: dist(t, "10s"), Pitch: 2 * sim.Second}},
	}, false)
	oven := sts[1]
	eng.RunUntil(5 * sim.Second) // in at 0.5, 2.5, 4.5
	oven.Hold()
	eng.RunUntil(30 * sim.Second)
	if got := oven.Stats().Processed; got != 3 || oven.Inside() != 0 || oven.BufferLen() != 3 {
		t.Errorf("held oven: processed %d, inside %d, buffer %d; want 3, 0, 3", got, oven.Inside(), oven.BufferLen())
	}
	oven.Unhold()
	if oven.Inside() != 1 {
		t.Errorf("%d units on the oven right after unhold, want 1", oven.Inside())
	}
}

// Speed 0.5 doubles the cycles started after the call; the one under way
// keeps its time. CycleTotal adds the cycles actually taken.
func TestSetSpeedScalesNewCycles(t *testing.T) {
	eng, rec, sts := build(t, []stations.Spec{{ID: "M", Cycle: dist(t, "2s")}}, false)
	m := sts[0]
	eng.RunUntil(sim.Second)
	if err := m.SetSpeed(0.5); err != nil {
		t.Fatal(err)
	}
	if m.Speed() != 0.5 {
		t.Errorf("Speed() = %v, want 0.5", m.Speed())
	}
	eng.RunUntil(6 * sim.Second)
	checkLog(t, rec.log, []string{
		"0s new u1",
		"2s M done", // started at nominal speed
		"2s u1 shipped",
		"2s new u2",
		"6s M done", // 2 s / 0.5
		"6s u2 shipped",
		"6s new u3",
	})
	if got := m.Stats().CycleTotal; got != 6*sim.Second {
		t.Errorf("CycleTotal %v, want 6s (2s + 4s)", got)
	}
	if err := m.SetSpeed(4); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(10 * sim.Second) // u3 started at 6 s at speed 0.5: done at 10 s
	if got := m.Stats().Processed; got != 3 {
		t.Errorf("processed %d by 10s, want 3 (u3 keeps its 4s)", got)
	}
	eng.RunUntil(10500 * sim.Millisecond)
	if got := m.Stats().Processed; got != 4 {
		t.Errorf("processed %d by 10.5s, want 4 (u4 takes 0.5s at speed 4)", got)
	}
	m.ResetStats()
	if got := m.Stats().CycleTotal; got != 0 {
		t.Errorf("CycleTotal %v after ResetStats, want 0", got)
	}
}

// cycles records the cycle times a station reports.
type cycles struct {
	nopObs
	got []sim.Time
}

func (c *cycles) Processed(_ *stations.Station, _ stations.UnitID, cycle sim.Time) {
	c.got = append(c.got, cycle)
}

// The speed scales the drawn cycle times without drawing differently: at
// speed 2 a station sees the same draws as at speed 1, halved.
func TestSetSpeedKeepsTheDraws(t *testing.T) {
	run := func(speed float64) []sim.Time {
		eng := sim.NewEngine(16)
		spec := stations.Spec{ID: "M", Cycle: dist(t, "exp(1s)")}
		spec.Defaults()
		obs := &cycles{}
		st := stations.New(stations.Config{Spec: &spec, Engine: eng, Units: &stations.Units{}, Obs: obs,
			Streams: stations.Streams{Cycle: sim.NewStream(3, "c"), Fail: sim.NewStream(3, "f"), Quality: sim.NewStream(3, "q")}})
		st.SetUnlimited()
		if err := st.SetSpeed(speed); err != nil {
			t.Fatal(err)
		}
		st.Start()
		for len(obs.got) < 20 {
			eng.Step()
		}
		if sum := st.Stats().CycleTotal; sum != sumOf(obs.got) {
			t.Errorf("speed %v: CycleTotal %v, the reported cycles add to %v", speed, sum, sumOf(obs.got))
		}
		return obs.got[:20]
	}
	nominal, fast := run(1), run(2)
	for i := range nominal {
		if d := nominal[i] - 2*fast[i]; d < -1 || d > 1 {
			t.Fatalf("cycle %d: %v at speed 1, %v at speed 2: not half", i, nominal[i], fast[i])
		}
	}
}

func sumOf(ts []sim.Time) sim.Time {
	var s sim.Time
	for _, t := range ts {
		s += t
	}
	return s
}

// SetSpeed refuses speeds outside (0, MaxSpeed] and keeps the old one.
func TestSetSpeedRejectsBadSpeeds(t *testing.T) {
	_, _, sts := build(t, []stations.Spec{{ID: "M", Cycle: dist(t, "2s")}}, false)
	for _, f := range []float64{0, -1, 10.01, math.NaN(), math.Inf(1)} {
		if err := sts[0].SetSpeed(f); err == nil || !strings.Contains(err.Error(), "M: speed") {
			t.Errorf("SetSpeed(%v): error %v, want one naming the station and the speed", f, err)
		}
	}
	if sts[0].Speed() != 1 {
		t.Errorf("speed %v after refused changes, want 1", sts[0].Speed())
	}
	if err := sts[0].SetSpeed(stations.MaxSpeed); err != nil {
		t.Errorf("SetSpeed(MaxSpeed): %v", err)
	}
}

// A conveyor at speed 2 rides and spaces units in half the time.
func TestSetSpeedConveyor(t *testing.T) {
	eng, _, sts := build(t, []stations.Spec{
		{ID: "feed", Cycle: dist(t, "500ms")},
		{ID: "oven", Buffer: 10, Conveyor: &stations.Conveyor{Dwell: dist(t, "10s"), Pitch: 2 * sim.Second}},
	}, false)
	if err := sts[1].SetSpeed(2); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(5600 * sim.Millisecond) // in at 0.5, 1.5, ... 5.5; first out at 5.5
	if got, in := sts[1].Stats().Processed, sts[1].Inside(); got != 1 || in != 5 {
		t.Errorf("oven at speed 2: processed %d, inside %d by 5.6s; want 1 and 5", got, in)
	}
	if got := sts[1].Stats().CycleTotal; got != 5*sim.Second {
		t.Errorf("CycleTotal %v, want the 5s ride", got)
	}
}

// Reset repairs broken servers and random failures alike, and unholds.
func TestResetRepairsAndUnholds(t *testing.T) {
	eng, _, sts := build(t, []stations.Spec{
		{ID: "M", Servers: 2, Cycle: dist(t, "4s"), MTBF: dist(t, "const(1s)"), MTTR: dist(t, "const(1h)")},
	}, false)
	m := sts[0]
	eng.RunUntil(1500 * sim.Millisecond) // both servers failed at 1 s, repairs due in an hour
	if err := m.Break(0); err != nil {
		t.Fatal(err)
	}
	m.Hold()
	if m.Phase(0) != stations.Down || m.Phase(1) != stations.Down {
		t.Fatalf("servers %v %v at 1.5s, want both Down", m.Phase(0), m.Phase(1))
	}
	if err := m.Reset(); err != nil {
		t.Fatal(err)
	}
	if m.Held() || m.Broken(0) {
		t.Errorf("after reset: held %v, broken %v; want neither", m.Held(), m.Broken(0))
	}
	for k := range 2 {
		if m.Phase(k) != stations.Working {
			t.Errorf("server %d is %v after reset, want Working on its paused unit", k+1, m.Phase(k))
		}
	}
	if err := m.Reset(); err != nil { // nothing to do: no error
		t.Errorf("reset of a running station: %v", err)
	}
}

// The server view says when the phase began and how much processing was
// done on the unit by then, even after the statistics were reset.
func TestServerViewDoneAndSince(t *testing.T) {
	eng, _, sts := build(t, []stations.Spec{
		{ID: "M", Cycle: dist(t, "4s"), MTBF: dist(t, "const(1s)"), MTTR: dist(t, "const(1s)")},
	}, false)
	m := sts[0]
	eng.RunUntil(1500 * sim.Millisecond)
	if v := m.Server(0); v.Phase != stations.Down || v.Since != sim.Second || v.Done != sim.Second {
		t.Errorf("at 1.5s: %v since %v done %v, want Down since 1s done 1s", v.Phase, v.Since, v.Done)
	}
	eng.RunUntil(2500 * sim.Millisecond)
	m.ResetStats()
	v := m.Server(0)
	if v.Phase != stations.Working || v.Since != 2*sim.Second || v.Done != sim.Second {
		t.Errorf("at 2.5s: %v since %v done %v, want Working since 2s done 1s", v.Phase, v.Since, v.Done)
	}
	if got, want := v.Done+eng.Now()-v.Since, m.Elapsed(0); got != want {
		t.Errorf("Done + (now - Since) = %v, Elapsed = %v", got, want)
	}
}

// A server that goes straight from one unit to the next stays Working, but
// Since moves to the new unit's start, so Done + (now - Since) is always
// the processing done on the unit in hand.
func TestServerViewSinceOnNextUnit(t *testing.T) {
	eng, _, sts := build(t, []stations.Spec{{ID: "M", Cycle: dist(t, "3s")}}, false)
	m := sts[0]
	for _, at := range []sim.Time{1 * sim.Second, 4 * sim.Second, 7500 * sim.Millisecond, 10 * sim.Second} {
		eng.RunUntil(at)
		v := m.Server(0)
		if v.Phase != stations.Working {
			t.Fatalf("at %v: %v, want Working (an unstarved first station)", at, v.Phase)
		}
		if got, want := v.Done+eng.Now()-v.Since, m.Elapsed(0); got != want || want >= 3*sim.Second {
			t.Errorf("at %v: Done + (now - Since) = %v, Elapsed = %v (since %v)", at, got, want, v.Since)
		}
	}
}

// An idle station turns Held the moment it is held, and Starved again when
// it is unheld with nothing to do; a break or a reset in between keeps the
// phases right.
func TestHoldIdleStationIsHeldThenStarved(t *testing.T) {
	eng, _, sts := build(t, []stations.Spec{
		{ID: "A", Cycle: dist(t, "1s")},
		{ID: "B", Cycle: dist(t, "1s")},
	}, false)
	a, b := sts[0], sts[1]
	a.Hold()
	eng.RunUntil(5 * sim.Second) // A's unit under way at 0s is done by 1s
	if a.Phase(0) != stations.Held || b.Phase(0) != stations.Starved {
		t.Fatalf("held A %v, B starved of it %v: want Held, Starved", a.Phase(0), b.Phase(0))
	}
	b.Hold()
	if b.Phase(0) != stations.Held {
		t.Errorf("idle B just held is %v, want Held", b.Phase(0))
	}
	if err := b.Break(0); err != nil {
		t.Fatal(err)
	}
	if b.Phase(0) != stations.Down {
		t.Errorf("held B broken is %v, want Down", b.Phase(0))
	}
	if err := b.Reset(); err != nil { // repairs and unholds; nothing to do
		t.Fatal(err)
	}
	if b.Phase(0) != stations.Starved || b.Held() {
		t.Errorf("B after reset is %v (held %v), want Starved and not held", b.Phase(0), b.Held())
	}
	a.Unhold()
	if a.Phase(0) != stations.Working {
		t.Errorf("A unheld with raw material is %v, want Working", a.Phase(0))
	}
}
