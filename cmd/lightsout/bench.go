package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lightsout-sim/lightsout/cmd/internal/bench"
	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

// benchFlags are the flags of "lightsout bench".
type benchFlags struct {
	quick, json  bool
	config       string
	duration     durationFlag // factory run; default a year, or a week with --quick
	repDuration  durationFlag // each run of the scaling measurement
	replications int
	kernelEvents int
	ceilingRun   durationFlag // each run of the ceiling comparison
}

// newBenchCmd builds "lightsout bench": the standard speed measurements.
func newBenchCmd(a *app) *cobra.Command {
	var f benchFlags
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure the simulator's speed on this machine",
		Long: `bench runs the standard speed measurements in-process, one after the other,
and prints them with the machine they ran on:

  kernel        events per second of the bare event kernel: the hold model
                with 1,000 pending events and precomputed exponential delays
  factory       one run of the default factory (phone-factory): events and
                phones simulated per second of wall time, and the wall time
                per simulated year on one core (its lines one after another)
  year, copies  the same run with the lines (lines: 2) on 2 cores at once,
                each on its own engine: the wall time per simulated year,
                the speed-up over one core and the cores kept busy (the
                results are the same; not measured for a line of one copy)
  memory        the process's peak resident memory after the factory run
                (VmHWM on Linux; elsewhere the Go runtime's total, which is
                not a true peak)
  ceiling       the engine's speed on the two-machine line (whatever
                --config says) as a fraction of a hand-written, specialised
                loop of that line: parts shipped per second of wall time by
                each, in interleaved pairs of runs (11 of a simulated year,
                or 5 of 100 days with --quick), the median of the pairs'
                ratios and their range
  replications  the speed-up of a batch of 4 replications on 2 workers
                over the same batch on 1, and the cores the 2-worker batch
                kept busy (on Linux): well under 2 means another process held
                a core and the speed-up says little

Without --quick the factory run is a whole simulated year, run twice (a
minute or two in all, more on a loaded machine); with --quick it is 7 simulated days and the figure per year is
extrapolated (and labelled so). The machine must be otherwise idle for the
figures to mean much; run it several times and take the median.

'lightsout bench twin' measures the twin's host side under load instead.

Examples:
  lightsout bench
  lightsout bench --quick --json`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			return runBench(cmd.Context(), a, &f)
		}),
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.quick, "quick", false, "short runs (a few seconds): the year figure is extrapolated from 7 days")
	fl.BoolVar(&f.json, "json", false, "print the figures as one JSON document")
	fl.StringVar(&f.config, "config", configs.Default, "config file, or the name of an embedded config, for the factory and replication runs")
	fl.Var(&f.duration, "duration", "simulated length of the factory run (default 365d, or 7d with --quick)")
	fl.Var(&f.repDuration, "replication-duration", "simulated length of each run of the scaling measurement (default 7d, or 1d with --quick)")
	fl.IntVar(&f.replications, "replications", bench.DefaultReplications, "replications in the scaling measurement, at least 2")
	fl.IntVar(&f.kernelEvents, "kernel-events", 0, "events of the kernel measurement (default 20,000,000, or 2,000,000 with --quick)")
	fl.Var(&f.ceilingRun, "ceiling-duration", "simulated length of each run of the ceiling comparison (default 365d, or 100d with --quick)")
	cmd.AddCommand(newBenchTwinCmd(a))
	return cmd
}

// runBench checks the flags, runs every measurement and prints the report.
func runBench(ctx context.Context, a *app, f *benchFlags) error {
	spec, err := configs.Resolve(f.config)
	if err != nil {
		return configProblem(err)
	}
	ceil, err := configs.Embedded(bench.CeilingConfig)
	if err != nil {
		return err
	}
	opt := bench.Defaults(f.quick)
	opt.Config, opt.Spec, opt.CeilingSpec, opt.Replications, opt.Log = f.config, spec, ceil, f.replications, a.log
	if f.ceilingRun.set {
		opt.CeilingRun = f.ceilingRun.t
	}
	if f.duration.set {
		opt.Factory = f.duration.t
	}
	if f.repDuration.set {
		opt.Replication = f.repDuration.t
	}
	if f.kernelEvents != 0 {
		opt.KernelEvents = f.kernelEvents
	}
	var problems []string
	if opt.Factory <= 0 {
		problems = append(problems, fmt.Sprintf("--duration %s: must be positive", textfmt.Span(opt.Factory)))
	}
	if opt.Replication <= 0 {
		problems = append(problems, fmt.Sprintf("--replication-duration %s: must be positive", textfmt.Span(opt.Replication)))
	}
	if opt.Replications < 2 {
		problems = append(problems, fmt.Sprintf("--replications %d: need at least 2 to compare 1 and 2 workers", opt.Replications))
	}
	if opt.CeilingRun <= 0 {
		problems = append(problems, fmt.Sprintf("--ceiling-duration %s: must be positive", textfmt.Span(opt.CeilingRun)))
	}
	if opt.KernelEvents < 0 {
		problems = append(problems, fmt.Sprintf("--kernel-events %d: must be positive", opt.KernelEvents))
	}
	if len(problems) > 0 {
		return badInputs(problems)
	}
	rep, err := bench.Run(ctx, opt)
	if err != nil {
		return err
	}
	if f.json {
		return bench.WriteJSON(a.stdout, rep)
	}
	return bench.WriteText(a.stdout, rep)
}
