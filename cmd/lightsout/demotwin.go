package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/lightsout-sim/lightsout/cmd/internal/durflag"
	"github.com/lightsout-sim/lightsout/cmd/internal/twinhttp"
	"github.com/lightsout-sim/lightsout/cmd/internal/twinwire"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
)

// demoHostID is demo-twin's Sparkplug host id (and MQTT client id).
const demoHostID = "lightsout-demo-twin"

type demoTwinFlags struct {
	edge   edgeFlags
	api    twinhttp.ServerFlags
	every  time.Duration
	forDur time.Duration
	model  modelFlags
	record recordFlags
}

func newDemoTwinCmd(a *app) *cobra.Command {
	var f demoTwinFlags
	cmd := &cobra.Command{
		Use:   "demo-twin",
		Short: "Run an embedded broker, an edge line and the twin in one process",
		Long: `demo-twin starts an embedded MQTT broker on --broker-listen (or uses the one
at --broker, with the same MQTT flags as 'lightsout edge'), runs a line as
Sparkplug B edge nodes (as 'lightsout edge' does) and mirrors it with the
twin's host application (as 'lightsout twin' does, with the line's own
config as its model), in one process. Every --every it prints one line per
mirrored edge node (units shipped, WIP and simulated time as the twin sees
them), the deviations raised and, with --autopilot, the autopilot's
decisions since the last report. It stops on Ctrl-C
(exit status 130) or after --for (exit status 0). The twin's HTTP API (see 'lightsout twin --help') is on
--http; 'lightsout command' and 'lightsout whatif' talk to it, with the
API token of --api-token-file or $LIGHTSOUT_API_TOKEN (without one the
twin takes no commands).

--autopilot NAME flies an autopilot policy on the twin (see 'lightsout twin
--help'; a config's autopilot: block flies without the flag, which replaces
it): it decides from what the edge publishes, on the line's simulated
clock, and acts through DCMDs on the broker; GET /api/autopilot lists its
decisions. --record FILE records what the twin receives, as 'lightsout
twin --record' does; 'lightsout replay --log FILE --config <config>
--autopilot NAME' makes the same decisions again.

Other MQTT clients can connect to the broker, e.g.
  mosquitto_sub -h 127.0.0.1 -p 1883 -t 'spBv1.0/#' -v

Example:
  lightsout demo-twin --config demo-line --speed 60 --for 1m
  lightsout demo-twin --config phone-factory --speed 3600 --autopilot predictive --for 2m
  export LIGHTSOUT_API_TOKEN=$(openssl rand -hex 16)
  lightsout demo-twin --config demo-line --speed 60 &
  lightsout command --node demo-line-L1 --device test hold`,
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
	f.edge.registerEdge(cmd)
	f.edge.mqtt.Register(fl, "broker", "MQTT broker URL, mqtt://host:port or tls://host:port (default: start an embedded broker)")
	f.edge.mqtt.RegisterListen(fl)
	f.api.Register(fl, twinhttp.DefaultAddr)
	durflag.Var(fl, &f.every, "every", 5*time.Second, "wall-clock time between two summary lines")
	durflag.Var(fl, &f.forDur, "for", 0, "stop after this wall-clock time (default: until Ctrl-C)")
	f.model.registerHost(cmd)
	f.record.register(fl)
	return cmd
}

func runDemoTwin(ctx context.Context, a *app, cmd *cobra.Command, f *demoTwinFlags) error {
	web, problems := f.api.Settings()
	problems = append(problems, f.record.check()...)
	rec, err := f.record.open(a.log)
	if err != nil {
		return err
	}
	err = runDemoTwinRecording(ctx, a, cmd, f, web, problems, rec)
	if cerr := rec.close(); cerr != nil {
		return cerr // a recording lost outranks how the twin stopped
	}
	return err
}

// runDemoTwinRecording runs demo-twin, recording what the twin receives to
// rec (nil: no recording).
func runDemoTwinRecording(ctx context.Context, a *app, cmd *cobra.Command, f *demoTwinFlags, web twinhttp.Settings, problems []string, rec *recording) error {
	o, r, h, err := demoTwinSetup(cmd, a, f, problems, rec)
	if err != nil {
		return err
	}
	stopBroker, err := f.edge.mqtt.Start(&o, a.log)
	if err != nil {
		return badInput("%v", err)
	}
	defer stopBroker()
	stopHTTP, err := serveHTTP(a, web, h)
	if err != nil {
		return err
	}
	defer stopHTTP()
	ho := o
	ho.ClientID = demoHostID
	if err := connectHost(ctx, h, ho); err != nil {
		return err
	}
	defer func() {
		stopHTTP() // no request meets the host closing
		closeHost(a, h)
	}()
	wctx, stopWatch := context.WithCancel(ctx)
	wait := watch(wctx, h)
	defer wait()
	defer stopWatch()
	e, err := dialEdge(ctx, r, o)
	if err != nil {
		return err
	}
	signalled := ctx
	var cancel context.CancelFunc
	if f.forDur > 0 {
		ctx, cancel = context.WithTimeout(ctx, f.forDur)
	} else {
		ctx, cancel = context.WithCancel(ctx)
	}
	defer cancel()
	fmt.Fprintf(a.stdout, "demo-twin: broker %s, %d edge node(s) in group %q, speed %gx\n",
		link.RedactURL(o.Broker), r.Nodes(), f.edge.group, f.edge.speed)
	done := make(chan struct{})
	go func() {
		r.Run(ctx, edge.Paced(ctx, f.edge.speed, f.edge.tick))
		closeEdge(a, e)
		settle(h, r.Nodes())
		close(done)
	}()
	reportTwin(a, h, f.every, done, rec.Failed())
	cancel() // the recording failed: stop the line too
	<-done
	if signalled.Err() != nil {
		return interrupted("demo-twin stopped (interrupted)")
	}
	return nil
}

// settle waits (a little) for the twin to hear the edge nodes' deaths, so
// that it has taken in everything they published, then for its autopilot
// to decide on all of it.
func settle(h *twinwire.Host, nodes int) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, _ = h.Await(ctx, func(v *mirror.View) bool {
		off := 0
		for _, n := range v.Nodes {
			if !n.Online {
				off++
			}
		}
		return off >= nodes
	})
	if h.Pilot != nil {
		h.Pilot.Flush()
	}
}

