package host

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// Config configures a [Host].
type Config struct {
	// HostID is the Sparkplug host application id of the STATE topic.
	HostID string
	// Group, if set, limits the subscription to one Sparkplug group;
	// empty subscribes to every group.
	Group string
	// Record, if set, receives one JSON line per message received, as it
	// arrives: {"time":RFC 3339,"topic":…,"payload":base64}.
	Record io.Writer
	// RebirthInterval is the minimum time between two rebirth requests to
	// one edge node; 0 means the sparkplug default.
	RebirthInterval time.Duration
	// Log receives what the host does; nil discards it.
	Log *zap.Logger
	// Now is the host's clock; nil means time.Now.
	Now func() time.Time

	// Spec, if set, is the model of the line the edge nodes publish: copy k
	// (from 0) of it is the edge node NodePrefix-L<k+1> (as 'lightsout edge'
	// names them). With it the host can fork forecasts and what-ifs, check
	// cycle times against the model and place arms in the ISA-95 tree;
	// without it those features answer that no model is loaded.
	Spec *twin.Spec
	// NodePrefix is the edge node id prefix of the modelled line; empty
	// means Spec.Name.
	NodePrefix string
	// Site names the ISA-95 site above the Sparkplug groups (areas); empty
	// means "site".
	Site string
	// Seed is the base seed of forecasts and what-ifs: the same mirrored
	// state and seed give the same forecast.
	Seed uint64
	// Replications is the number of forked runs per forecast; 0 means 40.
	Replications int
	// Shift is the shift length for forecasts "to the end of the shift":
	// shifts start at simulated time 0, Shift, 2*Shift, ...; 0 means 8h.
	Shift time.Duration
	// Workers bounds the goroutines running forecast replications; 0 means
	// GOMAXPROCS.
	Workers int
}

// A Host mirrors the Sparkplug edge nodes it hears from. Create it with
// [New], feed it with [Host.Connect] (or [Host.Receive] for a recording),
// read it with [Host.Mirror]. Its methods are safe for concurrent use.
type Host struct {
	cfg Config
	log *zap.Logger

	mu       sync.Mutex
	sess     *sparkplug.HostSession
	received uint64
	perNode  map[nodeKey]uint64
	deaths   map[nodeKey]uint64
	changed  chan struct{}
	rec      *json.Encoder
	recErr   error
	conn     *link.Conn
	closed   bool
	stateTS  uint64
	lastErr  string

	// Analytics fed by every message (see observeLocked).
	track trackState    // tree.go: ISA-95 tree, time in state, KPIs
	watch watchState    // deviations.go: deviation detectors and events
	fc    forecastState // forecast.go: the latest forecast
	band  bandState     // loop.go: the output-band check, used by Tick only
}

type nodeKey struct{ group, node string }

