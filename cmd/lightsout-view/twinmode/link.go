package twinmode

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/cmd/internal/twinwire"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// pull is how often the view reads the mirror when the host reports no
// change (deviations may be raised by the host's own clock).
const pull = time.Second

// commandTimeout bounds the sending of one command to an edge node.
const commandTimeout = 5 * time.Second

// Publisher publishes a command's writes to a device of an edge node as a
// DCMD; twinwire.Host.Command is one.
type Publisher func(ctx context.Context, group, node, device string, writes ...sparkplug.NamedValue) error

// Config says which line a [Link] mirrors and as what.
type Config struct {
	// Spec is the modelled line: its layout, and copy k of it is edge
	// node <Prefix>-L<k> in Group.
	Spec          *twin.Spec
	Group, Prefix string
	// HostID is the Sparkplug host id of the link's host.
	HostID string
	// Broker names the broker in the status (Connect is given the
	// broker to dial).
	Broker string
	Log    *zap.Logger
	// Clock is the wall clock deviations are also judged recent by; nil
	// means time.Now.
	Clock func() time.Time
	// Publish sends the commands; nil means the host's Command, over its
	// MQTT connection. Tests hand the DCMD to an edge node directly.
	Publish Publisher
}

// Link is the view's side of twin mode: a twinwire.Host mirroring the
// line's edge nodes over MQTT, the snapshot drawn filled from its mirror
// (mirror.Filler), and what the view keeps of its own (Status: the
// deviation marks, the banner; the output history for the chart). It
// sends the view's commands as DCMDs when the host can.
//
// Refresh, Send, Result and Chart belong to the window's goroutine;
// commands are published and the host connects in goroutines of their
// own.
type Link struct {
	Host   *twinwire.Host
	Spec   *twin.Spec
	Status Status

	fill      mirror.Filler
	marks     mirror.Marks
	good      goodHistory
	back      *backfill // nil: the chart starts when the view attached
	events    []deviation.Event
	stationAt map[string]int // device id -> station index
	armAt     map[string]int // device id -> arm index
	clock     func() time.Time
	publish   Publisher

	log     *zap.Logger
	cancel  context.CancelFunc
	changed <-chan struct{}
	pulled  time.Time
	version uint64     // the mirror's version when pulled
	results chan error // outcomes of commands sent
}

// New returns a link mirroring cfg's line through a new host. Call
// Connect to attach it to a broker, or feed its host's mirror directly
// (tests).
func New(cfg Config) (*Link, error) {
	model := mirror.Model{Spec: cfg.Spec, Group: cfg.Group, Prefix: cfg.Prefix}
	h, err := twinwire.New(twinwire.Config{Mirror: mirror.Config{HostID: cfg.HostID, Group: cfg.Group, Log: cfg.Log}, Model: model})
	if err != nil {
		return nil, err
	}
	t := &Link{
		Host: h, Spec: cfg.Spec, Status: Status{Broker: cfg.Broker, Group: cfg.Group, Prefix: cfg.Prefix},
		fill: mirror.Filler{Model: model}, stationAt: map[string]int{}, armAt: map[string]int{},
		clock: cfg.Clock, publish: cfg.Publish,
		log: cfg.Log, cancel: func() {}, results: make(chan error, 8),
	}
	if t.clock == nil {
		t.clock = time.Now
	}
	if t.publish == nil {
		t.publish = h.Command
	}
	for i := range cfg.Spec.Stations {
		t.stationAt[cfg.Spec.Stations[i].ID] = i
	}
	for j := range cfg.Spec.Arms {
		t.armAt[cfg.Spec.Arms[j].ID] = j
	}
	return t, nil
}

// Connect dials the broker in the background with o: the window opens at
// once and shows that it waits until the edge nodes are heard. Close stops
// the attempt or the connection.
func (t *Link) Connect(o link.Options) {
	ctx, cancel := context.WithCancel(context.Background())
	t.cancel = cancel
	o.Log = t.log
	go func() {
		if err := t.Host.Connect(ctx, o); err != nil && ctx.Err() == nil {
			t.log.Error("twin: cannot connect to the broker", zap.String("broker", o.Broker), zap.Error(err))
			return
		}
		t.log.Info("twin: connected", zap.String("broker", o.Broker), zap.String("host", t.Host.Mirror.Config().HostID))
		// The host's periodic checks (silent nodes, output against the
		// forecast band) run here, off the window's thread.
		t.Host.Watch(ctx, time.Second)
	}()
}

// Close disconnects the host (publishing its offline STATE).
func (t *Link) Close() error {
	t.cancel()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	return t.Host.Close(ctx)
}

// Refresh fills snap from the mirror when it changed (its version moved,
// or the host reported a change, which comes after the observers such as
// the monitor have run), or every second anyway; it reports whether it did.
func (t *Link) Refresh(snap *twin.Snapshot) bool {
	version := t.Host.Mirror.Version()
	if t.changed != nil && version == t.version {
		select {
		case <-t.changed:
		default:
			if time.Since(t.pulled) < pull {
				return false
			}
		}
	}
	t.changed = t.Host.Mirror.Changed() // before the view, so no change is missed
	t.version = version
	t.pulled = time.Now()
	v := t.Host.Mirror.View()
	t.events = hostDeviations(t.Host.Monitor.Deviations(), t.Status.Group, t.events)
	t.Show(&v, t.events, snap)
	t.applyKPIs(t.Host.Monitor.KPIs(&v), snap)
	return true
}

// Send gives a command to the edge node of its copy as a DCMD, in the
// background; its outcome comes later from Result. It fails at once when
// the command has no DCMD or its copy no edge node.
func (t *Link) Send(c twin.Command) error {
	writes, err := commandWrites(c)
	if err != nil {
		return err
	}
	st := &t.Status
	if c.Line < 0 || c.Line >= len(st.Nodes) {
		return fmt.Errorf("twin mode: no edge node for line %d", c.Line+1)
	}
	group, node := st.Group, st.Nodes[c.Line].ID
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
		defer cancel()
		err := t.publish(ctx, group, node, c.Target, writes...)
		if err != nil {
			err = fmt.Errorf("%v: %w", c, err)
			t.log.Warn("twin: command not sent", zap.String("command", c.String()), zap.Error(err))
		} else {
			t.log.Info("twin: command sent", zap.String("command", c.String()), zap.String("node", node))
		}
		select {
		case t.results <- err:
		default:
		}
	}()
	return nil
}

// Result returns the outcome of a command sent, if one came since the
// last call: done is false when none did.
func (t *Link) Result() (done bool, err error) {
	select {
	case err := <-t.results:
		return true, err
	default:
		return false, nil
	}
}

// Outcomes returns the channel Result reads: the outcome of each command
// sent (nil when it was published), for a caller that waits for one. An
// outcome nobody reads is dropped once eight wait.
func (t *Link) Outcomes() <-chan error { return t.results }

// commandWrites returns the DCMD metrics that carry c to an edge node.
func commandWrites(c twin.Command) ([]sparkplug.NamedValue, error) {
	pc, err := packml.FromTwin(c)
	if err != nil {
		return nil, fmt.Errorf("twin mode: %w", err)
	}
	return pc.Writes()
}
