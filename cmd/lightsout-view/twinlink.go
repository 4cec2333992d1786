package main

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/host"
	"github.com/lightsout-sim/lightsout/twin/link"
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
}

// deviationSource is a host that reports deviation events.
type deviationSource interface {
	Deviations() []deviation.Event
}

// staleChecker is a host that looks for silent edge nodes when asked.
type staleChecker interface {
	CheckStale()
}

// commandSender is a host that sends DCMDs to the edge nodes.
type commandSender interface {
	Command(ctx context.Context, group, node, device string, writes ...sparkplug.NamedValue) error
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
		cancel: func() {}, results: make(chan error, 8),
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
	if c, ok := any(t.Host).(staleChecker); ok {
		c.CheckStale()
	}
	m := t.Host.Mirror()
	t.events = hostDeviations(t.Host, t.Conv.Status.Group, t.events)
	t.Conv.Fill(&m, t.events, snap)
	return true
}

// hostDeviations returns the deviation events h reports for group (dst
// is reused): none when h has no Deviations method. The method may return
// []deviation.Event, or a slice of structs that embed a deviation.Event
// (with a Group field, checked when set): the host's API is growing.
func hostDeviations(h any, group string, dst []deviation.Event) []deviation.Event {
	dst = dst[:0]
	if d, ok := h.(deviationSource); ok {
		return append(dst, d.Deviations()...)
	}
	m := reflect.ValueOf(h).MethodByName("Deviations")
	if !m.IsValid() || m.Type().NumIn() != 0 || m.Type().NumOut() != 1 || m.Type().Out(0).Kind() != reflect.Slice {
		return dst
	}
	evType := reflect.TypeFor[deviation.Event]()
	out := m.Call(nil)[0]
	for i := range out.Len() {
		v := out.Index(i)
		if v.Type() == evType {
			dst = append(dst, v.Interface().(deviation.Event))
			continue
		}
		if v.Kind() != reflect.Struct {
			continue
		}
		if g := v.FieldByName("Group"); g.IsValid() && g.Kind() == reflect.String && g.String() != "" && g.String() != group {
			continue
		}
		if e := v.FieldByName("Event"); e.IsValid() && e.Type() == evType {
			dst = append(dst, e.Interface().(deviation.Event))
		}
	}
	return dst
}

// Send gives a command to the edge node of its copy as a DCMD, in the
// background; its outcome comes later from Result. It fails at once when
// the host cannot send commands or the command has no DCMD.
func (t *TwinLink) Send(c twin.Command) error {
	s, ok := any(t.Host).(commandSender)
	if !ok {
		return errors.New("twin mode: this host cannot send commands to the edge nodes")
	}
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
		err := s.Command(ctx, group, node, c.Target, writes...)
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
	server := sparkplug.NamedValue{Name: edge.MetricCmdServer, Value: sparkplug.Int32Value(int32(c.Server + 1))}
	switch c.Kind {
	case twin.BreakStation:
		return []sparkplug.NamedValue{{Name: edge.MetricCmdBreak, Value: sparkplug.BooleanValue(true)}, server}, nil
	case twin.RepairStation:
		return []sparkplug.NamedValue{{Name: edge.MetricCmdRepair, Value: sparkplug.BooleanValue(true)}, server}, nil
	case twin.BreakArm:
		return []sparkplug.NamedValue{{Name: edge.MetricCmdBreak, Value: sparkplug.BooleanValue(true)}}, nil
	case twin.RepairArm:
		return []sparkplug.NamedValue{{Name: edge.MetricCmdRepair, Value: sparkplug.BooleanValue(true)}}, nil
	case twin.SetBuffer:
		return []sparkplug.NamedValue{{Name: edge.MetricCmdBuffer, Value: sparkplug.Int32Value(int32(c.Capacity))}}, nil
	}
	return nil, fmt.Errorf("twin mode: %v has no command for the edge nodes", c.Kind)
}
