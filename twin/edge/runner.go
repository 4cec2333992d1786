package edge

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// A Publisher publishes one edge node's messages on its broker connection.
// The [Runner] calls Publish from its own goroutine, one message at a time
// and in order; Publish returns once the message is handed over, or fails.
type Publisher interface {
	Publish(ctx context.Context, m sparkplug.Message) error
}

// RunnerConfig configures a [Runner].
type RunnerConfig struct {
	// Group is the Sparkplug group id of every node.
	Group string
	// Prefix names the nodes: copy k of the line publishes as edge node
	// packml.NodeID(Prefix, k).
	Prefix string
	// Start is the wall time that simulated time 0 maps to (each node's
	// Config.Epoch); zero means Now when the runner is made.
	Start time.Time
	// PublishTimeout bounds one publication; 0 means 5 s.
	PublishTimeout time.Duration
	// Log receives what the runner does; nil discards it.
	Log *zap.Logger
	// Now is the wall clock of payload timestamps; nil means time.Now.
	Now func() time.Time
}

// A Runner publishes a running line as one Sparkplug edge node per copy
// ([Node]). Its goroutine ([Runner.Run]) owns the line: it advances it on
// each [Step], publishes what changed, publishes the births of a node
// whenever the transport reports a new connection ([Runner.Connected]),
// and applies the commands the transport hands it ([Runner.Command]).
// The transport's Will callback starts each new MQTT session with
// [Runner.Will]. Its methods are safe for concurrent use.
type Runner struct {
	cfg RunnerConfig
	log *zap.Logger

	mu    sync.Mutex // guards line, every node's session and pub
	line  *twin.Line
	nodes []*runnerNode

	events   chan runnerEvent
	done     chan struct{}
	dropNext atomic.Bool
}

// runnerNode is one edge node and where it publishes.
type runnerNode struct {
	id   string
	node *Node
	pub  Publisher // the connection last reported; nil before the first
	// published counts the messages handed over.
	published atomic.Uint64
}

// A runnerEvent is a connection of node k coming up (pub set: births due)
// or a command received for it.
type runnerEvent struct {
	k       int
	pub     Publisher
	topic   string
	payload []byte
}

// A Step asks the runner to advance the line by Span of simulated time and
// publish what changed; it then closes Done, if not nil.
type Step struct {
	Span sim.Time
	Done chan struct{}
}

