package sim

import (
	"fmt"
	"math/bits"
	"slices"
)

// Handler receives the events it scheduled. The engine calls Handle with the
// argument given to Schedule; the handler reads the clock from e.Now and may
// schedule or cancel further events. A handler must not call Step, Run or
// RunUntil on the engine that is calling it.
type Handler interface {
	Handle(e *Engine, arg int64)
}

// EventID names a scheduled event so that it can be cancelled. The zero
// EventID names no event; cancelling it is a no-op.
type EventID struct {
	slot int32 // index into Engine.slots plus one; 0 means none
	gen  uint32
}

// Valid reports whether id was returned by Schedule (it may since have run or
// been cancelled).
func (id EventID) Valid() bool { return id.slot != 0 }

// slot holds what an event does. A slot is pending while h is set; Cancel
// clears h and leaves the heap entry in place until it reaches the top or a
// compaction, and only then is the slot free for reuse. gen changes whenever
// the event of the slot runs or is cancelled, so that a stale EventID never
// matches the slot's next event.
type slot struct {
	h   Handler
	arg int64
	gen uint32
}

// entry is one element of the event heap: the event's time, and its
// scheduling sequence number above its slot index. Compared as one 128-bit
// number, (at, key) orders events by time and then by scheduling order, since
// no two events share a sequence number.
type entry struct {
	at  Time
	key uint64
}

const (
	slotBits = 31 // EventID.slot is an int32
	slotMask = 1<<slotBits - 1
	maxSeq   = 1<<(64-slotBits) - 1 // then renumber
)

func (en *entry) slot() int32 { return int32(en.key & slotMask) }

func (a *entry) before(b *entry) bool { return less(a, b) != 0 }

// less is 1 if a is before b, else 0: the borrow of a 128-bit subtraction,
// with no branch. Comparing times as unsigned is right because they are never
// negative: the clock starts at 0 and never goes back.
func less(a, b *entry) uint64 {
	_, borrow := bits.Sub64(a.key, b.key, 0)
	_, borrow = bits.Sub64(uint64(a.at), uint64(b.at), borrow)
	return borrow
}

// Engine is a discrete-event simulation kernel. Events run in order of time;
// events at the same time run in the order they were scheduled. The zero
// Engine is ready to use at time 0.
//
// The queue is a 4-ary min-heap of two-word entries ordered by (time,
// sequence), with no container/heap (so no interface boxing), no branches on
// comparisons whose outcome is a coin toss, and no index kept up to date as
// entries move: what an event does stays in a slot, reused through a free
// list, so scheduling allocates only while the queue grows beyond its largest
// size so far. Cancel marks the slot and leaves the entry to be dropped when
// it reaches the top, or when cancelled entries outnumber pending ones and
// the heap is compacted, so the heap never holds much more than twice the
// pending events. While a handler runs, its event stays at the top of the
// heap, and the first event the handler schedules takes its place: one sift
// down instead of the sift down of a pop and the sift up of a push.
type Engine struct {
	now     Time
	seq     uint64
	heap    []entry // pending events and cancelled ones not yet dropped; heap[0] is pending, unless ranTop
	slots   []slot
	free    []int32
	dead    int  // cancelled entries in heap
	ranTop  bool // heap[0] is the event being run, for the handler's first Schedule to replace
	events  uint64
	stopped bool
}

// compactMin is the number of cancelled entries below which the heap is
// never compacted.
const compactMin = 64

// NewEngine returns an engine at time 0 with room for about n pending events.
func NewEngine(n int) *Engine {
	return &Engine{heap: make([]entry, 0, n), slots: make([]slot, 0, n), free: make([]int32, 0, n)}
}

// Now returns the current simulated time.
func (e *Engine) Now() Time { return e.now }

// Events returns the number of events run so far.
func (e *Engine) Events() uint64 { return e.events }

// Pending returns the number of scheduled events that have not yet run.
func (e *Engine) Pending() int {
	n := len(e.heap) - e.dead
	if e.ranTop {
		n--
	}
	return n
}

// Peek returns the time of the next event, or Forever when none is pending.
func (e *Engine) Peek() Time {
	e.settle()
	if len(e.heap) == 0 {
		return Forever
	}
	return e.heap[0].at
}

