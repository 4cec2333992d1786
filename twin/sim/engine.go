package sim

import "fmt"

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

// entry is one element of the event heap: the ordering key and the slot.
type entry struct {
	at   Time
	seq  uint64
	slot int32
}

func (a *entry) before(b *entry) bool {
	return a.at < b.at || (a.at == b.at && a.seq < b.seq)
}

// Engine is a discrete-event simulation kernel. Events run in order of time;
// events at the same time run in the order they were scheduled. The zero
// Engine is ready to use at time 0.
//
// The queue is a 4-ary min-heap of small plain structs ordered by (time,
// sequence), with no container/heap (so no interface boxing) and no index
// kept up to date as entries move. Cancel marks an event's slot and leaves
// its entry to be dropped when it reaches the top of the heap, or when
// cancelled entries outnumber pending ones and the heap is compacted, so the
// queue is never more than about twice the number of pending events. Slots
// are reused through a free list, so scheduling allocates only while the
// queue grows beyond its largest size so far.
type Engine struct {
	now     Time
	seq     uint64
	heap    []entry // every pending event, and dead entries of cancelled ones; heap[0] is pending
	slots   []slot
	free    []int32
	dead    int // cancelled entries still in heap
	events  uint64
	stopped bool
}

// compactMin is the number of dead entries below which Cancel never compacts.
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
func (e *Engine) Pending() int { return len(e.heap) - e.dead }

// Peek returns the time of the next event, or Forever when none is pending.
func (e *Engine) Peek() Time {
	if len(e.heap) == 0 {
		return Forever
	}
	return e.heap[0].at
}

// Schedule arranges for h.Handle(e, arg) to run after delay. A delay of 0
// runs the event at the current time, after the events already scheduled for
// it. A negative delay panics. A delay that would pass Forever is clamped to
// Forever, an event that RunUntil never reaches.
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
		e.slots = append(e.slots, slot{})
		s = int32(len(e.slots) - 1)
	}
	sl := &e.slots[s]
	sl.h, sl.arg = h, arg
	e.seq++
	e.heap = append(e.heap, entry{})
	e.up(len(e.heap)-1, entry{at: at, seq: e.seq, slot: s})
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
	sl.h = nil
	sl.gen++
	e.dead++
	if e.heap[0].slot == s {
		e.dropDead()
	} else if e.dead >= compactMin && e.dead > len(e.heap)/2 {
		e.compact()
	}
	return true
}

// Step runs the next event and reports whether there was one.
func (e *Engine) Step() bool {
	if len(e.heap) == 0 {
		return false
	}
	top := e.heap[0]
	e.pop()
	sl := &e.slots[top.slot]
	h, arg := sl.h, sl.arg
	sl.h = nil
	sl.gen++
	e.free = append(e.free, top.slot)
	e.dropDead()
	e.now = top.at
	e.events++
	h.Handle(e, arg)
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
	for len(e.heap) > 0 && e.heap[0].at <= t {
		e.Step()
		if e.stopped {
			return
		}
	}
	e.now = t
}

// dropDead removes cancelled entries from the top of the heap, so that
// heap[0], if any, is a pending event.
func (e *Engine) dropDead() {
	for len(e.heap) > 0 {
		s := e.heap[0].slot
		if e.slots[s].h != nil {
			return
		}
		e.pop()
		e.free = append(e.free, s)
		e.dead--
	}
}

// compact removes every cancelled entry and rebuilds the heap.
func (e *Engine) compact() {
	h := e.heap
	n := 0
	for _, en := range h {
		if e.slots[en.slot].h == nil {
			e.free = append(e.free, en.slot)
			continue
		}
		h[n] = en
		n++
	}
	clear(h[n:])
	e.heap = h[:n]
	e.dead = 0
	for i := (n - 2) / 4; i >= 0; i-- {
		e.down(i, h[i])
	}
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

// down moves the hole at i towards the leaves until x fits there, and puts
// x in it.
func (e *Engine) down(i int, x entry) {
	h := e.heap
	n := len(h)
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		for k := c + 1; k < min(c+4, n); k++ {
			if h[k].before(&h[m]) {
				m = k
			}
		}
		if !h[m].before(&x) {
			break
		}
		h[i] = h[m]
		i = m
	}
	h[i] = x
}
