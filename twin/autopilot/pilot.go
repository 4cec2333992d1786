package autopilot

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Guard is what a plant insists on around a policy.
type Guard struct {
	// RecommendOnly logs the policy's decisions without applying any.
	RecommendOnly bool
	// MaxPerHour caps the actions applied in any hour of the observation
	// clock; the ones over it are logged, not applied.
	MaxPerHour int
	// LogSize is how many decisions the log keeps.
	LogSize int
}

// Bounds of a Guard.
const (
	MaxActionsPerHour = 3600
	MaxLogSize        = 100_000
)

// DefaultGuard returns the default guard rails: applying, at most 6
// actions an hour, the latest 1000 decisions kept.
func DefaultGuard() Guard { return Guard{MaxPerHour: 6, LogSize: 1000} }

// Validate returns every problem with the guard, each naming its field.
func (g Guard) Validate() error {
	var errs []error
	if g.MaxPerHour < 1 || g.MaxPerHour > MaxActionsPerHour {
		errs = append(errs, fmt.Errorf("autopilot max_per_hour %d: want 1 to %d", g.MaxPerHour, MaxActionsPerHour))
	}
	if g.LogSize < 1 || g.LogSize > MaxLogSize {
		errs = append(errs, fmt.Errorf("autopilot log_size %d: want 1 to %d", g.LogSize, MaxLogSize))
	}
	return errors.Join(errs...)
}

// Stats count what a pilot did, for /metrics.
type Stats struct {
	// Epochs counts the decision epochs since the pilot started.
	Epochs uint64 `json:"epochs"`
	// HeldEpochs counts the epochs skipped under an operator hold.
	HeldEpochs uint64 `json:"held_epochs"`
	// Errors counts the epochs whose policy failed.
	Errors uint64 `json:"errors"`
	// Actions counts the actions the policy took; the next counters split
	// them by outcome.
	Actions uint64 `json:"actions"`
	// Applied counts the actions handed on to be done.
	Applied uint64 `json:"applied"`
	// Recommended counts the actions only logged, the pilot recommending
	// only.
	Recommended uint64 `json:"recommended"`
	// Capped counts the actions not applied because the hour's cap
	// (max_per_hour) was reached.
	Capped uint64 `json:"capped"`
	// Held counts the actions not applied because the pilot was held.
	Held uint64 `json:"held"`
	// Invalid counts the actions refused as invalid for the observation.
	Invalid uint64 `json:"invalid"`
}

// Pilot runs a policy within its guard rails: it asks the policy at each
// decision epoch, checks every action against the observation, applies it
// unless the pilot only recommends, is held, or has reached its cap, and
// logs every decision. Step belongs to one goroutine (the one that owns
// the line, or the twin's autopilot loop); Hold, Release, SetRecommendOnly
// and the readers (Held, Stats, Status, Log) may be called from any other.
type Pilot struct {
	policy Policy
	epoch  sim.Time
	log    *Log
	out    []Action // the actions to apply, returned by Step
	taken  []Action // the policy's actions

	mu            sync.Mutex
	recommendOnly bool
	maxPerHour    int
	held          bool
	heldAt        sim.Time
	holdReason    string
	next          sim.Time
	applied       []sim.Time // ring of the times of the latest applied actions
	appliedHead   int
	stats         Stats
}

// NewPilot returns a pilot running policy within guard g.
func NewPilot(policy Policy, g Guard) (*Pilot, error) {
	if policy == nil {
		return nil, errors.New("autopilot: no policy")
	}
	if err := g.Validate(); err != nil {
		return nil, err
	}
	if policy.Epoch() <= 0 {
		return nil, fmt.Errorf("autopilot policy %s: epoch %v is not more than 0", policy.Name(), policy.Epoch())
	}
	return &Pilot{policy: policy, epoch: policy.Epoch(), log: NewLog(g.LogSize), recommendOnly: g.RecommendOnly,
		maxPerHour: g.MaxPerHour, applied: make([]sim.Time, 0, g.MaxPerHour)}, nil
}

// Policy returns the pilot's policy.
func (p *Pilot) Policy() Policy { return p.policy }

// Log returns the pilot's decision log.
func (p *Pilot) Log() *Log { return p.log }

// Next returns the time of the next decision epoch: 0 before the first
// Step, then the first multiple of the policy's epoch after the last
// Step's observation time.
func (p *Pilot) Next() sim.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.next
}

