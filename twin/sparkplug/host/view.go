package host

import (
	"cmp"
	"slices"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// A MetricView is a copy of one mirrored metric.
type MetricView struct {
	Name     string
	Alias    uint64
	HasAlias bool
	Datatype sparkplug.DataType
	// Value is the last value received, typed with Datatype.
	Value  sparkplug.Value
	IsNull bool
	// Timestamp is the sample time of Value in ms since the epoch: the
	// metric timestamp, else the payload timestamp, else the host time.
	Timestamp uint64
	// Stale is set when the node or device that owns the metric is dead:
	// Value is the last known one and may be out of date.
	Stale bool
}

// A DeviceView is a copy of one mirrored device.
type DeviceView struct {
	ID string
	// Online is set between its DBIRTH and its DDEATH (or its node's death).
	Online bool
	// Stale is set when its metrics may be out of date; StaleSince says
	// since when (the DDEATH timestamp, or the host time of the node's death
	// or rebirth).
	Stale      bool
	StaleSince uint64
	// Metrics are sorted by name.
	Metrics []MetricView
}

// A NodeView is a copy of one mirrored edge node.
type NodeView struct {
	Group, EdgeNode string
	// Online is set between a valid NBIRTH and the matching NDEATH.
	Online bool
	// Stale and StaleSince are as for a device, with host times.
	Stale      bool
	StaleSince uint64
	// BirthTime is the host time of the last NBIRTH.
	BirthTime uint64
	// BdSeq is the bdSeq of the last NBIRTH, if it had one.
	BdSeq    uint64
	HasBdSeq bool
	// Seq is the seq of the last message applied.
	Seq uint8
	// AwaitingRebirth is set after a rebirth request, until the NBIRTH.
	AwaitingRebirth bool
	// Refused is set when a birth of the node broke a limit of the
	// session (see [Config]): its messages are ignored until its next
	// NBIRTH.
	Refused bool
	// Metrics are sorted by name, Devices by id.
	Metrics []MetricView
	Devices []DeviceView
}

// Nodes returns views of all mirrored edge nodes, sorted by group and edge
// node id.
func (h *Session) Nodes() []NodeView {
	out := make([]NodeView, 0, len(h.nodes))
	for _, n := range h.nodes {
		out = append(out, n.view())
	}
	slices.SortFunc(out, func(a, b NodeView) int {
		return cmp.Or(cmp.Compare(a.Group, b.Group), cmp.Compare(a.EdgeNode, b.EdgeNode))
	})
	return out
}

// Node returns a view of one mirrored edge node.
func (h *Session) Node(group, edgeNode string) (NodeView, bool) {
	n := h.nodes[nodeKey{group, edgeNode}]
	if n == nil {
		return NodeView{}, false
	}
	return n.view(), true
}

// Metric returns one mirrored metric of a node (device empty) or device.
func (h *Session) Metric(group, edgeNode, device, name string) (MetricView, bool) {
	n := h.nodes[nodeKey{group, edgeNode}]
	if n == nil {
		return MetricView{}, false
	}
	if device == "" {
		m := n.byName[name]
		if m == nil {
			return MetricView{}, false
		}
		return m.view(n.stale), true
	}
	d := n.devices[device]
	if d == nil || d.byName[name] == nil {
		return MetricView{}, false
	}
	return d.byName[name].view(d.stale), true
}

func (m *hostMetric) view(stale bool) MetricView {
	return MetricView{
		Name: m.name, Alias: m.alias, HasAlias: m.hasAlias, Datatype: m.datatype,
		Value: m.value, IsNull: m.isNull, Timestamp: m.timestamp, Stale: stale,
	}
}

func metricViews(byName map[string]*hostMetric, stale bool) []MetricView {
	out := make([]MetricView, 0, len(byName))
	for _, m := range byName {
		out = append(out, m.view(stale))
	}
	slices.SortFunc(out, func(a, b MetricView) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

func (n *hostNode) view() NodeView {
	v := NodeView{
		Group: n.key.group, EdgeNode: n.key.node,
		Online: n.online, Stale: n.stale, StaleSince: n.staleSince, BirthTime: n.birthTime,
		BdSeq: n.bdSeq, HasBdSeq: n.hasBdSeq, Seq: n.lastSeq, AwaitingRebirth: n.awaiting,
		Refused: n.refused, Metrics: metricViews(n.byName, n.stale),
		Devices: make([]DeviceView, 0, len(n.devices)),
	}
	for _, d := range n.devices {
		v.Devices = append(v.Devices, DeviceView{
			ID: d.id, Online: d.online, Stale: d.stale, StaleSince: d.staleSince,
			Metrics: metricViews(d.byName, d.stale),
		})
	}
	slices.SortFunc(v.Devices, func(a, b DeviceView) int { return cmp.Compare(a.ID, b.ID) })
	return v
}

// NodeSummary returns a view of one mirrored edge node with its own
// metrics but without its devices: what a host needs after a node
// message, for less than [Session.Node] copies.
func (h *Session) NodeSummary(group, edgeNode string) (NodeView, bool) {
	n := h.nodes[nodeKey{group, edgeNode}]
	if n == nil {
		return NodeView{}, false
	}
	return NodeView{
		Group: n.key.group, EdgeNode: n.key.node,
		Online: n.online, Stale: n.stale, StaleSince: n.staleSince, BirthTime: n.birthTime,
		BdSeq: n.bdSeq, HasBdSeq: n.hasBdSeq, Seq: n.lastSeq, AwaitingRebirth: n.awaiting,
		Refused: n.refused, Metrics: metricViews(n.byName, n.stale),
	}, true
}

// Device returns a view of one mirrored device with its metrics.
func (h *Session) Device(group, edgeNode, device string) (DeviceView, bool) {
	n := h.nodes[nodeKey{group, edgeNode}]
	if n == nil {
		return DeviceView{}, false
	}
	d := n.devices[device]
	if d == nil {
		return DeviceView{}, false
	}
	return DeviceView{ID: d.id, Online: d.online, Stale: d.stale, StaleSince: d.staleSince,
		Metrics: metricViews(d.byName, d.stale)}, true
}
