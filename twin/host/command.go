package host

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// Errors of [Host.Command] and [Host.BuildCommand]; match them with
// errors.Is.
var (
	// ErrNotConnected: the host has no broker connection to publish on.
	ErrNotConnected = errors.New("host: not connected to a broker")
	// ErrUnknownNode: no birth of the edge node is known.
	ErrUnknownNode = errors.New("host: unknown edge node")
	// ErrUnknownDevice: the edge node has no such device.
	ErrUnknownDevice = errors.New("host: unknown device")
	// ErrUnknownMetric: the node or device has no such metric.
	ErrUnknownMetric = errors.New("host: unknown metric")
	// ErrOffline: the edge node or device is not online, so a command
	// would be lost.
	ErrOffline = errors.New("host: offline")
	// ErrBadCommand: a [CommandRequest] that does not make sense.
	ErrBadCommand = errors.New("host: bad command")
)

// BuildCommand returns the NCMD (device empty) or DCMD that writes the
// given values to an online edge node or device, with aliases and
// timestamps as the session knows them, without sending it. Each value
// must have the datatype of its metric's birth.
func (h *Host) BuildCommand(group, node, device string, writes ...sparkplug.NamedValue) (sparkplug.Message, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.buildLocked(group, node, device, writes)
}

// buildLocked is BuildCommand with h.mu held.
func (h *Host) buildLocked(group, node, device string, writes []sparkplug.NamedValue) (sparkplug.Message, error) {
	if len(writes) == 0 {
		return sparkplug.Message{}, fmt.Errorf("%w: no metric to write", ErrBadCommand)
	}
	if err := h.checkTarget(group, node, device); err != nil {
		return sparkplug.Message{}, err
	}
	for _, w := range writes {
		if _, ok := h.sess.Metric(group, node, device, w.Name); !ok {
			return sparkplug.Message{}, fmt.Errorf("%w: %s has no metric %q", ErrUnknownMetric, cmdTarget(group, node, device), w.Name)
		}
	}
	return h.sess.Command(group, node, device, h.nowMs(), writes...)
}

