package host

import (
	"slices"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// Estimated memory, in bytes, of what a host session mirrors, besides the
// bytes of ids, names and string values: what each node, device and
// metric takes with its map entries, measured on amd64 (see
// TestHostSizeEstimate).
const (
	nodeCost   = 600
	deviceCost = 250
	metricCost = 250
)

// A NodeID names an edge node: its group and edge node id.
type NodeID struct{ Group, EdgeNode string }

// costOfNode returns the estimated memory of an empty node of key k.
func costOfNode(k nodeKey) int64 { return nodeCost + int64(len(k.group)+len(k.node)) }

// costOfMetric returns the estimated memory of a mirrored metric.
func costOfMetric(name string, v sparkplug.Value) int64 {
	return metricCost + int64(len(name)+v.Len())
}

// costOfBirth returns the estimated memory of the metrics of a birth: an
// upper bound of what applying it stores.
func costOfBirth(p *sparkplug.Payload) int64 {
	var c int64
	for i := range p.Metrics {
		c += costOfMetric(p.Metrics[i].Name, p.Metrics[i].Value)
	}
	return c
}

// grow adds delta bytes to node n's estimated size and the session's.
func (h *Session) grow(n *hostNode, delta int64) {
	n.bytes += delta
	h.size.Bytes += delta
}

// limit counts a message refused at limit l and returns its error.
func (h *Session) limit(t sparkplug.Topic, l Limit, got, max int64) error {
	(*h.stats.hits(l))++
	return &LimitError{Topic: t.String(), Limit: l, Got: got, Max: max}
}

// refuse counts a message refused at limit l before it was applied; a
// refused birth leaves its node, if known, refused until its next NBIRTH.
func (h *Session) refuse(t sparkplug.Topic, l Limit, got, max int64, now uint64) error {
	err := h.limit(t, l, got, max)
	if t.Type != sparkplug.NBIRTH && t.Type != sparkplug.DBIRTH {
		return err
	}
	if n := h.nodes[nodeKey{t.Group, t.EdgeNode}]; n != nil {
		n.heard = now
		n.refuse(now)
	}
	return err
}

// refuse takes the node offline and stale, and makes it ignored until its
// next NBIRTH.
func (n *hostNode) refuse(now uint64) {
	n.markDead(now)
	n.refused = true
}

// spend takes one rebirth request from the session's budget, refilled at
// RebirthRate a second since the last call; false when it is spent.
func (h *Session) spend(now uint64) bool {
	if now > h.refill {
		h.tokens += float64(now-h.refill) / 1000 * h.cfg.RebirthRate
		h.tokens = min(h.tokens, float64(h.cfg.RebirthBurst))
	}
	h.refill = now
	if h.tokens < 1 {
		return false
	}
	h.tokens--
	return true
}

// node returns the node of t, heard at now, creating it if there is room:
// at MaxNodes or MaxBytes, a node that holds nothing gives its place, and
// without one the message is refused.
func (h *Session) node(t sparkplug.Topic, now uint64) (*hostNode, error) {
	k := nodeKey{t.Group, t.EdgeNode}
	if n := h.nodes[k]; n != nil {
		n.heard = now
		return n, nil
	}
	cost := costOfNode(k)
	for len(h.nodes) >= h.cfg.MaxNodes || h.size.Bytes+cost > h.cfg.MaxBytes {
		if h.displace() {
			h.compact()
			continue
		}
		if len(h.nodes) >= h.cfg.MaxNodes {
			return nil, h.limit(t, LimitNodes, int64(len(h.nodes)+1), int64(h.cfg.MaxNodes))
		}
		return nil, h.limit(t, LimitMemory, h.size.Bytes+cost, h.cfg.MaxBytes)
	}
	n := &hostNode{key: k, devices: map[string]*hostDevice{}, heard: now}
	h.nodes[k] = n
	h.order = append(h.order, n)
	h.empties = append(h.empties, n)
	h.size.Nodes++
	h.grow(n, cost)
	return n, nil
}

// empty reports whether n holds nothing but its name: never born (or
// refused before its first birth), no devices.
func (n *hostNode) empty() bool {
	return !n.online && n.byName == nil && len(n.devices) == 0
}

// displace removes the oldest node that holds nothing, if any.
func (h *Session) displace() bool {
	for h.emptyAt < len(h.empties) {
		n := h.empties[h.emptyAt]
		h.empties[h.emptyAt] = nil
		h.emptyAt++
		if h.nodes[n.key] == n && n.empty() {
			h.remove(n)
			return true
		}
	}
	h.empties, h.emptyAt = h.empties[:0], 0
	return false
}

// remove forgets node n, noting it for Removed (the last MaxNodes
// removals).
func (h *Session) remove(n *hostNode) {
	delete(h.nodes, n.key)
	if len(h.removed) >= h.cfg.MaxNodes {
		h.removed = slices.Delete(h.removed, 0, 1)
	}
	h.removed = append(h.removed, NodeID{n.key.group, n.key.node})
	h.stats.Evicted++
	h.size.Nodes--
	h.size.Devices -= len(n.devices)
	h.size.Metrics -= len(n.byName)
	for _, d := range n.devices {
		h.size.Metrics -= len(d.byName)
	}
	h.size.Bytes -= n.bytes
}

// compact drops removed nodes from the node lists once they hold more of
// them than live ones, so that the lists stay proportional to the nodes.
func (h *Session) compact() {
	live := func(m *hostNode) bool { return h.nodes[m.key] == m }
	if len(h.order) > 2*len(h.nodes)+16 {
		h.order = slices.DeleteFunc(h.order, func(m *hostNode) bool { return !live(m) })
	}
	if len(h.empties)-h.emptyAt > 2*len(h.nodes)+16 {
		h.empties = slices.DeleteFunc(h.empties[h.emptyAt:], func(m *hostNode) bool { return !live(m) || !m.empty() })
		h.emptyAt = 0
	}
}

// EvictIdle removes the edge nodes not heard from since now - idle (host
// times in ms), with their devices and metrics, and returns how many it
// removed; [Session.Removed] names them. A node that comes back later
// is new to the session: its data asks for a rebirth.
func (h *Session) EvictIdle(now, idle uint64) int {
	if now < idle {
		return 0
	}
	removed := 0
	for _, n := range h.order {
		if h.nodes[n.key] == n && n.heard <= now-idle {
			h.remove(n)
			removed++
		}
	}
	h.compact()
	return removed
}

// Removed appends to dst the edge nodes removed since its last call
// (evicted by [Session.EvictIdle], or holding nothing and displaced
// by a new node at MaxNodes), in the order they were removed, and
// forgets them. It keeps the last MaxNodes: call it after each call that
// may remove nodes to learn of every one.
func (h *Session) Removed(dst []NodeID) []NodeID {
	dst = append(dst, h.removed...)
	clear(h.removed)
	h.removed = h.removed[:0]
	return dst
}