// Due reports whether a decision epoch has come at now (now is at or
// after Next).
func (p *Pilot) Due(now sim.Time) bool { return now >= p.Next() }

// Step runs one decision epoch on obs: unless the pilot is held, it asks
// the policy, then checks and logs every action it took and returns those
// to apply now, in order (valid until the next Step). The steady path, an
// epoch with no action, allocates nothing. A policy's error is returned
// (the epoch then applies nothing) after counting it.
func (p *Pilot) Step(ctx context.Context, obs *Observation) ([]Action, error) {
	p.mu.Lock()
	p.next = NextEpoch(obs.Now, p.epoch)
	p.stats.Epochs++
	held := p.held
	if held {
		p.stats.HeldEpochs++
	}
	p.mu.Unlock()
	p.out = p.out[:0]
	if held {
		return p.out, nil
	}
	var err error
	p.taken, err = p.policy.Decide(ctx, obs, p.taken[:0])
	if err != nil {
		p.mu.Lock()
		p.stats.Errors++
		p.mu.Unlock()
		return p.out, err
	}
	for i := range p.taken {
		a := &p.taken[i]
		d := Decision{At: obs.Now, Policy: p.policy.Name(), Action: *a}
		p.mu.Lock()
		p.stats.Actions++
		switch bad := check(obs, a); {
		case bad != "":
			d.NotApplied = NotAppliedInvalid + ": " + bad
			p.stats.Invalid++
		case p.held:
			d.NotApplied = NotAppliedHeld
			p.stats.Held++
		case p.recommendOnly:
			d.NotApplied = NotAppliedRecommendOnly
			p.stats.Recommended++
		case !p.allow(obs.Now):
			d.NotApplied = NotAppliedCap
			p.stats.Capped++
		default:
			d.Applied = true
			p.stats.Applied++
			p.out = append(p.out, *a)
		}
		p.mu.Unlock()
		p.log.add(d)
	}
	return p.out, nil
}

// NextEpoch returns the first multiple of epoch after now (0 for a
// negative now): when a pilot whose policy decides every epoch decides
// next, after deciding at now.
func NextEpoch(now, epoch sim.Time) sim.Time {
	if now < 0 {
		return 0
	}
	return (now/epoch + 1) * epoch
}

// allow reports whether one more action may be applied at now within the
// cap, and if so counts it. The caller holds p.mu.
func (p *Pilot) allow(now sim.Time) bool {
	if len(p.applied) < p.maxPerHour {
		p.applied = append(p.applied, now)
		return true
	}
	// p.applied is full: its oldest entry is at appliedHead.
	if now-p.applied[p.appliedHead] < sim.Hour {
		return false
	}
	p.applied[p.appliedHead] = now
	p.appliedHead = (p.appliedHead + 1) % p.maxPerHour
	return true
}

// Hold stops the pilot at now, for reason (an operator's words): until
// Release, epochs ask the policy nothing and apply nothing, and actions of
// a decision under way are not applied. The hold is logged. It reports
// whether the pilot was running.
func (p *Pilot) Hold(now sim.Time, reason string) bool {
	p.mu.Lock()
	if p.held {
		p.mu.Unlock()
		return false
	}
	p.held, p.heldAt, p.holdReason = true, now, reason
	p.mu.Unlock()
	p.log.add(Decision{At: now, Policy: p.policy.Name(), Action: Action{Kind: Hold, Reason: reason}, Applied: true})
	return true
}

// Release lets a held pilot act again from its next epoch, and logs it.
// It reports whether the pilot was held.
func (p *Pilot) Release(now sim.Time, reason string) bool {
	p.mu.Lock()
	if !p.held {
		p.mu.Unlock()
		return false
	}
	p.held, p.holdReason = false, ""
	p.mu.Unlock()
	p.log.add(Decision{At: now, Policy: p.policy.Name(), Action: Action{Kind: Release, Reason: reason}, Applied: true})
	return true
}

// Held reports whether the pilot is held.
func (p *Pilot) Held() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.held
}

// SetRecommendOnly switches recommend-only mode on or off, from the next
// action on.
func (p *Pilot) SetRecommendOnly(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.recommendOnly = on
}

// Stats returns the pilot's counts so far.
func (p *Pilot) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

