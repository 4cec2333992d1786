package sim

import (
	"math/rand/v2"
	"testing"
)

type nop struct{}

func (nop) Handle(*Engine, int64) {}

// checkHeap verifies the engine's internal invariants: 4-ary heap order, a
// pending event at the top, the count of cancelled entries and its bound, and
// that every slot is either in the heap once or on the free list.
func checkHeap(t *testing.T, e *Engine) {
	t.Helper()
	if e.ranTop {
		t.Fatalf("the event run last is still at the top of the heap")
	}
	inHeap := make(map[int32]bool)
	dead := 0
	for i := range e.heap {
		en := &e.heap[i]
		if i > 0 && en.before(&e.heap[(i-1)/4]) {
			t.Fatalf("heap[%d] is before its parent", i)
		}
		if inHeap[en.slot()] {
			t.Fatalf("slot %d is in the heap twice", en.slot())
		}
		inHeap[en.slot()] = true
		if e.slots[en.slot()].h == nil {
			dead++
		}
	}
	if len(e.heap) > 0 && e.slots[e.heap[0].slot()].h == nil {
		t.Fatalf("the top of the heap is a cancelled event")
	}
	if dead != e.dead {
		t.Fatalf("%d cancelled entries in the heap, engine counts %d", dead, e.dead)
	}
	if e.bloated() {
		t.Fatalf("%d of %d heap entries are cancelled: not compacted", dead, len(e.heap))
	}
	for _, s := range e.free {
		if inHeap[s] || e.slots[s].h != nil {
			t.Fatalf("free slot %d is in the heap (%v) or has handler %v", s, inHeap[s], e.slots[s].h)
		}
	}
	if len(e.heap)+len(e.free) != len(e.slots) {
		t.Fatalf("%d in heap + %d free != %d slots", len(e.heap), len(e.free), len(e.slots))
	}
}

func TestEngineInvariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	var e Engine
	var ids []EventID
	ops := 20000
	if testing.Short() {
		ops = 3000
	}
	for range ops {
		switch k := rng.IntN(10); {
		case k < 4:
			ids = append(ids, e.Schedule(Time(rng.IntN(50)), nop{}, 0))
		case k < 7 && len(ids) > 0:
			e.Cancel(ids[rng.IntN(len(ids))])
		default:
			e.Step()
		}
		checkHeap(t, &e)
	}
}

// The generation check matters only if slots are reused: make sure they are,
// so that the stale-id tests in engine_test.go exercise it.
func TestEngineReusesSlots(t *testing.T) {
	var e Engine
	old := e.Schedule(1, nop{}, 0)
	e.Step()
	fresh := e.Schedule(1, nop{}, 0)
	if fresh.slot != old.slot || fresh.gen == old.gen {
		t.Errorf("after a run, new id %+v vs old %+v: want the same slot, a new generation", fresh, old)
	}
	e.Cancel(fresh)
	again := e.Schedule(1, nop{}, 0)
	if again.slot != fresh.slot || again.gen == fresh.gen {
		t.Errorf("after a cancel, new id %+v vs old %+v: want the same slot, a new generation", again, fresh)
	}
	if len(e.slots) != 1 {
		t.Errorf("%d slots for one event at a time, want 1", len(e.slots))
	}
}

// Cancel removes an event still at the end of the heap, where push put it,
// at once. Cancelling the newest events one after another so shrinks the
// heap without dropping any cancelled entry: it must still compact.
func TestEngineCancelNewestKeepsHeapCompact(t *testing.T) {
	var e Engine
	ids := make([]EventID, 4*compactMin)
	for i := range ids { // each later than the last, so each stays at the end
		ids[i] = e.Schedule(Time(i+1), nop{}, 0)
	}
	half := len(ids) / 2
	for _, id := range ids[1:half] { // cancelled in place, short of a compaction
		e.Cancel(id)
	}
	checkHeap(t, &e)
	for i := len(ids) - 1; i >= half; i-- { // newest first
		if !e.Cancel(ids[i]) {
			t.Fatalf("Cancel(ids[%d]) = false", i)
		}
		checkHeap(t, &e)
	}
	if e.Pending() != 1 || len(e.heap) != 1 {
		t.Errorf("Pending %d, %d heap entries; want 1 and 1", e.Pending(), len(e.heap))
	}
}
