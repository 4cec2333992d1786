package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/cmd/internal/atomicfile"
	"github.com/lightsout-sim/lightsout/cmd/internal/memlimit"
	"github.com/lightsout-sim/lightsout/cmd/internal/pilotflags"
	"github.com/lightsout-sim/lightsout/cmd/internal/progress"
	chart "github.com/lightsout-sim/lightsout/cmd/internal/report"
	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/experiment"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

// batchFlags are the flags of "lightsout batch".
type batchFlags struct {
	config          string
	duration        durationFlag
	warmup          warmupFlag
	seed            uint64
	replications    int
	workers         int
	json, csv       bool
	perReplication  bool
	out, trace      string
	report          string
	pilots          int
	precision       string
	maxReplications int
	maxMemory       string
	autopilot       pilotflags.Flags
}

func newBatchCmd(a *app) *cobra.Command {
	var f batchFlags
	cmd := &cobra.Command{
		Use:   "batch",
		Short: "Run replications of a line and report KPIs with confidence intervals",
		Long: `batch runs independent replications of a line in parallel and reports the
line's throughput, flow time, WIP, yield and OEE, each station's and robot
arm's time shares, the bottleneck and a Little's law check: the mean over
replications with the half-width of its 95% confidence interval (Student t).

The duration, warm-up, seed and number of replications default to the run:
block of the config; a flag overrides it only when given. Replication i uses
a seed derived from (seed, i), so the output is the same for any --workers
and any machine; only the timing figures (wall_s, events_per_second) vary.

--workers is the number of cores to use (default: all). Each runs a
replication; workers left over, when there are fewer replications than
workers, run the copies of a line with lines: 2 or more side by side within
a replication (each copy on its own core), when the copies share nothing: no
shared crew, no autopilot and, for replication 1, no --trace. So
--replications 1 --workers 2 runs the two lines of the default factory on
two cores. The results are the same either way.

Output goes to stdout, or to --out (written to a temporary file and renamed
into place, so it appears complete or not at all). Formats:
  (default)  an aligned table for people
  --json     one JSON document; field names are a stable contract (README)
  --csv      one row per entity: a header row, then section=summary (the
             line; id = config), section=station rows in flow order and
             section=arm rows. Each metric has a column and a <metric>_ci95
             column; cells that do not apply to a section are empty. Numbers
             are plain decimals (no thousands separators, no exponents).
             With --per-replication: one row per replication instead
             (replication from 1, then each figure of the line for that run,
             as the JSON report's runs hold them).

--trace writes the sensor readings of replication 1 as JSON lines, streamed
to disk as the run goes (also via a temporary file).

--warmup auto chooses the warm-up by MSER-5: it first runs --pilots
replications (default 5) of the full duration with no warm-up, from a seed
derived from --seed (so they are not the measured runs), averages their
good output per bucket of simulated time (duration/500, at least a minute),
and cuts the start that minimises the MSER-5 statistic, searched over the
first half of the run. The chosen warm-up is logged and reported
(warmup_s, and warmup_auto in --json).

--precision runs replications in rounds until the 95% half-width of the
good output per hour is small enough: --precision 0.01 or 1% means within
1% of the mean, --precision 5/h within 5 good units per hour. The first
round has --replications runs (at least 2), each further round 10, up to
--max-replications (default 200); the rule is checked only between rounds,
so the result is the same for any --workers. The report says how many
replications ran and whether the target was met (precision in --json); a
target not met is a warning, not an error.

Before anything runs, batch estimates the memory it would need (the runs
under way on --workers, the results it keeps) and refuses, with status 2, a
batch that would need more than --max-memory (default: $LIGHTSOUT_MAX_MEMORY,
or else half of the machine's memory). Sizes are bounded too: at most 100000
replications, 1000 pilots, and runs of at most 100 years (36500d).

--autopilot NAME flies an autopilot policy on every replication (none,
predictive or forecast; see docs/autopilot.md), in place of the config's
autopilot: block if it has one. Its decisions are events of the run, so the
results stay reproducible; what it did is reported (autopilot in --json).

On a terminal, a progress bar with an ETA is drawn on stderr; otherwise
(a log file, a cluster job) a log line reports every 10% done.

Examples:
  lightsout batch
  lightsout batch --config phone-factory --duration 30d --autopilot predictive
  lightsout batch --config phone-factory --duration 30d --warmup 2d --replications 20
  lightsout batch --config my-line.yaml --json --out result.json
  lightsout batch --csv --workers 4 > result.csv
  lightsout batch --duration 8h --replications 1 --trace readings.jsonl
  lightsout batch --config phone-factory --duration 14d --warmup auto
  lightsout batch --precision 1% --max-replications 100 --json`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			return runBatch(cmd.Context(), a, cmd.Flags(), &f)
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&f.config, "config", configs.Default, "config file, or the name of an embedded config (see 'lightsout configs')")
	fl.Var(&f.duration, "duration", "simulated length of each run, warm-up included, e.g. 7d, 8h, 90m (default: the config's run.duration)")
	fl.Var(&f.warmup, "warmup", "initial span left out of every statistic, or auto to choose it by MSER-5 (default: the config's run.warmup)")
	fl.IntVar(&f.pilots, "pilots", experiment.DefaultPilots, "pilot replications run to choose the warm-up with --warmup auto")
	fl.StringVar(&f.precision, "precision", "", "add replications until the good/h 95% half-width is at most this: a share of the mean (0.01 or 1%) or good units per hour (5/h)")
	fl.IntVar(&f.maxReplications, "max-replications", experiment.DefaultMaxReplications, "with --precision, the most replications to run")
	fl.Uint64Var(&f.seed, "seed", 0, "base random seed (default: the config's run.seed)")
	fl.IntVar(&f.replications, "replications", 0, "number of independent runs, at least 1 (default: the config's run.replications)")
	fl.IntVar(&f.workers, "workers", 0, "cores to use: replications run at once, and spare ones run a replication's line copies at once (default 0: all cores); never changes the results")
	fl.BoolVar(&f.json, "json", false, "print the report as JSON")
	fl.BoolVar(&f.csv, "csv", false, "print the report as CSV")
	fl.BoolVar(&f.perReplication, "per-replication", false, "with --csv: one row per replication (its figures for the line) instead of the summary")
	fl.StringVarP(&f.out, "out", "o", "", "write the report to this file instead of stdout (atomically)")
	fl.StringVar(&f.trace, "trace", "", "write replication 1's sensor readings to this file as JSON lines (atomically)")
	fl.StringVar(&f.report, "report", "", "write an HTML report with charts (index.html and PNGs) into this directory")
	f.autopilot.Register(fl)
	fl.StringVar(&f.maxMemory, "max-memory", "", "refuse a batch estimated to need more memory than this, e.g. 8GB (default: $"+memlimit.Env+", or half of the machine's)")
	return cmd
}

