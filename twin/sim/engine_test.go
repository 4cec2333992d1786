package sim_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

const sec = sim.Second

// recorder is a Handler that logs every event as "time:arg", then runs the
// action registered for that argument, if any.
type recorder struct {
	log []string
	do  map[int64]func(e *sim.Engine)
}

func (r *recorder) Handle(e *sim.Engine, arg int64) {
	r.log = append(r.log, fmt.Sprintf("%v:%d", e.Now(), arg))
	if f := r.do[arg]; f != nil {
		f(e)
	}
}

// on registers what the recorder does when it receives arg.
func (r *recorder) on(arg int64, f func(e *sim.Engine)) {
	if r.do == nil {
		r.do = map[int64]func(*sim.Engine){}
	}
	r.do[arg] = f
}

func checkLog(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("log\n got: %s\nwant: %s", strings.Join(got, " "), strings.Join(want, " "))
	}
}

// runAll as the until of an ordering case means Run instead of RunUntil.
const runAll sim.Time = -1

func TestEngineOrder(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, e *sim.Engine, r *recorder)
		until sim.Time
		want  []string
		now   sim.Time // clock afterwards
	}{{
		name: "different times run in time order",
		setup: func(t *testing.T, e *sim.Engine, r *recorder) {
			e.Schedule(3*sec, r, 1)
			e.Schedule(1*sec, r, 2)
			e.Schedule(2*sec, r, 3)
			e.Schedule(2*sec+1, r, 4)
		},
		until: runAll,
		want:  []string{"1s:2", "2s:3", "2.000000001s:4", "3s:1"},
		now:   3 * sec,
	}, {
		name: "same time runs in scheduling order",
		setup: func(t *testing.T, e *sim.Engine, r *recorder) {
			for arg := int64(1); arg <= 6; arg++ {
				e.Schedule(sec, r, arg)
				if arg == 3 {
					e.Schedule(sec/2, r, 9)
				}
			}
		},
		until: runAll,
		want:  []string{"500ms:9", "1s:1", "1s:2", "1s:3", "1s:4", "1s:5", "1s:6"},
		now:   sec,
	}, {
		name: "zero delay before running runs at time zero",
		setup: func(t *testing.T, e *sim.Engine, r *recorder) {
			e.Schedule(0, r, 1)
			e.Schedule(0, r, 2)
		},
		until: runAll,
		want:  []string{"0s:1", "0s:2"},
		now:   0,
	}, {
		name: "zero delay from a handler runs after the pending same-time events",
		setup: func(t *testing.T, e *sim.Engine, r *recorder) {
			r.on(1, func(e *sim.Engine) {
				e.Schedule(0, r, 10)
				e.Schedule(0, r, 11)
			})
			r.on(10, func(e *sim.Engine) { e.Schedule(0, r, 12) })
			e.Schedule(sec, r, 1)
			e.Schedule(sec, r, 2)
			e.Schedule(sec, r, 3)
			e.Schedule(2*sec, r, 4)
		},
		until: runAll,
		want:  []string{"1s:1", "1s:2", "1s:3", "1s:10", "1s:11", "1s:12", "2s:4"},
		now:   2 * sec,
	}, {
		name: "a handler may schedule before pending events",
		setup: func(t *testing.T, e *sim.Engine, r *recorder) {
			r.on(2, func(e *sim.Engine) { e.Schedule(sec, r, 3) })
			e.Schedule(3*sec, r, 1)
			e.Schedule(sec, r, 2)
		},
		until: runAll,
		want:  []string{"1s:2", "2s:3", "3s:1"},
		now:   3 * sec,
	}, {
		name: "ScheduleAt orders with Schedule by time then sequence",
		setup: func(t *testing.T, e *sim.Engine, r *recorder) {
			r.on(3, func(e *sim.Engine) {
				e.ScheduleAt(2*sec, r, 4)
				e.ScheduleAt(e.Now(), r, 5)
			})
			e.ScheduleAt(2*sec, r, 1)
			e.Schedule(2*sec, r, 2)
			e.ScheduleAt(sec, r, 3)
		},
		until: runAll,
		want:  []string{"1s:3", "1s:5", "2s:1", "2s:2", "2s:4"},
		now:   2 * sec,
	}, {
		name: "a cancelled event never runs",
		setup: func(t *testing.T, e *sim.Engine, r *recorder) {
			id := e.Schedule(sec, r, 1)
			e.Schedule(2*sec, r, 2)
			if !e.Cancel(id) {
				t.Error("Cancel of a pending event = false, want true")
			}
		},
		until: runAll,
		want:  []string{"2s:2"},
		now:   2 * sec,
	}, {
		name: "a handler cancels later and same-time events",
		setup: func(t *testing.T, e *sim.Engine, r *recorder) {
			var later, same sim.EventID
			r.on(1, func(e *sim.Engine) {
				if !e.Cancel(later) || !e.Cancel(same) {
					t.Error("Cancel from a handler = false, want true")
				}
			})
			e.Schedule(sec, r, 1)
			same = e.Schedule(sec, r, 2)
			later = e.Schedule(2*sec, r, 3)
			e.Schedule(3*sec, r, 4)
		},
		until: runAll,
		want:  []string{"1s:1", "3s:4"},
		now:   3 * sec,
	}, {
		name: "a handler cancelling its own event gets false",
		setup: func(t *testing.T, e *sim.Engine, r *recorder) {
			var self sim.EventID
			r.on(1, func(e *sim.Engine) {
				if e.Cancel(self) {
					t.Error("Cancel of the running event = true, want false")
				}
			})
			self = e.Schedule(sec, r, 1)
		},
		until: runAll,
		want:  []string{"1s:1"},
		now:   sec,
	}, {
		name: "RunUntil runs events at exactly t, including ones scheduled at t",
		setup: func(t *testing.T, e *sim.Engine, r *recorder) {
			r.on(1, func(e *sim.Engine) { e.Schedule(0, r, 3) })
			e.Schedule(2*sec, r, 1)
			e.Schedule(2*sec+1, r, 2)
		},
		until: 2 * sec,
		want:  []string{"2s:1", "2s:3"},
		now:   2 * sec,
	}, {
		name:  "RunUntil with no events moves the clock to t",
		setup: func(t *testing.T, e *sim.Engine, r *recorder) {},
		until: 5 * sec,
		want:  nil,
		now:   5 * sec,
	}, {
		name: "RunUntil leaves later events and sets the clock to t",
		setup: func(t *testing.T, e *sim.Engine, r *recorder) {
			e.Schedule(sec, r, 1)
			e.Schedule(10*sec, r, 2)
		},
		until: 5 * sec,
		want:  []string{"1s:1"},
		now:   5 * sec,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e sim.Engine
			r := &recorder{}
			tt.setup(t, &e, r)
			if tt.until == runAll {
				e.Run()
			} else {
				e.RunUntil(tt.until)
			}
			checkLog(t, r.log, tt.want)
			if e.Now() != tt.now {
				t.Errorf("Now = %v, want %v", e.Now(), tt.now)
			}
			if got := e.Events(); got != uint64(len(tt.want)) {
				t.Errorf("Events = %d, want %d", got, len(tt.want))
			}
		})
	}
}