// Schedule arranges for h.Handle(e, arg) to run after delay. A delay of 0
// runs the event at the current time, after the events already scheduled for
// it. A negative delay panics. A delay that would pass Forever is clamped to
// Forever: RunUntil with any earlier t never reaches it (Run, which drains
// the queue, does, and leaves the clock at Forever).
func (e *Engine) Schedule(delay Time, h Handler, arg int64) EventID {
	if delay < 0 {
		panic(fmt.Sprintf("sim: Schedule with negative delay %d ns at %v", int64(delay), e.now))
	}
	at := e.now + delay
	if at < e.now { // overflow
		at = Forever
	}
	return e.push(at, h, arg)
}

// ScheduleAt arranges for h.Handle(e, arg) to run at time at, which must not
// be before Now.
func (e *Engine) ScheduleAt(at Time, h Handler, arg int64) EventID {
	if at < e.now {
		panic(fmt.Sprintf("sim: ScheduleAt(%v) is before now (%v)", at, e.now))
	}
	return e.push(at, h, arg)
}

func (e *Engine) push(at Time, h Handler, arg int64) EventID {
	if h == nil {
		panic("sim: Schedule with nil Handler")
	}
	var s int32
	if n := len(e.free); n > 0 {
		s = e.free[n-1]
		e.free = e.free[:n-1]
	} else {
		if len(e.slots) == slotMask {
			panic("sim: more than 2^31-1 events pending")
		}
		e.slots = append(e.slots, slot{})
		s = int32(len(e.slots) - 1)
	}
	sl := &e.slots[s]
	sl.h, sl.arg = h, arg
	if e.seq == maxSeq {
		e.settle()
		e.renumber()
	}
	e.seq++
	x := entry{at: at, key: e.seq<<slotBits | uint64(s)}
	if e.ranTop { // the first event scheduled by a handler
		e.ranTop = false
		e.down(0, x)
		if e.dead > 0 {
			e.dropDead()
		}
	} else {
		e.heap = append(e.heap, entry{})
		e.up(len(e.heap)-1, x)
	}
	return EventID{slot: s + 1, gen: sl.gen}
}

// Cancel removes a pending event. It reports whether the event was pending;
// cancelling an event that already ran or was cancelled is a no-op.
func (e *Engine) Cancel(id EventID) bool {
	s := id.slot - 1
	if uint(s) >= uint(len(e.slots)) { // also the zero EventID
		return false
	}
	sl := &e.slots[s]
	if sl.gen != id.gen || sl.h == nil {
		return false
	}
	e.settle()
	sl.h = nil
	sl.gen++
	if last := len(e.heap) - 1; e.heap[last].slot() == s {
		// Still where push put it, as a timeout cancelled soon after it
		// was scheduled often is: remove it now.
		e.heap = e.heap[:last]
		e.free = append(e.free, s)
		return true
	}
	e.dead++
	if e.heap[0].slot() == s {
		e.dropDead()
	} else if e.bloated() {
		e.compact()
	}
	return true
}

// Step runs the next event and reports whether there was one.
func (e *Engine) Step() bool {
	if e.ranTop { // only after a handler panicked
		e.settle()
	}
	if len(e.heap) == 0 {
		return false
	}
	top := e.heap[0]
	s := top.slot()
	sl := &e.slots[s]
	h, arg := sl.h, sl.arg
	sl.h = nil
	sl.gen++
	e.free = append(e.free, s)
	e.now = top.at
	e.events++
	e.ranTop = true
	h.Handle(e, arg)
	if e.ranTop {
		e.settle()
	}
	if e.dead > 0 && e.bloated() {
		e.compact()
	}
	return true
}

// Stop makes the Run or RunUntil in progress return after the current event.
func (e *Engine) Stop() { e.stopped = true }

// Run runs events until none is pending or Stop is called.
func (e *Engine) Run() {
	e.stopped = false
	for !e.stopped && e.Step() {
	}
}

