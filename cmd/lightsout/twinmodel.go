package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/lightsout-sim/lightsout/cmd/internal/durflag"
	"github.com/lightsout-sim/lightsout/cmd/internal/pilotflags"
	"github.com/lightsout-sim/lightsout/cmd/internal/twinwire"
	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin/forecast"
	"github.com/lightsout-sim/lightsout/twin/pilot"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// modelFlags are the twin host's flags about the model of the mirrored
// line: what it forks forecasts and what-ifs from and checks cycle times
// against.
type modelFlags struct {
	config       string
	node         string
	site         string
	seed         uint64
	replications int
	maxReps      int
	maxHorizon   time.Duration
	shift        time.Duration
	workers      int
	bandHorizon  time.Duration
	pilot        pilotflags.Flags
}

// register adds every model flag.
func (f *modelFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.config, "config", "", "config of the mirrored line (file or embedded name): enables forecasts, what-ifs, cycle-time checks")
	fl.StringVar(&f.node, "node", "", "edge node id prefix of the mirrored line; copy k is <node>-L<k> (default: the config's name)")
	fl.Uint64Var(&f.seed, "seed", 0, "seed of forecasts and what-ifs (default: the config's run.seed)")
	f.registerHost(cmd)
}

// registerHost adds the flags that do not name the model (for demo-twin,
// whose model is the line it runs).
func (f *modelFlags) registerHost(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.site, "site", "site", "ISA-95 site name above the Sparkplug groups")
	fl.IntVar(&f.replications, "replications", 40, "forked runs per forecast")
	fl.IntVar(&f.maxReps, "max-replications", forecast.MaxReplications, "the most replications a forecast or what-if may ask for")
	durflag.Var(fl, &f.maxHorizon, "max-horizon", 0, "how far ahead of the mirrored state a forecast or what-if may run (default: three --shift lengths)")
	durflag.Var(fl, &f.shift, "shift", 8*time.Hour, "shift length: forecasts run to the end of the current shift (shifts start at simulated time 0)")
	fl.IntVar(&f.workers, "workers", 0, "goroutines running forecast replications (default: GOMAXPROCS)")
	durflag.Var(fl, &f.bandHorizon, "band-horizon", forecast.DefaultBandHorizon, "simulated time of each output-band check: the output is compared with a forecast made this long before")
	f.pilot.Register(fl)
}

// checkHost checks the flags that do not name the model, returning every
// problem, and fills cfg's site, forecast settings and band horizon.
func (f *modelFlags) checkHost(cfg *twinwire.Config) []string {
	var problems []string
	bad := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	if f.maxReps < 1 || f.maxReps > forecast.MaxReplications {
		bad("--max-replications %d: want 1 to %d", f.maxReps, forecast.MaxReplications)
	}
	if f.replications < 1 || f.replications > min(max(f.maxReps, 1), forecast.MaxReplications) {
		bad("--replications %d: want 1 to %d (--max-replications)", f.replications, min(max(f.maxReps, 1), forecast.MaxReplications))
	}
	if f.shift < time.Minute {
		bad("--shift %v: want at least 1m", f.shift)
	}
	horizon := f.maxHorizon
	if horizon == 0 {
		horizon = forecast.DefaultShiftsAhead * f.shift
	}
	switch {
	case f.maxHorizon < 0 || (f.maxHorizon > 0 && f.maxHorizon < time.Minute):
		bad("--max-horizon %v: want at least 1m (or 0 for three shifts)", f.maxHorizon)
	case f.bandHorizon > horizon && f.shift >= time.Minute:
		bad("--band-horizon %v: beyond the forecasts' horizon %v (--max-horizon, or three --shift lengths)", f.bandHorizon, horizon)
	}
	if f.workers < 0 {
		bad("--workers %d: must not be negative", f.workers)
	}
	if f.bandHorizon < time.Minute {
		bad("--band-horizon %v: want at least 1m", f.bandHorizon)
	}
	if err := sparkplug.ValidateID("--site", f.site); err != nil {
		bad("%v", err)
	}
	pc, more := f.pilot.Check()
	problems = append(problems, more...)
	if f.pilot.Enabled() && len(more) == 0 {
		cfg.Autopilot = pc.New
	}
	cfg.Site, cfg.BandHorizon = f.site, f.bandHorizon
	cfg.Forecast.Replications, cfg.Forecast.Shift, cfg.Forecast.Workers = f.replications, f.shift, f.workers
	cfg.Forecast.MaxReplications, cfg.Forecast.MaxHorizon = f.maxReps, f.maxHorizon
	return problems
}

// check checks every model flag and fills cfg's model settings; with
// --config, it loads the model (edge node copy k is <node>-L<k>). It
// returns the flags' problems and the config's load error.
func (f *modelFlags) check(cmd *cobra.Command, cfg *twinwire.Config) ([]string, error) {
	problems := f.checkHost(cfg)
	if f.node != "" {
		if err := sparkplug.ValidateID("--node", f.node); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if f.config == "" {
		if f.pilot.Enabled() {
			problems = append(problems, "--autopilot needs --config: the model of the line (its machines, servers and condition sensors)")
		}
		return problems, nil
	}
	spec, err := configs.Resolve(f.config)
	if err != nil {
		return problems, err
	}
	node := f.node
	if node == "" {
		node = spec.Name
		if err := sparkplug.ValidateID("--node", node); err != nil {
			problems = append(problems, err.Error()+" (the config's name; set --node)")
		}
	}
	cfg.Model.Spec, cfg.Model.Prefix, cfg.Forecast.Seed = spec, node, spec.Run.Seed
	if cmd.Flags().Changed("seed") {
		cfg.Forecast.Seed = f.seed
	}
	return problems, f.configPilot(cfg)
}

// configPilot applies the one autopilot rule of every command: the
// config's autopilot: block flies unless --autopilot is given, which
// replaces it (with its own --autopilot-param, --recommend-only and
// --max-actions-per-hour). Call it once cfg.Model.Spec is set.
func (f *modelFlags) configPilot(cfg *twinwire.Config) error {
	spec := cfg.Model.Spec
	if f.pilot.Enabled() || spec == nil || spec.Autopilot == nil {
		return nil
	}
	mk, err := pilot.FromSpec(spec.Autopilot)
	if err != nil {
		return fmt.Errorf("config %s: %w", spec.Name, err)
	}
	cfg.Autopilot = mk
	return nil
}

// watch runs the host's periodic checks (silent nodes, output band) in
// the background until ctx ends; the returned function waits for them to
// stop.
func watch(ctx context.Context, h *twinwire.Host) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.Watch(ctx, time.Second)
	}()
	return func() { <-done }
}
