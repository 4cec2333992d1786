package bench

import (
	"context"
	"errors"
	"fmt"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

// Budgets of the standard measurements: full, and quick (a few seconds).
const (
	// KernelPending is the number of pending events of the kernel's hold model.
	KernelPending = 1000
	// DefaultReplications is the size of the batch of the scaling measurement.
	DefaultReplications = 4
	// CopyWorkers is the most cores the factory run is given again, for
	// its copies at once.
	CopyWorkers = 2

	kernelEvents           = 20_000_000
	kernelEventsQuick      = 2_000_000
	factoryDuration        = sim.Year
	factoryDurationQuick   = 7 * sim.Day
	replicationLength      = 7 * sim.Day
	replicationLengthQuick = sim.Day
	ceilingLength          = sim.Year
	ceilingLengthQuick     = 100 * sim.Day
	ceilingPairs           = 11
	ceilingPairsQuick      = 5
)

// Options say what to measure and for how long.
type Options struct {
	// Config names the line for the report, and Spec is that line: the
	// factory run and the scaling batches run it.
	Config string
	Spec   *twin.Spec
	// KernelEvents is the number of events of the kernel measurement.
	KernelEvents int
	// Factory is the simulated length of the factory run. The report's
	// figure per simulated year is extrapolated when it is not a year.
	Factory sim.Time
	// Replication is the simulated length of each run of the scaling
	// measurement, and Replications their number (at least 2).
	Replication  sim.Time
	Replications int
	// CeilingSpec is the line of package ceiling (CeilingConfig), which the
	// engine and the hand-written loop both run, in CeilingPairs interleaved
	// pairs of runs of CeilingRun each.
	CeilingSpec  *twin.Spec
	CeilingRun   sim.Time
	CeilingPairs int
	// Quick marks a report made with the quick budgets (see Defaults).
	Quick bool
	// Log, if not nil, gets an info line as each measurement starts.
	Log *zap.Logger
}

// Defaults returns the budgets of the standard measurements, without a
// line: a year of factory, 20 million kernel events, 11 pairs of runs of a
// year for the ceiling and 4 replications of 7 days; with quick, 7 days of
// factory, 2 million kernel events, 5 pairs of 100 days and 4 replications
// of a day.
func Defaults(quick bool) Options {
	if quick {
		return Options{KernelEvents: kernelEventsQuick, Factory: factoryDurationQuick, Replication: replicationLengthQuick, Replications: DefaultReplications,
			CeilingRun: ceilingLengthQuick, CeilingPairs: ceilingPairsQuick, Quick: true}
	}
	return Options{KernelEvents: kernelEvents, Factory: factoryDuration, Replication: replicationLength, Replications: DefaultReplications,
		CeilingRun: ceilingLength, CeilingPairs: ceilingPairs}
}

// check returns what makes opt unusable, all at once.
func (opt *Options) check() error {
	var errs []error
	if opt.Spec == nil {
		errs = append(errs, errors.New("no line to run"))
	}
	if opt.CeilingSpec == nil {
		errs = append(errs, fmt.Errorf("no %s line for the ceiling", CeilingConfig))
	}
	if opt.CeilingRun <= 0 || opt.CeilingPairs < 1 {
		errs = append(errs, fmt.Errorf("ceiling: %d pairs of runs of %s: need at least 1 pair of positive length", opt.CeilingPairs, textfmt.Span(opt.CeilingRun)))
	}
	if opt.KernelEvents < 0 {
		errs = append(errs, fmt.Errorf("kernel events %d: must not be negative", opt.KernelEvents))
	}
	if opt.Factory <= 0 || opt.Replication <= 0 {
		errs = append(errs, fmt.Errorf("factory run %s, replications of %s: must be positive", textfmt.Span(opt.Factory), textfmt.Span(opt.Replication)))
	}
	if opt.Replications < 2 {
		errs = append(errs, fmt.Errorf("%d replications: need at least 2 to compare 1 and 2 workers", opt.Replications))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	return nil
}

// Run makes every measurement in turn and returns the report. It checks ctx
// between measurements and returns its error if it has ended.
func Run(ctx context.Context, opt Options) (*Report, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	log := opt.Log
	if log == nil {
		log = zap.NewNop()
	}
	rep := &Report{Quick: opt.Quick, Machine: describeMachine()}
	log.Info("bench: kernel")
	rep.Kernel = measureKernel(opt.KernelEvents)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	log.Info("bench: factory", zap.String("duration", textfmt.Span(opt.Factory)))
	var err error
	if rep.Factory, err = measureFactory(opt.Spec, opt.Config, opt.Factory); err != nil {
		return nil, err
	}
	rep.PeakMemory = peakMemory()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	log.Info("bench: factory, copies at once", zap.Int("lines", opt.Spec.Lines), zap.Int("workers", CopyWorkers))
	if rep.Copies, err = measureCopies(opt.Spec, rep.Factory, CopyWorkers); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	log.Info("bench: ceiling", zap.String("config", CeilingConfig), zap.Int("pairs", opt.CeilingPairs))
	if rep.Ceiling, err = measureCeiling(opt.CeilingSpec, opt.CeilingRun, opt.CeilingPairs); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	log.Info("bench: replications on 1 and 2 workers")
	if rep.Replications, err = measureScaling(opt.Spec, opt.Replication, opt.Replications); err != nil {
		return nil, err
	}
	return rep, nil
}
