package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/host"
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
	shift        time.Duration
	workers      int
	bandHorizon  time.Duration
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
	fl.DurationVar(&f.shift, "shift", 8*time.Hour, "shift length: forecasts run to the end of the current shift (shifts start at simulated time 0)")
	fl.IntVar(&f.workers, "workers", 0, "goroutines running forecast replications (default: GOMAXPROCS)")
	fl.DurationVar(&f.bandHorizon, "band-horizon", host.DefaultBandHorizon, "simulated time of each output-band check: the output is compared with a forecast made this long before")
}

// apply checks the flags and fills the model fields of cfg. spec, if not
// nil, is used instead of loading --config (demo-twin's own line), with
// node and seed.
func (f *modelFlags) apply(cmd *cobra.Command, cfg *host.Config, spec *twin.Spec, node string, seed uint64) error {
	switch {
	case f.replications < 1 || f.replications > 10000:
		return badInput("--replications %d: want 1 to 10000", f.replications)
	case f.shift < time.Minute:
		return badInput("--shift %v: want at least 1m", f.shift)
	case f.workers < 0:
		return badInput("--workers %d: must not be negative", f.workers)
	case f.bandHorizon < time.Minute:
		return badInput("--band-horizon %v: want at least 1m", f.bandHorizon)
	}
	if err := sparkplug.ValidateID("--site", f.site); err != nil {
		return badInput("%v", err)
	}
	cfg.Site, cfg.Replications, cfg.Shift, cfg.Workers = f.site, f.replications, f.shift, f.workers
	if spec != nil {
		cfg.Spec, cfg.NodePrefix, cfg.Seed = spec, node, seed
		return nil
	}
	if f.config == "" {
		return nil
	}
	spec, err := configs.Resolve(f.config)
	if err != nil {
		return configProblem(err)
	}
	node = f.node
	if node == "" {
		node = spec.Name
	}
	if err := sparkplug.ValidateID("--node", node); err != nil {
		return badInput("%v (set --node)", err)
	}
	cfg.Spec, cfg.NodePrefix, cfg.Seed = spec, node, spec.Run.Seed
	if cmd.Flags().Changed("seed") {
		cfg.Seed = f.seed
	}
	return nil
}

// watch starts the host's periodic checks (silent nodes, output band) in
// the background until ctx ends; the returned function waits for them to
// stop.
func (f *modelFlags) watch(ctx context.Context, h *host.Host) (wait func(), err error) {
	if err := h.SetBandHorizon(f.bandHorizon); err != nil {
		return nil, badInput("--band-horizon: %v", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.Watch(ctx, time.Second)
	}()
	return func() { <-done }, nil
}
