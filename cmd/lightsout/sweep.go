package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/cmd/internal/atomicfile"
	chart "github.com/lightsout-sim/lightsout/cmd/internal/report"
	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin/experiment"
)

// sweepFlags are the flags of "lightsout sweep".
type sweepFlags struct {
	out          string
	report       string
	shard        string
	workers      int
	replications int
	check        bool
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
good/h against the base. With --out DIR the results are written to DIR
(each file atomically; no file holds a wall-clock time):
  runs.csv       one row per (scenario, replication): parameter values,
                 seed and the main KPIs
  summary.json   per scenario: mean, ci95 and n of each KPI, and the paired
                 difference against the base
  manifest.json  the plan: sweep hash, settings, points run
  timing.json    wall time and events (ignored by merge)

Sharding across machines: --shard i/N runs only the points whose index mod N
is i, and writes runs.csv, manifest.json and timing.json into
DIR/shard-i-of-N. The index may come from the environment: --shard /N takes
it from JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs) or else
SLURM_ARRAY_TASK_ID (minus SLURM_ARRAY_TASK_MIN); --shard auto also takes N
from SLURM_ARRAY_TASK_COUNT. An explicit index that disagrees with the
environment is an error. 'lightsout merge DIR --out MERGED' then writes the
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
	fl.StringVar(&f.shard, "shard", "", "run shard i of N: i/N, /N (index from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID) or auto (Slurm)")
	fl.IntVar(&f.workers, "workers", 0, "runs at once (default 0: all cores); never changes the results")
	fl.IntVar(&f.replications, "replications", 0, "replications per point (default: the sweep file's)")
	fl.BoolVar(&f.check, "check", false, "check the sweep file and every point's config; run nothing")
	fl.StringVar(&f.report, "report", "", "write an HTML report with each KPI against the varied parameter (index.html and PNGs) into this directory")
	return cmd
}

// runSweep checks every input, runs the sweep's shard and writes its outputs.
func runSweep(cmd *cobra.Command, a *app, file string, f *sweepFlags, getenv func(string) string) error {
	sw, err := configs.LoadSweep(file)
	if err != nil {
		return configProblem(err)
	}
	if cmd.Flags().Changed("replications") {
		if f.replications < 1 {
			return badInput("--replications %d: need at least 1", f.replications)
		}
		sw.Replications = f.replications
	}
	if f.workers < 0 {
		return badInput("--workers %d: must not be negative (0 means all cores)", f.workers)
	}
	plan, err := sweepPlan(sw, a.version)
	if err != nil {
		return badInput("%s: %v", file, err)
	}
	var shard experiment.Shard
	if f.shard != "" {
		if shard, err = experiment.ParseShard(f.shard, getenv); err != nil {
			return badInput("%v", err)
		}
		if f.out == "" {
			return badInput("--shard needs --out DIR: a shard's results are for 'lightsout merge'")
		}
		if f.report != "" {
			return badInput("--report needs every point: make it after 'lightsout merge', with 'lightsout merge --report'")
		}
	} else if v := getenv(experiment.EnvJobIndex) + getenv(experiment.EnvSlurmID); v != "" {
		a.log.Warn("a shard index is set in the environment but --shard is not: running every point")
	}
	if f.check {
		_, err := fmt.Fprintf(a.stdout, "%s: ok, %d points x %d replications = %d runs of %s (warm-up %s)\n",
			file, len(plan.Points), plan.Replications, len(plan.Points)*plan.Replications,
			formatSpan(plan.Duration), formatSpan(plan.Warmup))
		return err
	}
	dir := f.out
	if dir != "" && shard.Count > 0 {
		dir = filepath.Join(dir, experiment.ShardDirName(shard))
	}
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
	}

	runs, timing, err := executeWithProgress(cmd.Context(), a, plan, experiment.Options{Shard: shard, Workers: f.workers, Log: a.log})
	if err != nil {
		return err
	}
	m := experiment.NewManifest(plan, shard)
	if dir != "" {
		if err := writeSweepDir(dir, m, runs, &timing); err != nil {
			return err
		}
	}
	sum := experiment.Summarize(m, runs)
	if f.report != "" {
		if err := writeSweepReport(a, f.report, sum); err != nil {
			return err
		}
	}
	return writeSweepTable(a.stdout, sum)
}

// writeSweepReport writes the sweep's HTML report into dir.
func writeSweepReport(a *app, dir string, sum *experiment.Summary) error {
	if p := checkReportDir(dir); len(p) > 0 {
		return badInputs(p)
	}
	if err := chart.WriteSweep(dir, sweepReportData(sum), nil); err != nil {
		return fmt.Errorf("--report: %w", err)
	}
	a.log.Info("report written", zap.String("page", filepath.Join(dir, "index.html")))
	return nil
}

