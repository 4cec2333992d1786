package mirror

import (
	"fmt"
	"math"
	"strings"

	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// BuildCommand returns the NCMD (device empty) or DCMD that writes the
// given values to an online edge node or device, with aliases, names,
// datatypes and timestamps as the session knows them, without sending it:
// publish it at QoS 0, not retained, as Sparkplug requires. Each value
// must have the datatype of its metric's birth.
func (m *Mirror) BuildCommand(group, node, device string, writes ...sparkplug.NamedValue) (sparkplug.Message, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.buildLocked(group, node, device, writes)
}

// buildLocked is BuildCommand with m.mu held.
func (m *Mirror) buildLocked(group, node, device string, writes []sparkplug.NamedValue) (sparkplug.Message, error) {
	if len(writes) == 0 {
		return sparkplug.Message{}, fmt.Errorf("%w: no metric to write", ErrBadCommand)
	}
	if err := m.checkTarget(group, node, device); err != nil {
		return sparkplug.Message{}, err
	}
	for _, w := range writes {
		if _, ok := m.sess.Metric(group, node, device, w.Name); !ok {
			return sparkplug.Message{}, fmt.Errorf("%w: %s has no metric %q", ErrUnknownMetric, cmdTarget(group, node, device), w.Name)
		}
	}
	msg, err := m.sess.Command(group, node, device, ms(m.cfg.Now()), writes...)
	if err != nil {
		return msg, err
	}
	msg.QoS, msg.Retain = 0, false
	return msg, nil
}

// checkTarget checks that an edge node (and device, if not empty) is known
// and online. m.mu is held.
func (m *Mirror) checkTarget(group, node, device string) error {
	v, ok := m.sess.NodeSummary(group, node)
	if !ok {
		return fmt.Errorf("%w %s/%s", ErrUnknownNode, group, node)
	}
	if !v.Online {
		return fmt.Errorf("%w: edge node %s/%s", ErrOffline, group, node)
	}
	if device == "" {
		return nil
	}
	d, ok := m.sess.Device(group, node, device)
	if !ok {
		return fmt.Errorf("%w %q on %s/%s", ErrUnknownDevice, device, group, node)
	}
	if !d.Online {
		return fmt.Errorf("%w: device %s", ErrOffline, cmdTarget(group, node, device))
	}
	return nil
}

func cmdTarget(group, node, device string) string {
	if device == "" {
		return group + "/" + node
	}
	return group + "/" + node + "/" + device
}

// A CommandRequest asks for one command to a station or arm device, as
// POST /api/command takes it in JSON.
type CommandRequest struct {
	// Group is the Sparkplug group; empty means the host's Config.Group,
	// or, when the host mirrors every group, the one group in which it
	// mirrors Node.
	Group string `json:"group,omitempty"`
	// Node is the edge node's id.
	Node string `json:"node"`
	// Device is the id of the station or arm to command.
	Device string `json:"device"`
	// Command is one of packml.ActionNames: hold, unhold, reset, break,
	// repair, speed, buffer, maintain, dispatch.
	Command string `json:"command"`
	// Value is the speed (positive) or buffer capacity (an integer, -1 for
	// unbounded); only for those commands.
	Value *float64 `json:"value,omitempty"`
	// Server picks the server (from 1) of a station to break, repair,
	// maintain or dispatch the crew to; only for those commands.
	Server *int `json:"server,omitempty"`
}

// Validate checks the request on its own (not against the mirror) and
// returns the contract command it asks for. Its errors match
// ErrBadCommand and start with the JSON field at fault.
func (r *CommandRequest) Validate() (packml.Command, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrBadCommand, fmt.Sprintf(format, a...))
	}
	names := strings.Join(packml.ActionNames(), ", ")
	switch {
	case r.Node == "":
		return packml.Command{}, bad("node: required")
	case r.Device == "":
		return packml.Command{}, bad("device: required")
	case r.Command == "":
		return packml.Command{}, bad("command: required (one of %s)", names)
	}
	for _, f := range [...]struct{ what, id string }{{"group", r.Group}, {"node", r.Node}, {"device", r.Device}} {
		if f.id == "" {
			continue
		}
		if err := sparkplug.ValidateID(f.what, f.id); err != nil {
			return packml.Command{}, bad("%s: %v", f.what, err)
		}
	}
	a, err := packml.ParseAction(r.Command)
	if err != nil {
		return packml.Command{}, bad("command: unknown %q (want one of %s)", r.Command, names)
	}
	c := packml.Command{Action: a}
	switch {
	case a.Valued() && r.Value == nil:
		return c, bad("value: required for %s", a)
	case !a.Valued() && r.Value != nil:
		return c, bad("value: not used by %s", a)
	case r.Server != nil && !a.PerServer():
		return c, bad("server: only for break, repair, maintain and dispatch, not %s", a)
	case r.Server != nil && (*r.Server < 1 || *r.Server > math.MaxInt32):
		return c, bad("server: %d: want 1 or more", *r.Server)
	}
	if r.Value != nil {
		c.Value = *r.Value
	}
	if r.Server != nil {
		c.Server = *r.Server
	}
	if err := c.Validate(); err != nil {
		msg, _ := strings.CutPrefix(err.Error(), packml.ErrCommand.Error()+": ")
		return c, bad("%s", msg)
	}
	return c, nil
}

