package experiment

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/pilot"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// BatchOptions control a batch of independent replications of one line.
//
// The embedded Options give the duration, warm-up, base seed, trace and log
// of the batch; their Progress field is ignored (see Progress below). The
// caller resolves defaults (for example from spec.Run): Batch uses the
// values as given.
type BatchOptions struct {
	twin.Options
	// Config is the display name of the line's configuration, copied into
	// the report.
	Config string
	// Replications is the number of independent runs, at least 1.
	Replications int
	// Workers is the number of goroutines (cores) the batch runs on; 0
	// means runtime.GOMAXPROCS(0). Up to Replications of them run a
	// replication each; those left over run the copies of a replication's
	// line at once (twin.Options.CopyWorkers, when that is 0), for a line
	// whose copies share nothing. It never changes the results.
	Workers int
	// Progress, when not nil, is called now and then with the share of the
	// batch's simulated time done so far, in [0, 1], never decreasing, and
	// finally with 1. Calls never overlap (they may come from different
	// goroutines, one at a time), and the callback must not block for long:
	// replications wait while it runs.
	Progress func(fraction float64)
}

// Batch runs opt.Replications independent replications of the line in
// spec (which must have passed Validate) on a pool of opt.Workers goroutines
// and summarises them. Replication i runs with seed
// twin.ReplicationSeed(opt.Seed, i) and its Result is placed at index i, so
// the report is identical for any worker count and GOMAXPROCS, except for
// its timing fields (wall_s, events_per_second and each run's wall_s).
//
// When opt.Trace is not nil, only replication 0 writes its sensor readings
// to it (interleaving the traces of parallel runs would make no sense).
// Each replication logs to opt.Log as twin.Run does, tagged with its
// replication number; Batch itself logs one line at the start and one at
// the end.
//
// If a replication fails (or panics), Batch starts no further replications
// and returns the error of the failed replication with the lowest index.
func Batch(spec *twin.Spec, opt BatchOptions) (*Report, error) {
	if err := checkBatch("experiment.Batch", spec, opt); err != nil {
		return nil, err
	}
	if opt.Replications < 1 || opt.Replications > twin.MaxReplications {
		return nil, fmt.Errorf("experiment.Batch: %d replications: want 1 to %d", opt.Replications, twin.MaxReplications)
	}
	log := opt.Log
	if log == nil {
		log = zap.NewNop()
	}
	workers := min(opt.workers(), opt.Replications)
	opt.CopyWorkers = opt.copyWorkers(workers)
	log.Info("batch start",
		zap.String("config", opt.Config),
		zap.Int("replications", opt.Replications),
		zap.Int("workers", workers),
		zap.Int("copy_workers", opt.CopyWorkers),
		zap.Float64("duration_s", opt.Duration.Seconds()),
		zap.Float64("warmup_s", opt.Warmup.Seconds()),
		zap.Uint64("seed", opt.Seed))

	start := time.Now()
	prog := newProgress(opt.Progress, opt.Replications, opt.Duration)
	results, err := runReplications(spec, opt, 0, opt.Replications, workers, log, prog)
	if err != nil {
		return nil, err
	}

	rep := newTimedReport(spec, opt, results, start)
	log.Info("batch done",
		zap.Uint64("events", rep.Events),
		zap.Float64("wall_s", rep.WallSeconds),
		zap.String("bottleneck", rep.Bottleneck))
	return rep, nil
}

// newTimedReport is newReport with the line's target and the timing fields
// of a batch that began at start.
func newTimedReport(spec *twin.Spec, opt BatchOptions, results []twin.Result, start time.Time) *Report {
	rep := newReport(opt.Config, opt.Options, results)
	rep.TargetPerHour = finite(spec.TargetPerHour)
	rep.WallSeconds = time.Since(start).Seconds()
	if rep.WallSeconds > 0 {
		rep.EventsPerSecond = float64(rep.Events) / rep.WallSeconds
	}
	return rep
}

// checkBatch returns an error, prefixed by fn, for a nil spec or options
// that cannot run (the replication count aside).
func checkBatch(fn string, spec *twin.Spec, opt BatchOptions) error {
	switch {
	case spec == nil:
		return fmt.Errorf("%s: nil spec", fn)
	case opt.Duration <= 0 || opt.Duration > sim.MaxSpan:
		return fmt.Errorf("%s: duration %v: must be positive and at most 100 years", fn, opt.Duration)
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

// copyWorkers returns the copy workers of each replication when
// replications run at once: opt.CopyWorkers when set, else the workers
// left over shared among them.
func (opt *BatchOptions) copyWorkers(replications int) int {
	if opt.CopyWorkers != 0 {
		return opt.CopyWorkers
	}
	return max(1, opt.workers()/max(replications, 1))
}

// runReplications runs replications from to to-1 on a pool of workers
// goroutines and returns their results in replication order. If one fails
// (or panics), it starts no further replications and returns the error of
// the failed replication with the lowest index.
func runReplications(spec *twin.Spec, bopt BatchOptions, from, to, workers int, log *zap.Logger, prog *progress) ([]twin.Result, error) {
	results := make([]twin.Result, to-from)
	bopt.CopyWorkers = bopt.copyWorkers(min(workers, to-from))
	err := runPool(context.Background(), to-from, workers, func(k int) error {
		i := from + k
		opt := bopt.Options
		opt.Progress = prog.reporter(i)
		opt.Log = log.With(zap.Int("replication", i+1))
		if i != 0 {
			opt.Trace = nil
		}
		res, err := runReplication(spec, opt, i)
		if err != nil {
			return fmt.Errorf("replication %d (seed %d): %w", i+1, twin.ReplicationSeed(bopt.Seed, i), err)
		}
		results[k] = *res
		prog.finish(i)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// runReplication runs replication i of spec: twin.Run with opt and the seed
// twin.ReplicationSeed(opt.Seed, i). It turns a panic into an error, so
// that one bad run cannot take down the process with the other workers'
// output.
func runReplication(spec *twin.Spec, opt twin.Options, i int) (res *twin.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	opt.Seed = twin.ReplicationSeed(opt.Seed, i)
	if opt.Control == nil {
		// The line's autopilot, if its config has one: a pilot of its
		// own per replication.
		if opt.Control, err = pilot.SpecControl(spec); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	res, err = twin.Run(spec, opt)
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
