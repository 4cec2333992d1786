package host

import (
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// A Mirror is a copy of what a [Host] knows, safe to keep and read.
type Mirror struct {
	HostID string
	// Received counts every message received (including STATE and
	// commands seen on the broker).
	Received uint64
	Stats    sparkplug.HostStats
	// LastError is the last message the session rejected, if any.
	LastError string
	// RecordError is why the recording stopped, if it did.
	RecordError string
	// Nodes are sorted by group and edge node id.
	Nodes []sparkplug.NodeView

	perNode map[nodeKey]uint64
	deaths  map[nodeKey]uint64
}

// Deaths returns how many of the node's messages counted by Messages were
// NDEATHs: the node's own, or its Will published by the broker (some
// brokers also publish Wills when they shut down).
func (m *Mirror) Deaths(group, edgeNode string) uint64 {
	return m.deaths[nodeKey{group, edgeNode}]
}

// Messages returns how many messages from one edge node (births, deaths
// and data, not commands) the host had applied when the mirror was taken.
func (m *Mirror) Messages(group, edgeNode string) uint64 {
	return m.perNode[nodeKey{group, edgeNode}]
}

// Mirror returns a copy of the mirror.
func (h *Host) Mirror() Mirror {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := Mirror{
		HostID: h.cfg.HostID, Received: h.received, Stats: h.sess.Stats(),
		LastError: h.lastErr, Nodes: h.sess.Nodes(),
		perNode: make(map[nodeKey]uint64, len(h.perNode)),
		deaths:  make(map[nodeKey]uint64, len(h.deaths)),
	}
	for k, v := range h.perNode {
		m.perNode[k] = v
	}
	for k, v := range h.deaths {
		m.deaths[k] = v
	}
	if h.recErr != nil {
		m.RecordError = h.recErr.Error()
	}
	return m
}

// Node returns the mirrored edge node, if known.
func (m *Mirror) Node(group, edgeNode string) (*sparkplug.NodeView, bool) {
	for i := range m.Nodes {
		if m.Nodes[i].Group == group && m.Nodes[i].EdgeNode == edgeNode {
			return &m.Nodes[i], true
		}
	}
	return nil, false
}

// Device returns a device of a mirrored edge node, if known.
func (m *Mirror) Device(group, edgeNode, device string) (*sparkplug.DeviceView, bool) {
	n, ok := m.Node(group, edgeNode)
	if !ok {
		return nil, false
	}
	for i := range n.Devices {
		if n.Devices[i].ID == device {
			return &n.Devices[i], true
		}
	}
	return nil, false
}

// Metric returns a metric of a node (device empty) or of a device.
func (m *Mirror) Metric(group, edgeNode, device, name string) (sparkplug.MetricView, bool) {
	var ms []sparkplug.MetricView
	if device == "" {
		n, ok := m.Node(group, edgeNode)
		if !ok {
			return sparkplug.MetricView{}, false
		}
		ms = n.Metrics
	} else {
		d, ok := m.Device(group, edgeNode, device)
		if !ok {
			return sparkplug.MetricView{}, false
		}
		ms = d.Metrics
	}
	for _, mv := range ms {
		if mv.Name == name {
			return mv, true
		}
	}
	return sparkplug.MetricView{}, false
}
