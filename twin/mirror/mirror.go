package mirror

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
)

// Config configures a [Mirror].
type Config struct {
	// HostID is the Sparkplug host application id of the STATE topic.
	HostID string
	// Group, if set, limits the mirror to one Sparkplug group: the
	// subscription (see [Mirror.Filters]) and the nodes a command may
	// address without naming a group.
	Group string
	// Record, if set, receives one JSON line per message received and per
	// connection event, as they happen (see [RecordingReader]).
	Record io.Writer
	// RebirthInterval is the minimum time between two rebirth requests to
	// one edge node; 0 means the host session's default
	// (host.DefaultRebirthInterval).
	RebirthInterval time.Duration
	// Limits bound what the mirror holds and asks for: payload size,
	// nodes, devices per node, metrics per message, memory, and the
	// rebirth requests of the whole mirror (see host.Config, whose
	// defaults zero fields take). Its RebirthInterval is set from
	// RebirthInterval above.
	Limits host.Config
	// EvictAfter is how long an edge node may stay silent, in host time,
	// before the mirror forgets it, with its devices, its counters and
	// what its observers keep of it (see [EventEvicted]). 0 means
	// DefaultEvictAfter; a negative value never evicts.
	EvictAfter time.Duration
	// Log receives what the mirror does; nil discards it.
	Log *zap.Logger
	// Now is the host's clock; nil means time.Now.
	Now func() time.Time
}

// A Mirror mirrors the Sparkplug edge nodes it hears from. Create it with
// [New], add its observers with [Mirror.Observe], then feed it with
// [Mirror.Receive] and the connection events ([Mirror.Online],
// [Mirror.ConnectionLost]), or with a [Replayer]; read it with
// [Mirror.View]. Its methods are safe for concurrent use; messages and
// events are applied one at a time, in the order they are given.
type Mirror struct {
	cfg Config
	log *zap.Logger

	// feed serialises messages and connection events, and their
	// observers, so that every observer sees every change in order.
	feed      sync.Mutex
	observers []Observer

	// mu guards the session and everything below; it is held only while a
	// change is applied or a view copied, never while observers run.
	mu       sync.Mutex
	sess     *host.Session
	received uint64
	// version counts the changes applied (messages and connection
	// events), so a reader can tell whether a view it took is current.
	version uint64
	perNode map[nodeKey]uint64
	deaths  map[nodeKey]uint64
	changed chan struct{}
	rec     *recorder
	lastErr string
	stateTS uint64
	swept   time.Time // host time of the last look for silent nodes
	gone    []host.NodeID
}

// DefaultEvictAfter is the silence after which a mirror forgets an edge
// node when Config.EvictAfter is zero.
const DefaultEvictAfter = time.Hour

type nodeKey struct{ group, node string }

// New returns a mirror with nothing mirrored yet. It checks the host id
// and the group.
func New(cfg Config) (*Mirror, error) {
	if err := sparkplug.ValidateID("host id", cfg.HostID); err != nil {
		return nil, fmt.Errorf("mirror: %w", err)
	}
	if cfg.Group != "" {
		if err := sparkplug.ValidateID("group id", cfg.Group); err != nil {
			return nil, fmt.Errorf("mirror: %w", err)
		}
	}
	if cfg.RebirthInterval < 0 {
		return nil, fmt.Errorf("mirror: rebirth interval %v is negative", cfg.RebirthInterval)
	}
	cfg.Limits.RebirthInterval = uint64(cfg.RebirthInterval / time.Millisecond)
	if err := cfg.Limits.Validate(); err != nil {
		return nil, fmt.Errorf("mirror: %w", err)
	}
	cfg.Limits = cfg.Limits.WithDefaults()
	if cfg.EvictAfter == 0 {
		cfg.EvictAfter = DefaultEvictAfter
	}
	if cfg.Log == nil {
		cfg.Log = zap.NewNop()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	m := &Mirror{
		cfg:     cfg,
		log:     cfg.Log,
		sess:    host.NewSession(cfg.Limits),
		perNode: map[nodeKey]uint64{},
		deaths:  map[nodeKey]uint64{},
		changed: make(chan struct{}),
	}
	if cfg.Record != nil {
		m.rec = newRecorder(cfg.Record, cfg.Log)
	}
	return m, nil
}

// Config returns the mirror's configuration, defaults filled in.
func (m *Mirror) Config() Config { return m.cfg }

// Observe adds an observer, told of every change from now on, after the
// observers added before it. Add observers before feeding the mirror.
func (m *Mirror) Observe(o Observer) {
	m.feed.Lock()
	defer m.feed.Unlock()
	m.observers = append(m.observers, o)
}

func ms(t time.Time) uint64 { return uint64(t.UnixMilli()) }

// Receive applies one message, as the broker delivers them: it records
// it, feeds it to the session, tells the observers and returns the
// rebirth request the session asks for, if any, for the caller to publish
// (nil otherwise). A message the session rejects (a broken rule, a
// malformed payload, a limit) is counted in the view's statistics and its
// error is in [View.LastError] and the observers' [Update.Err]; it never
// stops the mirror. Before the message, the observers hear of the nodes
// the mirror forgot ([EventEvicted]).
func (m *Mirror) Receive(topic string, payload []byte) *sparkplug.Message {
	m.feed.Lock()
	defer m.feed.Unlock()
	now := m.cfg.Now()
	m.mu.Lock()
	m.rec.message(now, topic, payload)
	m.sweepLocked(now)
	act, err := m.sess.Receive(topic, payload, ms(now))
	m.received++
	m.version++
	gone := m.forgetLocked()
	t, perr := sparkplug.ParseTopic(topic)
	if err != nil {
		m.lastErr = err.Error()
	}
	var u Update
	if perr == nil {
		u = m.updateLocked(now, t, err)
		if u.NodeKnown && t.Type != sparkplug.STATE && t.Type != sparkplug.NCMD && t.Type != sparkplug.DCMD {
			m.perNode[nodeKey{t.Group, t.EdgeNode}]++
			if t.Type == sparkplug.NDEATH {
				m.deaths[nodeKey{t.Group, t.EdgeNode}]++
			}
		}
	}
	m.mu.Unlock()
	if err != nil {
		m.log.Debug("mirror: message rejected", zap.String("topic", topic), zap.Error(err))
	}
	m.tellGone(now, gone)
	if perr == nil {
		m.tell(&u)
	}
	m.notify()
	if act.Kind == host.ActionRebirth {
		return &act.Request
	}
	return nil
}

// tell gives u to every observer, in order. m.feed is held.
func (m *Mirror) tell(u *Update) {
	for _, o := range m.observers {
		o.Observe(u)
	}
}

// Version counts the changes the mirror has applied. It moves in the same
// locked step as the change, whereas Changed wakes its waiters only after
// the observers have run: a reader that took a view at version v and sees
// v again has the latest state.
func (m *Mirror) Version() uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.version
}

