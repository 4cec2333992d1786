package stations

import (
	"math/rand/v2"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Source releases raw units into a line's first station at random
// intervals. When the first buffer is full the source waits, and its next
// interval starts once the held unit got in.
type Source struct {
	eng   *sim.Engine
	rng   *rand.Rand
	dist  sim.Dist
	first *Station
}

// NewSource returns a source feeding first with interarrival times from dist.
func NewSource(eng *sim.Engine, rng *rand.Rand, dist sim.Dist, first *Station) *Source {
	return &Source{eng: eng, rng: rng, dist: dist, first: first}
}

// Start schedules the first arrival.
func (s *Source) Start() { s.eng.Schedule(s.dist.Sample(s.rng), s, 0) }

// Handle runs an arrival.
func (s *Source) Handle(e *sim.Engine, arg int64) {
	if !s.first.room() {
		s.first.waiters.Push(waiter{f: s, k: 0})
		return
	}
	s.unblock(0)
}

func (s *Source) unblock(int) {
	st := s.first
	id := st.units.New(s.eng.Now())
	st.obs.Created(id, st.units.Get(id))
	st.put(id)
	s.Start()
}
