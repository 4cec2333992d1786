package forecast

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// A Result is what replications forked from one State produced
// between the state's time and Until.
type Result struct {
	From         sim.Time `json:"from_s"`
	Until        sim.Time `json:"until_s"`
	Replications int      `json:"replications"`
	Seed         uint64   `json:"seed,string"`
	// Good and Shipped are the units produced in the window, over all
	// copies of the line: P10, P50 and P90 over the replications.
	Good    Quantiles `json:"good"`
	Shipped Quantiles `json:"shipped"`
	// GoodRuns and ShippedRuns hold each replication's values, in
	// replication order.
	GoodRuns    []int64 `json:"good_runs"`
	ShippedRuns []int64 `json:"shipped_runs"`
}

// Quantiles are the 10th, 50th and 90th percentiles of a sample, linearly
// interpolated between order statistics (Hyndman and Fan type 7).
type Quantiles struct {
	// P10 is the 10th percentile.
	P10 float64 `json:"p10"`
	// P50 is the median.
	P50 float64 `json:"p50"`
	// P90 is the 90th percentile.
	P90 float64 `json:"p90"`
}

// runSlice is the simulated time a replication runs between two looks at
// its context: short enough that a cancelled forecast stops within
// milliseconds on the shipped lines, long enough to cost nothing.
const runSlice = sim.Minute

// Run forks reps replications of the line from st (replication i with
// seed twin.ReplicationSeed(seed, i), see twin.NewLineFromState), runs each
// to until and summarises their output. The result is the same for the
// same state and seed with any number of workers (0 means
// runtime.GOMAXPROCS(0)).
//
// Run looks at ctx between replications and every minute of simulated
// time within one; once ctx is done it starts no replication, stops the
// running ones and returns an error wrapping ctx.Err() that says how many
// replications had finished. Looking does not change the result.
func Run(ctx context.Context, spec *twin.Spec, st twin.State, until sim.Time, reps int, seed uint64, workers int) (Result, error) {
	switch {
	case spec == nil:
		return Result{}, errors.New("forecast: nil spec")
	case reps < 1:
		return Result{}, fmt.Errorf("forecast: %d replications: need at least 1", reps)
	case until < st.Time:
		return Result{}, fmt.Errorf("forecast: until %v is before the state's time %v", until, st.Time)
	case workers < 0:
		return Result{}, fmt.Errorf("forecast: %d workers: must not be negative", workers)
	}
	if err := spec.Validate(); err != nil {
		return Result{}, err
	}
	if err := st.Validate(spec); err != nil {
		return Result{}, err
	}
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	r := Result{From: st.Time, Until: until, Replications: reps, Seed: seed,
		GoodRuns: make([]int64, reps), ShippedRuns: make([]int64, reps)}
	errs := make([]error, reps)
	var next, finished atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, reps) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= reps {
					return
				}
				l, err := twin.NewLineFromState(spec, st, twin.ReplicationSeed(seed, i))
				if err != nil {
					errs[i] = err
					continue
				}
				if runSliced(ctx, l, until) {
					r.GoodRuns[i], r.ShippedRuns[i] = l.Output()
					finished.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("forecast: stopped after %d of %d replications: %w", finished.Load(), reps, err)
	}
	for _, err := range errs {
		if err != nil { // the first: every replication meets the same one
			return Result{}, fmt.Errorf("forecast: %w", err)
		}
	}
	r.Good, r.Shipped = QuantilesOf(r.GoodRuns), QuantilesOf(r.ShippedRuns)
	return r, nil
}

// runSliced runs l to until in slices of runSlice, looking at ctx after
// each; it reports whether l reached until.
func runSliced(ctx context.Context, l *twin.Line, until sim.Time) bool {
	for {
		next := until
		if until-l.Now() > runSlice {
			next = l.Now() + runSlice
		}
		l.RunUntil(next)
		if next == until {
			return true
		}
		if ctx.Err() != nil {
			return false
		}
	}
}

// QuantilesOf returns the P10, P50 and P90 of xs (type 7, as Quantiles
// says); xs must not be empty.
func QuantilesOf(xs []int64) Quantiles {
	s := slices.Clone(xs)
	slices.Sort(s)
	q := func(p float64) float64 {
		h := p * float64(len(s)-1)
		i := int(h)
		if i+1 >= len(s) {
			return float64(s[len(s)-1])
		}
		return float64(s[i]) + (h-float64(i))*float64(s[i+1]-s[i])
	}
	return Quantiles{P10: q(0.1), P50: q(0.5), P90: q(0.9)}
}
