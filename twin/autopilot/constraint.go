package autopilot

import "math"

// constraint is the constraint of one copy of the line: the station with
// the lowest ideal rate (servers x speed / design cycle); ties go to the
// first in flow order.
type constraint struct {
	// machine is the index in the observation of the station's first
	// server, -1 when the copy has no station with a known design cycle.
	machine int
	index   int
	id      string
	// perUnit is the station's ideal time per unit, in seconds.
	perUnit float64
}

// findConstraints returns the constraint of every copy of the line in obs,
// indexed by copy, reusing dst.
func findConstraints(obs *Observation, dst []constraint) []constraint {
	dst = dst[:0]
	for i := range obs.Machines {
		m := &obs.Machines[i]
		if m.Kind != Station || m.Server != 0 || m.Line < 0 {
			continue
		}
		for len(dst) <= m.Line {
			dst = append(dst, constraint{machine: -1, index: -1})
		}
		if m.DesignCycle <= 0 || m.Servers <= 0 || !(m.Speed > 0) {
			continue
		}
		per := m.DesignCycle.Seconds() / (float64(m.Servers) * m.Speed)
		c := &dst[m.Line]
		if c.machine < 0 || per > c.perUnit || per == c.perUnit && m.Index < c.index {
			*c = constraint{machine: i, index: m.Index, id: m.ID, perUnit: per}
		}
	}
	return dst
}

// isConstraint reports whether m is (a server of) its copy's constraint.
func isConstraint(cs []constraint, m *Machine) bool {
	if m.Kind != Station || m.Line < 0 || m.Line >= len(cs) {
		return false
	}
	c := &cs[m.Line]
	return c.machine >= 0 && c.id == m.ID
}

// cover returns, in seconds, how long the constraint c of m's copy keeps
// working at its ideal rate if m stops now: for a machine upstream of it,
// the units waiting in the buffers between them (the constraint's
// included); downstream, the free space in the buffers between them (the
// stopped machine's included), infinite when one is unbounded. It is 0
// for the constraint itself (and the arm that loads it), and when m's
// place in the flow or the constraint is not known.
func cover(obs *Observation, m *Machine, c *constraint) float64 {
	if c.machine < 0 || m.Index < 0 || m.Index == c.index {
		return 0
	}
	lo, hi, up := m.Index, c.index, true
	if lo > hi {
		lo, hi, up = c.index, m.Index, false
	}
	units := 0.0
	for i := range obs.Machines {
		s := &obs.Machines[i]
		if s.Kind != Station || s.Server != 0 || s.Line != m.Line || s.Index <= lo || s.Index > hi {
			continue
		}
		switch {
		case up:
			units += float64(max(s.Buffer, 0))
		case s.Capacity == InfCapacity:
			return math.Inf(1)
		default:
			units += float64(max(s.Capacity-s.Buffer, 0))
		}
	}
	return units * c.perUnit
}
