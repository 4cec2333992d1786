package autopilot

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// The reasons the policy forecast gives.
const (
	ReasonBelowTarget = "shift forecast below target: the best of the what-ifs"
	ReasonDeviation   = "deviation raised: the best of the what-ifs"
)

// MaxCandidates bounds the candidates the policy forecast evaluates at once.
const MaxCandidates = 16

// forecastPolicy asks what-ifs of a few candidate actions when the shift
// falls behind or a deviation is raised, and applies the best.
type forecastPolicy struct {
	p     ForecastParams
	eval  Evaluator
	tr    tracker
	cons  []constraint
	flat  []Action
	cands [][]Action
	outs  []Outcome
	nums  []Number
	rank  []int
	// seen is the time of the latest forecast looked at, dev that of the
	// latest deviation, acted when it last acted (-1: never).
	seen, dev, acted sim.Time
}

func newForecast(p ForecastParams, pp PredictiveParams, eval Evaluator) *forecastPolicy {
	return &forecastPolicy{p: p, eval: eval, tr: newTracker(pp),
		seen: -1, dev: -1, acted: -1, nums: make([]Number, 0, 16)}
}

func (f *forecastPolicy) Name() string    { return "forecast" }
func (f *forecastPolicy) Epoch() sim.Time { return f.p.Epoch }

// Decide acts when a forecast it has not looked at yet has its P50 below
// the target, or a deviation newer than those it saw is raised, and it did
// not act within Cooldown. It then evaluates, in this order: sending a
// busy crew first to each machine waiting behind others (up to three per
// crew); each constraint a SpeedStep faster (up to MaxSpeed); BufferStep
// units of capacity moved to each constraint's input buffer from the
// station of its copy with the most free space; maintaining the machines
// with the shortest remaining lives (at most MaintainCandidates, lives at
// most MaintainHorizon). It applies the candidate with the highest paired
// median gain, if that gain is more than 0 and at least MinGain; ties go
// to the earlier candidate.
func (f *forecastPolicy) Decide(ctx context.Context, obs *Observation, dst []Action) ([]Action, error) {
	f.tr.observe(obs)
	f.cons = findConstraints(obs, f.cons)
	f.nums = f.nums[:0]
	short := false
	if fc := obs.Forecast; fc != nil && fc.At > f.seen {
		f.seen = fc.At
		short = fc.P50 < fc.Target
	}
	var raised *Deviation
	for i := range obs.Deviations {
		if d := &obs.Deviations[i]; d.At > f.dev {
			f.dev, raised = d.At, d
		}
	}
	if !short && raised == nil || f.acted >= 0 && obs.Now-f.acted < f.p.Cooldown {
		return dst, nil
	}
	f.candidates(obs)
	if len(f.cands) == 0 {
		return dst, nil
	}
	var err error
	f.outs, err = f.eval.Evaluate(ctx, obs, f.cands, f.outs[:0])
	if err != nil {
		return dst, fmt.Errorf("autopilot forecast: what-if: %w", err)
	}
	if len(f.outs) != len(f.cands) {
		return dst, fmt.Errorf("autopilot forecast: the evaluator gave %d outcome(s) for %d candidate(s)", len(f.outs), len(f.cands))
	}
	best := -1
	for i, o := range f.outs {
		if o.P50 > 0 && o.P50 >= f.p.MinGain && (best < 0 || o.P50 > f.outs[best].P50) {
			best = i
		}
	}
	if best < 0 {
		return dst, nil
	}
	f.acted = obs.Now
	o := f.outs[best]
	reason := ReasonDeviation
	if short {
		reason = ReasonBelowTarget
	}
	start := len(f.nums)
	if fc := obs.Forecast; fc != nil {
		f.nums = append(f.nums, Number{"forecast_p50", fc.P50}, Number{"target", fc.Target})
	}
	f.nums = append(f.nums,
		Number{"deviation", b2f(raised != nil)},
		Number{"gain_p10", o.P10},
		Number{"gain_p50", o.P50},
		Number{"gain_p90", o.P90},
		Number{"replications", float64(o.Replications)},
		Number{"candidates", float64(len(f.cands))},
		Number{"candidate", float64(best + 1)},
	)
	nums := f.nums[start:len(f.nums):len(f.nums)]
	for _, a := range f.cands[best] {
		a.Reason, a.Numbers = reason, nums
		dst = append(dst, a)
	}
	return dst, nil
}

