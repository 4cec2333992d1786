package stations

import (
	"errors"
	"fmt"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// ErrConveyor is returned by commands that do not apply to a conveyor.
var ErrConveyor = errors.New("conveyors do not fail in the model")

// Break breaks server k now, as an operator pulling the plug would: a
// working server stops at once with its unit paused; an idle one goes down;
// one loading, unloading, blocked or in maintenance goes down as soon as
// that step ends. A broken server stays down until Repair, even if it was
// already down with a random failure.
func (st *Station) Break(k int) error {
	if err := st.checkServer(k); err != nil {
		return err
	}
	s := &st.servers[k]
	if s.broken {
		return fmt.Errorf("%s server %d is already broken", st.spec.ID, k+1)
	}
	s.broken = true
	switch s.phase {
	case Working:
		st.pause(k, Down)
	case Starved:
		st.setPhase(k, Down)
	}
	return nil
}

// Repair ends a break or a random failure of server k now; the server
// resumes its paused unit or looks for work.
func (st *Station) Repair(k int) error {
	if err := st.checkServer(k); err != nil {
		return err
	}
	s := &st.servers[k]
	if !s.broken && s.phase != Down {
		return fmt.Errorf("%s server %d is not down", st.spec.ID, k+1)
	}
	s.broken = false
	if s.phase != Down {
		return nil // the break had not taken effect yet
	}
	st.eng.Cancel(s.repairEv)
	s.repairEv = sim.EventID{}
	st.resume(k)
	return nil
}

// SetBuffer changes the capacity of the input buffer. Units already in a
// buffer that shrinks stay; no more enter until it has room. Feeders blocked
// on a buffer that grows move on at once.
func (st *Station) SetBuffer(c Capacity) error {
	if c < Inf {
		return fmt.Errorf("%s: buffer capacity %d is negative", st.spec.ID, int(c))
	}
	st.capacity = c
	st.wake()
	return nil
}

// Capacity returns the current capacity of the input buffer.
func (st *Station) Capacity() Capacity { return st.capacity }

// Broken reports whether server k was broken by command.
func (st *Station) Broken(k int) bool { return st.servers[k].broken }

func (st *Station) checkServer(k int) error {
	if st.conv != nil {
		return fmt.Errorf("%s: %w", st.spec.ID, ErrConveyor)
	}
	if k < 0 || k >= len(st.servers) {
		return fmt.Errorf("%s has no server %d (it has %d)", st.spec.ID, k+1, len(st.servers))
	}
	return nil
}

// ArmMove decodes the argument of a move a station asked its arm for: the
// server it is for, and whether it loads (buffer to machine) or unloads
// (machine to the next buffer).
func ArmMove(arg int64) (server int, loading bool) {
	return int(arg >> 8), arg&0xff == evLoaded
}
