package sim_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// refQueue is the obviously correct event queue the engine is compared with:
// a list kept sorted by (time, scheduling order).
type refQueue struct {
	now    sim.Time
	seq    int64
	list   []refEvent
	events uint64
}

type refEvent struct {
	at  sim.Time
	seq int64
	arg int64
}

func (q *refQueue) schedule(at sim.Time, arg int64) {
	q.seq++
	ev := refEvent{at: at, seq: q.seq, arg: arg}
	i, _ := slices.BinarySearchFunc(q.list, ev, func(a, b refEvent) int {
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.seq, b.seq))
	})
	q.list = slices.Insert(q.list, i, ev)
}

// cancel removes the event with arg and reports whether it was pending.
func (q *refQueue) cancel(arg int64) bool {
	i := slices.IndexFunc(q.list, func(ev refEvent) bool { return ev.arg == arg })
	if i < 0 {
		return false
	}
	q.list = slices.Delete(q.list, i, i+1)
	return true
}

func (q *refQueue) peek() sim.Time {
	if len(q.list) == 0 {
		return sim.Forever
	}
	return q.list[0].at
}

// differ drives an Engine and a refQueue with the same random operations,
// many of them made from inside handlers, and fails at the first difference
// in what runs, when, or in what Cancel, Pending, Peek, Now and Events say.
type differ struct {
	t      *testing.T
	rng    *rand.Rand
	e      *sim.Engine
	ref    refQueue
	ids    []sim.EventID // by arg
	stopAt int64         // arg of the event whose handler calls Stop, or -1
	// The mix of the run, drawn per seed.
	maxDelay  int     // most delays are drawn from [0, maxDelay): small gives many ties
	farFrac   float64 // fraction of events scheduled far ahead, like timeouts
	reentrant int     // a handler schedules again with probability 1/reentrant
	cancelP   int     // a handler cancels with probability 1/cancelP
}

func (d *differ) fatalf(format string, args ...any) {
	d.t.Helper()
	d.t.Fatalf("at %v after %d events: %s", d.e.Now(), d.e.Events(), fmt.Sprintf(format, args...))
}

func (d *differ) delay() sim.Time {
	r := d.rng.Float64()
	switch {
	case r < d.farFrac/16:
		return sim.Forever // clamped to Forever
	case r < d.farFrac:
		return sim.Time(1_000_000 + d.rng.IntN(1_000_000))
	}
	return sim.Time(d.rng.IntN(d.maxDelay))
}

func (d *differ) schedule() {
	delay := d.delay()
	arg := int64(len(d.ids))
	at := d.e.Now() + delay
	if at < d.e.Now() {
		at = sim.Forever
	}
	var id sim.EventID
	if d.rng.IntN(3) == 0 {
		id = d.e.ScheduleAt(at, d, arg)
	} else {
		id = d.e.Schedule(delay, d, arg)
	}
	d.ids = append(d.ids, id)
	d.ref.schedule(at, arg)
}

func (d *differ) cancel() {
	var arg int64
	switch r := d.rng.IntN(8); {
	case r == 0 || len(d.ids) == 0:
		if d.e.Cancel(sim.EventID{}) {
			d.fatalf("Cancel(EventID{}) = true")
		}
		return
	case r < 5 && len(d.ref.list) > 0: // a pending event
		arg = d.ref.list[d.rng.IntN(len(d.ref.list))].arg
	default: // any event: often one that ran or was cancelled
		arg = int64(d.rng.IntN(len(d.ids)))
	}
	want := d.ref.cancel(arg)
	if got := d.e.Cancel(d.ids[arg]); got != want {
		d.fatalf("Cancel(event %d) = %v, want %v", arg, got, want)
	}
}

// Handle checks that the engine runs the event the reference runs next, then
// acts like a model entity: it may schedule, cancel, and stop the run.
func (d *differ) Handle(e *sim.Engine, arg int64) {
	if len(d.ref.list) == 0 {
		d.fatalf("ran event %d with none pending in the reference", arg)
	}
	want := d.ref.list[0]
	d.ref.list = d.ref.list[1:]
	if arg != want.arg || e.Now() != want.at {
		d.fatalf("ran event %d at %v, want event %d at %v", arg, e.Now(), want.arg, want.at)
	}
	d.ref.now = want.at
	d.ref.events++
	d.check()
	if e.Cancel(d.ids[arg]) {
		d.fatalf("Cancel of the running event %d = true", arg)
	}
	for d.rng.IntN(d.reentrant) == 0 {
		d.schedule()
	}
	for d.rng.IntN(d.cancelP) == 0 {
		d.cancel()
	}
	d.check()
	if arg == d.stopAt {
		e.Stop()
	}
}

func (d *differ) check() {
	d.t.Helper()
	if d.e.Pending() != len(d.ref.list) || d.e.Peek() != d.ref.peek() ||
		d.e.Now() != d.ref.now || d.e.Events() != d.ref.events {
		d.fatalf("engine Pending %d, Peek %v, Now %v, Events %d; reference %d, %v, %v, %d",
			d.e.Pending(), d.e.Peek(), d.e.Now(), d.e.Events(),
			len(d.ref.list), d.ref.peek(), d.ref.now, d.ref.events)
	}
}

func (d *differ) step() {
	had := len(d.ref.list) > 0
	if got := d.e.Step(); got != had {
		d.fatalf("Step = %v with %d events pending in the reference", got, len(d.ref.list))
	}
}

// runUntil runs both up to a time a little ahead, sometimes stopped early
// by an event's handler.
func (d *differ) runUntil() {
	t := d.e.Now() + sim.Time(d.rng.IntN(3*d.maxDelay))
	d.stopAt = -1
	if d.rng.IntN(3) == 0 && len(d.ref.list) > 0 {
		d.stopAt = d.ref.list[d.rng.IntN(len(d.ref.list))].arg
	}
	before := d.ref.events
	d.e.RunUntil(t)
	stopped := false
	if d.stopAt >= 0 {
		// Stop was called if the stopping event ran during this call.
		stopped = !slices.ContainsFunc(d.ref.list, func(ev refEvent) bool { return ev.arg == d.stopAt }) &&
			d.ref.events > before && d.lastRanWas(d.stopAt)
	}
	d.stopAt = -1
	if !stopped {
		if d.ref.peek() <= t {
			d.fatalf("RunUntil(%v) returned with an event pending at %v", t, d.ref.peek())
		}
		d.ref.now = t
	}
}

// lastRanWas reports whether the last event run had arg; the engine's clock
// and the reference's agree on it, so it is enough to compare with the id.
func (d *differ) lastRanWas(arg int64) bool {
	return d.e.Cancel(d.ids[arg]) == false && d.ref.now == d.e.Now() && d.lastArg == arg
}
