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

// slot holds what an event does; it stays put while its heap entry moves.
type slot struct {
	h   Handler
	arg int64
	pos int32 // index in Engine.heap, or -1 when free
	gen uint32
}

// entry is one element of the event heap: the ordering key and the slot.
type entry struct {
	at   Time
	seq  uint64
	slot int32
}

func (a entry) before(b entry) bool {
	return a.at < b.at || (a.at == b.at && a.seq < b.seq)
}

// Engine is a discrete-event simulation kernel. Events run in order of time;
// events at the same time run in the order they were scheduled. The zero
// Engine is ready to use at time 0.
//
// The queue is an indexed binary heap of plain structs (no container/heap, so
// no interface boxing), with a free list of slots, so scheduling allocates
// only while the queue grows beyond its largest size so far.
type Engine struct {
	now     Time
	seq     uint64
	heap    []entry
	slots   []slot
	free    []int32
	events  uint64
	stopped bool
}

// NewEngine returns an engine at time 0 with room for about n pending events.
func NewEngine(n int) *Engine {
	return &Engine{heap: make([]entry, 0, n), slots: make([]slot, 0, n), free: make([]int32, 0, n)}
}

// Now returns the current simulated time.
func (e *Engine) Now() Time { return e.now }

// Events returns the number of events run so far.
func (e *Engine) Events() uint64 { return e.events }

// Pending returns the number of scheduled events that have not yet run.
func (e *Engine) Pending() int { return len(e.heap) }

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
	i := len(e.heap)
	e.heap = append(e.heap, entry{at: at, seq: e.seq, slot: s})
	sl.pos = int32(i)
	e.up(i)
	return EventID{slot: s + 1, gen: sl.gen}
}

// Cancel removes a pending event. It reports whether the event was pending;
// cancelling an event that already ran or was cancelled is a no-op.
func (e *Engine) Cancel(id EventID) bool {
	if id.slot == 0 {
		return false
	}
	s := id.slot - 1
	if int(s) >= len(e.slots) {
		return false
	}
	sl := &e.slots[s]
	if sl.gen != id.gen || sl.pos < 0 {
		return false
	}
	i := int(sl.pos)
	last := len(e.heap) - 1
	if i != last {
		e.swap(i, last)
	}
	e.heap = e.heap[:last]
	if i != last {
		if !e.down(i) {
			e.up(i)
		}
	}
	e.release(s)
	return true
}

func (e *Engine) release(s int32) {
	sl := &e.slots[s]
	sl.h = nil
	sl.pos = -1
	sl.gen++
	e.free = append(e.free, s)
}

// Step runs the next event and reports whether there was one.
func (e *Engine) Step() bool {
	if len(e.heap) == 0 {
		return false
	}
	top := e.heap[0]
	last := len(e.heap) - 1
	if last > 0 {
		e.swap(0, last)
	}
	e.heap = e.heap[:last]
	if last > 0 {
		e.down(0)
	}
	sl := &e.slots[top.slot]
	h, arg := sl.h, sl.arg
	e.release(top.slot)
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

func (e *Engine) swap(i, j int) {
	h := e.heap
	h[i], h[j] = h[j], h[i]
	e.slots[h[i].slot].pos = int32(i)
	e.slots[h[j].slot].pos = int32(j)
}

func (e *Engine) up(i int) {
	h := e.heap
	for i > 0 {
		p := (i - 1) / 2
		if !h[i].before(h[p]) {
			break
		}
		e.swap(i, p)
		i = p
	}
}

// down sifts entry i towards the leaves and reports whether it moved.
func (e *Engine) down(i int) bool {
	h := e.heap
	n := len(h)
	start := i
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		c := l
		if r := l + 1; r < n && h[r].before(h[l]) {
			c = r
		}
		if !h[c].before(h[i]) {
			break
		}
		e.swap(i, c)
		i = c
	}
	return i > start
}