func TestEngineCancel(t *testing.T) {
	t.Run("pending", func(t *testing.T) {
		var e sim.Engine
		r := &recorder{}
		id := e.Schedule(sec, r, 1)
		if !id.Valid() {
			t.Error("Valid of a scheduled event = false")
		}
		if !e.Cancel(id) {
			t.Error("first Cancel = false, want true")
		}
		if e.Cancel(id) {
			t.Error("second Cancel = true, want false")
		}
		if e.Pending() != 0 || e.Peek() != sim.Forever {
			t.Errorf("after Cancel: Pending %d, Peek %v; want 0, forever", e.Pending(), e.Peek())
		}
		e.Run()
		checkLog(t, r.log, nil)
		if e.Events() != 0 {
			t.Errorf("Events = %d, want 0", e.Events())
		}
	})
	t.Run("already run", func(t *testing.T) {
		var e sim.Engine
		r := &recorder{}
		id := e.Schedule(sec, r, 1)
		e.Run()
		if e.Cancel(id) {
			t.Error("Cancel after the event ran = true, want false")
		}
		if !id.Valid() {
			t.Error("Valid after the event ran = false, want true")
		}
	})
	t.Run("zero EventID", func(t *testing.T) {
		var e sim.Engine
		r := &recorder{}
		e.Schedule(sec, r, 1)
		var zero sim.EventID
		if zero.Valid() {
			t.Error("zero EventID is Valid")
		}
		if e.Cancel(zero) {
			t.Error("Cancel(EventID{}) = true, want false")
		}
		e.Run()
		checkLog(t, r.log, []string{"1s:1"})
	})
	// The slot of a run or cancelled event is reused by the next Schedule;
	// the stale id must not reach the new event.
	for _, how := range []string{"run", "cancelled"} {
		t.Run("stale id after slot reuse ("+how+")", func(t *testing.T) {
			var e sim.Engine
			r := &recorder{}
			old := e.Schedule(sec, r, 1)
			if how == "run" {
				e.Step()
			} else {
				e.Cancel(old)
			}
			fresh := e.Schedule(sec, r, 2)
			if fresh == old {
				t.Fatalf("new EventID %v equals the stale one", fresh)
			}
			if e.Cancel(old) {
				t.Error("Cancel of the stale id = true, want false")
			}
			if e.Pending() != 1 {
				t.Fatalf("Pending = %d, want 1: the stale id cancelled the new event", e.Pending())
			}
			e.Run()
			want := []string{"1s:2"}
			if how == "run" {
				want = []string{"1s:1", "2s:2"}
			}
			checkLog(t, r.log, want)
		})
	}
	t.Run("from the middle of a large queue", func(t *testing.T) {
		var e sim.Engine
		r := &recorder{}
		var ids []sim.EventID
		for i := range 64 {
			ids = append(ids, e.Schedule(sim.Time(64-i)*sec, r, int64(64-i)))
		}
		var want []string
		for i, id := range ids { // cancel every third, in scheduling order
			if i%3 == 0 {
				if !e.Cancel(id) {
					t.Fatalf("Cancel(ids[%d]) = false", i)
				}
			}
		}
		for at := 1; at <= 64; at++ {
			if (64-at)%3 != 0 {
				want = append(want, fmt.Sprintf("%v:%d", sim.Time(at)*sec, at))
			}
		}
		if e.Pending() != len(want) {
			t.Errorf("Pending = %d, want %d", e.Pending(), len(want))
		}
		e.Run()
		checkLog(t, r.log, want)
	})
}