// RunUntil runs every event scheduled at or before t, then sets the clock to
// t, so that repeated calls advance the clock in exact steps (what a GUI tick
// or a warm-up boundary needs). It returns early, with the clock at the last
// event run, if Stop is called. A t before Now panics.
func (e *Engine) RunUntil(t Time) {
	if t < e.now {
		panic(fmt.Sprintf("sim: RunUntil(%v) is before now (%v)", t, e.now))
	}
	e.stopped = false
	e.settle()
	for len(e.heap) > 0 && e.heap[0].at <= t {
		e.Step()
		if e.stopped {
			return
		}
	}
	e.now = t
}

// settle removes the event being run from the top of the heap, if no event
// has taken its place yet: before anything but Schedule looks at the heap.
func (e *Engine) settle() {
	if !e.ranTop {
		return
	}
	e.ranTop = false
	e.pop()
	if e.dead > 0 {
		e.dropDead()
	}
}

// dropDead removes cancelled entries from the top of the heap, so that
// heap[0], if any, is a pending event.
func (e *Engine) dropDead() {
	for len(e.heap) > 0 {
		s := e.heap[0].slot()
		if e.slots[s].h != nil {
			return
		}
		e.pop()
		e.free = append(e.free, s)
		e.dead--
	}
}

// bloated reports whether the heap holds more cancelled entries than pending
// ones, and enough of them for a compaction to pay. Cancel and Step check it,
// so that between calls the heap never holds more than about twice the
// pending events.
func (e *Engine) bloated() bool { return e.dead >= compactMin && 2*e.dead > len(e.heap) }

// compact removes every cancelled entry and rebuilds the heap.
func (e *Engine) compact() {
	h := e.heap
	n := 0
	for _, en := range h {
		if s := en.slot(); e.slots[s].h == nil {
			e.free = append(e.free, s)
			continue
		}
		h[n] = en
		n++
	}
	clear(h[n:])
	e.heap = h[:n]
	e.dead = 0
	for i := (n - 2) / 4; n > 1 && i >= 0; i-- {
		e.down(i, h[i])
	}
}

// renumber gives the pending events the sequence numbers 1, 2, ... in the
// order they will run, for when sequence numbers would run out of bits: once
// every 2^33 events scheduled.
func (e *Engine) renumber() {
	e.compact()
	slices.SortFunc(e.heap, func(a, b entry) int { return int(less(&b, &a)) - int(less(&a, &b)) })
	for i := range e.heap { // sorted, so still a heap
		e.heap[i].key = uint64(i+1)<<slotBits | e.heap[i].key&slotMask
	}
	e.seq = uint64(len(e.heap))
}

// pop removes heap[0].
func (e *Engine) pop() {
	last := len(e.heap) - 1
	x := e.heap[last]
	e.heap = e.heap[:last]
	if last > 0 {
		e.down(0, x)
	}
}

// up moves the hole at i towards the root until x fits there, and puts x in it.
func (e *Engine) up(i int, x entry) {
	h := e.heap
	for i > 0 {
		p := (i - 1) / 4
		if !x.before(&h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = x
}

// pick returns a if s is 0 and b if s is 1, without branches.
func pick(a, b *entry, s uint64) entry {
	m := -s
	return entry{at: a.at ^ (a.at^b.at)&Time(m), key: a.key ^ (a.key^b.key)&m}
}

// down moves the hole at i towards the leaves until x fits there, and puts
// x in it.
func (e *Engine) down(i int, x entry) {
	h := e.heap
	n := len(h)
	for {
		c := 4*i + 1
		if c+4 > n {
			break
		}
		// The least of four children, chosen without branches: unlike
		// those of an if, which way a comparison goes here is a coin toss.
		k := h[c : c+4 : c+4]
		s1 := less(&k[1], &k[0])
		s2 := less(&k[3], &k[2])
		v1 := pick(&k[0], &k[1], s1)
		v2 := pick(&k[2], &k[3], s2)
		s3 := less(&v2, &v1)
		v := pick(&v1, &v2, s3)
		if less(&v, &x) == 0 {
			h[i] = x
			return
		}
		h[i] = v
		a, b := int(s1), 2+int(s2)
		i = c + (a ^ (a^b)&-int(s3))
	}
	if c := 4*i + 1; c < n {
		m := c
		for j := c + 1; j < n; j++ {
			if h[j].before(&h[m]) {
				m = j
			}
		}
		if h[m].before(&x) {
			h[i] = h[m]
			i = m
		}
	}
	h[i] = x
}
