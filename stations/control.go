package stations

import (
	"errors"
	"fmt"
	"math"

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
	case Starved, Held:
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
	if st.ext != nil {
		st.repaired(k)
	}
	st.resume(k)
	return nil
}

// SetBuffer changes the capacity of the input buffer. Units already in a
// buffer that shrinks stay; no more enter until it has room. Feeders blocked
// on a buffer that grows move on at once.
func (st *Station) SetBuffer(c Capacity) error {
	if err := CheckCapacity(c); err != nil {
		return fmt.Errorf("%s: buffer %w", st.spec.ID, err)
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

// MaxSpeed is the highest relative speed SetSpeed accepts.
const MaxSpeed = 10.0

// CheckSpeed returns an error unless f is a relative speed SetSpeed
// accepts: more than 0 and at most MaxSpeed.
func CheckSpeed(f float64) error {
	if !(f > 0 && f <= MaxSpeed) { // also catches NaN
		return fmt.Errorf("speed %v: want more than 0 and at most %v", f, MaxSpeed)
	}
	return nil
}

// Hold stops the station from starting new units, as a PackML Hold does:
// units already on its servers (or riding a conveyor) are finished and
// handed on as usual, then the servers stay idle in phase Held (whatever
// their buffer holds) and the buffer takes no more than its capacity.
// Holding a held station does nothing.
func (st *Station) Hold() {
	st.held = true
	for k := range st.servers {
		if st.servers[k].phase == Starved && st.servers[k].unit < 0 {
			st.setPhase(k, Held)
		}
	}
}

// Unhold lets a held station start units again at once, and lets feeders
// waiting for room move on. Unholding a station that is not held does
// nothing.
func (st *Station) Unhold() {
	st.held = false
	st.kick()
	st.release()
	st.wake()
}

// release puts the servers of a station no longer held that kick did not
// start back in phase Starved.
func (st *Station) release() {
	for k := range st.servers {
		if st.servers[k].phase == Held {
			st.setPhase(k, Starved)
		}
	}
	st.heldPhase = st.held
}

// idlePhase is the phase of a server with nothing to do: Held when the
// station is held, else Starved.
func (st *Station) idlePhase() Phase {
	if st.held {
		return Held
	}
	return Starved
}

// Held reports whether the station is held.
func (st *Station) Held() bool { return st.held }

// SetSpeed sets the station's relative speed f, 1 being nominal: every
// cycle started from now on (a conveyor's ride and pitch) takes the drawn
// time divided by f; cycles under way keep theirs. It returns an error,
// and changes nothing, unless 0 < f <= MaxSpeed. The random draws do not
// depend on the speed.
func (st *Station) SetSpeed(f float64) error {
	if err := CheckSpeed(f); err != nil {
		return fmt.Errorf("%s: %w", st.spec.ID, err)
	}
	st.speed = f
	if st.conv != nil {
		st.tryEnter() // the pitch may have passed at the new speed
	}
	return nil
}

// Speed returns the station's relative speed (1: nominal).
func (st *Station) Speed() float64 { return st.speed }

// Reset is a PackML Reset: it repairs every server that is broken or down
// by a random failure, as Repair does, and unholds the station. Servers
// resume their paused units or look for work. It returns the error of a
// repair that fails.
func (st *Station) Reset() error {
	st.held = false
	if st.conv == nil {
		for k := range st.servers {
			if s := &st.servers[k]; s.broken || s.phase == Down {
				if err := st.Repair(k); err != nil {
					return err
				}
			}
		}
	}
	st.kick()
	st.release()
	st.wake()
	return nil
}

// scale returns a drawn time at the station's speed. At speed 1 it is t
// itself, so a run at nominal speed is exactly the same as without it.
func (st *Station) scale(t sim.Time) sim.Time {
	if st.speed == 1 {
		return t
	}
	f := math.Round(float64(t) / st.speed)
	if f >= float64(sim.Forever) { // a slow station and a long draw
		return sim.Forever
	}
	return sim.Time(f)
}

// pitch returns a conveyor's pitch at the station's speed.
func (st *Station) pitch() sim.Time { return st.scale(st.spec.Conveyor.Pitch) }

// ArmMove decodes the argument of a move a station asked its arm for: the
// server it is for, and whether it loads (buffer to machine) or unloads
// (machine to the next buffer).
func ArmMove(arg int64) (server int, loading bool) {
	return int(arg >> 8), arg&0xff == evLoaded
}