// candidates fills f.cands with one-action candidates, in the order Decide
// documents, at most MaxCandidates.
func (f *forecastPolicy) candidates(obs *Observation) {
	f.flat = f.flat[:0]
	for k := range obs.Crews {
		cr := &obs.Crews[k]
		if cr.Free() > 0 {
			continue
		}
		for pos := 1; pos < len(cr.Queue) && pos <= 3; pos++ {
			q := cr.Queue[pos]
			f.flat = append(f.flat, Action{Kind: Dispatch, Line: q.Line, Target: q.ID, Server: q.Server})
		}
	}
	for line := range f.cons {
		c := &f.cons[line]
		if c.machine < 0 {
			continue
		}
		m := &obs.Machines[c.machine]
		if s := math.Min(m.Speed+f.p.SpeedStep, f.p.MaxSpeed); f.p.SpeedStep > 0 && s > m.Speed {
			f.flat = append(f.flat, Action{Kind: SetSpeed, Line: line, Target: m.ID, Speed: s})
		}
		if donor := f.donor(obs, line, c); f.p.BufferStep > 0 && donor >= 0 && m.Capacity != InfCapacity {
			d := &obs.Machines[donor]
			f.flat = append(f.flat, Action{Kind: MoveBuffer, Line: line, Target: m.ID, From: d.ID, Units: f.p.BufferStep,
				FromCapacity: d.Capacity - f.p.BufferStep, ToCapacity: m.Capacity + f.p.BufferStep})
		}
	}
	f.rank = f.rank[:0]
	for i := range obs.Machines {
		m := &obs.Machines[i]
		tr := &f.tr.tracks[f.tr.of[i]]
		if tr.sensor >= 0 && tr.life.RUL <= f.p.MaintainHorizon && !m.State.Stopped() && !queued(obs, m) {
			f.rank = append(f.rank, i)
		}
	}
	slices.SortFunc(f.rank, func(a, b int) int {
		return cmp.Or(cmp.Compare(f.tr.tracks[f.tr.of[a]].life.RUL, f.tr.tracks[f.tr.of[b]].life.RUL), cmp.Compare(a, b))
	})
	for _, i := range f.rank[:min(len(f.rank), f.p.MaintainCandidates)] {
		m := &obs.Machines[i]
		f.flat = append(f.flat, Action{Kind: Maintain, Line: m.Line, Target: m.ID, Server: m.Server})
	}
	f.flat = f.flat[:min(len(f.flat), MaxCandidates)]
	f.cands = f.cands[:0]
	for i := range f.flat {
		f.cands = append(f.cands, f.flat[i:i+1:i+1])
	}
}

// donor returns the index of the station of copy line, other than the
// constraint, with a bounded buffer and the most free space (at least
// BufferStep units), the first in flow order on a tie; -1 when none.
func (f *forecastPolicy) donor(obs *Observation, line int, c *constraint) int {
	best, free := -1, f.p.BufferStep-1
	for i := range obs.Machines {
		m := &obs.Machines[i]
		if m.Kind != Station || m.Server != 0 || m.Line != line || m.ID == c.id || m.Capacity == InfCapacity || m.Stale {
			continue
		}
		if fr := m.Capacity - max(m.Buffer, 0); fr > free {
			best, free = i, fr
		}
	}
	return best
}

// queued reports whether m is in a crew's queue.
func queued(obs *Observation, m *Machine) bool {
	for i := range obs.Crews {
		for _, q := range obs.Crews[i].Queue {
			if q.Line == m.Line && q.Server == m.Server && q.ID == m.ID {
				return true
			}
		}
	}
	return false
}