// runBatch checks every input, then runs the batch and writes its outputs.
// On any error it leaves no output file behind.
func runBatch(ctx context.Context, a *app, flags *pflag.FlagSet, f *batchFlags) error {
	if f.json && f.csv {
		return badInput("--json and --csv cannot be used together: choose one")
	}
	if f.perReplication && !f.csv {
		return badInput("--per-replication needs --csv (the JSON report has every replication under runs)")
	}
	spec, err := configs.Resolve(f.config)
	if err != nil {
		return configProblem(err)
	}
	opt, problems := batchOptions(spec, flags, f)
	prec, more := precisionOptions(flags, f)
	problems = append(problems, more...)
	problems = append(problems, checkOutputPaths(f)...)
	problems = append(problems, checkReportDir(f.report)...)
	_, more = f.autopilot.Check()
	problems = append(problems, more...)
	if f.autopilot.Enabled() {
		spec.Autopilot = f.autopilot.Spec()
	}
	budget, err := memlimit.Resolve(f.maxMemory, os.Getenv, "/")
	if err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		return badInputs(problems)
	}
	if err := checkBatchMemory(spec, opt, prec, f, budget); err != nil {
		return err
	}
	opt.Log = a.log

	// Create the output files first, so that an unwritable path fails
	// before a long run rather than after it.
	var trace, out *atomicfile.File
	defer func() { trace.Abort(); out.Abort() }()
	if f.trace != "" {
		if trace, err = atomicfile.Create(f.trace); err != nil {
			return fmt.Errorf("--trace: %w", err)
		}
		opt.Trace = trace
	}
	if f.out != "" {
		if out, err = atomicfile.Create(f.out); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
	}

	rep, err := runExperiment(ctx, a, spec, opt, prec, f)
	if err != nil {
		return err
	}
	return writeBatchOutputs(a, rep, opt.Duration, f, trace, out)
}

