package twin

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// BatchOptions control a batch of independent replications of one line.
//
// The embedded Options give the duration, warm-up, base seed, trace and log
// of the batch; their Progress field is ignored (see Progress below). The
// caller resolves defaults (for example from spec.Run): Batch uses the
// values as given.
type BatchOptions struct {
	Options
	// Config is the display name of the line's configuration, copied into
	// the report.
	Config string
	// Replications is the number of independent runs, at least 1.
	Replications int
	// Workers is the number of replications run at once; 0 means
	// runtime.GOMAXPROCS(0). It never changes the results.
	Workers int
	// Progress, when not nil, is called now and then with the share of the
	// batch's simulated time done so far, in [0, 1], never decreasing, and
	// finally with 1. Calls never overlap (they may come from different
	// goroutines, one at a time), and the callback must not block for long:
	// replications wait while it runs.
	Progress func(fraction float64)
}

// ReplicationSeed returns the seed of replication i of a batch with base
// seed seed: the replications' random numbers are independent streams, and
// replication i gets the same seed whatever the worker count.
func ReplicationSeed(seed uint64, i int) uint64 {
	return sim.StreamSeed(seed, fmt.Sprintf("replication/%d", i))
}

// Batch runs opt.Replications independent replications of the line in
// spec (which must have passed Validate) on a pool of opt.Workers goroutines
// and summarises them. Replication i runs with seed ReplicationSeed(opt.Seed, i)
// and its Result is placed at index i, so the report is identical for any
// worker count and GOMAXPROCS, except for its timing fields (wall_s,
// events_per_second and each run's wall_s).
//
// When opt.Trace is not nil, only replication 0 writes its sensor readings
// to it (interleaving the traces of parallel runs would make no sense).
// Each replication logs to opt.Log as Run does, tagged with its
// replication number; Batch itself logs one line at the start and one at
// the end.
//
// If a replication fails (or panics), Batch starts no further replications
// and returns the error of the failed replication with the lowest index.
func Batch(spec *Spec, opt BatchOptions) (*Report, error) {
	if err := checkBatch("twin.Batch", spec, opt); err != nil {
		return nil, err
	}
	if opt.Replications < 1 {
		return nil, fmt.Errorf("twin.Batch: %d replications: need at least 1", opt.Replications)
	}
	log := opt.Log
	if log == nil {
		log = zap.NewNop()
	}
	workers := min(opt.workers(), opt.Replications)
	log.Info("batch start",
		zap.String("config", opt.Config),
		zap.Int("replications", opt.Replications),
		zap.Int("workers", workers),
		zap.Stringer("duration", opt.Duration),
		zap.Stringer("warmup", opt.Warmup),
		zap.Uint64("seed", opt.Seed))

	start := time.Now()
	prog := newBatchProgress(opt.Progress, opt.Replications, opt.Duration)
	results, err := runReplications(spec, opt, 0, opt.Replications, workers, log, prog)
	if err != nil {
		return nil, err
	}

	rep := summarize(opt.Config, opt.Options, results)
	rep.TargetPerHour = finiteOrZero(spec.TargetPerHour)
	rep.WallSeconds = time.Since(start).Seconds()
	if rep.WallSeconds > 0 {
		rep.EventsPerSecond = float64(rep.Events) / rep.WallSeconds
	}
	log.Info("batch done",
		zap.Uint64("events", rep.Events),
		zap.Float64("wall_s", rep.WallSeconds),
		zap.String("bottleneck", rep.Bottleneck))
	return rep, nil
}

// checkBatch returns an error, prefixed by fn, for a nil spec or options
// that cannot run (the replication count aside).
func checkBatch(fn string, spec *Spec, opt BatchOptions) error {
	switch {
	case spec == nil:
		return fmt.Errorf("%s: nil spec", fn)
	case opt.Duration <= 0:
		return fmt.Errorf("%s: duration %v: must be positive", fn, opt.Duration)
	case opt.Warmup < 0 || opt.Warmup >= opt.Duration:
		return fmt.Errorf("%s: warm-up %v: must be in [0, duration %v)", fn, opt.Warmup, opt.Duration)
	case opt.Workers < 0:
		return fmt.Errorf("%s: %d workers: must not be negative", fn, opt.Workers)
	}
	return nil
}

