package edge

import (
	"fmt"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// Config says which edge node a [Node] is and how it stamps time.
type Config struct {
	// Group and EdgeNode are the Sparkplug group and edge node ids; both
	// must pass sparkplug.ValidateID. Give each copy of a line its own edge
	// node id, e.g. "phone-factory-L2".
	Group, EdgeNode string
	// Copy is the copy of the line this node publishes, from 0.
	Copy int
	// Epoch is the time in ms since the Unix epoch that simulated time 0
	// maps to: metric timestamps are Epoch + the simulated time in ms.
	Epoch uint64
}

// A Node is one Sparkplug edge node publishing one copy of a running
// [twin.Line]: a device per station and per arm, and line totals as node
// metrics. It builds messages and applies commands; it does no I/O, so an
// MQTT adapter (or a test) publishes what it returns.
//
// The driver owns the line: it advances it (RunFor) between calls and calls
// [Node.Update] to publish what changed. Call [Node.Connect] before each
// MQTT connection attempt and register its message as the attempt's Will;
// when the broker accepts an attempt (CONNACK), call [Node.Accepted], then
// publish [Node.Birth]. A Node is not safe for concurrent use; with the
// line it belongs to one goroutine.
type Node struct {
	line    *twin.Line
	cfg     Config
	sess    *sparkplug.EdgeSession
	snap    twin.Snapshot
	gauges  []gauge
	changes []sparkplug.Change
	devices map[string]device
	// single says the line has one copy, so the line-wide Good count is
	// this node's.
	single bool
}

// gauge is one published metric and how to read it from a snapshot.
type gauge struct {
	id   sparkplug.MetricID
	read func(s *twin.Snapshot) sparkplug.Value
}

// device is what a command to a device needs: what it is.
type device struct {
	arm   bool
	index int // station (flow order) or arm index within the copy
}

// New returns the edge node for copy cfg.Copy of line, with every metric
// defined from the line's current state. It returns an error for invalid
// ids, a copy the line does not have, or a station and an arm that share
// an id.
func New(line *twin.Line, cfg Config) (*Node, error) {
	if line == nil {
		return nil, fmt.Errorf("edge: nil line")
	}
	if err := sparkplug.ValidateID("group id", cfg.Group); err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	if err := sparkplug.ValidateID("edge node id", cfg.EdgeNode); err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	spec := line.Spec()
	if cfg.Copy < 0 || cfg.Copy >= spec.Lines {
		return nil, fmt.Errorf("edge: no copy %d of the line (it has %d)", cfg.Copy, spec.Lines)
	}
	sess, err := sparkplug.NewEdgeSession(sparkplug.EdgeConfig{Group: cfg.Group, EdgeNode: cfg.EdgeNode})
	if err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	n := &Node{line: line, cfg: cfg, sess: sess, devices: map[string]device{}, single: spec.Lines == 1}
	line.SnapshotInto(&n.snap)
	if err := n.define(); err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	return n, nil
}

// Session returns the node's Sparkplug session, for its bdSeq and seq.
func (n *Node) Session() *sparkplug.EdgeSession { return n.sess }

// Config returns the node's configuration.
func (n *Node) Config() Config { return n.cfg }

// Connect prepares an MQTT connection attempt and returns the NDEATH to
// register as its Will. Call it before every attempt: bdSeq advances only
// after an attempt the broker accepted ([Node.Accepted]), so failed
// attempts reuse it.
func (n *Node) Connect(nowMs uint64) (sparkplug.Message, error) {
	return n.sess.Connect(nowMs)
}

// Accepted records that the broker accepted the last attempt Connect
// prepared (a successful CONNACK): the next Connect takes a new bdSeq.
func (n *Node) Accepted() { n.sess.Accepted() }

// Death returns the NDEATH to publish before a clean disconnect.
func (n *Node) Death(nowMs uint64) (sparkplug.Message, error) {
	return n.sess.Death(nowMs)
}

// Birth takes a snapshot and returns the NBIRTH and one DBIRTH per device,
// carrying the line's current values, with seq starting at 0. Called again
// in the same MQTT session it is a rebirth. It fails before Connect.
func (n *Node) Birth(nowMs uint64) ([]sparkplug.Message, error) {
	// The session births with the values it holds: born once, given the
	// current values (the messages are discarded) and born again, it
	// carries the current state. The second Birth restarts seq at 0.
	if _, err := n.sess.Birth(nowMs); err != nil {
		return nil, err
	}
	if _, err := n.sess.Data(nowMs, n.read()...); err != nil {
		return nil, err
	}
	return n.sess.Birth(nowMs)
}

// Update takes a snapshot and returns an NDATA and one DDATA per device
// for the metrics whose values changed since they were last published
// (report by exception): no message at all when nothing changed. Metric
// timestamps are Config.Epoch plus the simulated time; the payload
// timestamp is nowMs. It fails before Birth.
func (n *Node) Update(nowMs uint64) ([]sparkplug.Message, error) {
	return n.sess.Data(nowMs, n.read()...)
}

// read takes a snapshot and returns every gauge's current value as a
// change stamped with the simulated time.
func (n *Node) read() []sparkplug.Change {
	n.line.SnapshotInto(&n.snap)
	ts := n.SimMs(n.snap.Now)
	n.changes = n.changes[:0]
	for _, g := range n.gauges {
		n.changes = append(n.changes, sparkplug.Change{Metric: g.id, Value: g.read(&n.snap), Timestamp: ts})
	}
	return n.changes
}

// SimMs returns the timestamp of simulated time t: Config.Epoch plus t in
// whole ms.
func (n *Node) SimMs(t sim.Time) uint64 {
	return n.cfg.Epoch + uint64(t/sim.Millisecond)
}