// runExperiment runs the batch's replications, after the pilots that choose
// the warm-up with --warmup auto, and as many as --precision needs.
func runExperiment(ctx context.Context, a *app, spec *twin.Spec, opt experiment.BatchOptions, prec *experiment.PrecisionOptions, f *batchFlags) (*experiment.Report, error) {
	var auto *experiment.WarmupEstimate
	if f.warmup.auto {
		var err error
		auto, err = longRun(ctx, a, opt.Config+" (warm-up pilots)", nil, func(_ context.Context, progress func(float64)) (*experiment.WarmupEstimate, error) {
			p := opt
			p.Progress = progress
			return experiment.DetectWarmup(spec, p, f.pilots)
		})
		if err != nil {
			return nil, err
		}
		opt.Warmup = auto.Warmup
	}
	rep, err := longRun(ctx, a, opt.Config, progress.Log(a.log, "batch progress"), func(_ context.Context, progress func(float64)) (*experiment.Report, error) {
		opt.Progress = progress
		if prec == nil {
			return experiment.Batch(spec, opt)
		}
		prec.BatchOptions = opt
		return experiment.BatchToPrecision(spec, *prec)
	})
	if err != nil {
		return nil, err
	}
	rep.WarmupAuto = auto
	return rep, nil
}

// writeBatchOutputs writes the HTML report (--report), then the report to
// out, or else to stdout, and commits the trace and out.
func writeBatchOutputs(a *app, rep *experiment.Report, duration sim.Time, f *batchFlags, trace, out *atomicfile.File) error {
	if f.report != "" {
		if err := chart.WriteBatch(f.report, chart.FromBatch(rep, duration)); err != nil {
			return fmt.Errorf("--report: %w", err)
		}
		a.log.Info("report written", zap.String("page", filepath.Join(f.report, "index.html")))
	}
	if out == nil {
		// Report on stdout: the trace goes into place first, so that a
		// printed report always has its trace.
		if err := atomicfile.CommitAll(trace); err != nil {
			return err
		}
		bw := bufio.NewWriter(a.stdout)
		if err := writeReport(bw, rep, f); err != nil {
			return err
		}
		return bw.Flush()
	}
	if err := writeReport(out, rep, f); err != nil {
		return err
	}
	return atomicfile.CommitAll(trace, out)
}

// batchOptions merges the config's run: defaults with the flags given and
// returns every problem found, one per line.
func batchOptions(spec *twin.Spec, flags *pflag.FlagSet, f *batchFlags) (experiment.BatchOptions, []string) {
	opt := experiment.BatchOptions{
		Options: twin.Options{
			Duration: spec.Run.Duration,
			Warmup:   spec.Run.Warmup,
			Seed:     spec.Run.Seed,
		},
		Config:       f.config,
		Replications: spec.Run.Replications,
		Workers:      f.workers,
	}
	src := map[string]string{"duration": "run.duration", "warmup": "run.warmup", "replications": "run.replications"}
	if f.duration.set {
		opt.Duration, src["duration"] = f.duration.t, "--duration"
	}
	if f.warmup.set {
		opt.Warmup, src["warmup"] = f.warmup.t, "--warmup"
	}
	if f.warmup.auto {
		opt.Warmup = 0 // chosen later, from the pilots
	}
	if flags.Changed("seed") {
		opt.Seed = f.seed
	}
	if flags.Changed("replications") {
		opt.Replications, src["replications"] = f.replications, "--replications"
	}
	var problems []string
	if opt.Duration <= 0 {
		problems = append(problems, fmt.Sprintf("%s %s: must be positive", src["duration"], textfmt.Span(opt.Duration)))
	} else if opt.Warmup >= opt.Duration {
		problems = append(problems, fmt.Sprintf("%s %s is not shorter than %s %s",
			src["warmup"], textfmt.Span(opt.Warmup), src["duration"], textfmt.Span(opt.Duration)))
	}
	if opt.Replications < 1 {
		problems = append(problems, fmt.Sprintf("%s %d: need at least 1", src["replications"], opt.Replications))
	} else if opt.Replications > twin.MaxReplications {
		problems = append(problems, fmt.Sprintf("%s %d: at most %d", src["replications"], opt.Replications, twin.MaxReplications))
	}
	if opt.Workers < 0 {
		problems = append(problems, fmt.Sprintf("--workers %d: must not be negative (0 means all cores)", opt.Workers))
	}
	if !f.warmup.auto && flags.Changed("pilots") {
		problems = append(problems, "--pilots needs --warmup auto")
	}
	if f.warmup.auto && f.pilots < 1 {
		problems = append(problems, fmt.Sprintf("--pilots %d: need at least 1 pilot replication for --warmup auto", f.pilots))
	} else if f.warmup.auto && f.pilots > experiment.MaxPilots {
		problems = append(problems, fmt.Sprintf("--pilots %d: at most %d", f.pilots, experiment.MaxPilots))
	}
	return opt, problems
}

