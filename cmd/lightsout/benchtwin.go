package main

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/spf13/cobra"

	"github.com/lightsout-sim/lightsout/cmd/internal/bench"
	"github.com/lightsout-sim/lightsout/cmd/internal/durflag"
	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

// benchTwinFlags are the flags of "lightsout bench twin".
type benchTwinFlags struct {
	json     bool
	config   string
	lines    int
	duration durationFlag // the unpaced run
	step     durationFlag
	lagFor   durationFlag // the paced run, wall time
	speed    float64
	tick     time.Duration
}

// newBenchTwinCmd builds "lightsout bench twin": the twin's host side
// under load.
func newBenchTwinCmd(a *app) *cobra.Command {
	def := bench.DefaultTwinOptions()
	f := benchTwinFlags{config: "demo-line", lines: def.Lines, speed: def.Speed, tick: def.Tick,
		duration: durationFlag{t: def.Duration, set: true}, step: durationFlag{t: def.Step, set: true},
		lagFor: durationFlag{t: sim.Time(def.LagFor), set: true}}
	cmd := &cobra.Command{
		Use:   "twin",
		Short: "Measure the twin's host side fed by many edge nodes",
		Long: `bench twin drives the twin's host side as 'lightsout twin' wires it (the
mirror, the monitor and the forecaster observing it) with --lines edge
nodes, each a copy of the --config line published as 'lightsout edge'
publishes it, in-process and without MQTT, and prints:

  ingest  messages per second the host takes: the edge nodes run an
          unpaced --duration of simulated time in steps of --step, as
          fast as the host applies their messages; the rate is over the
          time spent applying them (the host's capacity), and end to end
          with the lines' simulation
  lag     the time from an edge node publishing a message to the host
          having applied it and its observers having seen it, p50 and
          p99 of the data messages, with the lines paced at --speed times the wall clock for
          --lag-for, a step every --tick
  memory  the process's peak resident memory (the lines' simulation
          included), the heap in use after the unpaced run, and the
          mirror's own estimate of what it holds

Examples:
  lightsout bench twin
  lightsout bench twin --lines 1000 --speed 10 --json`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			return runBenchTwin(cmd.Context(), a, &f)
		}),
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.json, "json", false, "print the figures as one JSON document")
	fl.StringVar(&f.config, "config", f.config, "config file, or the name of an embedded config, of each line")
	fl.IntVar(&f.lines, "lines", f.lines, fmt.Sprintf("edge nodes, each a copy of the line (1 to %d)", bench.MaxTwinLines))
	fl.Var(&f.duration, "duration", "simulated time of the unpaced run")
	fl.Var(&f.step, "step", "simulated time between two publications of the unpaced run")
	fl.Var(&f.lagFor, "lag-for", "wall time of the paced run")
	fl.Float64Var(&f.speed, "speed", f.speed, "simulated time per wall-clock time of the paced run (1: real time)")
	durflag.Var(fl, &f.tick, "tick", f.tick, "wall-clock time between two steps of the paced run")
	return cmd
}

// runBenchTwin checks the flags, runs the measurements and prints them.
func runBenchTwin(ctx context.Context, a *app, f *benchTwinFlags) error {
	var problems []string
	bad := func(format string, v ...any) { problems = append(problems, fmt.Sprintf(format, v...)) }
	if f.lines < 1 || f.lines > bench.MaxTwinLines {
		bad("--lines %d: want 1 to %d", f.lines, bench.MaxTwinLines)
	}
	if f.duration.t <= 0 || f.step.t <= 0 || f.step.t > f.duration.t {
		bad("--duration %s, --step %s: want both positive, the step at most the duration", textfmt.Span(f.duration.t), textfmt.Span(f.step.t))
	}
	if f.duration.t > 30*sim.Day {
		bad("--duration %s: want at most 30d", textfmt.Span(f.duration.t))
	}
	if f.lagFor.t < sim.Second || f.lagFor.t > sim.Hour {
		bad("--lag-for %s: want 1s to 1h", textfmt.Span(f.lagFor.t))
	}
	if math.IsNaN(f.speed) || f.speed <= 0 || f.speed > 1e6 {
		bad("--speed %v: want a number above 0, at most 1000000", f.speed)
	}
	if f.tick < time.Millisecond || f.tick > time.Minute {
		bad("--tick %v: want 1ms to 1m", f.tick)
	}
	spec, err := configs.Resolve(f.config)
	if err := inputProblems(problems, err); err != nil {
		return err
	}
	opt := bench.TwinOptions{Config: f.config, Spec: spec, Lines: f.lines, Duration: f.duration.t, Step: f.step.t,
		LagFor: time.Duration(f.lagFor.t), Speed: f.speed, Tick: f.tick, Log: a.log}
	rep, err := bench.RunTwin(ctx, opt)
	if err != nil {
		if ctx.Err() != nil {
			return &exitError{code: exitInterrupted, lines: []string{"lightsout: bench twin interrupted"}}
		}
		return err
	}
	if f.json {
		return bench.WriteTwinJSON(a.stdout, rep)
	}
	return bench.WriteTwinText(a.stdout, rep)
}
