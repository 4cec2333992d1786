package pilot

import (
	"context"
	"fmt"
	"slices"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// DefaultReplications is the what-if replications an Evaluator runs per
// candidate unless told otherwise.
const DefaultReplications = 8

// EvalOptions configure an Evaluator.
type EvalOptions struct {
	// Replications per candidate (and for the baseline); 0 means
	// DefaultReplications.
	Replications int
	// Seed derives the replications' random streams; with the state's
	// time, so what-ifs asked at different times draw afresh.
	Seed uint64
	// Horizon returns the end of the what-ifs forked at now: the end of
	// the shift.
	Horizon func(now sim.Time) sim.Time
}

// Evaluator is an autopilot.Evaluator that forks what-ifs from a line's
// state: replication r of every candidate and of the baseline (doing
// nothing) start from the same state with the same seed, so the
// differences are paired (common random numbers).
type Evaluator struct {
	fork  func() (twin.State, *twin.Spec, error)
	opt   EvalOptions
	base  []int64
	diffs []float64
}

// NewEvaluator returns an evaluator forking from the state fork returns
// (the live line's, or the twin's mirror's).
func NewEvaluator(fork func() (twin.State, *twin.Spec, error), opt EvalOptions) *Evaluator {
	if opt.Replications <= 0 {
		opt.Replications = DefaultReplications
	}
	return &Evaluator{fork: fork, opt: opt}
}

// seed returns the seed of replication r of what-ifs forked at t.
func (e *Evaluator) seed(t sim.Time, r int) uint64 {
	return sim.StreamSeed(e.opt.Seed, fmt.Sprintf("at/%d/replication/%d", int64(t), r))
}

// run forks the state with seed, gives the line the actions' commands,
// runs it to until and returns its good output from the fork on.
func run(ctx context.Context, spec *twin.Spec, st twin.State, seed uint64, acts []autopilot.Action, until sim.Time) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	l, err := twin.NewLineFromState(spec, st, seed)
	if err != nil {
		return 0, err
	}
	for i := range acts {
		cmds, n := Commands(&acts[i])
		for _, c := range cmds[:n] {
			if err := l.Do(c); err != nil {
				return 0, err
			}
		}
	}
	l.RunUntil(until)
	good, _ := l.Output()
	return good, nil
}

// Evaluate implements autopilot.Evaluator.
func (e *Evaluator) Evaluate(ctx context.Context, _ *autopilot.Observation, candidates [][]autopilot.Action, out []autopilot.Outcome) ([]autopilot.Outcome, error) {
	out = out[:0]
	st, spec, err := e.fork()
	if err != nil {
		return out, err
	}
	until := e.opt.Horizon(st.Time)
	n := e.opt.Replications
	e.base = e.base[:0]
	for r := range n {
		g, err := run(ctx, spec, st, e.seed(st.Time, r), nil, until)
		if err != nil {
			return out, err
		}
		e.base = append(e.base, g)
	}
	for _, c := range candidates {
		e.diffs = e.diffs[:0]
		for r := range n {
			g, err := run(ctx, spec, st, e.seed(st.Time, r), c, until)
			if err != nil {
				// An action the fork refuses (the machine went down since
				// it was seen): the candidate gains nothing.
				if ctx.Err() != nil {
					return out, ctx.Err()
				}
				g = e.base[r]
			}
			e.diffs = append(e.diffs, float64(g-e.base[r]))
		}
		q := quantiles(e.diffs)
		out = append(out, autopilot.Outcome{Replications: n, P10: q[0], P50: q[1], P90: q[2]})
	}
	return out, nil
}

// Baseline returns the 10th, 50th and 90th percentiles of the good output
// from now (the state's time) to until, doing nothing.
func (e *Evaluator) Baseline(ctx context.Context, until sim.Time) ([3]float64, error) {
	st, spec, err := e.fork()
	if err != nil {
		return [3]float64{}, err
	}
	e.diffs = e.diffs[:0]
	for r := range e.opt.Replications {
		g, err := run(ctx, spec, st, e.seed(st.Time, r), nil, max(until, st.Time))
		if err != nil {
			return [3]float64{}, err
		}
		e.diffs = append(e.diffs, float64(g))
	}
	return quantiles(e.diffs), nil
}

// quantiles returns the 10th, 50th and 90th percentiles of xs (sorted in
// place), interpolating between order statistics.
func quantiles(xs []float64) [3]float64 {
	slices.Sort(xs)
	var q [3]float64
	for i, p := range [3]float64{0.1, 0.5, 0.9} {
		q[i] = quantile(xs, p)
	}
	return q
}

func quantile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	h := p * float64(len(sorted)-1)
	lo := int(h)
	if lo+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

var _ autopilot.Evaluator = (*Evaluator)(nil)
