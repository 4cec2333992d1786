package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
)

// batchFlags are the flags of "lightsout batch".
type batchFlags struct {
	config           string
	duration, warmup durationFlag
	seed             uint64
	replications     int
	workers          int
	json, csv        bool
	out, trace       string
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

Output goes to stdout, or to --out (written to a temporary file and renamed
into place, so it appears complete or not at all). Formats:
  (default)  an aligned table for people
  --json     one JSON document; field names are a stable contract (README)
  --csv      one row per entity: a header row, then section=summary (the
             line; id = config), section=station rows in flow order and
             section=arm rows. Each metric has a column and a <metric>_ci95
             column; cells that do not apply to a section are empty. Numbers
             are plain decimals (no thousands separators, no exponents).

--trace writes the sensor readings of replication 0 as JSON lines, streamed
to disk as the run goes (also via a temporary file).

On a terminal, a progress bar with an ETA is drawn on stderr.

Examples:
  lightsout batch
  lightsout batch --config phone-factory --duration 30d --warmup 2d --replications 20
  lightsout batch --config my-line.yaml --json --out result.json
  lightsout batch --csv --workers 4 > result.csv
  lightsout batch --duration 8h --replications 1 --trace readings.jsonl`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			return runBatch(cmd.Context(), a, cmd.Flags(), &f)
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&f.config, "config", configs.Default, "config file, or the name of an embedded config (see 'lightsout configs')")
	fl.Var(&f.duration, "duration", "simulated length of each run, warm-up included, e.g. 7d, 8h, 90m (default: the config's run.duration)")
	fl.Var(&f.warmup, "warmup", "initial span left out of every statistic (default: the config's run.warmup)")
	fl.Uint64Var(&f.seed, "seed", 0, "base random seed (default: the config's run.seed)")
	fl.IntVar(&f.replications, "replications", 0, "number of independent runs, at least 1 (default: the config's run.replications)")
	fl.IntVar(&f.workers, "workers", 0, "replications run at once (default 0: all cores); never changes the results")
	fl.BoolVar(&f.json, "json", false, "print the report as JSON")
	fl.BoolVar(&f.csv, "csv", false, "print the report as CSV")
	fl.StringVarP(&f.out, "out", "o", "", "write the report to this file instead of stdout (atomically)")
	fl.StringVar(&f.trace, "trace", "", "write replication 0's sensor readings to this file as JSON lines (atomically)")
	return cmd
}

// runBatch checks every input, then runs the batch and writes its outputs.
// On any error it leaves no output file behind.
func runBatch(ctx context.Context, a *app, flags *pflag.FlagSet, f *batchFlags) error {
	if f.json && f.csv {
		return badInput("--json and --csv cannot be used together: choose one")
	}
	spec, err := configs.Resolve(f.config)
	if err != nil {
		return configProblem(err)
	}
	opt, problems := batchOptions(spec, flags, f)
	problems = append(problems, checkOutputPaths(f)...)
	if len(problems) > 0 {
		return badInputs(problems)
	}
	opt.Log = a.log

	// Create the output files first, so that an unwritable path fails
	// before a long run rather than after it.
	var trace, out *atomicFile
	defer func() { trace.abort(); out.abort() }()
	if f.trace != "" {
		if trace, err = createAtomic(f.trace); err != nil {
			return fmt.Errorf("--trace: %w", err)
		}
		opt.Trace = trace
	}
	if f.out != "" {
		if out, err = createAtomic(f.out); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
	}

	rep, err := runWithProgress(ctx, a, spec, opt)
	if err != nil {
		return err
	}
	if out == nil {
		// Report on stdout: the trace goes into place first, so that a
		// printed report always has its trace.
		if err := commitAll(trace); err != nil {
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
	return commitAll(trace, out)
}

// batchOptions merges the config's run: defaults with the flags given and
// returns every problem found, one per line.
func batchOptions(spec *twin.Spec, flags *pflag.FlagSet, f *batchFlags) (twin.BatchOptions, []string) {
	opt := twin.BatchOptions{
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
	if flags.Changed("seed") {
		opt.Seed = f.seed
	}
	if flags.Changed("replications") {
		opt.Replications, src["replications"] = f.replications, "--replications"
	}
	var problems []string
	if opt.Duration <= 0 {
		problems = append(problems, fmt.Sprintf("%s %s: must be positive", src["duration"], formatSpan(opt.Duration)))
	} else if opt.Warmup >= opt.Duration {
		problems = append(problems, fmt.Sprintf("%s %s is not shorter than %s %s",
			src["warmup"], formatSpan(opt.Warmup), src["duration"], formatSpan(opt.Duration)))
	}
	if opt.Replications < 1 {
		problems = append(problems, fmt.Sprintf("%s %d: need at least 1", src["replications"], opt.Replications))
	}
	if opt.Workers < 0 {
		problems = append(problems, fmt.Sprintf("--workers %d: must not be negative (0 means all cores)", opt.Workers))
	}
	return opt, problems
}

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

// runWithProgress runs the batch with a progress bar when stderr is a
// terminal. An interrupt (SIGINT, SIGTERM) returns at once with status 130;
// the replications still running are abandoned with the process.
func runWithProgress(ctx context.Context, a *app, spec *twin.Spec, opt twin.BatchOptions) (*twin.Report, error) {
	if a.tty {
		bar := newProgressBar(a.stderr, opt.Config)
		opt.Progress = bar.update
		defer bar.done()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	type outcome struct {
		rep *twin.Report
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		rep, err := twin.Batch(spec, opt)
		done <- outcome{rep, err}
	}()
	select {
	case o := <-done:
		return o.rep, o.err
	case <-ctx.Done():
		return nil, &exitError{code: exitInterrupted, lines: []string{"lightsout: interrupted; no output written"}}
	}
}

// writeReport writes rep in the format the flags ask for.
func writeReport(w io.Writer, rep *twin.Report, f *batchFlags) error {
	switch {
	case f.json:
		return writeJSON(w, rep)
	case f.csv:
		return writeCSV(w, rep)
	default:
		return writeText(w, rep)
	}
}
