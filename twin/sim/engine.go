package sim

import "fmt"

// Engine is a discrete-event simulation kernel: a clock and a queue of
// events, each a call of a [Handler] at a time. Its contract:
//
//   - Order. Events run in order of time; events at the same time run in the
//     order they were scheduled, by Schedule or ScheduleAt, from outside or
//     from a handler. An event that a handler schedules with delay 0 so runs
//     after every event already pending for the current time. Cancelling an
//     event does not change the order of the others.
//   - Callers. The goroutine that owns the engine may call any method. A
//     handler, while the engine runs it, may call Now, Events, Pending, Peek,
//     Schedule, ScheduleAt, Cancel and Stop, and must not call Step, Run or
//     RunUntil (which is not detected).
//   - Panics. Misuse panics with a message that starts "sim:" and names the
//     call: a negative delay, a time before Now given to ScheduleAt or
//     RunUntil, a nil Handler, more than 2^31-1 events pending. Such a panic
//     leaves the engine as it was. A panic in a handler goes up through
//     Step, Run or RunUntil; its event counts as run, and a caller that
//     recovers may go on using the engine.
//   - Allocation. The engine allocates only while its queue grows beyond
//     the largest it has been (NewEngine reserves room up front), so a run
//     that has reached its working size allocates nothing per event. It
//     holds a Handler until its event runs or is cancelled.
//   - Zero value. The zero Engine is ready to use: time 0, nothing pending.
//     An Engine must not be copied once used.
//   - Concurrency. An Engine is not safe for concurrent use and starts no
//     goroutines: handlers run one at a time on the goroutine that calls
//     Step, Run or RunUntil. Separate engines share nothing.
//
// The queue's fields and how they are kept are described in queue.go.
type Engine struct {
	now     Time
	seq     uint64  // sequence number of the event scheduled last
	heap    []entry // pending events and cancelled ones not yet dropped; heap[0] is pending, unless ranTop
	slots   []slot  // what each event does, by slot index
	free    []int32 // indexes of free slots
	dead    int     // cancelled entries in heap
	ranTop  bool    // heap[0] is the event being run, for the handler's first Schedule to replace
	events  uint64  // events run
	stopped bool    // Stop was called during the current Run or RunUntil
}

// Handler receives the events it scheduled. The engine calls Handle with the
// argument given to Schedule; the handler reads the clock from e.Now and may
// schedule or cancel further events. A handler must not call Step, Run or
// RunUntil on the engine that is calling it.
type Handler interface {
	Handle(e *Engine, arg int64)
}

// EventID names a scheduled event so that it can be cancelled. The zero
// EventID names no event; cancelling it is a no-op. An EventID stays
// harmless after its event has run or been cancelled: it never names a
// later event.
type EventID struct {
	slot int32 // index into Engine.slots plus one; 0 means none
	gen  uint32
}

// Valid reports whether id was returned by Schedule (it may since have run or
// been cancelled).
func (id EventID) Valid() bool { return id.slot != 0 }

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
	switch last := len(e.heap) - 1; {
	case e.heap[last].slot() == s:
		// Still where push put it, as a timeout cancelled soon after it
		// was scheduled often is: remove it now.
		e.heap = e.heap[:last]
		e.free = append(e.free, s)
	case e.heap[0].slot() == s:
		e.dead++
		e.dropDead()
	default:
		e.dead++
	}
	if e.bloated() { // whichever way, pending events may now be the fewer
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
