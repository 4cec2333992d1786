package main

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

// twinPull is how often the view reads the mirror when the host reports no
// change (deviations may be raised by the host's own clock).
const twinPull = time.Second

// commandTimeout bounds the sending of one command to an edge node.
const commandTimeout = 5 * time.Second

// TwinLink is the view's side of twin mode: a twinwire.Host mirroring the
// line's edge nodes over MQTT, the snapshot drawn filled from its mirror
// (mirror.Filler), and what the view keeps of its own (TwinStatus: the
// output history for the chart, the deviation marks, the banner). It
// sends the view's commands as DCMDs when the host can.
type TwinLink struct {
	Host   *twinwire.Host
	Spec   *twin.Spec
	Status TwinStatus
	// Clock is the wall clock deviations are also judged recent by; nil
	// means time.Now.
	Clock func() time.Time

	fill      mirror.Filler
	marks     mirror.Marks
	good      goodHistory
	events    []deviation.Event
	stationAt map[string]int // device id -> station index
	armAt     map[string]int // device id -> arm index

	log     *zap.Logger
	cancel  context.CancelFunc
	changed <-chan struct{}
	pulled  time.Time
	results chan error // outcomes of commands sent
	// send publishes a command's writes to a device: Host.Command, or a
	// stand-in in tests that hand the DCMD to an edge node directly.
	send func(ctx context.Context, group, node, device string, writes ...sparkplug.NamedValue) error
}

// NewTwinLink returns a link mirroring spec's line (edge nodes prefix-L<k>
// in group) through a new host with id hostID, attached to broker (named
// in the status only). Call Connect to attach it to the broker, or feed
// its mirror directly (tests).
func NewTwinLink(spec *twin.Spec, hostID, group, prefix, broker string, log *zap.Logger) (*TwinLink, error) {
	model := mirror.Model{Spec: spec, Group: group, Prefix: prefix}
	h, err := twinwire.New(twinwire.Config{Mirror: mirror.Config{HostID: hostID, Group: group, Log: log}, Model: model})
	if err != nil {
		return nil, err
	}
	t := &TwinLink{
		Host: h, Spec: spec, Status: TwinStatus{Broker: broker, Group: group, Prefix: prefix},
		fill: mirror.Filler{Model: model}, stationAt: map[string]int{}, armAt: map[string]int{},
		log: log, cancel: func() {}, results: make(chan error, 8), send: h.Command,
	}
	for i := range spec.Stations {
		t.stationAt[spec.Stations[i].ID] = i
	}
	for j := range spec.Arms {
		t.armAt[spec.Arms[j].ID] = j
	}
	return t, nil
}

// Connect dials the broker in the background with o: the window opens at
// once and shows that it waits until the edge nodes are heard. Close stops
// the attempt or the connection.
func (t *TwinLink) Connect(o link.Options) {
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
func (t *TwinLink) Close() error {
	t.cancel()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	return t.Host.Close(ctx)
}

// Refresh fills snap from the mirror when the host reported a change, or
// every twinPull anyway; it reports whether it did.
func (t *TwinLink) Refresh(snap *twin.Snapshot) bool {
	if t.changed != nil {
		select {
		case <-t.changed:
		default:
			if time.Since(t.pulled) < twinPull {
				return false
			}
		}
	}
	t.changed = t.Host.Mirror.Changed() // before the view, so no change is missed
	t.pulled = time.Now()
	v := t.Host.Mirror.View()
	t.events = hostDeviations(t.Host.Monitor.Deviations(), t.Status.Group, t.events)
	t.show(&v, t.events, snap)
	t.applyKPIs(t.Host.Monitor.KPIs(&v), snap)
	return true
}

// Send gives a command to the edge node of its copy as a DCMD, in the
// background; its outcome comes later from Result. It fails at once when
// the command has no DCMD or its copy no edge node.
func (t *TwinLink) Send(c twin.Command) error {
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
		err := t.send(ctx, group, node, c.Target, writes...)
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
func (t *TwinLink) Result() (done bool, err error) {
	select {
	case err := <-t.results:
		return true, err
	default:
		return false, nil
	}
}

// commandWrites returns the DCMD metrics that carry c to an edge node.
func commandWrites(c twin.Command) ([]sparkplug.NamedValue, error) {
	pc, err := packml.FromTwin(c)
	if err != nil {
		return nil, fmt.Errorf("twin mode: %w", err)
	}
	return pc.Writes()
}