// RunUntil in many small steps gives the same events at the same times as
// one RunUntil to the end.
func TestEngineRunUntilInSteps(t *testing.T) {
	run := func(steps []sim.Time) ([]string, sim.Time) {
		var e sim.Engine
		rng := rand.New(rand.NewPCG(3, 4))
		r := &recorder{}
		for arg := range int64(5) {
			r.on(arg, func(e *sim.Engine) { e.Schedule(sim.Time(rng.IntN(3))*sec/4, r, arg) })
			e.Schedule(0, r, arg)
		}
		for _, at := range steps {
			e.RunUntil(at)
		}
		return r.log, e.Now()
	}
	const end = 20 * sec
	oneLog, oneNow := run([]sim.Time{end})
	var steps []sim.Time
	for at := sim.Time(0); at < end; at += 333 * sim.Millisecond {
		steps = append(steps, at, at) // a repeated time is a no-op
	}
	steps = append(steps, end)
	manyLog, manyNow := run(steps)
	if len(oneLog) < 100 {
		t.Fatalf("only %d events: the scenario is too small to compare", len(oneLog))
	}
	checkLog(t, manyLog, oneLog)
	if oneNow != end || manyNow != end {
		t.Errorf("Now = %v and %v, want %v", oneNow, manyNow, end)
	}
}