// demoTwinSetup checks every flag and returns the MQTT options, the
// line's runner and the twin host modelling that line. It reports every
// problem at once, the caller's first.
func demoTwinSetup(cmd *cobra.Command, a *app, f *demoTwinFlags, problems []string, rec *recording) (link.Options, *edge.Runner, *twinwire.Host, error) {
	if f.every < 100*time.Millisecond {
		problems = append(problems, fmt.Sprintf("--every %v: want at least 100ms", f.every))
	}
	if f.forDur < 0 {
		problems = append(problems, fmt.Sprintf("--for %v: want a positive duration", f.forDur))
	}
	cfg := twinwire.Config{Mirror: mirror.Config{HostID: demoHostID, Group: f.edge.group, Log: a.log}}
	if rec != nil {
		cfg.Mirror.Record = rec
	}
	problems = append(problems, f.model.checkHost(&cfg)...)
	o, r, err := edgeSetup(cmd, a, &f.edge, problems)
	if err != nil {
		return o, nil, nil, err
	}
	r.WithLine(func(l *twin.Line) { cfg.Model.Spec = l.Spec() })
	cfg.Model.Prefix, cfg.Forecast.Seed = r.Config().Prefix, cfg.Model.Spec.Run.Seed
	if cmd.Flags().Changed("seed") {
		cfg.Forecast.Seed = f.edge.seed
	}
	if err := f.model.configPilot(&cfg); err != nil {
		return o, nil, nil, badInput("%v", err)
	}
	h, err := twinwire.New(cfg)
	if err != nil {
		return o, nil, nil, badInput("%v", err)
	}
	return o, r, h, nil
}

// reportTwin prints what the twin sees every interval, and the deviations
// raised and the autopilot's decisions since the last report, until done
// is closed (then it reports once more) or the recording fails.
func reportTwin(a *app, h *twinwire.Host, every time.Duration, done, failed <-chan struct{}) {
	t := time.NewTicker(every)
	defer t.Stop()
	var seen, decided uint64 // the last deviation and decision printed
	for {
		select {
		case <-done:
		case <-failed:
			return
		case <-t.C:
		}
		v := h.Mirror.View()
		fmt.Fprintln(a.stdout, summary(&v))
		for _, d := range h.Monitor.Deviations() {
			if d.Seq > seen {
				seen = d.Seq
				fmt.Fprintf(a.stdout, "deviation: %v\n", d)
			}
		}
		decided = printDecisions(a.stdout, h, decided)
		select {
		case <-done:
			return
		default:
		}
	}
}

// printDecisions prints the autopilot's decisions after seq, one a line
// ("autopilot: ..."), and returns the last one's seq.
func printDecisions(w io.Writer, h *twinwire.Host, seq uint64) uint64 {
	if h.Pilot == nil {
		return seq
	}
	for _, d := range h.Pilot.Pilot().Log().Since(seq, nil) {
		fmt.Fprintf(w, "autopilot: %v\n", d)
		seq = d.Seq
	}
	return seq
}

// summary returns one line per mirrored edge node: what the twin sees.
func summary(m *mirror.View) string {
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
