package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/lightsout-sim/lightsout/twin/host"
	"github.com/lightsout-sim/lightsout/twin/packml"
)

type demoTwinFlags struct {
	edge   edgeFlags
	http   string
	every  time.Duration
	forDur time.Duration
	model  modelFlags
}

func newDemoTwinCmd(a *app) *cobra.Command {
	var f demoTwinFlags
	cmd := &cobra.Command{
		Use:   "demo-twin",
		Short: "Run an embedded broker, an edge line and the twin in one process",
		Long: `demo-twin starts an embedded MQTT broker on --broker-listen, runs a line as
Sparkplug B edge nodes (as 'lightsout edge' does) and mirrors it with the
twin's host application (as 'lightsout twin' does, with the line's own
config as its model), in one process. Every --every it prints one line per
mirrored edge node (units shipped, WIP and simulated time as the twin sees
them) and the deviations raised since the last report. It stops on Ctrl-C
or after --for. The twin's HTTP API (see 'lightsout twin --help') is on
--http; 'lightsout command' and 'lightsout whatif' talk to it.

Other MQTT clients can connect to the broker, e.g.
  mosquitto_sub -h 127.0.0.1 -p 1883 -t 'spBv1.0/#' -v

Example:
  lightsout demo-twin --config demo-line --speed 60 --for 1m`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runDemoTwin(ctx, a, cmd, &f)
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&f.edge.config, "config", "demo-line", "config file, or the name of an embedded config (see 'lightsout configs')")
	fl.Uint64Var(&f.edge.seed, "seed", 0, "random seed (default: the config's run.seed)")
	fl.Float64Var(&f.edge.speed, "speed", 10, "simulated time per wall-clock time")
	fl.StringVar(&f.edge.group, "group", "lightsout", "Sparkplug group id")
	fl.StringVar(&f.edge.node, "node", "", "edge node id prefix (default: the config's name)")
	fl.DurationVar(&f.edge.tick, "tick", 100*time.Millisecond, "wall-clock time between two steps of the line")
	fl.StringVar(&f.edge.mqtt.listen, "broker-listen", defaultBrokerListen, "address of the embedded broker")
	fl.StringVar(&f.http, "http", "127.0.0.1:8080", "address of the twin's HTTP API; empty: none")
	fl.DurationVar(&f.every, "every", 5*time.Second, "wall-clock time between two summary lines")
	fl.DurationVar(&f.forDur, "for", 0, "stop after this wall-clock time (default: until Ctrl-C)")
	f.model.registerHost(cmd)
	return cmd
}

func runDemoTwin(ctx context.Context, a *app, cmd *cobra.Command, f *demoTwinFlags) error {
	if f.every < 100*time.Millisecond {
		return badInput("--every %v: want at least 100ms", f.every)
	}
	if f.forDur < 0 {
		return badInput("--for %v: want a positive duration", f.forDur)
	}
	r, err := edgeSetup(cmd, a, &f.edge)
	if err != nil {
		return err
	}
	o, err := f.edge.mqtt.options("", a.log)
	if err != nil {
		return err
	}
	stopBroker, err := f.edge.mqtt.startBroker(&o, a.log)
	if err != nil {
		return err
	}
	defer stopBroker()
	cfg := host.Config{HostID: "lightsout-demo-twin", Group: f.edge.group, Log: a.log}
	spec := r.line.Spec()
	node := f.edge.node
	if node == "" {
		node = spec.Name
	}
	seed := spec.Run.Seed
	if cmd.Flags().Changed("seed") {
		seed = f.edge.seed
	}
	if err := f.model.apply(cmd, &cfg, spec, node, seed); err != nil {
		return err
	}
	h, err := host.New(cfg)
	if err != nil {
		return badInput("%v", err)
	}
	stopHTTP, err := serveHTTP(a, f.http, h.Handler())
	if err != nil {
		return err
	}
	defer stopHTTP()
	o.ClientID = "lightsout-demo-twin"
	if err := connectHost(ctx, h, o); err != nil {
		return err
	}
	defer closeHost(a, h)
	wctx, stopWatch := context.WithCancel(ctx)
	wait, err := f.model.watch(wctx, h)
	if err != nil {
		stopWatch()
		return err
	}
	defer wait()
	defer stopWatch()
	if err := r.connect(ctx, o); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return connectFailure(err)
	}
	if f.forDur > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.forDur)
		defer cancel()
	}
	fmt.Fprintf(a.stdout, "demo-twin: broker %s, %d edge node(s) in group %q, speed %gx\n",
		o.Broker, len(r.pubs), f.edge.group, f.edge.speed)
	done := make(chan error, 1)
	go func() { done <- r.run(ctx, r.paced(ctx, f.edge.speed, f.edge.tick)) }()
	t := time.NewTicker(f.every)
	defer t.Stop()
	var seen uint64 // the last deviation printed
	report := func() {
		m := h.Mirror()
		fmt.Fprintln(a.stdout, summary(&m))
		for _, d := range h.Deviations() {
			if d.Seq > seen {
				seen = d.Seq
				fmt.Fprintf(a.stdout, "deviation: %v\n", d)
			}
		}
	}
	for {
		select {
		case err := <-done:
			r.shutdown()
			report()
			return err
		case <-t.C:
			report()
		}
	}
}

// summary returns one line per mirrored edge node: what the twin sees.
func summary(m *host.Mirror) string {
	if len(m.Nodes) == 0 {
		return "twin: no edge node mirrored yet"
	}
	parts := make([]string, 0, len(m.Nodes))
	for _, n := range m.Nodes {
		get := func(name string) string {
			mv, ok := m.Metric(n.Group, n.EdgeNode, "", name)
			if !ok {
				return "?"
			}
			if v, ok := mv.Value.Int64(); ok {
				return fmt.Sprint(v)
			}
			return mv.Value.String()
		}
		status := "online"
		if n.Stale {
			status = "STALE"
		}
		simTime := "?"
		if mv, ok := m.Metric(n.Group, n.EdgeNode, "", packml.MetricSimTime); ok {
			if ms, ok := mv.Value.Int64(); ok {
				simTime = (time.Duration(ms) * time.Millisecond).Round(time.Second).String()
			}
		}
		parts = append(parts, fmt.Sprintf("%s %s: shipped %s, WIP %s at %s", n.EdgeNode, status,
			get(packml.MetricShipped), get(packml.MetricWIP), simTime))
	}
	return fmt.Sprintf("twin: %s (%d messages)", strings.Join(parts, "; "), m.Received)
}
