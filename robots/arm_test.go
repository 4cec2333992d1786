package robots_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

const (
	sec = sim.Second
	ms  = sim.Millisecond
)

// testSpec is an arm whose moves take 1.65s over 1 m and 650ms over 0.125 m.
func testSpec() *robots.Spec {
	return &robots.Spec{ID: "arm", Speed: 1, Accel: 2, Grip: 100 * ms, Release: 50 * ms}
}

func dist(t *testing.T, s string) sim.Dist {
	t.Helper()
	d, err := sim.ParseDist(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func newArm(t *testing.T, spec *robots.Spec) (*sim.Engine, *robots.Arm) {
	t.Helper()
	if err := spec.Validate(); err != nil {
		t.Fatal(err)
	}
	eng := sim.NewEngine(16)
	return eng, robots.New(spec, 0, eng, sim.NewStream(1, spec.ID))
}

// station stands for a station that asked the arm for moves: it logs each
// completion as "time name#arg", then runs its then hook.
type station struct {
	name string
	log  *[]string
	then func(e *sim.Engine, arg int64)
}

func (s *station) Handle(e *sim.Engine, arg int64) {
	*s.log = append(*s.log, fmt.Sprintf("%v %s#%d", e.Now(), s.name, arg))
	if s.then != nil {
		s.then(e, arg)
	}
}

// call adapts a function to sim.Handler, to act at a given time.
type call func()

func (f call) Handle(*sim.Engine, int64) { f() }

func at(e *sim.Engine, t sim.Time, f func()) { e.ScheduleAt(t, call(f), 0) }

func checkLog(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("log\n got: %s\nwant: %s", strings.Join(got, ", "), strings.Join(want, ", "))
	}
}

func checkPhases(t *testing.T, s robots.Stats, idle, moving, down sim.Time) {
	t.Helper()
	want := [robots.NumPhases]sim.Time{robots.Idle: idle, robots.Moving: moving, robots.Down: down}
	if s.PhaseTime != want {
		t.Errorf("phase times (idle, moving, down) %v, want %v", s.PhaseTime, want)
	}
}

// Two stations share the arm: their requests are served one at a time, in
// the order asked, each finishing a move time after the previous one.
func TestArmServesRequestsInOrder(t *testing.T) {
	eng, arm := newArm(t, testSpec())
	var log []string
	a := &station{name: "A", log: &log}
	b := &station{name: "B", log: &log}
	arm.Request(1, a, 1)
	arm.Request(0.125, b, 1)
	if arm.Phase() != robots.Moving || arm.Waiting() != 1 {
		t.Errorf("after two requests: %v with %d waiting, want Moving with 1", arm.Phase(), arm.Waiting())
	}
	at(eng, 1*sec, func() { arm.Request(1, a, 2) })     // queues behind B
	at(eng, 5*sec, func() { arm.Request(0.125, b, 2) }) // the arm is idle: starts at once
	at(eng, 5*sec, func() { arm.Request(0, a, 3) })     // grip and release only
	eng.RunUntil(10 * sec)
	checkLog(t, log, []string{
		"1.65s A#1",
		"2.3s B#1",  // 1.65 + 0.65
		"3.95s A#2", // 2.3 + 1.65
		"5.65s B#2",
		"5.8s A#3", // 5.65 + 0.15
	})
	if arm.Phase() != robots.Idle || arm.Waiting() != 0 {
		t.Errorf("at the end: %v with %d waiting, want Idle with 0", arm.Phase(), arm.Waiting())
	}
	s := arm.Stats()
	if s.Moves != 5 || s.Failures != 0 || s.Since != 0 {
		t.Errorf("moves %d, failures %d, since %v; want 5, 0, 0s", s.Moves, s.Failures, s.Since)
	}
	checkPhases(t, s, 10*sec-4750*ms, 4750*ms, 0)
	// B#1 waits 0-1.65, A#2 waits 1-2.3, A#3 waits 5-5.65.
	if want := 1.65 + 1.3 + 0.65; math.Abs(s.QueueArea-want) > 1e-9 {
		t.Errorf("queue area %v request-seconds, want %v", s.QueueArea, want)
	}
}

// A station that asks again from its completion callback queues behind the
// requests already waiting; if none wait, its move starts at once.
func TestArmRequestFromCallbackQueuesBehindWaiting(t *testing.T) {
	eng, arm := newArm(t, testSpec())
	var log []string
	a := &station{name: "A", log: &log}
	b := &station{name: "B", log: &log}
	a.then = func(e *sim.Engine, arg int64) {
		if arg != 1 {
			return
		}
		if arm.Phase() != robots.Moving || arm.Waiting() != 1 {
			t.Errorf("in the callback: %v with %d waiting, want Moving with 1", arm.Phase(), arm.Waiting())
		}
		arm.Request(1, a, 2)
		if arm.Waiting() != 2 {
			t.Errorf("after a request from the callback: %d waiting, want 2", arm.Waiting())
		}
	}
	b.then = func(e *sim.Engine, arg int64) {
		if arg >= 2 && arg < 4 { // B alone asks again: no idle gap
			arm.Request(0.125, b, arg+1)
		}
	}
	arm.Request(1, a, 1)
	arm.Request(0.125, b, 1)
	eng.Run()
	at(eng, 10*sec, func() { arm.Request(0.125, b, 2) })
	eng.Run()
	checkLog(t, log, []string{
		"1.65s A#1",
		"2.3s B#1",
		"3.95s A#2",
		"10.65s B#2",
		"11.3s B#3",
		"11.95s B#4",
	})
	checkPhases(t, arm.Stats(), 10*sec-3950*ms, 3950*ms+1950*ms, 0)
}

// Failures come after busy time; a failure interrupts the move, which
// resumes where it stopped once the arm is repaired (preempt-resume).
func TestArmFailurePreemptResume(t *testing.T) {
	spec := testSpec()
	spec.MTBF, spec.MTTR = dist(t, "const(1s)"), dist(t, "const(10s)")
	eng, arm := newArm(t, spec)
	var log []string
	a := &station{name: "A", log: &log}
	arm.Request(1, a, 1)
	arm.Request(1, a, 2)
	// A#1 fails after 1s busy, is repaired at 11s and ends 0.65s later, which
	// leaves 0.35s to the next failure. A#2 fails at 12s with 1.3s to go,
	// at 23s with 0.3s to go, and ends at 33.3s.
	for _, c := range []struct {
		at              sim.Time
		phase           robots.Phase
		moves, failures int64
	}{
		{999 * ms, robots.Moving, 0, 0},
		{1 * sec, robots.Down, 0, 1},
		{10999 * ms, robots.Down, 0, 1},
		{11 * sec, robots.Moving, 0, 1},
		{11650 * ms, robots.Moving, 1, 1},
		{11999 * ms, robots.Moving, 1, 1},
		{12 * sec, robots.Down, 1, 2},
		{22 * sec, robots.Moving, 1, 2},
		{23 * sec, robots.Down, 1, 3},
		{33 * sec, robots.Moving, 1, 3},
		{33300 * ms, robots.Idle, 2, 3},
		{40 * sec, robots.Idle, 2, 3},
	} {
		eng.RunUntil(c.at)
		s := arm.Stats()
		if arm.Phase() != c.phase || s.Moves != c.moves || s.Failures != c.failures {
			t.Errorf("at %v: %v, %d moves, %d failures; want %v, %d, %d",
				c.at, arm.Phase(), s.Moves, s.Failures, c.phase, c.moves, c.failures)
		}
	}
	checkLog(t, log, []string{"11.65s A#1", "33.3s A#2"})
	checkPhases(t, arm.Stats(), 6700*ms, 3300*ms, 30*sec)
}

// Idle time does not count towards the next failure.
func TestArmFailsOnBusyTimeOnly(t *testing.T) {
	spec := testSpec()
	spec.MTBF, spec.MTTR = dist(t, "const(1s)"), dist(t, "const(2s)")
	eng, arm := newArm(t, spec)
	var log []string
	a := &station{name: "A", log: &log}
	at(eng, 100*sec, func() { arm.Request(1, a, 1) })
	eng.RunUntil(200 * sec)
	checkLog(t, log, []string{"1m43.65s A#1"}) // fails at 101s, repaired at 103s
	s := arm.Stats()
	if s.Failures != 1 {
		t.Errorf("%d failures, want 1", s.Failures)
	}
	checkPhases(t, s, 200*sec-3650*ms, 1650*ms, 2*sec)
}

func TestArmResetStats(t *testing.T) {
	eng, arm := newArm(t, testSpec())
	var log []string
	a := &station{name: "A", log: &log}
	arm.Request(1, a, 1)
	arm.Request(0.125, a, 2)
	eng.RunUntil(1 * sec)
	arm.ResetStats()
	s := arm.Stats()
	if s.Since != sec || s.Moves != 0 || s.QueueArea != 0 {
		t.Errorf("after reset: since %v, moves %d, queue area %v; want 1s, 0, 0", s.Since, s.Moves, s.QueueArea)
	}
	checkPhases(t, s, 0, 0, 0)
	eng.RunUntil(3 * sec)
	s = arm.Stats()
	if s.Moves != 2 || s.Since != sec {
		t.Errorf("moves %d since %v, want 2 since 1s", s.Moves, s.Since)
	}
	checkPhases(t, s, 700*ms, 1300*ms, 0)  // moving 1-2.3s, idle 2.3-3s
	if math.Abs(s.QueueArea-0.65) > 1e-9 { // A#2 waits 1-1.65s since the reset
		t.Errorf("queue area %v, want 0.65", s.QueueArea)
	}
	if again := arm.Stats(); again != s {
		t.Errorf("Stats changed the statistics: %+v then %+v", s, again)
	}
}

// source asks the arm for moves at exponential intervals, sometimes several
// at once, and records every request; it is also the completion handler.
type source struct {
	arm   *robots.Arm
	rng   *rand.Rand
	gap   sim.Dist
	reqs  []req // by arg
	order []int64
	again float64 // probability of asking again from a completion
}

type req struct {
	at, done sim.Time
	distance float64
}

const tick = -1 // the source's own event

func (s *source) ask(e *sim.Engine) {
	d := s.rng.Float64() * 2
	s.reqs = append(s.reqs, req{at: e.Now(), distance: d})
	s.arm.Request(d, s, int64(len(s.reqs)-1))
}

func (s *source) Handle(e *sim.Engine, arg int64) {
	if arg == tick {
		for range 1 + s.rng.IntN(4) {
			s.ask(e)
		}
		e.Schedule(s.gap.Sample(s.rng), s, tick)
		return
	}
	s.reqs[arg].done = e.Now()
	s.order = append(s.order, arg)
	if s.rng.Float64() < s.again {
		s.ask(e)
	}
}

func newSource(t *testing.T, eng *sim.Engine, arm *robots.Arm, gap string) *source {
	s := &source{arm: arm, rng: sim.NewStream(2, "source"), gap: dist(t, gap), again: 0.3}
	eng.Schedule(0, s, tick)
	return s
}

// Without failures the arm is a FIFO single server: each move ends at
// max(asked, previous end) + move time (Lindley's recursion), and the queue
// area is the total time requests wait.
func TestArmFIFOMatchesLindley(t *testing.T) {
	spec := testSpec()
	eng, arm := newArm(t, spec)
	src := newSource(t, eng, arm, "exp(8s)")
	eng.RunUntil(2 * sim.Hour)
	src.gap = sim.ConstDist(sim.Year) // stop asking, then drain
	eng.RunUntil(eng.Now() + sim.Hour)
	if arm.Waiting() != 0 || arm.Phase() != robots.Idle {
		t.Fatalf("not drained: %v with %d waiting", arm.Phase(), arm.Waiting())
	}
	if len(src.order) < 1000 {
		t.Fatalf("only %d moves", len(src.order))
	}
	var end sim.Time
	var wait float64
	maxWaiting := 0
	for i, r := range src.reqs[:len(src.order)] {
		if src.order[i] != int64(i) {
			t.Fatalf("move %d ended as number %d: not FIFO", src.order[i], i)
		}
		start := max(r.at, end)
		end = start + spec.MoveTime(r.distance)
		if r.done != end {
			t.Fatalf("move %d asked at %v ended at %v, want %v", i, r.at, r.done, end)
		}
		wait += (start - r.at).Seconds()
		n := 0
		for _, q := range src.reqs[i+1:] {
			if q.at < start {
				n++
			}
		}
		maxWaiting = max(maxWaiting, n)
	}
	if maxWaiting < 5 {
		t.Errorf("at most %d requests waited: the queue was never long", maxWaiting)
	}
	if s := arm.Stats(); math.Abs(s.QueueArea-wait) > 1e-9*wait {
		t.Errorf("queue area %v request-seconds, want the total wait %v", s.QueueArea, wait)
	}
}

// With random failures, the phase times always add up to the time since the
// last reset, and Moves counts the completions.
func TestArmStatsAddUp(t *testing.T) {
	spec := testSpec()
	spec.MTBF, spec.MTTR = dist(t, "exp(30s)"), dist(t, "exp(5s)")
	eng, arm := newArm(t, spec)
	src := newSource(t, eng, arm, "exp(10s)")
	check := func(now sim.Time) {
		t.Helper()
		eng.RunUntil(now)
		s := arm.Stats()
		var sum sim.Time
		for _, p := range s.PhaseTime {
			sum += p
		}
		if sum != now-s.Since {
			t.Fatalf("at %v: phase times %v add up to %v, want %v", now, s.PhaseTime, sum, now-s.Since)
		}
		done := 0
		for _, r := range src.reqs {
			if r.done > s.Since {
				done++
			}
		}
		if int64(done) != s.Moves {
			t.Fatalf("at %v: %d moves, %d completions since %v", now, s.Moves, done, s.Since)
		}
	}
	const step, reset, end = 7300 * ms, 1000 * sec, 2000 * sec
	for now := sim.Time(0); now < reset; now += step {
		check(now)
	}
	eng.RunUntil(reset)
	arm.ResetStats()
	for now := reset; now < end; now += step {
		check(now)
	}
	if s := arm.Stats(); s.Since != reset || s.Failures == 0 || s.PhaseTime[robots.Down] == 0 {
		t.Errorf("since %v, %d failures, down %v: want a reset at %v and some failures after it",
			s.Since, s.Failures, s.PhaseTime[robots.Down], reset)
	}
}

func TestArmUnknownEventPanics(t *testing.T) {
	eng, arm := newArm(t, testSpec())
	defer func() {
		if msg := fmt.Sprint(recover()); !strings.Contains(msg, "unknown event 99") {
			t.Errorf("panic %q, want one about unknown event 99", msg)
		}
	}()
	arm.Handle(eng, 99)
}

func TestPhaseString(t *testing.T) {
	for p, want := range map[robots.Phase]string{robots.Idle: "Idle", robots.Moving: "Moving", robots.Down: "Down", 7: "Phase(?)"} {
		if got := p.String(); got != want {
			t.Errorf("Phase(%d).String() = %q, want %q", p, got, want)
		}
	}
}
