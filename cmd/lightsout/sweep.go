package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/cmd/internal/memlimit"
	"github.com/lightsout-sim/lightsout/cmd/internal/pilotflags"
	"github.com/lightsout-sim/lightsout/cmd/internal/progress"
	chart "github.com/lightsout-sim/lightsout/cmd/internal/report"
	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/experiment"
	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

// sweepFlags are the flags of "lightsout sweep".
type sweepFlags struct {
	out          string
	report       string
	shard        string
	workers      int
	replications int
	check        bool
	maxMemory    string
	autopilot    pilotflags.Flags
}

// newSweepCmd builds "lightsout sweep", reading shard indexes from the
// process environment.
func newSweepCmd(a *app) *cobra.Command { return newSweepCmdEnv(a, os.Getenv) }

// newSweepCmdEnv builds "lightsout sweep" reading the environment with getenv.
func newSweepCmdEnv(a *app, getenv func(string) string) *cobra.Command {
	var f sweepFlags
	cmd := &cobra.Command{
		Use:   "sweep FILE",
		Short: "Run every scenario of a sweep file, with common random numbers",
		Long: `sweep runs the scenarios (points) of a sweep file: a base config with some of
its values changed by config path (stations[test].buffer, arms[arm-1].speed,
stations[test].inspect.detect, lines …), as a grid (every combination) or a
list of scenarios, each replicated. FILE is a sweep file, or the name of an
embedded one (` + "`demo-buffer`" + `). See docs/sweeps.md for the file's keys.

Replication i of every point uses the same seed (common random numbers), so
the difference of each point against the first one (the base) is taken
replication by replication and its confidence interval is sharp.

A table goes to stdout: per scenario, good units per hour and OEE with the
half-width of their 95% confidence intervals, and the paired difference in
good/h against the base. With --out DIR the results are written as a set
(no file holds a wall-clock time): into a temporary directory beside DIR,
which then replaces DIR whole, so DIR holds the old results or the new
ones, never a mix, also after a full disk, a crash or Ctrl-C. DIR must be
new, empty or an earlier run's results (and its report, when --report is
inside it, which is then part of the set):
  runs.csv       one row per (scenario, replication): parameter values,
                 seed and the main KPIs
  summary.json   per scenario: mean, ci95 and n of each KPI, and the paired
                 difference against the base
  manifest.json  the plan: sweep hash, settings, points run
  timing.json    wall time and events (ignored by merge)

Sharding across machines: --shard i/N runs shard i of N, shards counted from
1 (1/3, 2/3, 3/3): every N-th point, starting at the i-th. It writes
runs.csv, manifest.json and timing.json into DIR/shard-i-of-N. The shard may
come from the environment: --shard /N takes it from JOB_COMPLETION_INDEX
(Kubernetes Indexed Jobs; index 0 is shard 1) or else SLURM_ARRAY_TASK_ID
(minus SLURM_ARRAY_TASK_MIN, so the array's first task is shard 1);
--shard auto also takes N from SLURM_ARRAY_TASK_COUNT. An explicit shard
that disagrees with the environment is an error. 'lightsout merge DIR --out MERGED' then writes the
same files a run without --shard writes, byte for byte.

--check loads the sweep and validates every point's config, runs nothing.

Exit status: 0 ok, 1 I/O failure, 2 bad input, 130 interrupted.

Examples:
  lightsout sweep demo-buffer
  lightsout sweep my-sweep.yaml --out results --replications 20
  lightsout sweep my-sweep.yaml --check
  lightsout sweep my-sweep.yaml --shard 1/3 --out results   # on machine 1 of 3
  lightsout merge results --out results/all`,
		Args: cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			return runSweep(cmd, a, args[0], &f, getenv)
		}),
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.out, "out", "o", "", "write runs.csv, summary.json, manifest.json and timing.json into this directory")
	fl.StringVar(&f.shard, "shard", "", "run shard i of N, from 1: i/N, /N (shard from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID) or auto (Slurm)")
	fl.IntVar(&f.workers, "workers", 0, "runs at once (default 0: all cores); never changes the results")
	fl.IntVar(&f.replications, "replications", 0, "replications per point (default: the sweep file's)")
	fl.BoolVar(&f.check, "check", false, "check the sweep file and every point's config; run nothing")
	fl.StringVar(&f.report, "report", "", "write an HTML report with each KPI against the varied parameter (index.html and PNGs) into this directory")
	f.autopilot.Register(fl)
	fl.StringVar(&f.maxMemory, "max-memory", "", "refuse a sweep estimated to need more memory than this, e.g. 8GB (default: $"+memlimit.Env+", or half of the machine's)")
	return cmd
}