func TestEngineStop(t *testing.T) {
	var e sim.Engine
	r := &recorder{}
	r.on(2, func(e *sim.Engine) { e.Stop() })
	for arg := int64(1); arg <= 4; arg++ {
		e.Schedule(sim.Time(arg)*sec, r, arg)
	}
	e.Run()
	checkLog(t, r.log, []string{"1s:1", "2s:2"})
	if e.Pending() != 2 || e.Now() != 2*sec {
		t.Errorf("after Stop: Pending %d, Now %v; want 2, 2s", e.Pending(), e.Now())
	}
	e.Run() // a new Run starts afresh
	checkLog(t, r.log, []string{"1s:1", "2s:2", "3s:3", "4s:4"})

	// RunUntil stopped early leaves the clock at the event that stopped it.
	r.log = nil
	r.on(6, func(e *sim.Engine) { e.Stop() })
	for arg := int64(5); arg <= 7; arg++ {
		e.Schedule(sim.Time(arg-4)*sec, r, arg) // 5s, 6s, 7s
	}
	e.RunUntil(10 * sec)
	checkLog(t, r.log, []string{"5s:5", "6s:6"})
	if e.Now() != 6*sec {
		t.Errorf("Now after a stopped RunUntil = %v, want 6s", e.Now())
	}
	e.RunUntil(10 * sec)
	checkLog(t, r.log, []string{"5s:5", "6s:6", "7s:7"})
	if e.Now() != 10*sec {
		t.Errorf("Now = %v, want 10s", e.Now())
	}
}

func TestEnginePeekPendingEvents(t *testing.T) {
	var e sim.Engine
	r := &recorder{}
	if e.Peek() != sim.Forever || e.Pending() != 0 || e.Now() != 0 {
		t.Fatalf("zero Engine: Peek %v, Pending %d, Now %v", e.Peek(), e.Pending(), e.Now())
	}
	first := e.Schedule(3*sec, r, 1)
	e.Schedule(5*sec, r, 2)
	e.Schedule(4*sec, r, 3)
	check := func(peek sim.Time, pending int, events uint64) {
		t.Helper()
		if e.Peek() != peek || e.Pending() != pending || e.Events() != events {
			t.Errorf("Peek %v, Pending %d, Events %d; want %v, %d, %d",
				e.Peek(), e.Pending(), e.Events(), peek, pending, events)
		}
	}
	check(3*sec, 3, 0)
	e.Cancel(first)
	check(4*sec, 2, 0)
	if !e.Step() {
		t.Fatal("Step = false with events pending")
	}
	check(5*sec, 1, 1)
	if e.Now() != 4*sec {
		t.Errorf("Now = %v, want 4s", e.Now())
	}
	e.Step()
	check(sim.Forever, 0, 2)
	if e.Step() {
		t.Error("Step = true with nothing pending")
	}
	check(sim.Forever, 0, 2)
}

// A delay that would pass Forever is clamped to Forever, which no finite
// RunUntil reaches.
func TestEngineForever(t *testing.T) {
	var e sim.Engine
	r := &recorder{}
	r.on(1, func(e *sim.Engine) { e.Schedule(sim.Forever, r, 2) }) // now+Forever overflows
	e.Schedule(sim.Forever, r, 0)
	e.Schedule(sec, r, 1)
	e.RunUntil(sim.Forever - 1)
	checkLog(t, r.log, []string{"1s:1"})
	if e.Pending() != 2 || e.Peek() != sim.Forever {
		t.Errorf("Pending %d, Peek %v; want 2 events at forever", e.Pending(), e.Peek())
	}
}

func TestEnginePanics(t *testing.T) {
	r := &recorder{}
	tests := []struct {
		name string
		f    func(e *sim.Engine)
		want []string // substrings of the panic message
	}{
		{"negative delay", func(e *sim.Engine) { e.Schedule(-1, r, 0) }, []string{"sim:", "negative delay"}},
		{"ScheduleAt in the past", func(e *sim.Engine) { e.ScheduleAt(sec, r, 0) }, []string{"ScheduleAt(1s)", "before now (2s)"}},
		{"RunUntil backwards", func(e *sim.Engine) { e.RunUntil(sec) }, []string{"RunUntil(1s)", "before now (2s)"}},
		{"nil handler", func(e *sim.Engine) { e.Schedule(sec, nil, 0) }, []string{"nil Handler"}},
		{"nil handler at", func(e *sim.Engine) { e.ScheduleAt(3*sec, nil, 0) }, []string{"nil Handler"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e sim.Engine
			e.RunUntil(2 * sec)
			msg := func() (msg string) {
				defer func() { msg = fmt.Sprint(recover()) }()
				tt.f(&e)
				return "no panic"
			}()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("panic %q does not mention %q", msg, w)
				}
			}
			if e.Pending() != 0 || e.Now() != 2*sec {
				t.Errorf("after the panic: Pending %d, Now %v; want 0, 2s", e.Pending(), e.Now())
			}
		})
	}
}
