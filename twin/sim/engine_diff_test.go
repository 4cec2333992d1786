package sim_test

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Events scheduled in bulk and partly cancelled run in order of
// (time, scheduling order).
func TestEngineRunsSortedByTimeThenSequence(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	var e sim.Engine
	r := &argLog{}
	type ev struct {
		at        sim.Time
		arg       int64
		id        sim.EventID
		cancelled bool
	}
	evs := make([]ev, 10000)
	for i := range evs {
		at := sim.Time(rng.IntN(1000)) // about ten events per instant
		var id sim.EventID
		if i%2 == 0 {
			id = e.Schedule(at, r, int64(i))
		} else {
			id = e.ScheduleAt(at, r, int64(i))
		}
		evs[i] = ev{at: at, arg: int64(i), id: id}
	}
	for range 4000 {
		i := rng.IntN(len(evs))
		if got := e.Cancel(evs[i].id); got == evs[i].cancelled {
			t.Fatalf("Cancel of event %d = %v, already cancelled %v", i, got, evs[i].cancelled)
		}
		evs[i].cancelled = true
	}
	var want []int64
	live := slices.DeleteFunc(slices.Clone(evs), func(v ev) bool { return v.cancelled })
	slices.SortStableFunc(live, func(a, b ev) int { return int(a.at - b.at) }) // ties keep scheduling order
	for _, v := range live {
		want = append(want, v.arg)
	}
	if e.Pending() != len(want) {
		t.Errorf("Pending = %d, want %d", e.Pending(), len(want))
	}
	e.Run()
	if !slices.Equal(r.args, want) {
		i := 0
		for i < min(len(r.args), len(want)) && r.args[i] == want[i] {
			i++
		}
		t.Fatalf("run order differs from (time, seq) order at position %d of %d/%d", i, len(r.args), len(want))
	}
}

// argLog is a Handler that records the arguments it receives.
type argLog struct{ args []int64 }

func (r *argLog) Handle(e *sim.Engine, arg int64) { r.args = append(r.args, arg) }

// refQueue is the obviously correct event queue the engine is compared with:
// a list kept sorted by (time, scheduling order).
type refQueue struct {
	now    sim.Time
	seq    int64
	list   []refEvent
	byArg  []refEvent // every event scheduled, by arg
	events uint64
}

type refEvent struct {
	at  sim.Time
	seq int64
	arg int64
}

// schedule adds an event; args must be 0, 1, 2, ...
func (q *refQueue) schedule(at sim.Time, arg int64) {
	q.seq++
	ev := refEvent{at: at, seq: q.seq, arg: arg}
	i, _ := slices.BinarySearchFunc(q.list, ev, compareRef)
	q.list = slices.Insert(q.list, i, ev)
	q.byArg = append(q.byArg, ev)
}

func compareRef(a, b refEvent) int {
	return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.seq, b.seq))
}