// New returns a host with an empty mirror. It checks the host id.
func New(cfg Config) (*Host, error) {
	if err := sparkplug.ValidateID("host id", cfg.HostID); err != nil {
		return nil, fmt.Errorf("host: %w", err)
	}
	if cfg.Group != "" {
		if err := sparkplug.ValidateID("group id", cfg.Group); err != nil {
			return nil, fmt.Errorf("host: %w", err)
		}
	}
	if cfg.Log == nil {
		cfg.Log = zap.NewNop()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Site == "" {
		cfg.Site = "site"
	}
	if cfg.Spec != nil && cfg.NodePrefix == "" {
		cfg.NodePrefix = cfg.Spec.Name
	}
	if cfg.Replications == 0 {
		cfg.Replications = 40
	}
	if cfg.Shift == 0 {
		cfg.Shift = 8 * time.Hour
	}
	if cfg.Replications < 0 || cfg.Shift < 0 || cfg.Workers < 0 {
		return nil, fmt.Errorf("host: replications %d, shift %v and workers %d must not be negative",
			cfg.Replications, cfg.Shift, cfg.Workers)
	}
	h := &Host{
		cfg:     cfg,
		log:     cfg.Log,
		sess:    sparkplug.NewHostSession(sparkplug.HostConfig{RebirthInterval: uint64(cfg.RebirthInterval / time.Millisecond)}),
		perNode: map[nodeKey]uint64{},
		deaths:  map[nodeKey]uint64{},
		changed: make(chan struct{}),
	}
	if cfg.Record != nil {
		h.rec = json.NewEncoder(cfg.Record)
	}
	if err := h.initAnalytics(); err != nil {
		return nil, fmt.Errorf("host: %w", err)
	}
	return h, nil
}

func (h *Host) nowMs() uint64 { return uint64(h.cfg.Now().UnixMilli()) }

// Filter returns the topic filter the host subscribes to.
func (h *Host) Filter() string {
	if h.cfg.Group != "" {
		return sparkplug.Namespace + "/" + h.cfg.Group + "/#"
	}
	return sparkplug.Namespace + "/#"
}

// Connect dials the broker with o (its Will, OnConnect, OnDisconnect and
// OnMessage are replaced) and returns once connected and, within ctx,
// subscribed with the online STATE published. The host keeps the
// connection up until [Host.Close]; after each reconnection it publishes
// its STATE again, subscribes again and asks every node for a rebirth.
func (h *Host) Connect(ctx context.Context, o link.Options) error {
	ready := make(chan error, 1)
	o.Will = h.will
	o.OnConnect = func(c *link.Conn) {
		err := h.online(c)
		if err != nil {
			h.log.Warn("host: going online failed", zap.Error(err))
		}
		select {
		case ready <- err:
		default:
		}
	}
	o.OnDisconnect = func() {
		h.mu.Lock()
		h.connectionEventLocked(h.cfg.Now(), EventConnectionLost)
		h.mu.Unlock()
	}
	o.OnMessage = h.Receive
	if o.ClientID == "" {
		o.ClientID = h.cfg.HostID
	}
	h.mu.Lock()
	if h.conn != nil || h.closed {
		h.mu.Unlock()
		return errors.New("host: already connected or closed")
	}
	h.mu.Unlock()
	conn, err := link.Dial(ctx, o)
	if err != nil {
		return err
	}
	h.mu.Lock()
	h.conn = conn
	h.mu.Unlock()
	select {
	case err := <-ready:
		if err != nil {
			_ = conn.Close(context.Background())
			return err
		}
		return nil
	case <-ctx.Done():
		_ = conn.Close(context.Background())
		return ctx.Err()
	}
}

// will returns the offline STATE for a new MQTT session and remembers its
// timestamp for the online STATE.
func (h *Host) will() (*link.Message, error) {
	h.mu.Lock()
	h.stateTS = h.nowMs()
	ts := h.stateTS
	h.mu.Unlock()
	m, err := sparkplug.StateMessage(h.cfg.HostID, sparkplug.State{Online: false, Timestamp: ts})
	if err != nil {
		return nil, err
	}
	return toLink(m), nil
}

// online subscribes, publishes the online STATE and asks every known node
// that is not online for a rebirth.
func (h *Host) online(conn *link.Conn) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	h.mu.Lock()
	ts := h.stateTS
	if h.conn == nil && !h.closed {
		h.conn = conn // the first connection, before Dial returns
	}
	h.mu.Unlock()
	if err := conn.Subscribe(ctx, h.Filter(), 1); err != nil {
		return err
	}
	if h.cfg.Group != "" {
		if err := conn.Subscribe(ctx, sparkplug.StateTopic(h.cfg.HostID).String(), 1); err != nil {
			return err
		}
	}
	m, err := sparkplug.StateMessage(h.cfg.HostID, sparkplug.State{Online: true, Timestamp: ts})
	if err != nil {
		return err
	}
	if err := conn.Publish(ctx, *toLink(m)); err != nil {
		return err
	}
	h.mu.Lock()
	acts := h.connectionEventLocked(h.cfg.Now(), EventOnline)
	h.mu.Unlock()
	for _, a := range acts {
		h.send(conn, a)
	}
	h.log.Info("host online", zap.String("host", h.cfg.HostID), zap.String("filter", h.Filter()))
	return nil
}

// Receive applies one message, as the connection delivers them: it records
// it, feeds it to the session and publishes the rebirth request the session
// asks for (when connected). Errors of the edge node are logged and counted
// in the mirror's statistics.
func (h *Host) Receive(topic string, payload []byte) {
	now := h.cfg.Now()
	h.mu.Lock()
	h.record(now, topic, payload)
	act, err := h.sess.Receive(topic, payload, uint64(now.UnixMilli()))
	h.received++
	t, perr := sparkplug.ParseTopic(topic)
	if perr == nil && t.Type != sparkplug.STATE &&
		t.Type != sparkplug.NCMD && t.Type != sparkplug.DCMD {
		h.perNode[nodeKey{t.Group, t.EdgeNode}]++
		if t.Type == sparkplug.NDEATH {
			h.deaths[nodeKey{t.Group, t.EdgeNode}]++
		}
	}
	if err != nil {
		h.lastErr = err.Error()
	}
	if perr == nil {
		h.observeLocked(t, now, err)
	}
	conn := h.conn
	h.notifyLocked()
	h.mu.Unlock()
	if err != nil {
		h.log.Debug("host: message rejected", zap.String("topic", topic), zap.Error(err))
	}
	if act.Kind == sparkplug.ActionRebirth && conn != nil {
		h.send(conn, act)
	}
}

// initAnalytics sets up the analytics fed by observeLocked.
func (h *Host) initAnalytics() error {
	if err := h.track.init(h); err != nil {
		return err
	}
	if err := h.watch.init(h); err != nil {
		return err
	}
	return h.fc.init(h)
}