// notify wakes everyone waiting in Changed.
func (m *Mirror) notify() {
	m.mu.Lock()
	close(m.changed)
	m.changed = make(chan struct{})
	m.mu.Unlock()
}

// Changed returns a channel closed at the next change of the mirror (a
// message applied, the connection lost or established), once its
// observers have seen it.
func (m *Mirror) Changed() <-chan struct{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.changed
}

// NodeMessages returns how many messages from one edge node (births,
// deaths and data, not commands) the mirror has applied.
func (m *Mirror) NodeMessages(group, edgeNode string) uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.perNode[nodeKey{group, edgeNode}]
}

// The mirror's own connection events, as a recording keeps them (see
// [Recorded]) and observers see them ([Update.Event]).
const (
	// EventConnectionLost: the host lost its broker connection; every
	// node it mirrors is stale until reborn.
	EventConnectionLost = "connection_lost"
	// EventOnline: the host is (again) connected, subscribed and online;
	// it asks every node it knows for a rebirth.
	EventOnline = "online"
	// EventEvicted: the mirror forgot the edge node [Update.Topic] names
	// (its Group and EdgeNode; Type is zero): it was silent for longer
	// than Config.EvictAfter, or held nothing and gave its place to a new
	// node (see host.Config.MaxNodes). Observers should forget
	// it too. Recordings do not hold it: a replay evicts the same nodes
	// at the same recorded times.
	EventEvicted = "evicted"
)

// ConnectionLost records that the host lost its broker connection: every
// node and device it mirrors becomes stale until reborn.
func (m *Mirror) ConnectionLost() {
	m.event(m.cfg.Now(), EventConnectionLost)
}

// event applies one connection event at now and returns the rebirth
// requests to publish (EventOnline).
func (m *Mirror) event(now time.Time, event string) []sparkplug.Message {
	m.feed.Lock()
	defer m.feed.Unlock()
	m.mu.Lock()
	m.rec.event(now, event)
	var out []sparkplug.Message
	switch event {
	case EventConnectionLost:
		m.sweepLocked(now)
		m.sess.ConnectionLost(ms(now))
	case EventOnline:
		// RebirthAll restarts every node's silence: the host heard
		// nothing while it was away.
		for _, a := range m.sess.RebirthAll(ms(now)) {
			out = append(out, a.Request)
		}
		m.sweepLocked(now)
	}
	m.version++
	gone := m.forgetLocked()
	m.mu.Unlock()
	m.tellGone(now, gone)
	m.tell(&Update{Time: now, Event: event})
	m.notify()
	return out
}

// RecordError returns why the recording stopped, if it did.
func (m *Mirror) RecordError() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.rec.failed()
}

// Errors of [Mirror.Command] and of whoever publishes for the mirror;
// match them with errors.Is.
var (
	// ErrNotConnected: the host has no broker connection to publish on.
	ErrNotConnected = errors.New("not connected to a broker")
	// ErrUnknownNode: no birth of the edge node is known.
	ErrUnknownNode = errors.New("unknown edge node")
	// ErrUnknownDevice: the edge node has no such device.
	ErrUnknownDevice = errors.New("unknown device")
	// ErrUnknownMetric: the node or device has no such metric.
	ErrUnknownMetric = errors.New("unknown metric")
	// ErrOffline: the edge node or device is not online, so a command
	// would be lost.
	ErrOffline = errors.New("offline")
	// ErrBadCommand: a [CommandRequest] that does not make sense.
	ErrBadCommand = errors.New("bad command")
)
