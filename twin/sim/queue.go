package sim

import (
	"math/bits"
	"slices"
	"unsafe"
)

// This file holds the Engine's event queue: the heap, the slots that say
// what each event does, and the bookkeeping of cancelled events. engine.go
// holds the API; nothing here is visible outside the package.
//
// The queue is a 4-ary min-heap of two-word entries ordered by (time,
// sequence), with no container/heap (so no interface boxing), no branches on
// comparisons whose outcome is a coin toss, and no index kept up to date as
// entries move: what an event does stays in a slot, reused through a free
// list, so scheduling allocates only while the queue grows beyond its largest
// size so far.
//
// Cancel marks the slot and leaves the entry to be dropped when it reaches
// the top, or when cancelled entries outnumber pending ones and the heap is
// compacted, so the heap never holds much more than twice the pending events.
//
// While a handler runs, its event stays at the top of the heap (ranTop), and
// the first event the handler schedules takes its place: one sift down
// instead of the sift down of a pop and the sift up of a push. Anything else
// that looks at the heap first calls settle, which pops the event that ran.
//
// The lightsout binary is built with a profile (cmd/lightsout/default.pgo)
// that finds the kernel's functions by name and by line offset within each:
// after renaming or rewriting one on the hot path (Step, push, settle, down),
// refresh the profile with 'make pgo'.

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

// EventBytes is about how many bytes one pending event takes in an
// Engine's queue: its heap entry, its slot and its place in the free list,
// twice over for the room a growing slice keeps. It is for estimates of a
// run's memory before it starts.
const EventBytes = 2 * int64(unsafe.Sizeof(entry{})+unsafe.Sizeof(slot{})+unsafe.Sizeof(int32(0)))

const (
	slotBits = 31 // EventID.slot is an int32
	slotMask = 1<<slotBits - 1
	maxSeq   = 1<<(64-slotBits) - 1 // then renumber
)

// slot returns the index of the slot of en's event.
func (en *entry) slot() int32 { return int32(en.key & slotMask) }

// before reports whether a runs before b.
func (a *entry) before(b *entry) bool { return less(a, b) != 0 }

// less is 1 if a is before b, else 0: the borrow of a 128-bit subtraction,
// with no branch. Comparing times as unsigned is right because they are never
// negative: the clock starts at 0 and never goes back.
func less(a, b *entry) uint64 {
	_, borrow := bits.Sub64(a.key, b.key, 0)
	_, borrow = bits.Sub64(uint64(a.at), uint64(b.at), borrow)
	return borrow
}

// compactMin is the number of cancelled entries below which the heap is
// never compacted.
const compactMin = 64

// push puts the event (at, h, arg) into the queue and returns its id.
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
	if n == 0 {
		return
	}
	base := unsafe.Pointer(unsafe.SliceData(h))
	for {
		c := 4*i + 1
		if c+4 > n {
			break
		}
		// The least of four children, chosen without branches: unlike
		// those of an if, which way a comparison goes here is a coin toss.
		// c+4 <= n = len(h), so the four are in the slice: no bounds checks.
		k := (*[4]entry)(unsafe.Add(base, uintptr(c)*unsafe.Sizeof(entry{})))
		s1 := less(&k[1], &k[0])
		s2 := less(&k[3], &k[2])
		v1 := pick(&k[0], &k[1], s1)
		v2 := pick(&k[2], &k[3], s2)
		s3 := less(&v2, &v1)
		v := pick(&v1, &v2, s3)
		hi := (*entry)(unsafe.Add(base, uintptr(i)*unsafe.Sizeof(entry{})))
		if less(&v, &x) == 0 {
			*hi = x
			return
		}
		*hi = v
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
