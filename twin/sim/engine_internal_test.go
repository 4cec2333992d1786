package sim

import (
	"math/rand/v2"
	"testing"
)

type nop struct{}

func (nop) Handle(*Engine, int64) {}

// checkHeap verifies the engine's internal invariants: heap order, slot
// positions, and that every slot is either in the heap or on the free list.
func checkHeap(t *testing.T, e *Engine) {
	t.Helper()
	for i, en := range e.heap {
		if i > 0 && en.before(e.heap[(i-1)/2]) {
			t.Fatalf("heap[%d] is before its parent", i)
		}
		if sl := e.slots[en.slot]; int(sl.pos) != i || sl.h == nil {
			t.Fatalf("heap[%d] names slot %d, whose pos is %d (handler %v)", i, en.slot, sl.pos, sl.h)
		}
	}
	for _, s := range e.free {
		if sl := e.slots[s]; sl.pos != -1 || sl.h != nil {
			t.Fatalf("free slot %d has pos %d, handler %v", s, sl.pos, sl.h)
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
	for range 20000 {
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