// workers returns the number of workers to run: opt.Workers, or
// runtime.GOMAXPROCS(0) when it is 0.
func (opt *BatchOptions) workers() int {
	if opt.Workers > 0 {
		return opt.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// runReplications runs replications from to to-1 on a pool of workers
// goroutines and returns their results in replication order. If one fails
// (or panics), it starts no further replications and returns the error of
// the failed replication with the lowest index.
func runReplications(spec *Spec, opt BatchOptions, from, to, workers int, log *zap.Logger, prog *batchProgress) ([]Result, error) {
	n := to - from
	results := make([]Result, n)
	errs := make([]error, n)
	var (
		next   atomic.Int64
		failed atomic.Bool
		wg     sync.WaitGroup
	)
	for range min(workers, n) {
		wg.Go(func() {
			for !failed.Load() {
				k := int(next.Add(1) - 1)
				if k >= n {
					return
				}
				i := from + k
				res, err := runReplication(spec, opt, i, log, prog)
				if err != nil {
					errs[k] = fmt.Errorf("replication %d (seed %d): %w", i, ReplicationSeed(opt.Seed, i), err)
					failed.Store(true)
					return
				}
				results[k] = *res
				prog.finish(i)
			}
		})
	}
	wg.Wait()
	if err := firstError(errs); err != nil {
		return nil, err
	}
	return results, nil
}

// runReplication runs replication i, turning a panic into an error so that
// one bad run cannot take down the process with the other workers' output.
func runReplication(spec *Spec, bopt BatchOptions, i int, log *zap.Logger, prog *batchProgress) (res *Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	opt := bopt.Options
	opt.Seed = ReplicationSeed(bopt.Seed, i)
	opt.Progress = prog.reporter(i)
	opt.Log = log.With(zap.Int("replication", i))
	if i != 0 {
		opt.Trace = nil
	}
	start := time.Now()
	res, err = Run(spec, opt)
	if err != nil {
		return nil, err
	}
	if res == nil {
		return nil, errors.New("twin.Run returned no result")
	}
	res.Seed = opt.Seed
	if res.WallSeconds == 0 {
		res.WallSeconds = time.Since(start).Seconds()
	}
	return res, nil
}

// firstError returns the error with the lowest index, or nil.
func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// batchProgress adds up the simulated time reached by every replication and
// passes the batch's share done to the user's callback, one call at a time.
type batchProgress struct {
	report func(float64)
	total  float64        // replications x duration, ns
	done   []atomic.Int64 // simulated time reached per replication, ns
	mu     sync.Mutex     // serialises report
	dur    sim.Time
}

func newBatchProgress(report func(float64), reps int, dur sim.Time) *batchProgress {
	return &batchProgress{report: report, total: float64(reps) * float64(dur), done: make([]atomic.Int64, reps), dur: dur}
}

// reporter returns the Options.Progress callback of replication i.
func (p *batchProgress) reporter(i int) func(sim.Time) {
	if p.report == nil {
		return nil
	}
	return func(now sim.Time) {
		p.done[i].Store(int64(min(max(now, 0), p.dur)))
		// Skip the report while another goroutine is reporting: the next
		// call will include this one's progress.
		if p.mu.TryLock() {
			p.send()
			p.mu.Unlock()
		}
	}
}

// finish marks replication i complete and always reports.
func (p *batchProgress) finish(i int) {
	if p.report == nil {
		return
	}
	p.done[i].Store(int64(p.dur))
	p.mu.Lock()
	p.send()
	p.mu.Unlock()
}

// send reports the current share; p.mu is held. Each replication's time
// only grows and sums are taken under the lock, so reports never decrease.
func (p *batchProgress) send() {
	var sum float64
	for i := range p.done {
		sum += float64(p.done[i].Load())
	}
	p.report(min(sum/p.total, 1))
}