// sweepPlan turns a checked sweep file into a plan: each point's value of
// every varied path (the base config's where the point sets none).
func sweepPlan(sw *configs.Sweep, version string) (*experiment.Plan, error) {
	plan := &experiment.Plan{
		Sweep: sw.Name, Base: sw.Base.Name(), SweepSHA256: sw.Hash(), Version: version,
		Duration: sw.Duration, Warmup: sw.Warmup, Seed: sw.Seed, Replications: sw.Replications,
		Params: append([]string{}, sw.Params...),
	}
	common := map[string]any{}
	for _, o := range sw.Set {
		common[o.Path] = o.Value
	}
	for i, p := range sw.Points {
		set := map[string]any{}
		for _, o := range p.Set {
			set[o.Path] = o.Value
		}
		pt := experiment.Point{Index: i, Name: p.Name, Spec: p.Spec, Values: []experiment.Param{}}
		for _, path := range sw.Params {
			v, ok := set[path]
			if !ok {
				if v, ok = common[path]; !ok {
					v, _ = sw.Base.Lookup(path)
				}
			}
			js, err := configs.ValueJSON(v)
			if err != nil {
				return nil, fmt.Errorf("point %s: %s: %w", p.Name, path, err)
			}
			pt.Values = append(pt.Values, experiment.Param{Path: path, Value: js})
		}
		plan.Points = append(plan.Points, pt)
	}
	return plan, plan.Validate()
}

// executeWithProgress runs the plan with a progress bar on a terminal (log
// lines every 10% otherwise). An interrupt returns at once with status 130;
// the runs under way are abandoned with the process.
func executeWithProgress(ctx context.Context, a *app, plan *experiment.Plan, opt experiment.Options) ([]experiment.RunResult, experiment.Timing, error) {
	if a.tty {
		bar := newProgressBar(a.stderr, plan.Sweep)
		opt.Progress = bar.update
		defer bar.done()
	} else {
		next := 0.1
		opt.Progress = func(f float64) {
			if f >= next {
				a.log.Info("sweep progress", zap.Int("percent", int(100*f)))
				for next <= f {
					next += 0.1
				}
			}
		}
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	type outcome struct {
		runs []experiment.RunResult
		t    experiment.Timing
		err  error
	}
	done := make(chan outcome, 1)
	go func() {
		runs, t, err := experiment.Execute(ctx, plan, opt)
		done <- outcome{runs, t, err}
	}()
	select {
	case o := <-done:
		if o.err != nil && ctx.Err() != nil {
			break
		}
		return o.runs, o.t, o.err
	case <-ctx.Done():
	}
	return nil, experiment.Timing{}, &exitError{code: exitInterrupted, lines: []string{"lightsout: interrupted; no output written"}}
}

// writeSweepDir writes the result files into dir, each atomically, then
// timing.json.
func writeSweepDir(dir string, m *experiment.Manifest, runs []experiment.RunResult, timing *experiment.Timing) error {
	for _, f := range experiment.Files(m, runs) {
		if err := atomicfile.Write(filepath.Join(dir, f.Name), f.Write); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
	}
	if timing == nil {
		return nil
	}
	return atomicfile.Write(filepath.Join(dir, "timing.json"), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Shard  string            `json:"shard"`
			Timing experiment.Timing `json:"timing"`
		}{experiment.Shard{Index: m.Shard, Count: m.Shards}.String(), *timing})
	})
}

// writeSweepTable prints one line per scenario: good/h and OEE with their
// 95% half-widths, and the paired difference in good/h against the base.
func writeSweepTable(w io.Writer, s *experiment.Summary) error {
	t := newTable(w)
	t.row("scenario", "good/h", "±95%", "OEE", "±95%", "Δ good/h vs "+s.BaseScenario, "±95%")
	for _, sc := range s.Scenarios {
		d, dci := "-", "-"
		if sc.VsBase != nil {
			d, dci = grouped(sc.VsBase.GoodPerHour.Mean, 1), grouped(sc.VsBase.GoodPerHour.CI95, 1)
			if sc.VsBase.GoodPerHour.Mean > 0 {
				d = "+" + d
			}
		}
		t.row(sc.Name, grouped(sc.KPIs.GoodPerHour.Mean, 1), grouped(sc.KPIs.GoodPerHour.CI95, 1),
			percent(sc.KPIs.OEE.Mean), percent(sc.KPIs.OEE.CI95), d, dci)
	}
	if err := t.flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d replications per scenario, seed %d, %s after %s of warm-up each.\n",
		s.Replications, s.Seed, formatSpan(s.Duration-s.Warmup), formatSpan(s.Warmup))
	return err
}