// cancel removes the event with arg and reports whether it was pending.
func (q *refQueue) cancel(arg int64) bool {
	i, found := slices.BinarySearchFunc(q.list, q.byArg[arg], compareRef)
	if !found {
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
	t       *testing.T
	rng     *rand.Rand
	e       *sim.Engine
	ref     refQueue
	ids     []sim.EventID // by arg
	stopAt  int64         // arg of the event whose handler calls Stop, or -1
	stopped bool          // whether it did
	// whether the engine is running one of d's events
	inHandler bool
	// The mix of the run, drawn per seed.
	maxDelay  int     // most delays are drawn from [0, maxDelay): small gives many ties
	farFrac   float64 // fraction of events scheduled far ahead, like timeouts
	reentrant int     // a handler schedules while a 1-in-reentrant draw comes up
	cancelP   int     // a handler cancels while a 1-in-cancelP draw comes up
	renumber  bool    // whether sequence numbers run out from time to time
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
	case r < 4 && len(d.ref.list) > 0: // a pending event
		arg = d.ref.list[d.rng.IntN(len(d.ref.list))].arg
	case r < 6: // one of the last scheduled, like a timeout cancelled soon
		arg = max(0, int64(len(d.ids)-1-d.rng.IntN(3)))
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
	d.inHandler = true
	defer func() { d.inHandler = false }()
	want := d.ref.list[0]
	d.ref.list = d.ref.list[1:]
	if arg != want.arg || e.Now() != want.at {
		d.fatalf("ran event %d at %v, want event %d at %v", arg, e.Now(), want.arg, want.at)
	}
	d.ref.now = want.at
	d.ref.events++
	if e.Pending() != len(d.ref.list) || e.Now() != d.ref.now || e.Events() != d.ref.events {
		d.fatalf("in a handler: engine Pending %d, Now %v, Events %d; reference %d, %v, %d",
			e.Pending(), e.Now(), e.Events(), len(d.ref.list), d.ref.now, d.ref.events)
	}
	// Peek and Cancel before scheduling only sometimes: the engine lets the
	// first event a handler schedules take the running event's place in the
	// queue, and a Peek or Cancel first takes another path.
	switch d.rng.IntN(4) {
	case 0:
		d.check()
	case 1:
		if e.Cancel(d.ids[arg]) {
			d.fatalf("Cancel of the running event %d = true", arg)
		}
	}
	if d.renumber && d.rng.IntN(200) == 0 {
		sim.NearSeqLimit(e, uint64(d.rng.IntN(2))) // renumber while running an event
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
		d.stopped = true
	}
}

func (d *differ) check() {
	if d.e.Pending() != len(d.ref.list) || d.e.Peek() != d.ref.peek() ||
		d.e.Now() != d.ref.now || d.e.Events() != d.ref.events {
		d.fatalf("engine Pending %d, Peek %v, Now %v, Events %d; reference %d, %v, %v, %d",
			d.e.Pending(), d.e.Peek(), d.e.Now(), d.e.Events(),
			len(d.ref.list), d.ref.peek(), d.ref.now, d.ref.events)
	}
	// Cancelled events may stay queued, but never more of them than
	// pending ones, beyond a few. In a handler, the event being run may
	// still be queued, and it was pending when the engine last checked.
	slack := 0
	if d.inHandler {
		slack = 2
	}
	if n, p := sim.QueueLen(d.e), d.e.Pending(); n > max(2*p, p+sim.CompactMin-1)+slack {
		d.fatalf("%d entries queued for %d pending events", n, p)
	}
}

func (d *differ) step() {
	if d.ref.peek() == sim.Forever && len(d.ref.list) > 0 {
		return // the clock would reach Forever; leave that to the final Run
	}
	had := len(d.ref.list) > 0
	if got := d.e.Step(); got != had {
		d.fatalf("Step = %v with %d events pending in the reference", got, len(d.ref.list))
	}
}

// runUntil runs both up to a time a little ahead, sometimes stopped early
// by an event's handler.
func (d *differ) runUntil() {
	t := d.e.Now() + sim.Time(d.rng.IntN(3*d.maxDelay))
	d.pickStop()
	d.e.RunUntil(t)
	if !d.stopped {
		if d.ref.peek() <= t {
			d.fatalf("RunUntil(%v) returned with an event pending at %v", t, d.ref.peek())
		}
		d.ref.now = t
	}
	d.stopAt = -1
}

// run runs both until nothing is pending, or a handler stops the run.
func (d *differ) run() {
	d.pickStop()
	d.e.Run()
	if !d.stopped && len(d.ref.list) > 0 {
		d.fatalf("Run returned with %d events pending", len(d.ref.list))
	}
	d.stopAt = -1
}

// pickStop sometimes chooses a pending event whose handler will call Stop.
func (d *differ) pickStop() {
	d.stopAt, d.stopped = -1, false
	if d.rng.IntN(3) == 0 && len(d.ref.list) > 0 {
		d.stopAt = d.ref.list[d.rng.IntN(len(d.ref.list))].arg
	}
}

// TestEngineMatchesSortedList compares the engine with refQueue over random
// mixes of Schedule, ScheduleAt, Cancel (of pending, run, cancelled, stale
// and zero ids), Step, RunUntil, Stop and Run, from outside and from inside
// handlers: some mixes are mostly ties, some mostly timeouts that are
// cancelled before they fall due, some bulk schedules that are mostly
// cancelled; in some, sequence numbers run out again and again. Half start
// from the zero Engine, half from NewEngine. The seed chooses the mix.
func TestEngineMatchesSortedList(t *testing.T) {
	seeds, ops := 40, 4000
	if testing.Short() {
		seeds, ops = 10, 2000
	}
	for seed := range uint64(seeds) {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			if ran := runDiffer(t, seed, nil, ops); ran < uint64(ops/16) {
				t.Errorf("only %d events ran in %d operations: the mix checks too little", ran, ops)
			}
		})
	}
}

