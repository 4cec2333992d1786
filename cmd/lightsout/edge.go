package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/cmd/internal/durflag"
	"github.com/lightsout-sim/lightsout/cmd/internal/mqttflags"
	"github.com/lightsout-sim/lightsout/cmd/internal/twinwire"
	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// connectTimeout bounds the wait for the first connection to the broker.
const connectTimeout = 30 * time.Second

type edgeFlags struct {
	config string
	seed   uint64
	speed  float64
	group  string
	node   string
	tick   time.Duration
	mqtt   mqttflags.Flags
}

func newEdgeCmd(a *app) *cobra.Command {
	var f edgeFlags
	cmd := &cobra.Command{
		Use:   "edge",
		Short: "Run a line paced to the wall clock and publish it as Sparkplug B edge nodes",
		Long: `edge runs a config's line paced to the wall clock (--speed times real time)
and publishes it over MQTT as Sparkplug B 3.0 edge nodes: one edge node per
copy of the line, named <node>-L<k> (k from 1), with a device per station and
per arm. It publishes NBIRTH and DBIRTHs on every connection, then NDATA and
DDATA when values change (checked every --tick), and obeys NCMD rebirth and
the DCMD commands of 'go doc ./twin/packml'. Its NDEATH is registered as the
MQTT Will and also published on a clean stop (SIGINT, SIGTERM), after
which it exits with status 130.

Without --broker it starts an embedded MQTT broker on --broker-listen. Its
defaults are those of demo-twin: demo-line at 10 times real time.

Examples:
  lightsout edge --config demo-line --speed 10
  lightsout edge --broker mqtt://broker.local:1883 --group plant1 --node smt`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runEdge(ctx, a, cmd, &f)
		}),
	}
	fl := cmd.Flags()
	// The defaults of demo-twin, which runs this edge with a twin.
	fl.StringVar(&f.config, "config", "demo-line", "config file, or the name of an embedded config (see 'lightsout configs')")
	fl.Uint64Var(&f.seed, "seed", 0, "random seed (default: the config's run.seed)")
	fl.Float64Var(&f.speed, "speed", 10, "simulated time per wall-clock time, e.g. 60 runs an hour a minute, 1 real time")
	f.registerEdge(cmd)
	f.mqtt.Register(fl, "broker", "MQTT broker URL, mqtt://host:port or tls://host:port (default: start an embedded broker)")
	f.mqtt.RegisterListen(fl)
	return cmd
}

// registerEdge adds the flags that name and pace the edge nodes.
func (f *edgeFlags) registerEdge(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.group, "group", "lightsout", "Sparkplug group id")
	fl.StringVar(&f.node, "node", "", "edge node id prefix; copy k publishes as <node>-L<k> (default: the config's name)")
	durflag.Var(fl, &f.tick, "tick", 100*time.Millisecond, "wall-clock time between two steps of the line (and checks for changes)")
}

// edgeSetup checks the edge flags and returns the MQTT options and the
// line's runner. It reports every problem at once, the caller's own
// problems first.
func edgeSetup(cmd *cobra.Command, a *app, f *edgeFlags, problems []string) (link.Options, *edge.Runner, error) {
	o, more := f.mqtt.Options()
	problems = append(problems, more...)
	o.Log = a.log
	if !(f.speed > 0) || f.speed > 1e6 {
		problems = append(problems, fmt.Sprintf("--speed %v: want a number above 0, at most 1000000", f.speed))
	}
	if f.tick < time.Millisecond || f.tick > time.Minute {
		problems = append(problems, fmt.Sprintf("--tick %v: want 1ms to 1m", f.tick))
	}
	if err := sparkplug.ValidateID("--group", f.group); err != nil {
		problems = append(problems, err.Error())
	}
	if f.node != "" {
		if err := sparkplug.ValidateID("--node", f.node); err != nil {
			problems = append(problems, err.Error())
		}
	}
	spec, err := configs.Resolve(f.config)
	if err := inputProblems(problems, err); err != nil {
		return o, nil, err
	}
	seed := spec.Run.Seed
	if cmd.Flags().Changed("seed") {
		seed = f.seed
	}
	node := f.node
	if node == "" {
		node = spec.Name
		if err := sparkplug.ValidateID("--node", node); err != nil {
			return o, nil, badInput("%v (the config's name; set --node)", err)
		}
	}
	line, err := twin.NewLine(spec, seed, nil)
	if err != nil {
		return o, nil, badInput("%v", err)
	}
	r, err := edge.NewRunner(line, edge.RunnerConfig{Group: f.group, Prefix: node, Log: a.log})
	if err != nil {
		return o, nil, badInput("%v", err)
	}
	return o, r, nil
}

func runEdge(ctx context.Context, a *app, cmd *cobra.Command, f *edgeFlags) error {
	o, r, err := edgeSetup(cmd, a, f, nil)
	if err != nil {
		return err
	}
	stopBroker, err := f.mqtt.Start(&o, a.log)
	if err != nil {
		return badInput("%v", err)
	}
	defer stopBroker()
	e, err := dialEdge(ctx, r, o)
	if err != nil {
		return err
	}
	a.log.Info("edge running", zap.String("group", f.group), zap.Int("nodes", r.Nodes()),
		zap.Float64("speed", f.speed), zap.String("broker", link.RedactURL(o.Broker)))
	r.Run(ctx, edge.Paced(ctx, f.speed, f.tick))
	closeEdge(a, e)
	return interrupted("edge stopped (interrupted)") // Run returns when ctx ends
}

// dialEdge connects the runner's nodes to the broker, waiting at most
// connectTimeout.
func dialEdge(ctx context.Context, r *edge.Runner, o link.Options) (*twinwire.Edge, error) {
	cctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	e, err := twinwire.DialEdge(cctx, r, o)
	if err != nil {
		if ctx.Err() != nil {
			return nil, interrupted("interrupted before connecting")
		}
		return nil, connectFailure(err)
	}
	return e, nil
}

// closeEdge publishes the nodes' NDEATHs and disconnects.
func closeEdge(a *app, e *twinwire.Edge) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := e.Close(ctx); err != nil {
		a.log.Warn("edge: closing", zap.Error(err))
	}
}
