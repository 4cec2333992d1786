package main

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/host"
	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// twinPull is how often the view reads the mirror when the host reports no
// change (deviations may be raised by the host's own clock).
const twinPull = time.Second

// commandTimeout bounds the sending of one command to an edge node.
const commandTimeout = 5 * time.Second

// TwinLink is the view's side of twin mode: a host.Host mirroring the
// line's edge nodes over MQTT, and the converter from its mirror to the
// snapshot drawn. It sends the view's commands as DCMDs when the host can.
type TwinLink struct {
	Host *host.Host
	Conv *Converter

	log     *zap.Logger
	cancel  context.CancelFunc
	changed <-chan struct{}
	pulled  time.Time
	results chan error // outcomes of commands sent
	events  []deviation.Event
	// send publishes a command's writes to a device: Host.Command, or a
	// stand-in in tests that hand the DCMD to an edge node directly.
	send func(ctx context.Context, group, node, device string, writes ...sparkplug.NamedValue) error
}

// NewTwinLink returns a link mirroring spec's line (edge nodes prefix-L<k>
// in group) through a new host with id hostID. Call Connect to attach it to
// a broker, or feed h.Receive directly (tests).
func NewTwinLink(spec *twin.Spec, hostID, group, prefix, broker string, log *zap.Logger) (*TwinLink, error) {
	h, err := host.New(host.Config{HostID: hostID, Group: group, Spec: spec, NodePrefix: prefix, Log: log})
	if err != nil {
		return nil, err
	}
	return &TwinLink{
		Host: h, Conv: NewConverter(spec, group, prefix, broker), log: log,
		cancel: func() {}, results: make(chan error, 8), send: h.Command,
	}, nil
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
		t.log.Info("twin: connected", zap.String("broker", o.Broker), zap.String("host", t.Host.Config().HostID))
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
	t.changed = t.Host.Changed() // before the mirror, so no change is missed
	t.pulled = time.Now()
	m := t.Host.Mirror()
	t.events = hostDeviations(t.Host.Deviations(), t.Conv.Status.Group, t.events)
	t.Conv.Fill(&m, t.events, snap)
	t.Conv.ApplyKPIs(t.Host.KPIs(), snap)
	return true
}

// hostDeviations returns the events of devs that belong to group (dst is
// reused).
func hostDeviations(devs []host.Deviation, group string, dst []deviation.Event) []deviation.Event {
	dst = dst[:0]
	for _, d := range devs {
		if d.Group == "" || d.Group == group {
			dst = append(dst, d.Event)
		}
	}
	return dst
}

// Send gives a command to the edge node of its copy as a DCMD, in the
// background; its outcome comes later from Result. It fails at once when
// the host cannot send commands or the command has no DCMD.
func (t *TwinLink) Send(c twin.Command) error {
	writes, err := commandWrites(c)
	if err != nil {
		return err
	}
	st := &t.Conv.Status
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