// observeLocked updates the analytics after the session applied (err nil)
// or rejected (err set) one message on topic t. h.mu is held; it must not
// block or publish.
func (h *Host) observeLocked(t sparkplug.Topic, now time.Time, err error) {
	h.track.observe(h, t, now, err)
	h.watch.observe(h, t, now, err)
	h.fc.observe(h, t, now, err)
}

// CopyOf returns the copy of Config.Spec (from 0) that edge node id
// publishes, or false when no spec is loaded or the node is not
// NodePrefix-L<k> for a copy k of the spec (or is in another group than
// Config.Group, when that is set).
func (h *Host) CopyOf(group, edgeNode string) (int, bool) {
	spec := h.cfg.Spec
	if spec == nil || (h.cfg.Group != "" && group != h.cfg.Group) {
		return 0, false
	}
	rest, ok := strings.CutPrefix(edgeNode, h.cfg.NodePrefix+"-L")
	if !ok {
		return 0, false
	}
	k, err := strconv.Atoi(rest)
	if err != nil || k < 1 || k > spec.Lines || strconv.Itoa(k) != rest {
		return 0, false
	}
	return k - 1, true
}

// Config returns the host's configuration, defaults filled in.
func (h *Host) Config() Config { return h.cfg }

// send publishes a rebirth request.
func (h *Host) send(conn *link.Conn, a sparkplug.Action) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := conn.Publish(ctx, *toLink(a.Request)); err != nil {
		h.log.Warn("host: rebirth request not sent", zap.String("node", a.EdgeNode), zap.Error(err))
		return
	}
	h.log.Info("host: asked for a rebirth", zap.String("group", a.Group), zap.String("node", a.EdgeNode))
}

// The host's own connection events, as a recording keeps them (see
// [Recorded]).
const (
	// EventConnectionLost: the host lost its broker connection; every node
	// it mirrors is stale until reborn.
	EventConnectionLost = "connection_lost"
	// EventOnline: the host is (again) connected, subscribed and online; it
	// asks every node it knows for a rebirth.
	EventOnline = "online"
)

// connectionEventLocked records and applies one of the host's connection
// events at now, returning the rebirth requests to send (EventOnline).
// h.mu is held.
func (h *Host) connectionEventLocked(now time.Time, event string) []sparkplug.Action {
	h.recordEvent(now, event)
	ms := uint64(now.UnixMilli())
	var acts []sparkplug.Action
	switch event {
	case EventConnectionLost:
		h.sess.ConnectionLost(ms)
		h.track.connectionLost()
	case EventOnline:
		acts = h.sess.RebirthAll(ms)
	}
	h.notifyLocked()
	return acts
}

// recordEvent writes one connection event to the recording.
func (h *Host) recordEvent(now time.Time, event string) {
	if h.rec == nil || h.recErr != nil {
		return
	}
	if err := h.rec.Encode(recordEvent{Time: now.UTC(), Event: event}); err != nil {
		h.recErr = err
		h.log.Error("host: recording stopped", zap.Error(err))
	}
}

// recordEvent is a line of the recording for a connection event.
type recordEvent struct {
	Time  time.Time `json:"time"`
	Event string    `json:"event"`
}

// recordLine is one line of the recording.
type recordLine struct {
	Time    time.Time `json:"time"`
	Topic   string    `json:"topic"`
	Payload []byte    `json:"payload"`
}

// record writes one message to the recording; the first write error stops
// the recording and is reported by Mirror.
func (h *Host) record(now time.Time, topic string, payload []byte) {
	if h.rec == nil || h.recErr != nil {
		return
	}
	if err := h.rec.Encode(recordLine{Time: now.UTC(), Topic: topic, Payload: payload}); err != nil {
		h.recErr = err
		h.log.Error("host: recording stopped", zap.Error(err))
	}
}

// notifyLocked wakes everyone waiting in Changed. h.mu is held.
func (h *Host) notifyLocked() {
	close(h.changed)
	h.changed = make(chan struct{})
}

// Changed returns a channel closed at the next change of the mirror (a
// message applied, the connection lost or established).
func (h *Host) Changed() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.changed
}

// NodeMessages returns how many messages from one edge node (births,
// deaths and data, not commands) the host has applied.
func (h *Host) NodeMessages(group, edgeNode string) uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.perNode[nodeKey{group, edgeNode}]
}

// Close publishes the offline STATE and disconnects. The mirror stays
// readable.
func (h *Host) Close(ctx context.Context) error {
	h.mu.Lock()
	conn, ts := h.conn, h.stateTS
	h.conn, h.closed = nil, true
	h.mu.Unlock()
	if conn == nil {
		return nil
	}
	m, err := sparkplug.StateMessage(h.cfg.HostID, sparkplug.State{Online: false, Timestamp: ts})
	if err == nil {
		err = conn.Publish(ctx, *toLink(m))
	}
	return errors.Join(err, conn.Close(ctx))
}

func toLink(m sparkplug.Message) *link.Message {
	return &link.Message{Topic: m.Topic.String(), Payload: m.Payload, QoS: m.QoS, Retain: m.Retain}
}
