package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// defaultBrokerListen is where edge and twin start the embedded broker when
// no --broker is given.
const defaultBrokerListen = "127.0.0.1:1883"

// mqttFlags are the broker flags edge and twin share.
type mqttFlags struct {
	broker, listen     string
	username, password string
	caFile             string
	certFile, keyFile  string
}

func (f *mqttFlags) register(cmd *cobra.Command, embedded string) {
	fl := cmd.Flags()
	fl.StringVar(&f.broker, "broker", "", "MQTT broker URL, mqtt://host:port or tls://host:port"+embedded)
	fl.StringVar(&f.listen, "broker-listen", defaultBrokerListen, "address of the embedded broker when --broker is not given")
	fl.StringVar(&f.username, "username", "", "MQTT user name")
	fl.StringVar(&f.password, "password", "", "MQTT password (visible in the process list; prefer LIGHTSOUT_MQTT_PASSWORD)")
	fl.StringVar(&f.caFile, "ca-file", "", "PEM file of the CA certificates that sign the broker's certificate (tls:// only; default: the system's)")
	fl.StringVar(&f.certFile, "cert-file", "", "PEM client certificate for brokers that require mutual TLS (with --key-file; tls:// only)")
	fl.StringVar(&f.keyFile, "key-file", "", "PEM private key of --cert-file")
}

