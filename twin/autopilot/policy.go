package autopilot

import (
	"context"
	"fmt"
	"strings"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Policy decides what to do from observations. A policy is made for one
// run or one twin session (it remembers readings between epochs), is not
// safe for concurrent use, and is called by a Pilot, which applies its
// guard rails.
type Policy interface {
	// Name is the name the registry knows it by ("predictive").
	Name() string
	// Epoch is how often it wants to decide: a Pilot asks it at every
	// multiple of Epoch on the observation clock. More than 0.
	Epoch() sim.Time
	// Decide appends to dst the actions it takes on seeing obs and returns
	// the result. It must not keep obs or its slices; the Numbers of the
	// actions it returns stay valid until its next Decide. The same
	// observations in the same order give the same actions. An error
	// (the what-if evaluator failed, ctx ended) means no action this epoch.
	Decide(ctx context.Context, obs *Observation, dst []Action) ([]Action, error)
}

// Evaluator estimates what candidate actions would do, for the policy
// forecast: the twin forks what-ifs from its mirror, the simulator from
// the line's state. Each candidate is a set of actions applied together.
type Evaluator interface {
	// Evaluate fills out (reset to length 0 first) with one Outcome per
	// candidate, in order: each candidate's good output to the end of the
	// shift compared, replication by replication, with doing nothing, the
	// replications of every candidate and of the baseline sharing their
	// random numbers (common random numbers), so the differences are
	// paired. obs is the observation the policy decides from; neither it
	// nor the candidates may be kept after Evaluate returns.
	Evaluate(ctx context.Context, obs *Observation, candidates [][]Action, out []Outcome) ([]Outcome, error)
}

// Outcome is the paired estimate of one candidate: quantiles of the
// per-replication differences in good output (candidate minus doing
// nothing), and the number of replications.
type Outcome struct {
	Replications  int
	P10, P50, P90 float64
}

// Names returns the names of the policies, in the order they are listed.
func Names() []string { return []string{"none", "predictive", "forecast"} }

// New makes the policy named name with params p (validated first). The
// policy forecast needs an evaluator; the others ignore eval, which may be
// nil for them. An unknown name is an error listing the known ones.
func New(name string, p Params, eval Evaluator) (Policy, error) {
	switch name {
	case "none", "predictive", "forecast":
	default:
		return nil, fmt.Errorf("unknown autopilot policy %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	switch name {
	case "none":
		return &none{epoch: p.None.Epoch}, nil
	case "predictive":
		return newPredictive(p.Predictive), nil
	default:
		if eval == nil {
			return nil, fmt.Errorf("autopilot policy forecast needs a what-if evaluator")
		}
		return newForecast(p.Forecast, p.Predictive, eval), nil
	}
}

// none does nothing: machines run to failure, and the line's own calendar
// maintenance (in its config) is all the maintenance they get.
type none struct{ epoch sim.Time }

func (n *none) Name() string    { return "none" }
func (n *none) Epoch() sim.Time { return n.epoch }
func (n *none) Decide(_ context.Context, _ *Observation, dst []Action) ([]Action, error) {
	return dst, nil
}
