package mirror

import (
	"maps"

	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
)

// A View is a copy of what a [Mirror] holds, safe to keep and read.
type View struct {
	HostID string
	// Received counts every message received (including STATE and
	// commands seen on the broker).
	Received uint64
	Stats    host.Stats
	// Size is how much the mirror holds (nodes, devices, metrics and an
	// estimate of their memory, which Config.Limits.MaxBytes bounds).
	Size host.Size
	// LastError is the last message the session rejected, if any.
	LastError string
	// RecordError is why the recording stopped, if it did.
	RecordError string
	// Nodes are sorted by group and edge node id.
	Nodes []host.NodeView

	perNode map[nodeKey]uint64
	deaths  map[nodeKey]uint64
}

// View returns a copy of the mirror.
func (m *Mirror) View() View {
	m.mu.Lock()
	defer m.mu.Unlock()
	v := View{
		HostID: m.cfg.HostID, Received: m.received, Stats: m.sess.Stats(),
		Size: m.sess.Size(), LastError: m.lastErr, Nodes: m.sess.Nodes(),
		perNode: maps.Clone(m.perNode),
		deaths:  maps.Clone(m.deaths),
	}
	if err := m.rec.failed(); err != nil {
		v.RecordError = err.Error()
	}
	return v
}

// Deaths returns how many of the node's messages counted by Messages were
// NDEATHs: the node's own, or its Will published by the broker (some
// brokers also publish Wills when they shut down).
func (v *View) Deaths(group, edgeNode string) uint64 {
	return v.deaths[nodeKey{group, edgeNode}]
}

// Messages returns how many messages from one edge node (births, deaths
// and data, not commands) the mirror had applied when the view was taken.
func (v *View) Messages(group, edgeNode string) uint64 {
	return v.perNode[nodeKey{group, edgeNode}]
}

// Node returns the mirrored edge node, if known.
func (v *View) Node(group, edgeNode string) (*host.NodeView, bool) {
	for i := range v.Nodes {
		if v.Nodes[i].Group == group && v.Nodes[i].EdgeNode == edgeNode {
			return &v.Nodes[i], true
		}
	}
	return nil, false
}

// Device returns a device of a mirrored edge node, if known.
func (v *View) Device(group, edgeNode, device string) (*host.DeviceView, bool) {
	n, ok := v.Node(group, edgeNode)
	if !ok {
		return nil, false
	}
	return findDevice(n, device)
}

// findDevice returns device id of n (devices are sorted by id).
func findDevice(n *host.NodeView, id string) (*host.DeviceView, bool) {
	if n == nil {
		return nil, false
	}
	for i := range n.Devices {
		if n.Devices[i].ID == id {
			return &n.Devices[i], true
		}
	}
	return nil, false
}

// Metric returns a metric of a node (device empty) or of a device.
func (v *View) Metric(group, edgeNode, device, name string) (host.MetricView, bool) {
	if device == "" {
		n, ok := v.Node(group, edgeNode)
		if !ok {
			return host.MetricView{}, false
		}
		return findMetric(n.Metrics, name)
	}
	d, ok := v.Device(group, edgeNode, device)
	if !ok {
		return host.MetricView{}, false
	}
	return findMetric(d.Metrics, name)
}