// options checks the flags and returns the link options for clientID.
func (f *mqttFlags) options(clientID string, log *zap.Logger) (link.Options, error) {
	o := link.Options{Broker: f.broker, ClientID: clientID, Username: f.username, Password: f.password, Log: log}
	if o.Password == "" {
		o.Password = os.Getenv("LIGHTSOUT_MQTT_PASSWORD")
	}
	if f.broker != "" {
		if _, err := link.ParseBrokerURL(f.broker); err != nil {
			return o, badInput("--broker: %v", err)
		}
	}
	tlsWanted := f.caFile != "" || f.certFile != "" || f.keyFile != ""
	if tlsWanted && f.broker != "" && !strings.HasPrefix(f.broker, "tls://") {
		return o, badInput("--ca-file, --cert-file and --key-file need a tls:// --broker, not %s", f.broker)
	}
	if tlsWanted {
		o.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if f.caFile != "" {
		pem, err := os.ReadFile(f.caFile)
		if err != nil {
			return o, badInput("--ca-file: %v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return o, badInput("--ca-file %s: no PEM certificate found", f.caFile)
		}
		o.TLS.RootCAs = pool
	}
	switch {
	case (f.certFile == "") != (f.keyFile == ""):
		return o, badInput("--cert-file and --key-file go together: give both or neither")
	case f.certFile != "":
		cert, err := tls.LoadX509KeyPair(f.certFile, f.keyFile)
		if err != nil {
			return o, badInput("--cert-file %s, --key-file %s: %v", f.certFile, f.keyFile, err)
		}
		o.TLS.Certificates = []tls.Certificate{cert}
	}
	return o, nil
}

// startBroker starts the embedded broker when no --broker is given and
// points o at it; the returned function stops it (nil broker: no-op). With
// --username the embedded broker admits only that user and o's password.
func (f *mqttFlags) startBroker(o *link.Options, log *zap.Logger) (func(), error) {
	if f.broker != "" {
		return func() {}, nil
	}
	if o.Username != "" && o.Password == "" {
		return nil, badInput("--username %s: the embedded broker needs a password too (--password or LIGHTSOUT_MQTT_PASSWORD)", o.Username)
	}
	if o.Username == "" && o.Password != "" {
		return nil, badInput("a password is set but no --username")
	}
	b, err := link.StartBrokerWith(f.listen, link.BrokerOptions{Username: o.Username, Password: o.Password, Log: log})
	if err != nil {
		return nil, badInput("--broker-listen %s: %v", f.listen, err)
	}
	o.Broker = b.URL()
	return func() { _ = b.Close() }, nil
}

type edgeFlags struct {
	config string
	seed   uint64
	speed  float64
	group  string
	node   string
	tick   time.Duration
	mqtt   mqttFlags
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
the DCMD commands of 'go doc ./twin/edge'. Its NDEATH is registered as the
MQTT Will and also published on a clean stop (SIGINT, SIGTERM).

Without --broker it starts an embedded MQTT broker on --broker-listen.

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
	fl.StringVar(&f.config, "config", configs.Default, "config file, or the name of an embedded config (see 'lightsout configs')")
	fl.Uint64Var(&f.seed, "seed", 0, "random seed (default: the config's run.seed)")
	fl.Float64Var(&f.speed, "speed", 1, "simulated time per wall-clock time, e.g. 60 runs an hour a minute")
	fl.StringVar(&f.group, "group", "lightsout", "Sparkplug group id")
	fl.StringVar(&f.node, "node", "", "edge node id prefix; copy k publishes as <node>-L<k> (default: the config's name)")
	fl.DurationVar(&f.tick, "tick", 100*time.Millisecond, "wall-clock time between two steps of the line (and checks for changes)")
	f.mqtt.register(cmd, " (default: start an embedded broker)")
	return cmd
}

// edgeSetup checks the edge flags and builds the line and its runner.
func edgeSetup(cmd *cobra.Command, a *app, f *edgeFlags) (*edgeRunner, error) {
	if !(f.speed > 0) || f.speed > 1e6 {
		return nil, badInput("--speed %v: want a number above 0, at most 1000000", f.speed)
	}
	if f.tick < time.Millisecond || f.tick > time.Minute {
		return nil, badInput("--tick %v: want 1ms to 1m", f.tick)
	}
	spec, err := configs.Resolve(f.config)
	if err != nil {
		return nil, configProblem(err)
	}
	seed := spec.Run.Seed
	if cmd.Flags().Changed("seed") {
		seed = f.seed
	}
	node := f.node
	if node == "" {
		node = spec.Name
	}
	if err := sparkplug.ValidateID("--group", f.group); err != nil {
		return nil, badInput("%v", err)
	}
	if err := sparkplug.ValidateID("--node", node); err != nil {
		return nil, badInput("%v (set --node)", err)
	}
	line, err := twin.NewLine(spec, seed, nil)
	if err != nil {
		return nil, badInput("%v", err)
	}
	r, err := newEdgeRunner(line, f.group, node, time.Now(), a.log)
	if err != nil {
		return nil, badInput("%v", err)
	}
	return r, nil
}

func runEdge(ctx context.Context, a *app, cmd *cobra.Command, f *edgeFlags) error {
	o, err := f.mqtt.options("", a.log)
	if err != nil {
		return err
	}
	r, err := edgeSetup(cmd, a, f)
	if err != nil {
		return err
	}
	stopBroker, err := f.mqtt.startBroker(&o, a.log)
	if err != nil {
		return err
	}
	defer stopBroker()
	if err := r.connect(ctx, o); err != nil {
		if ctx.Err() != nil {
			return &exitError{code: exitInterrupted, lines: []string{"lightsout: interrupted before connecting"}}
		}
		return connectFailure(err)
	}
	a.log.Info("edge running", zap.String("group", f.group), zap.Int("nodes", len(r.pubs)),
		zap.Float64("speed", f.speed), zap.String("broker", o.Broker))
	err = r.run(ctx, r.paced(ctx, f.speed, f.tick))
	r.shutdown()
	return err
}

// An edgeRunner publishes a running line as one Sparkplug edge node per
// copy. The simulation goroutine (run) owns the line and the nodes, and is
// the only one that publishes; mu also lets the connections' Will and
// OnConnack callbacks prepare and accept a session between two steps.
type edgeRunner struct {
	log   *zap.Logger
	group string
	now   func() time.Time

	mu   sync.Mutex // guards line and every pub.node
	line *twin.Line
	pubs []*edgePub

	events chan edgeEvent
	done   chan struct{}
	// dropNext is a test hook: when set, the next NDATA or DDATA is not
	// published (it still takes a seq), forcing a gap.
	dropNext atomic.Bool
}

// An edgePub is one edge node and its connection.
type edgePub struct {
	id   string
	node *edge.Node
	conn *link.Conn
	// published counts messages handed to the broker.
	published atomic.Uint64
}

// An edgeEvent is a connection coming up (births due) or a command.
type edgeEvent struct {
	pub       int
	connected bool
	topic     string
	payload   []byte
}

// newEdgeRunner returns a runner with one edge node per copy of line;
// simulated time 0 is start.
func newEdgeRunner(line *twin.Line, group, node string, start time.Time, log *zap.Logger) (*edgeRunner, error) {
	r := &edgeRunner{
		log: log, group: group, now: time.Now, line: line,
		events: make(chan edgeEvent, 64), done: make(chan struct{}),
	}
	for k := range line.Spec().Lines {
		id := fmt.Sprintf("%s-L%d", node, k+1)
		n, err := edge.New(line, edge.Config{Group: group, EdgeNode: id, Copy: k, Epoch: uint64(start.UnixMilli())})
		if err != nil {
			return nil, err
		}
		r.pubs = append(r.pubs, &edgePub{id: id, node: n})
	}
	return r, nil
}

func (r *edgeRunner) nowMs() uint64 { return uint64(r.now().UnixMilli()) }

// connectTimeout bounds the wait for the first connection to the broker.
const connectTimeout = 30 * time.Second

// connect dials one connection per edge node with o as template.
func (r *edgeRunner) connect(ctx context.Context, o link.Options) error {
	ctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	for k, p := range r.pubs {
		po := o
		po.ClientID = p.id
		po.Will = func() (*link.Message, error) {
			r.mu.Lock()
			m, err := p.node.Connect(r.nowMs())
			r.mu.Unlock()
			if err != nil {
				return nil, err
			}
			return toLinkMessage(m), nil
		}
		po.OnConnack = func() { r.mu.Lock(); p.node.Accepted(); r.mu.Unlock() } // bdSeq counts accepted CONNECTs
		po.OnConnect = func(c *link.Conn) { r.connected(k, c) }
		po.OnMessage = func(topic string, payload []byte) {
			r.post(edgeEvent{pub: k, topic: topic, payload: append([]byte(nil), payload...)})
		}
		c, err := link.Dial(ctx, po)
		if err != nil {
			r.closeConns()
			return err
		}
		p.conn = c
	}
	return nil
}

// connected subscribes to the node's commands, then asks the simulation
// goroutine for the births. It runs in its own goroutine per connection.
func (r *edgeRunner) connected(k int, c *link.Conn) {
	id := r.pubs[k].id
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, filter := range []string{
		sparkplug.NodeTopic(r.group, sparkplug.NCMD, id).String(),
		sparkplug.DeviceTopic(r.group, sparkplug.DCMD, id, "+").String(),
	} {
		if err := c.Subscribe(ctx, filter, 1); err != nil {
			r.log.Warn("edge: subscribe failed", zap.String("node", id), zap.Error(err))
		}
	}
	r.post(edgeEvent{pub: k, connected: true})
}

// post hands an event to the simulation goroutine, unless it has stopped.
func (r *edgeRunner) post(e edgeEvent) {
	select {
	case r.events <- e:
	case <-r.done:
	}
}

// An edgeStep asks the simulation goroutine to advance the line by span,
// publish what changed and then close done (if not nil).
type edgeStep struct {
	span sim.Time
	done chan struct{}
}

// paced returns steps that keep the line at speed times the wall clock,
// one per tick, until ctx is done.
func (r *edgeRunner) paced(ctx context.Context, speed float64, tick time.Duration) <-chan edgeStep {
	steps := make(chan edgeStep)
	go func() {
		t := time.NewTicker(tick)
		defer t.Stop()
		start := time.Now()
		var sent sim.Time
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				target := sim.Time(float64(now.Sub(start)) * speed)
				if target <= sent {
					continue
				}
				select {
				case steps <- edgeStep{span: target - sent}:
					sent = target
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return steps
}

// run is the simulation goroutine: it advances the line on each step,
// publishes births on connections and applies commands, until ctx is done.
func (r *edgeRunner) run(ctx context.Context, steps <-chan edgeStep) error {
	defer close(r.done)
	for {
		select {
		case <-ctx.Done():
			return nil
		case st := <-steps:
			r.step(ctx, st.span)
			if st.done != nil {
				close(st.done)
			}
		case e := <-r.events:
			r.handle(ctx, e)
		}
	}
}

// step advances the line and publishes the changes of every born node.
func (r *edgeRunner) step(ctx context.Context, span sim.Time) {
	now := r.nowMs()
	r.mu.Lock()
	r.line.RunFor(span)
	out := make([][]sparkplug.Message, len(r.pubs))
	for k, p := range r.pubs {
		if !p.node.Session().Born() {
			continue // between a (re)connection and its births
		}
		msgs, err := p.node.Update(now)
		if err != nil {
			r.log.Warn("edge: update failed", zap.String("node", p.id), zap.Error(err))
		}
		out[k] = msgs
	}
	r.mu.Unlock()
	for k, msgs := range out {
		r.publish(ctx, k, msgs)
	}
}

// handle publishes the births after a connection, or applies a command.
func (r *edgeRunner) handle(ctx context.Context, e edgeEvent) {
	p := r.pubs[e.pub]
	now := r.nowMs()
	r.mu.Lock()
	var (
		msgs []sparkplug.Message
		err  error
	)
	if e.connected {
		msgs, err = p.node.Birth(now)
	} else {
		msgs, err = p.node.HandleCommand(e.topic, e.payload, now)
	}
	r.mu.Unlock()
	if err != nil {
		r.log.Warn("edge: message not applied", zap.String("node", p.id), zap.String("topic", e.topic), zap.Error(err))
	}
	if !e.connected && err == nil {
		r.log.Info("edge: command applied", zap.String("node", p.id), zap.String("topic", e.topic))
	}
	r.publish(ctx, e.pub, msgs)
}

// publish sends msgs on node k's connection, in order.
func (r *edgeRunner) publish(ctx context.Context, k int, msgs []sparkplug.Message) {
	p := r.pubs[k]
	if p.conn == nil {
		return
	}
	for _, m := range msgs {
		if m.Topic.Type == sparkplug.NDATA || m.Topic.Type == sparkplug.DDATA {
			if r.dropNext.CompareAndSwap(true, false) {
				continue
			}
		}
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := p.conn.Publish(pctx, *toLinkMessage(m))
		cancel()
		if err != nil {
			r.log.Debug("edge: not published", zap.String("topic", m.Topic.String()), zap.Error(err))
			continue
		}
		p.published.Add(1)
	}
}

// shutdown publishes each node's NDEATH and disconnects. Call it after
// run has returned.
func (r *edgeRunner) shutdown() {
	now := r.nowMs()
	for _, p := range r.pubs {
		if p.conn == nil {
			continue
		}
		r.mu.Lock()
		m, err := p.node.Death(now)
		r.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err == nil {
			err = p.conn.Publish(ctx, *toLinkMessage(m))
		}
		if err != nil {
			r.log.Warn("edge: NDEATH not published", zap.String("node", p.id), zap.Error(err))
		}
		cancel()
	}
	r.closeConns()
}

// closeConns disconnects every connection cleanly.
func (r *edgeRunner) closeConns() {
	for _, p := range r.pubs {
		if p.conn == nil {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := p.conn.Close(ctx); err != nil && !errors.Is(err, context.Canceled) {
			r.log.Warn("edge: disconnect", zap.String("node", p.id), zap.Error(err))
		}
		cancel()
	}
}

// toLinkMessage converts a Sparkplug message for the MQTT link.
func toLinkMessage(m sparkplug.Message) *link.Message {
	return &link.Message{Topic: m.Topic.String(), Payload: m.Payload, QoS: m.QoS, Retain: m.Retain}
}