// checkBatchMemory refuses a batch, or its warm-up pilots, estimated to
// need more memory than budget allows: one line saying how much and what
// for.
func checkBatchMemory(spec *twin.Spec, opt experiment.BatchOptions, prec *experiment.PrecisionOptions, f *batchFlags, budget memlimit.Budget) error {
	reps := opt.Replications
	if prec != nil {
		reps = max(reps, prec.MaxReplications)
	}
	estimates := []experiment.Memory{experiment.BatchMemory("the batch", spec, opt, reps)}
	if f.warmup.auto {
		estimates = append(estimates, experiment.BatchMemory("the warm-up pilots", spec, opt, f.pilots))
	}
	for _, m := range estimates {
		if err := m.Check(budget.Bytes); err != nil {
			return badInput("%v %s", err, budget.Hint())
		}
	}
	return nil
}

// precisionOptions parses --precision and --max-replications; it returns
// nil options when --precision is not given. The batch options are filled
// in by the caller.
func precisionOptions(flags *pflag.FlagSet, f *batchFlags) (*experiment.PrecisionOptions, []string) {
	if f.precision == "" {
		if flags.Changed("max-replications") {
			return nil, []string{"--max-replications needs --precision"}
		}
		return nil, nil
	}
	var problems []string
	target, relative, err := experiment.ParsePrecision(f.precision)
	if err != nil {
		problems = append(problems, "--precision "+err.Error())
	}
	if f.maxReplications < 2 {
		problems = append(problems, fmt.Sprintf("--max-replications %d: need at least 2 for a confidence interval", f.maxReplications))
	} else if f.maxReplications > twin.MaxReplications {
		problems = append(problems, fmt.Sprintf("--max-replications %d: at most %d", f.maxReplications, twin.MaxReplications))
	}
	return &experiment.PrecisionOptions{Target: target, Relative: relative, MaxReplications: f.maxReplications}, problems
}

// warmupFlag is --warmup: a simulated duration, or "auto" for MSER-5.
type warmupFlag struct {
	durationFlag
	auto bool
}

// Set accepts "auto" or a duration.
func (w *warmupFlag) Set(s string) error {
	if strings.EqualFold(strings.TrimSpace(s), "auto") {
		w.auto, w.set = true, false
		return nil
	}
	w.auto = false
	return w.durationFlag.Set(s)
}

func (w *warmupFlag) String() string {
	if w.auto {
		return "auto"
	}
	return w.durationFlag.String()
}

func (w *warmupFlag) Type() string { return "duration|auto" }

// checkOutputPaths catches output paths that cannot work before anything
// runs.
func checkOutputPaths(f *batchFlags) []string {
	var problems []string
	for _, p := range []struct{ flag, path string }{{"--out", f.out}, {"--trace", f.trace}} {
		if p.path == "" {
			continue
		}
		if fi, err := os.Stat(p.path); err == nil && fi.IsDir() {
			problems = append(problems, fmt.Sprintf("%s %s: is a directory", p.flag, p.path))
		}
	}
	if f.out != "" && f.out == f.trace {
		problems = append(problems, fmt.Sprintf("--out and --trace both name %s", f.out))
	}
	return problems
}

// writeReport writes rep in the format the flags ask for.
func writeReport(w io.Writer, rep *experiment.Report, f *batchFlags) error {
	switch {
	case f.json:
		return experiment.WriteReportJSON(w, rep)
	case f.csv && f.perReplication:
		return writeReplicationsCSV(w, rep)
	case f.csv:
		return experiment.WriteReportCSV(w, rep)
	}
	return experiment.WriteReportText(w, rep)
}

// checkReportDir reports a --report that cannot be a directory.
func checkReportDir(dir string) []string {
	if dir == "" {
		return nil
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return []string{fmt.Sprintf("--report %s: is a file, not a directory", dir)}
	}
	return nil
}