// check returns what is wrong with a policy's action given the
// observation it was taken from ("" when nothing is).
func check(obs *Observation, a *Action) string {
	switch a.Kind {
	case Maintain, Dispatch:
		if find(obs, a.Line, a.Target, a.Server) == nil {
			return fmt.Sprintf("no machine %s server %d on line %d", a.Target, a.Server+1, a.Line+1)
		}
	case SetSpeed:
		if m := find(obs, a.Line, a.Target, 0); m == nil || m.Kind != Station {
			return fmt.Sprintf("no station %s on line %d", a.Target, a.Line+1)
		}
		if !(a.Speed > 0 && a.Speed <= MaxSpeed) {
			return fmt.Sprintf("speed %v: want more than 0 and at most %v", a.Speed, MaxSpeed)
		}
	case MoveBuffer:
		from, to := find(obs, a.Line, a.From, 0), find(obs, a.Line, a.Target, 0)
		switch {
		case from == nil || from.Kind != Station:
			return fmt.Sprintf("no station %s on line %d", a.From, a.Line+1)
		case to == nil || to.Kind != Station:
			return fmt.Sprintf("no station %s on line %d", a.Target, a.Line+1)
		case from == to:
			return "capacity moved from a station to itself"
		case a.Units <= 0:
			return fmt.Sprintf("%d units moved: want more than 0", a.Units)
		case from.Capacity == InfCapacity || to.Capacity == InfCapacity:
			return "capacity moved to or from an unbounded buffer"
		case a.FromCapacity != from.Capacity-a.Units || a.ToCapacity != to.Capacity+a.Units:
			return fmt.Sprintf("capacities %d and %d do not keep the total of %d and %d", a.FromCapacity, a.ToCapacity, from.Capacity, to.Capacity)
		case a.FromCapacity < 0:
			return fmt.Sprintf("%s would have capacity %d", a.From, a.FromCapacity)
		}
	default:
		return fmt.Sprintf("%v is not a policy's action", a.Kind)
	}
	return ""
}

// find returns the machine (line, id, server) of obs, or nil.
func find(obs *Observation, line int, id string, server int) *Machine {
	for i := range obs.Machines {
		m := &obs.Machines[i]
		if m.Line == line && m.Server == server && m.ID == id {
			return m
		}
	}
	return nil
}

// Status is a pilot's state and its latest decisions, as an HTTP endpoint
// serves it (snake_case, times and durations in seconds).
type Status struct {
	// Policy names the policy the pilot runs.
	Policy string `json:"policy"`
	// Epoch is the time between decision epochs, in simulated seconds.
	Epoch float64 `json:"epoch_s"`
	// NextEpoch is the simulated time of the next decision epoch, in
	// seconds (0 before the first).
	NextEpoch float64 `json:"next_epoch_s"`
	// RecommendOnly says the pilot logs its decisions without applying any.
	RecommendOnly bool `json:"recommend_only"`
	// MaxPerHour caps the actions applied in any hour of the observation
	// clock.
	MaxPerHour int `json:"max_per_hour"`
	// Held says an operator holds the pilot: it decides nothing.
	Held bool `json:"held"`
	// HeldSince is the simulated time the hold began, in seconds, set
	// while the pilot is held.
	HeldSince *float64 `json:"held_since_s,omitempty"`
	// HoldReason is the operator's reason for the hold, set while the
	// pilot is held.
	HoldReason string `json:"hold_reason,omitempty"`
	// Stats count what the pilot did since it started.
	Stats Stats `json:"stats"`
	// DecisionsTotal is the number of decisions ever logged.
	DecisionsTotal uint64 `json:"decisions_total"`
	// Decisions are the kept decisions with a Seq after the one asked
	// for, oldest first.
	Decisions []Decision `json:"decisions"`
}

// Status returns the pilot's state and the decisions kept whose Seq is
// more than since (0: all kept).
func (p *Pilot) Status(since uint64) Status {
	p.mu.Lock()
	st := Status{Policy: p.policy.Name(), Epoch: p.epoch.Seconds(), NextEpoch: p.next.Seconds(),
		RecommendOnly: p.recommendOnly, MaxPerHour: p.maxPerHour, Held: p.held, Stats: p.stats}
	if p.held {
		s := p.heldAt.Seconds()
		st.HeldSince, st.HoldReason = &s, p.holdReason
	}
	p.mu.Unlock()
	st.Decisions, st.DecisionsTotal = p.log.since(since, []Decision{})
	return st
}