// FuzzEngineMatchesSortedList is TestEngineMatchesSortedList for the
// fuzzer, which varies the seed and a tape of bytes that makes the run's
// first random choices (see tapeSource). Without -fuzz it runs one seed with
// a short tape.
func FuzzEngineMatchesSortedList(f *testing.F) {
	f.Add(uint64(3), []byte("\x00\x00\x00\x00\x00\x00\x00\x00\xff\x80\x40\x20 a tape of choices"))
	f.Fuzz(func(t *testing.T, seed uint64, tape []byte) {
		runDiffer(t, seed, tape, 2000)
	})
}

// runDiffer drives an Engine and a refQueue through ops random operations,
// then runs both to the end, and returns the number of events run.
func runDiffer(t *testing.T, seed uint64, tape []byte, ops int) uint64 {
	rng := rand.New(&tapeSource{tape: tape, rest: rand.NewPCG(seed, 0xd1ff)})
	d := &differ{
		t:         t,
		rng:       rng,
		e:         new(sim.Engine),
		stopAt:    -1,
		maxDelay:  []int{1, 3, 20, 1000}[rng.IntN(4)],
		farFrac:   []float64{0, 0.1, 0.6}[rng.IntN(3)],
		reentrant: 3 + rng.IntN(4), // fewer than one new event per event: Run ends
		cancelP:   2 + rng.IntN(5),
		renumber:  seed%3 == 0,
	}
	if seed%2 == 1 {
		d.e = sim.NewEngine(rng.IntN(100))
	}
	wSchedule, wCancel, wBulk := 1+rng.IntN(8), rng.IntN(8), rng.IntN(2)
	for range ops {
		if d.renumber && rng.IntN(100) == 0 {
			// Sequence numbers run out soon: the engine renumbers its
			// pending events, which must not change their order.
			sim.NearSeqLimit(d.e, uint64(rng.IntN(50)))
		}
		switch k := rng.IntN(wSchedule + wCancel + wBulk + 6); {
		case k < wSchedule:
			d.schedule()
		case k < wSchedule+wCancel:
			d.cancel()
		case k < wSchedule+wCancel+wBulk:
			for range rng.IntN(500) {
				d.schedule()
			}
			for range rng.IntN(600) {
				d.cancel()
			}
		case k < wSchedule+wCancel+wBulk+4:
			d.step()
		default:
			d.runUntil()
		}
		d.check()
	}
	d.run()
	d.check()
	d.run() // after a stop, the rest
	d.check()
	if len(d.ref.list) != 0 && !d.stopped {
		t.Fatalf("%d events left after Run", len(d.ref.list))
	}
	return d.ref.events
}

// tapeSource is a rand.Source that returns the tape's bytes, eight at a time
// and most significant first, then the numbers of rest. Most draws use the
// high bits of a number, so a fuzzer that changes one byte of the tape
// changes one choice of the run, and a run with no tape is the seed's.
type tapeSource struct {
	tape []byte
	rest rand.Source
}

// Uint64 returns the next eight bytes of the tape, zero-padded, or once the
// tape is used up the next number of rest.
func (s *tapeSource) Uint64() uint64 {
	if len(s.tape) == 0 {
		return s.rest.Uint64()
	}
	var b [8]byte
	n := copy(b[:], s.tape)
	s.tape = s.tape[n:]
	return binary.BigEndian.Uint64(b[:])
}
