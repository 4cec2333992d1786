package main

import (
	"context"
	"errors"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/cmd/internal/mqttflags"
	"github.com/lightsout-sim/lightsout/cmd/internal/twinhttp"
	"github.com/lightsout-sim/lightsout/cmd/internal/twinwire"
	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

type twinFlags struct {
	hostID   string
	group    string
	record   recordFlags
	api      twinhttp.ServerFlags
	embedded bool
	mqtt     mqttflags.Flags
	model    modelFlags
	limits   limitFlags
}

func newTwinCmd(a *app) *cobra.Command {
	var f twinFlags
	cmd := &cobra.Command{
		Use:   "twin",
		Short: "Mirror Sparkplug B edge nodes from an MQTT broker (the twin's host application)",
		Long: `twin is a Sparkplug B 3.0 host application: the digital twin of a line. It
connects to an MQTT broker, publishes spBv1.0/STATE/<host id> (retained, QoS
1, with the offline STATE as its Will), subscribes to the Sparkplug namespace
(or one --group) and mirrors every edge node and device it hears from into an
ISA-95 tree (site / area = group / line = edge node / cell / device) with
PackML states and time in state. A device is marked stale when its node dies;
a seq gap makes it ask the node for a rebirth. It reconnects after losing
the broker and then asks for rebirths.

From the mirror it computes live KPIs (throughput, WIP, yield, OEE per
station and line) and watches for deviations: stale nodes, protocol faults
and, with --config, each station's cycle time against the model (CUSUM) and
the line's good output against a forecast band (--band-horizon). With
--config it also forks the simulation from the mirrored state: forecasts to
the end of the shift and what-ifs. Edge node <node>-L<k> is copy k of the
config's line (--node defaults to the config's name, as 'lightsout edge'
publishes).

HTTP on --http:
  GET  /api/state        the mirror: nodes, devices, metrics, stale flags
  GET  /api/tree         the ISA-95 tree with PackML state and time in state
  GET  /api/kpis         throughput, WIP, yield, OEE per line and station
  GET  /api/deviations   deviation events (?since=<ms>)
  GET  /api/history      good, shipped, scrapped per 5 simulated min, the last day (?buckets=<n>; --config)
  GET  /api/forecast     P10/P50/P90 good output to the end of the shift
                         (?until=&reps=&seed=: these need the token)
  POST /api/whatif       fork twice and compare (see 'lightsout whatif'; token)
  POST /api/command      send a DCMD (see 'lightsout command'; token)
  GET  /api/autopilot    the autopilot's status and decisions (?since=<seq>)
  POST /api/autopilot    {"action":"hold"|"release","reason":"..."} (token)
  GET  /metrics          Prometheus text format
With --config, --autopilot NAME (none, predictive, forecast) flies an
autopilot on the mirrored line: at each of its decision epochs, on the
line's simulated clock (Time/Simulated), it sees what the edge publishes
(states, buffers, counters, condition readings, crews; never the true
health), decides, and sends its actions as DCMDs (Command/Maintain,
Command/Dispatch, Command/Speed, Command/Buffer), each decision logged with
its reason and numbers. --recommend-only logs without sending,
--max-actions-per-hour caps the actions, an operator's POST /api/autopilot
holds it; --autopilot-param sets the policy's parameters (see 'lightsout
batch --help'). A config with an autopilot: block flies it without
--autopilot; --autopilot (and its flags) replaces the block, as in batch,
sweep and the window. A replay of a recording with the same config and
flags makes the same decisions.

Reading is open; acting on the line or costing CPU needs the API token
(Authorization: Bearer <token>), read from --api-token-file or
$LIGHTSOUT_API_TOKEN, never from a flag's value. Without a token the twin
takes no commands, and bound beyond loopback it does not start (unless
--insecure-no-auth). Host headers other than the address, loopback names
and --http-name, foreign Origins and POSTs that are not JSON are refused.
--http-cert and --http-key serve HTTPS.
--record FILE writes every message received as a JSON line
{"time","topic","payload" (base64)}, as it arrives, and the twin's own
connection events as {"time","event"}; 'lightsout replay --log FILE' feeds
it back. FILE must be new, unless --append (add to the recording: a last
line cut short by an earlier twin's crash is cut off first) or --force
(overwrite it). If writing the recording fails (a full disk), the twin
stops with exit status 1.

Exit status: 1 when the recording fails, 2 bad input, 130 on Ctrl-C
(SIGINT) or SIGTERM, its normal stop.

Examples:
  lightsout twin --broker mqtt://127.0.0.1:1883 --config demo-line
  lightsout twin --broker mqtt://127.0.0.1:1883 --config demo-line --http 0.0.0.0:8443 \
                 --api-token-file token --http-cert twin.pem --http-key twin.key --http-name twin.plant
  lightsout twin --broker tls://broker.plant:8883 --username twin --ca-file ca.pem
  lightsout twin --embedded --record run.jsonl
  lightsout twin --broker mqtt://127.0.0.1:1883 --config phone-factory --autopilot predictive`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runTwin(ctx, a, cmd, &f)
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&f.hostID, "host-id", "lightsout-twin", "Sparkplug host application id (the STATE topic)")
	fl.StringVar(&f.group, "group", "", "mirror only this Sparkplug group (default: every group)")
	f.record.register(fl)
	f.api.Register(fl, twinhttp.DefaultAddr)
	fl.BoolVar(&f.embedded, "embedded", false, "start an embedded broker on --broker-listen instead of using --broker")
	f.mqtt.Register(fl, "broker", "MQTT broker URL, mqtt://host:port or tls://host:port (required unless --embedded)")
	f.mqtt.RegisterListen(fl)
	f.model.register(cmd)
	f.limits.register(cmd)
	return cmd
}

func runTwin(ctx context.Context, a *app, cmd *cobra.Command, f *twinFlags) error {
	o, problems := f.mqtt.Options()
	o.ClientID, o.Log = f.hostID, a.log
	problems = append(problems, f.record.check()...)
	switch {
	case f.mqtt.Broker == "" && !f.embedded:
		problems = append(problems, "--broker is required (or --embedded to start a local broker)")
	case f.mqtt.Broker != "" && f.embedded:
		problems = append(problems, "--broker and --embedded cannot be used together: choose one")
	}
	web, more := f.api.Settings()
	problems = append(problems, more...)
	var limits mirror.Config
	problems = append(problems, f.limits.check(&limits)...)
	cfg, err := hostConfig(cmd, a, f.hostID, f.group, &f.model, problems)
	if err != nil {
		return err
	}
	cfg.Mirror.Limits, cfg.Mirror.EvictAfter = limits.Limits, limits.EvictAfter
	rec, err := f.record.open(a.log)
	if err != nil {
		return err
	}
	if rec != nil {
		cfg.Mirror.Record = rec
	}
	err = runTwinHost(ctx, a, f, cfg, o, rec, web)
	if cerr := rec.close(); cerr != nil {
		return cerr // a recording lost outranks how the twin stopped
	}
	return err
}

// runTwinHost runs the twin's host until ctx ends (status 130) or its
// recording fails.
func runTwinHost(ctx context.Context, a *app, f *twinFlags, cfg twinwire.Config, o link.Options, rec *recording, web twinhttp.Settings) error {
	h, err := twinwire.New(cfg)
	if err != nil {
		return badInput("%v", err)
	}
	stopHTTP, err := serveHTTP(a, web, h)
	if err != nil {
		return err
	}
	defer stopHTTP()
	stopBroker, err := f.mqtt.Start(&o, a.log)
	if err != nil {
		return badInput("%v", err)
	}
	defer stopBroker()
	if err := connectHost(ctx, h, o); err != nil {
		return err
	}
	wctx, stopWatch := context.WithCancel(ctx)
	wait := watch(wctx, h)
	select {
	case <-ctx.Done():
	case <-rec.Failed():
	}
	stopWatch()
	wait()
	stopHTTP() // no request meets the host closing
	closeHost(a, h)
	if ctx.Err() != nil {
		return interrupted("twin stopped (interrupted)")
	}
	return nil // the recording failed: rec.close says so
}

// hostConfig checks the host's flags (its id, group and model) and
// returns its configuration. It reports every problem at once, the
// caller's own problems first.
func hostConfig(cmd *cobra.Command, a *app, hostID, group string, model *modelFlags, problems []string) (twinwire.Config, error) {
	if err := sparkplug.ValidateID("--host-id", hostID); err != nil {
		problems = append(problems, err.Error())
	}
	if group != "" { // empty: every group
		if err := sparkplug.ValidateID("--group", group); err != nil {
			problems = append(problems, err.Error())
		}
	}
	cfg := twinwire.Config{Mirror: mirror.Config{HostID: hostID, Group: group, Log: a.log}}
	more, configErr := model.check(cmd, &cfg)
	return cfg, inputProblems(append(problems, more...), configErr)
}

// connectHost connects h, waiting at most connectTimeout.
func connectHost(ctx context.Context, h *twinwire.Host, o link.Options) error {
	cctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if err := h.Connect(cctx, o); err != nil {
		if ctx.Err() != nil {
			return interrupted("interrupted before connecting")
		}
		return connectFailure(err)
	}
	return nil
}

// closeHost publishes the host's offline STATE and disconnects.
func closeHost(a *app, h *twinwire.Host) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.Close(ctx); err != nil {
		a.log.Warn("twin: closing", zap.Error(err))
	}
}

// serveHTTP serves h's HTTP API as web says (nothing without an
// address) and returns the function that shuts the server down (once,
// however often it is called).
func serveHTTP(a *app, web twinhttp.Settings, h *twinwire.Host) (func(), error) {
	if web.Addr == "" {
		return func() {}, nil
	}
	srv, err := twinhttp.Start(web, h.Handler, a.log)
	var oe *net.OpError
	switch {
	case errors.As(err, &oe):
		return nil, badInput("--http %s: %v", web.Addr, err)
	case err != nil:
		return nil, err
	}
	return srv.Close, nil
}
