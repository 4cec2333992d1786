package stations

import "github.com/lightsout-sim/lightsout/twin/sim"

// UnitID indexes a unit in its Units pool. IDs are reused after a unit leaves.
type UnitID int32

// Unit is one product in process: a phone, born as a bare board.
type Unit struct {
	// Serial counts units in order of birth, from 1.
	Serial uint64
	// Born is when the unit entered the line.
	Born sim.Time
	// Defective says the unit carries a defect not yet caught.
	Defective bool
	// Flawed says the unit has gained a defect or taken a rework pass at
	// some point: it cannot count as first-pass good.
	Flawed bool
	// Reworks is the number of rework passes taken.
	Reworks int
}

// Units is the pool of the units in process. Memory stays proportional to
// the units in process: a unit's slot is reused once it leaves the line.
type Units struct {
	all    []Unit
	free   []UnitID
	serial uint64
}

// New returns a fresh unit born at now.
func (p *Units) New(now sim.Time) UnitID {
	var id UnitID
	if n := len(p.free); n > 0 {
		id = p.free[n-1]
		p.free = p.free[:n-1]
	} else {
		p.all = append(p.all, Unit{})
		id = UnitID(len(p.all) - 1)
	}
	p.serial++
	p.all[id] = Unit{Serial: p.serial, Born: now}
	return id
}

// Get returns the unit with the given id.
func (p *Units) Get(id UnitID) *Unit { return &p.all[id] }

// Free returns a unit's slot to the pool.
func (p *Units) Free(id UnitID) { p.free = append(p.free, id) }

// InProcess returns the number of units in the line.
func (p *Units) InProcess() int { return len(p.all) - len(p.free) }