// Command validates r, fills in its group, and returns the DCMD that
// carries it: the contract's writes (packml.Command.Writes), each typed as
// the device's birth defines its metric, should an edge node give it
// another numeric type. Publish it at QoS 0, not retained.
func (m *Mirror) Command(r CommandRequest) (sparkplug.Message, error) {
	group, writes, err := m.commandWrites(r)
	if err != nil {
		return sparkplug.Message{}, err
	}
	return m.BuildCommand(group, r.Node, r.Device, writes...)
}

// commandWrites validates r and returns its group and metric writes: the
// contract's (packml.Command.Writes), each typed as the device's birth
// defines its metric, should an edge node give it another numeric type.
func (m *Mirror) commandWrites(r CommandRequest) (string, []sparkplug.NamedValue, error) {
	c, err := r.Validate()
	if err != nil {
		return "", nil, err
	}
	writes, err := c.Writes()
	if err != nil {
		return "", nil, fmt.Errorf("%w: %v", ErrBadCommand, err)
	}
	group := r.Group
	if group == "" {
		if m.cfg.Group == "" {
			g, err := m.groupOf(r.Node)
			if err != nil {
				return "", nil, err
			}
			group = g
		} else {
			group = m.cfg.Group
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.checkTarget(group, r.Node, r.Device); err != nil {
		return "", nil, err
	}
	for i, w := range writes {
		bm, ok := m.sess.Metric(group, r.Node, r.Device, w.Name)
		if !ok {
			return "", nil, fmt.Errorf("%w: %s has no %q (command %s)",
				ErrUnknownMetric, cmdTarget(group, r.Node, r.Device), w.Name, r.Command)
		}
		if bm.Datatype == w.Value.Type() {
			continue
		}
		n, ok := w.Value.Number()
		if !ok {
			return "", nil, fmt.Errorf("%w: %s is %v, the contract says %v", ErrBadCommand, w.Name, bm.Datatype, w.Value.Type())
		}
		if writes[i].Value, err = numberAs(bm.Datatype, n); err != nil {
			return "", nil, fmt.Errorf("%w: value: %s %v", ErrBadCommand, w.Name, err)
		}
	}
	return group, writes, nil
}

// numberAs returns v as a value of datatype dt, if it fits.
func numberAs(dt sparkplug.DataType, v float64) (sparkplug.Value, error) {
	whole := v == math.Trunc(v)
	in := func(lo, hi float64) bool { return whole && v >= lo && v <= hi }
	switch dt {
	case sparkplug.Float:
		if math.Abs(v) > math.MaxFloat32 {
			return sparkplug.Value{}, fmt.Errorf("%v does not fit a Float", v)
		}
		return sparkplug.FloatValue(float32(v)), nil
	case sparkplug.Double:
		return sparkplug.DoubleValue(v), nil
	case sparkplug.Int8:
		if in(math.MinInt8, math.MaxInt8) {
			return sparkplug.Int8Value(int8(v)), nil
		}
	case sparkplug.Int16:
		if in(math.MinInt16, math.MaxInt16) {
			return sparkplug.Int16Value(int16(v)), nil
		}
	case sparkplug.Int32:
		if in(math.MinInt32, math.MaxInt32) {
			return sparkplug.Int32Value(int32(v)), nil
		}
	case sparkplug.Int64:
		if in(-1<<53, 1<<53) {
			return sparkplug.Int64Value(int64(v)), nil
		}
	case sparkplug.UInt8:
		if in(0, math.MaxUint8) {
			return sparkplug.UInt8Value(uint8(v)), nil
		}
	case sparkplug.UInt16:
		if in(0, math.MaxUint16) {
			return sparkplug.UInt16Value(uint16(v)), nil
		}
	case sparkplug.UInt32:
		if in(0, math.MaxUint32) {
			return sparkplug.UInt32Value(uint32(v)), nil
		}
	case sparkplug.UInt64:
		if in(0, 1<<53) {
			return sparkplug.UInt64Value(uint64(v)), nil
		}
	default:
		return sparkplug.Value{}, fmt.Errorf("is %v, not a number", dt)
	}
	return sparkplug.Value{}, fmt.Errorf("%v does not fit %v", v, dt)
}

// groupOf returns the one group in which the host mirrors an edge node
// with id node, for a command that names no group.
func (m *Mirror) groupOf(node string) (string, error) {
	m.mu.Lock()
	nodes := m.sess.Nodes()
	m.mu.Unlock()
	var groups []string
	for _, n := range nodes {
		if n.EdgeNode == node {
			groups = append(groups, n.Group)
		}
	}
	switch len(groups) {
	case 0:
		return "", fmt.Errorf("%w: node %q: not mirrored in any group", ErrUnknownNode, node)
	case 1:
		return groups[0], nil
	}
	return "", fmt.Errorf("%w: group: required, node %q is mirrored in groups %s", ErrBadCommand, node, strings.Join(groups, ", "))
}