// runSweep checks every input, runs the sweep's shard and writes its outputs.
func runSweep(cmd *cobra.Command, a *app, file string, f *sweepFlags, getenv func(string) string) error {
	plan, shard, err := sweepInputs(cmd, a, file, f, getenv)
	if err != nil {
		return err
	}
	if f.check {
		_, err := fmt.Fprintf(a.stdout, "%s: ok, %d points x %d replications = %d runs of %s (warm-up %s)\n",
			file, len(plan.Points), plan.Replications, len(plan.Points)*plan.Replications,
			textfmt.Span(plan.Duration), textfmt.Span(plan.Warmup))
		return err
	}
	dir := f.out
	if dir != "" && shard.Count > 0 {
		dir = filepath.Join(dir, experiment.ShardDirName(shard))
	}
	if p := checkReportDir(f.report); len(p) > 0 {
		return badInputs(p)
	}
	out, err := openSweepOut(dir, f.report)
	if err != nil {
		return err
	}
	defer out.abort()
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	runs, timing, err := executeSweep(ctx, a, plan, experiment.Options{Shard: shard, Workers: f.workers, Log: a.log})
	if err != nil {
		return err
	}
	m := experiment.NewManifest(plan, shard)
	sum := experiment.Summarize(m, runs)
	files := append(experiment.Files(m, runs), experiment.TimingFile(m, timing))
	if err := writeSweepResults(ctx, a, out, files, f.report, sum); err != nil {
		return err
	}
	return experiment.WriteSummaryText(a.stdout, sum)
}

// writeSweepResults writes the result files into out (if not nil) and the
// report into its directory (if any): all or nothing when the report is
// inside out.
func writeSweepResults(ctx context.Context, a *app, out *sweepOut, files []experiment.File, report string, sum *experiment.Summary) error {
	write := func(dir string) error {
		if err := chart.WriteSweep(dir, chart.FromSweep(sum), nil); err != nil {
			return fmt.Errorf("--report: %w", err)
		}
		return nil
	}
	inside := false
	if out != nil {
		var err error
		if inside, err = out.commit(ctx, files, write); err != nil {
			return err
		}
	}
	if report == "" {
		return nil
	}
	if !inside {
		if ctx.Err() != nil {
			return interrupted("interrupted; the results are written, the report is not")
		}
		if err := write(report); err != nil {
			return err
		}
	}
	a.log.Info("report written", zap.String("page", filepath.Join(report, "index.html")))
	return nil
}

// sweepInputs loads the sweep file with the flags applied, and checks them:
// it returns the plan and the shard to run.
func sweepInputs(cmd *cobra.Command, a *app, file string, f *sweepFlags, getenv func(string) string) (*experiment.Plan, experiment.Shard, error) {
	var shard experiment.Shard
	sw, err := configs.LoadSweep(file)
	if err != nil {
		return nil, shard, configProblem(err)
	}
	if cmd.Flags().Changed("replications") {
		if f.replications < 1 {
			return nil, shard, badInput("--replications %d: need at least 1", f.replications)
		}
		if f.replications > twin.MaxReplications {
			return nil, shard, badInput("--replications %d: at most %d", f.replications, twin.MaxReplications)
		}
		sw.Replications = f.replications
	}
	if f.workers < 0 {
		return nil, shard, badInput("--workers %d: must not be negative (0 means all cores)", f.workers)
	}
	if _, problems := f.autopilot.Check(); len(problems) > 0 {
		return nil, shard, badInputs(problems)
	}
	if err := applyAutopilot(sw, &f.autopilot); err != nil {
		return nil, shard, err
	}
	budget, err := memlimit.Resolve(f.maxMemory, getenv, "/")
	if err != nil {
		return nil, shard, badInput("%v", err)
	}
	plan, err := sweepPlan(sw, buildIdentity(a.version))
	if err == nil && f.autopilot.Enabled() {
		// Shards run with different autopilot flags must not merge.
		plan.SweepSHA256 = autopilotHash(plan.SweepSHA256, f.autopilot.Spec())
	}
	if err != nil {
		return nil, shard, badInput("%s: %v", file, err)
	}
	if err := experiment.SweepMemory(plan, f.workers).Check(budget.Bytes); err != nil {
		return nil, shard, badInput("%v %s", err, budget.Hint())
	}
	if f.shard == "" {
		if v := getenv(experiment.EnvJobIndex) + getenv(experiment.EnvSlurmID); v != "" {
			a.log.Warn("a shard index is set in the environment but --shard is not: running every point")
		}
		return plan, shard, nil
	}
	if shard, err = experiment.ParseShard(f.shard, getenv); err != nil {
		return nil, shard, badInput("%v", err)
	}
	if f.out == "" {
		return nil, shard, badInput("--shard needs --out DIR: a shard's results are for 'lightsout merge'")
	}
	if f.report != "" {
		return nil, shard, badInput("--report needs every point: make it after 'lightsout merge', with 'lightsout merge --report'")
	}
	return plan, shard, nil
}

