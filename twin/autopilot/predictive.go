package autopilot

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// The reasons the policy predictive gives.
const (
	ReasonDue           = "remaining useful life at most the lead time"
	ReasonOpportunistic = "idle with little remaining life while the constraint has buffer cover"
	ReasonConstraint    = "the constraint waits for the crew: serve it first"
)

// predictive maintains machines before their condition sensors say they
// will fail, earlier when they are idle and the constraint is covered, and
// sends a busy crew to the constraint first.
type predictive struct {
	p     PredictiveParams
	tr    tracker
	cons  []constraint
	cands []candidate
	nums  []Number
}

// candidate is a machine the policy may maintain this epoch.
type candidate struct {
	machine       int // index in the observation
	constraint    bool
	opportunistic bool
	cover         float64
}

func newPredictive(p PredictiveParams) *predictive {
	return &predictive{p: p, tr: newTracker(p), nums: make([]Number, 0, 64)}
}

func (p *predictive) Name() string    { return "predictive" }
func (p *predictive) Epoch() sim.Time { return p.p.Epoch }

// Decide maintains every machine whose remaining life is at most Lead,
// and every machine idle (starved or blocked, its data not stale) whose
// life is at most OpportunisticLead while the constraint of its copy has
// at least MaintenanceTime of buffer cover; the constraint first, then by
// remaining life. A machine already waiting for the crew, stopped, or
// asked for within Retry is left alone. Then, for each crew with no member
// free, a constraint in its queue behind other machines is sent first.
func (p *predictive) Decide(_ context.Context, obs *Observation, dst []Action) ([]Action, error) {
	p.tr.observe(obs)
	p.cons = findConstraints(obs, p.cons)
	p.nums = p.nums[:0]
	p.cands = p.cands[:0]
	for i := range obs.Machines {
		m := &obs.Machines[i]
		tr := &p.tr.tracks[p.tr.of[i]]
		if tr.sensor < 0 || m.State.Stopped() || queued(obs, m) || p.recent(obs.Now, tr.ordered) {
			continue
		}
		c := candidate{machine: i, constraint: isConstraint(p.cons, m)}
		rul := tr.life.RUL
		switch {
		case rul <= p.p.Lead:
		case rul <= p.p.OpportunisticLead && m.State.Idle() && !m.Stale && m.Line < len(p.cons):
			con := &p.cons[m.Line]
			if con.machine < 0 || obs.Machines[con.machine].Stale {
				continue
			}
			c.cover = cover(obs, m, con)
			if c.cover < p.p.MaintenanceTime.Seconds() {
				continue
			}
			c.opportunistic = true
		default:
			continue
		}
		p.cands = append(p.cands, c)
	}
	slices.SortFunc(p.cands, func(a, b candidate) int {
		if a.constraint != b.constraint {
			if a.constraint {
				return -1
			}
			return 1
		}
		ra, rb := p.tr.tracks[p.tr.of[a.machine]].life.RUL, p.tr.tracks[p.tr.of[b.machine]].life.RUL
		return cmp.Or(cmp.Compare(ra, rb), cmp.Compare(a.machine, b.machine))
	})
	for _, c := range p.cands {
		dst = p.maintain(obs, c, dst)
	}
	return p.dispatch(obs, dst), nil
}

// recent reports whether a request made at t (-1: none) is within Retry.
func (p *predictive) recent(now, t sim.Time) bool { return t >= 0 && now-t < p.p.Retry }

// maintain appends the maintenance of candidate c, and a dispatch when it
// is the constraint and its crew has no member free.
func (p *predictive) maintain(obs *Observation, c candidate, dst []Action) []Action {
	m := &obs.Machines[c.machine]
	tr := &p.tr.tracks[p.tr.of[c.machine]]
	tr.ordered = obs.Now
	l := tr.life
	s := &m.Sensors[tr.sensor]
	start := len(p.nums)
	lead := p.p.Lead
	reason := ReasonDue
	if c.opportunistic {
		lead, reason = p.p.OpportunisticLead, ReasonOpportunistic
	}
	p.nums = append(p.nums,
		Number{"rul_s", lifeSeconds(l.RUL)},
		Number{"lead_s", lead.Seconds()},
		Number{"level", l.Level},
		Number{"limit", s.Limit},
		Number{"slope_per_h", l.Slope},
		Number{"readings", float64(l.Readings)},
		Number{"reading_age_s", l.Age.Seconds()},
		Number{"constraint", b2f(c.constraint)},
	)
	if c.opportunistic {
		p.nums = append(p.nums,
			Number{"cover_s", c.cover},
			Number{"maintenance_time_s", p.p.MaintenanceTime.Seconds()})
	}
	dst = append(dst, Action{Kind: Maintain, Line: m.Line, Target: m.ID, Server: m.Server,
		Reason: reason, Numbers: p.nums[start:len(p.nums):len(p.nums)]})
	if c.constraint {
		if k := crewOf(obs, m.Line); k >= 0 && obs.Crews[k].Free() == 0 {
			tr.dispatched = obs.Now
			dst = p.dispatchAction(obs, m.Ref(), &obs.Crews[k], len(obs.Crews[k].Queue)+1, dst)
		}
	}
	return dst
}

// dispatch sends each crew with no member free to the first constraint in
// its queue, if other machines are before it.
func (p *predictive) dispatch(obs *Observation, dst []Action) []Action {
	for k := range obs.Crews {
		cr := &obs.Crews[k]
		if cr.Free() > 0 {
			continue
		}
		for pos, q := range cr.Queue {
			m := p.machine(obs, q)
			if m < 0 || !isConstraint(p.cons, &obs.Machines[m]) {
				continue
			}
			tr := &p.tr.tracks[p.tr.of[m]]
			if pos > 0 && !p.recent(obs.Now, tr.dispatched) {
				tr.dispatched = obs.Now
				dst = p.dispatchAction(obs, q, cr, pos+1, dst)
			}
			break
		}
	}
	return dst
}

func (p *predictive) dispatchAction(obs *Observation, q MachineRef, cr *Crew, pos int, dst []Action) []Action {
	start := len(p.nums)
	per := 0.0
	if q.Line < len(p.cons) {
		per = p.cons[q.Line].perUnit
	}
	p.nums = append(p.nums,
		Number{"queue_position", float64(pos)},
		Number{"queue_length", float64(len(cr.Queue))},
		Number{"crew_size", float64(cr.Size)},
		Number{"crew_busy", float64(cr.Busy)},
		Number{"constraint_cycle_s", per},
	)
	return append(dst, Action{Kind: Dispatch, Line: q.Line, Target: q.ID, Server: q.Server,
		Reason: ReasonConstraint, Numbers: p.nums[start:len(p.nums):len(p.nums)]})
}

// machine returns the index of the machine q in obs, or -1.
func (p *predictive) machine(obs *Observation, q MachineRef) int {
	for i := range obs.Machines {
		m := &obs.Machines[i]
		if m.Line == q.Line && m.Server == q.Server && m.ID == q.ID {
			return i
		}
	}
	return -1
}

// crewOf returns the index of the first crew serving copy line, or -1.
func crewOf(obs *Observation, line int) int {
	for k := range obs.Crews {
		if obs.Crews[k].Serves(line) {
			return k
		}
	}
	return -1
}

// lifeSeconds writes a remaining life in seconds, +Inf for Forever.
func lifeSeconds(t sim.Time) float64 {
	if t == sim.Forever {
		return math.Inf(1)
	}
	return t.Seconds()
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
