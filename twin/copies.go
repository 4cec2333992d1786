package twin

import (
	"sync"
	"sync/atomic"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// copyPool runs the engines of a line whose copies share nothing on
// several goroutines at once: the caller's and workers-1 others, started
// once and reused for every RunUntil. Each RunUntil hands the engines out
// in copy order to whichever goroutine is free and returns when every
// engine has reached the time; the copies touch nothing in common while
// they run (each has its own engine, units and statistics), so which
// goroutine runs which copy does not matter to the results.
type copyPool struct {
	engs  []*sim.Engine
	wake  []chan struct{} // one per extra goroutine; closed by stop
	done  sync.WaitGroup
	next  atomic.Int32 // the next engine to hand out
	until sim.Time     // written before the wake-ups, read after them
	// fault holds the first panic of an engine run by a worker, raised
	// again on the caller's goroutine.
	fault atomic.Pointer[panicked]
}

// panicked carries a recovered panic value.
type panicked struct{ v any }

// newCopyPool starts min(workers, len(engs))-1 goroutines to run engs.
func newCopyPool(engs []*sim.Engine, workers int) *copyPool {
	p := &copyPool{engs: engs}
	for range min(workers, len(engs)) - 1 {
		ch := make(chan struct{}, 1)
		p.wake = append(p.wake, ch)
		go func() {
			for range ch {
				p.work()
				p.done.Done()
			}
		}()
	}
	return p
}

// runUntil runs every engine to t and returns when all are there. A
// handler's panic on another goroutine is raised again here, once all
// have stopped.
func (p *copyPool) runUntil(t sim.Time) {
	p.until = t
	p.next.Store(0)
	p.done.Add(len(p.wake))
	for _, ch := range p.wake {
		ch <- struct{}{}
	}
	p.work()
	p.done.Wait()
	if f := p.fault.Swap(nil); f != nil {
		panic(f.v)
	}
}

// work runs engines, taken in copy order, until none is left.
func (p *copyPool) work() {
	for {
		i := int(p.next.Add(1)) - 1
		if i >= len(p.engs) {
			return
		}
		p.runOne(p.engs[i])
	}
}

// runOne runs e to the time asked, keeping a panic for runUntil.
func (p *copyPool) runOne(e *sim.Engine) {
	defer func() {
		if v := recover(); v != nil {
			p.fault.CompareAndSwap(nil, &panicked{v})
		}
	}()
	e.RunUntil(p.until)
}

// stop ends the extra goroutines; the pool is not used after.
func (p *copyPool) stop() {
	for _, ch := range p.wake {
		close(ch)
	}
	p.wake = nil
}

// Copies that run at once must not write to the same cache line: each
// core would take the line from the other at every write (false sharing),
// and two copies on two cores ran no faster than on one, for twice the
// CPU time. Their objects are allocated one copy after another when the
// line is built, and the allocator packs small objects of one size class
// side by side, so the last objects of one copy and the first of the next
// may share a line. spread, called between copies, allocates a gap of
// objects of every small size class (kept alive in the line), so that
// what comes next lies at least a cache line away from what came before.
// Objects allocated while the copies run come from each core's own spans.

// cacheLine is the cache line size assumed, in bytes.
const cacheLine = 64

// gapSizes is the largest object size padded: the allocator's size
// classes above it are whole multiples of the cache line.
const gapSizes = 512

// cacheGap is the memory of one gap: objects with and without pointers,
// which the allocator keeps apart.
type cacheGap struct {
	plain [][]byte
	ptrs  [][]*byte
}

// spread leaves a gap in memory after the objects allocated so far, when
// the copies will run at once.
func (l *Line) spread() {
	if l.gaps == nil {
		return
	}
	var g cacheGap
	for size := 8; size <= gapSizes; size += 8 {
		for range (cacheLine + size - 1) / size {
			g.plain = append(g.plain, make([]byte, size))
			g.ptrs = append(g.ptrs, make([]*byte, size/8))
		}
	}
	l.gaps = append(l.gaps, g)
}

// gapBytes is about how many bytes one gap takes (see spread).
func gapBytes() float64 {
	var b float64
	for size := 8; size <= gapSizes; size += 8 {
		n := float64((cacheLine + size - 1) / size)
		b += n * float64(2*size+2*24) // both objects and their slice headers
	}
	return b
}
