package sparkplug

// NodeSummary returns a view of one mirrored edge node with its own
// metrics but without its devices: what a host needs after a node
// message, for less than [HostSession.Node] copies.
func (h *HostSession) NodeSummary(group, edgeNode string) (NodeView, bool) {
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
func (h *HostSession) Device(group, edgeNode, device string) (DeviceView, bool) {
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