// executeSweep runs the plan as opt says, with a progress bar on a
// terminal and a log line every 10% elsewhere.
func executeSweep(ctx context.Context, a *app, plan *experiment.Plan, opt experiment.Options) ([]experiment.RunResult, experiment.Timing, error) {
	type outcome struct {
		runs   []experiment.RunResult
		timing experiment.Timing
	}
	o, err := longRun(ctx, a, plan.Sweep, progress.Log(a.log, "sweep progress"),
		func(ctx context.Context, onProgress func(float64)) (outcome, error) {
			opt.Progress = onProgress
			runs, timing, err := experiment.Execute(ctx, plan, opt)
			return outcome{runs, timing}, err
		})
	return o.runs, o.timing, err
}

// sweepPlan turns a checked sweep file into a plan: its settings, and each
// point's value of every varied path (see configs.Sweep.Values).
func sweepPlan(sw *configs.Sweep, version string) (*experiment.Plan, error) {
	plan := &experiment.Plan{
		Sweep: sw.Name, Base: sw.Base.Name(), SweepSHA256: sw.Hash(), Version: version,
		Duration: sw.Duration, Warmup: sw.Warmup, Seed: twin.Seed(sw.Seed), Replications: sw.Replications,
		Params: append([]string{}, sw.Params...),
	}
	for i, p := range sw.Points {
		values, err := sw.Values(i)
		if err != nil {
			return nil, err
		}
		pt := experiment.Point{Index: i, Name: p.Name, Spec: p.Spec, Values: []experiment.Param{}}
		for j, v := range values {
			pt.Values = append(pt.Values, experiment.Param{Path: sw.Params[j], Value: v})
		}
		plan.Points = append(plan.Points, pt)
	}
	return plan, plan.Validate()
}

// applyAutopilot flies the autopilot of the flags (if any) on every point
// of sw, refusing a sweep that chooses its own.
func applyAutopilot(sw *configs.Sweep, f *pilotflags.Flags) error {
	if !f.Enabled() {
		return nil
	}
	for _, p := range sw.Params {
		if p == "autopilot" || strings.HasPrefix(p, "autopilot.") {
			return badInput("--autopilot: the sweep varies %s itself; leave the flag out", p)
		}
	}
	for _, o := range sw.Set {
		if o.Path == "autopilot" || strings.HasPrefix(o.Path, "autopilot.") {
			return badInput("--autopilot: the sweep sets %s itself; leave the flag out", o.Path)
		}
	}
	for i := range sw.Points {
		sw.Points[i].Spec.Autopilot = f.Spec()
	}
	return nil
}

// autopilotHash returns the hash that identifies a sweep file run with the
// autopilot a: the file's hash and the autopilot's settings, hashed.
func autopilotHash(fileHash string, a *twin.AutopilotSpec) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\nautopilot %q %q recommend_only=%t max_actions_per_hour=%d\n",
		fileHash, a.Policy, a.Params, a.RecommendOnly, a.MaxActionsPerHour)
	return hex.EncodeToString(h.Sum(nil))
}