// checkTarget checks that an edge node (and device, if not empty) is known
// and online. h.mu is held.
func (h *Host) checkTarget(group, node, device string) error {
	v, ok := h.sess.Node(group, node)
	if !ok {
		return fmt.Errorf("%w %s/%s", ErrUnknownNode, group, node)
	}
	if !v.Online {
		return fmt.Errorf("%w: edge node %s/%s", ErrOffline, group, node)
	}
	if device == "" {
		return nil
	}
	i := slices.IndexFunc(v.Devices, func(d sparkplug.DeviceView) bool { return d.ID == device })
	if i < 0 {
		return fmt.Errorf("%w %q on %s/%s", ErrUnknownDevice, device, group, node)
	}
	if !v.Devices[i].Online {
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

// Command sends an NCMD (device empty) or DCMD writing the given values to
// an edge node or device (see [Host.BuildCommand]), published at QoS 0, not
// retained, as Sparkplug requires. It fails with [ErrNotConnected] when the
// host has no connection, and with the errors of BuildCommand.
func (h *Host) Command(ctx context.Context, group, node, device string, writes ...sparkplug.NamedValue) error {
	h.mu.Lock()
	m, err := h.buildLocked(group, node, device, writes)
	conn := h.conn
	h.mu.Unlock()
	if err != nil {
		return err
	}
	if conn == nil {
		return ErrNotConnected
	}
	lm := toLink(m)
	lm.QoS, lm.Retain = 0, false
	if err := conn.Publish(ctx, *lm); err != nil {
		return fmt.Errorf("host: publishing %s: %w", m.Topic, err)
	}
	h.log.Info("host: command sent", zap.String("topic", m.Topic.String()), zap.Int("metrics", len(writes)))
	return nil
}

// A CommandRequest asks for one command to a station or arm device, as
// POST /api/command takes it in JSON.
type CommandRequest struct {
	// Group is the Sparkplug group; empty means the host's Config.Group,
	// or, when the host mirrors every group, the one group in which it
	// mirrors Node.
	Group string `json:"group,omitempty"`
	// Node and Device name the edge node and the device.
	Node   string `json:"node"`
	Device string `json:"device"`
	// Command is one of packml.ActionNames: hold, unhold, reset, break,
	// repair, speed, buffer.
	Command string `json:"command"`
	// Value is the speed (positive) or buffer capacity (an integer, -1 for
	// unbounded); only for those commands.
	Value *float64 `json:"value,omitempty"`
	// Server picks the server (from 1) of a station to break or repair;
	// only for those commands.
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
	case r.Server != nil && a != packml.Break && a != packml.Repair:
		return c, bad("server: only for break and repair, not %s", a)
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

// SendCommand validates r, fills in the group, types the values as the
// device's birth defines its command metrics and sends the DCMD with
// [Host.Command]. It returns the topic the command went to.
func (h *Host) SendCommand(ctx context.Context, r CommandRequest) (sparkplug.Topic, error) {
	group, writes, err := h.commandWrites(r)
	if err != nil {
		return sparkplug.Topic{}, err
	}
	if err := h.Command(ctx, group, r.Node, r.Device, writes...); err != nil {
		return sparkplug.Topic{}, err
	}
	return sparkplug.DeviceTopic(group, sparkplug.DCMD, r.Node, r.Device), nil
}

// BuildCommandRequest is [Host.SendCommand] without sending: it returns the
// DCMD the request makes.
func (h *Host) BuildCommandRequest(r CommandRequest) (sparkplug.Message, error) {
	group, writes, err := h.commandWrites(r)
	if err != nil {
		return sparkplug.Message{}, err
	}
	return h.BuildCommand(group, r.Node, r.Device, writes...)
}

// commandWrites validates r and returns its group and metric writes: the
// contract's (packml.Command.Writes), each typed as the device's birth
// defines its metric, should an edge node give it another numeric type.
func (h *Host) commandWrites(r CommandRequest) (string, []sparkplug.NamedValue, error) {
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
		if h.cfg.Group == "" {
			g, err := h.groupOf(r.Node)
			if err != nil {
				return "", nil, err
			}
			group = g
		} else {
			group = h.cfg.Group
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.checkTarget(group, r.Node, r.Device); err != nil {
		return "", nil, err
	}
	for i, w := range writes {
		m, ok := h.sess.Metric(group, r.Node, r.Device, w.Name)
		if !ok {
			return "", nil, fmt.Errorf("%w: %s has no %q (command %s)",
				ErrUnknownMetric, cmdTarget(group, r.Node, r.Device), w.Name, r.Command)
		}
		if m.Datatype == w.Value.Type() {
			continue
		}
		n, ok := w.Value.Number()
		if !ok {
			return "", nil, fmt.Errorf("%w: %s is %v, the contract says %v", ErrBadCommand, w.Name, m.Datatype, w.Value.Type())
		}
		if writes[i].Value, err = numberAs(m.Datatype, n); err != nil {
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

// CommandResponseJSON is what POST /api/command answers when the command
// was sent.
type CommandResponseJSON struct {
	// Topic is the DCMD topic the command was published on.
	Topic string `json:"topic"`
}

// commandRoutes adds POST /api/command to mux.
func (h *Host) commandRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/command", h.serveCommand)
}

// maxCommandBody bounds the body of POST /api/command.
const maxCommandBody = 1 << 14

// serveCommand decodes a CommandRequest strictly and sends it:
// 202 when published, 400 for a bad request (naming the field), 404 for
// an unknown node or device, 409 when offline, 503 when not connected, 502
// when publishing failed.
func (h *Host) serveCommand(w http.ResponseWriter, r *http.Request) {
	var req CommandRequest
	if err := decodeStrict(http.MaxBytesReader(w, r.Body, maxCommandBody), &req); err != nil {
		writeJSON(w, http.StatusBadRequest, errorJSON{Error: err.Error()})
		return
	}
	t, err := h.SendCommand(r.Context(), req)
	if err != nil {
		writeJSON(w, commandStatus(err), errorJSON{Error: err.Error()})
		return
	}
	writeJSON(w, http.StatusAccepted, CommandResponseJSON{Topic: t.String()})
}

// commandStatus maps an error of SendCommand to an HTTP status.
func commandStatus(err error) int {
	switch {
	case errors.Is(err, ErrBadCommand), errors.Is(err, ErrUnknownMetric),
		errors.Is(err, sparkplug.ErrMalformed):
		return http.StatusBadRequest
	case errors.Is(err, ErrUnknownNode), errors.Is(err, ErrUnknownDevice):
		return http.StatusNotFound
	case errors.Is(err, ErrOffline):
		return http.StatusConflict
	case errors.Is(err, ErrNotConnected):
		return http.StatusServiceUnavailable
	}
	return http.StatusBadGateway
}

// decodeStrict decodes one JSON object into v, rejecting unknown fields,
// wrong types and trailing data with an error that names the field.
func decodeStrict(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &te):
			return fmt.Errorf("%s: want a JSON %s, got %s", te.Field, te.Type, te.Value)
		case errors.As(err, &mbe):
			return fmt.Errorf("body: longer than %d bytes", mbe.Limit)
		case errors.Is(err, io.EOF):
			return errors.New("body: empty, want a JSON object")
		}
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return fmt.Errorf("%s: unknown field", strings.Trim(f, `"`))
		}
		return fmt.Errorf("body: invalid JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("body: trailing data after the JSON object")
	}
	return nil
}

// groupOf returns the one group in which the host mirrors an edge node
// with id node, for a command that names no group.
func (h *Host) groupOf(node string) (string, error) {
	h.mu.Lock()
	nodes := h.sess.Nodes()
	h.mu.Unlock()
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