// NewRunner returns a runner with one edge node per copy of line. It fails
// on ids that Sparkplug does not allow.
func NewRunner(line *twin.Line, cfg RunnerConfig) (*Runner, error) {
	if cfg.Log == nil {
		cfg.Log = zap.NewNop()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Start.IsZero() {
		cfg.Start = cfg.Now()
	}
	if cfg.PublishTimeout == 0 {
		cfg.PublishTimeout = 5 * time.Second
	}
	r := &Runner{
		cfg: cfg, log: cfg.Log, line: line,
		events: make(chan runnerEvent, 64), done: make(chan struct{}),
	}
	for k := range line.Spec().Lines {
		id := packml.NodeID(cfg.Prefix, k)
		n, err := New(line, Config{Group: cfg.Group, EdgeNode: id, Copy: k, Epoch: uint64(cfg.Start.UnixMilli())})
		if err != nil {
			return nil, err
		}
		r.nodes = append(r.nodes, &runnerNode{id: id, node: n})
	}
	return r, nil
}

// Config returns the runner's configuration, defaults filled in.
func (r *Runner) Config() RunnerConfig { return r.cfg }

// Nodes returns the number of edge nodes: the line's copies.
func (r *Runner) Nodes() int { return len(r.nodes) }

// NodeID returns the edge node id of copy k (from 0).
func (r *Runner) NodeID(k int) string { return r.nodes[k].id }

// Filters returns the topic filters node k subscribes to on every
// connection, at QoS 1: its NCMD and the DCMD of all its devices.
func (r *Runner) Filters(k int) []string {
	id := r.nodes[k].id
	return []string{
		sparkplug.NodeTopic(r.cfg.Group, sparkplug.NCMD, id).String(),
		sparkplug.DeviceTopic(r.cfg.Group, sparkplug.DCMD, id, "+").String(),
	}
}

// Published returns how many messages of node k were handed over.
func (r *Runner) Published(k int) uint64 { return r.nodes[k].published.Load() }

// nowMs returns the wall clock in ms since the Unix epoch.
func (r *Runner) nowMs() uint64 { return uint64(r.cfg.Now().UnixMilli()) }

// Will prepares the next MQTT session of node k (Node.Connect: a new bdSeq
// once the previous attempt was accepted, see [Runner.Accepted]) and
// returns the NDEATH to register as that session's Will. Call it before
// every connection attempt; it waits for the step in progress. Until the connection is reported with Connected, the node
// publishes nothing.
func (r *Runner) Will(k int) (sparkplug.Message, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.nodes[k].node.Connect(r.nowMs())
}

// Accepted reports that the broker accepted node k's connection attempt
// (its CONNACK), so the bdSeq of the session its last Will started is
// spent: the next attempt's Will starts a new session. Call it from the
// connection's callback, before the attempt's OnConnect.
func (r *Runner) Accepted(k int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.nodes[k].node.Accepted()
}

// Connected reports that node k's connection p is up, in the session its
// last Will started, and subscribed to [Runner.Filters]: the runner
// publishes the node's births on p, then its changes. It queues the
// event (waiting only while the queue is full) and returns; after Run has
// returned it does nothing.
func (r *Runner) Connected(k int, p Publisher) {
	r.post(runnerEvent{k: k, pub: p})
}

// Command hands the runner an NCMD or DCMD received for node k; the runner
// applies it between two steps and publishes what the node answers (a
// rebirth). payload is copied. It queues the command like Connected.
func (r *Runner) Command(k int, topic string, payload []byte) {
	r.post(runnerEvent{k: k, topic: topic, payload: append([]byte(nil), payload...)})
}

// post queues an event for the runner's goroutine, unless it has stopped.
func (r *Runner) post(e runnerEvent) {
	select {
	case <-r.done:
		return
	default:
	}
	select {
	case r.events <- e:
	case <-r.done:
	}
}

// DropNextData makes the runner leave out the next NDATA or DDATA it would
// publish: the message still takes its seq, so a host sees a sequence gap
// and asks for a rebirth. It breaks the link on purpose, to show (or test)
// how a host recovers.
func (r *Runner) DropNextData() { r.dropNext.Store(true) }

// WithLine calls fn with the line while the runner holds it: no step,
// command or birth runs, and no node starts a new session (Will), until
// fn returns. fn must not call Will, WithLine or Shutdown, which wait for
// the line.
func (r *Runner) WithLine(fn func(line *twin.Line)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fn(r.line)
}

// Run is the runner's goroutine: until ctx is done it advances the line on
// each step and publishes every born node's changes, publishes the births
// of each connection reported and applies the commands received; the
// connections and commands queued before a step is taken apply before it.
// A closed steps channel stops the line, not the runner. Call Run once.
func (r *Runner) Run(ctx context.Context, steps <-chan Step) {
	defer close(r.done)
	for {
		select {
		case <-ctx.Done():
			return
		case st, ok := <-steps:
			if !ok {
				steps = nil
				continue
			}
			r.pending(ctx) // what was queued before the step applies before it
			r.step(ctx, st.Span)
			if st.Done != nil {
				close(st.Done)
			}
		case e := <-r.events:
			r.handle(ctx, e)
		}
	}
}

// pending handles the events queued, without waiting for more.
func (r *Runner) pending(ctx context.Context) {
	for {
		select {
		case e := <-r.events:
			r.handle(ctx, e)
		default:
			return
		}
	}
}

// step advances the line and publishes the changes of every born node.
func (r *Runner) step(ctx context.Context, span sim.Time) {
	now := r.nowMs()
	r.mu.Lock()
	r.line.RunFor(span)
	out := make([][]sparkplug.Message, len(r.nodes))
	pubs := make([]Publisher, len(r.nodes))
	for k, n := range r.nodes {
		if !n.node.Session().Born() {
			continue // between a (re)connection and its births
		}
		msgs, err := n.node.Update(now)
		if err != nil {
			r.log.Warn("edge: update failed", zap.String("node", n.id), zap.Error(err))
		}
		out[k], pubs[k] = msgs, n.pub
	}
	r.mu.Unlock()
	for k, msgs := range out {
		r.publish(ctx, k, pubs[k], msgs)
	}
}

// handle publishes the births of a new connection, or applies a command.
func (r *Runner) handle(ctx context.Context, e runnerEvent) {
	n := r.nodes[e.k]
	now := r.nowMs()
	r.mu.Lock()
	var (
		msgs []sparkplug.Message
		err  error
	)
	if e.pub != nil {
		n.pub = e.pub
		msgs, err = n.node.Birth(now)
	} else {
		msgs, err = n.node.HandleCommand(e.topic, e.payload, now)
	}
	pub := n.pub
	r.mu.Unlock()
	switch {
	case err != nil:
		r.log.Warn("edge: message not applied", zap.String("node", n.id), zap.String("topic", e.topic), zap.Error(err))
	case e.pub == nil:
		r.log.Info("edge: command applied", zap.String("node", n.id), zap.String("topic", e.topic))
	}
	r.publish(ctx, e.k, pub, msgs)
}

// publish sends msgs of node k on pub, in order.
func (r *Runner) publish(ctx context.Context, k int, pub Publisher, msgs []sparkplug.Message) {
	if pub == nil {
		return
	}
	for _, m := range msgs {
		if m.Topic.Type == sparkplug.NDATA || m.Topic.Type == sparkplug.DDATA {
			if r.dropNext.CompareAndSwap(true, false) {
				continue
			}
		}
		pctx, cancel := context.WithTimeout(ctx, r.cfg.PublishTimeout)
		err := pub.Publish(pctx, m)
		cancel()
		if err != nil {
			r.log.Debug("edge: not published", zap.String("topic", m.Topic.String()), zap.Error(err))
			continue
		}
		r.nodes[k].published.Add(1)
	}
}

// Shutdown publishes the NDEATH of every node that was connected, as
// before a clean disconnect, and returns what failed. Call it after Run
// has returned, before closing the connections.
func (r *Runner) Shutdown(ctx context.Context) error {
	now := r.nowMs()
	var errs []error
	for _, n := range r.nodes {
		r.mu.Lock()
		pub := n.pub
		var (
			m   sparkplug.Message
			err error
		)
		if pub != nil {
			m, err = n.node.Death(now)
		}
		r.mu.Unlock()
		if pub == nil {
			continue
		}
		if err == nil {
			pctx, cancel := context.WithTimeout(ctx, r.cfg.PublishTimeout)
			err = pub.Publish(pctx, m)
			cancel()
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("edge: NDEATH of %s: %w", n.id, err))
		}
	}
	return errors.Join(errs...)
}
