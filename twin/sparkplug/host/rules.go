package host

import (
	"fmt"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// protoErr builds a ProtocolError for a message on topic t.
func protoErr(t sparkplug.Topic, kind error, format string, args ...any) error {
	return &sparkplug.ProtocolError{Topic: t.String(), Kind: kind, Detail: fmt.Sprintf(format, args...)}
}

// bdSeqOf returns the bdSeq metric value of an NBIRTH or NDEATH. The
// metric is found by name, or by alias through aliases (which may be nil)
// for an NDEATH that uses the alias its NBIRTH gave.
func bdSeqOf(p *sparkplug.Payload, aliases map[uint64]*hostMetric) (uint64, bool) {
	for i := range p.Metrics {
		m := &p.Metrics[i]
		byAlias := m.Name == "" && m.HasAlias && aliases[m.Alias] != nil && aliases[m.Alias].name == sparkplug.BdSeqMetric
		if m.Name != sparkplug.BdSeqMetric && !byAlias {
			continue
		}
		v := m.Value
		if v.Type() == sparkplug.Unknown {
			// Accept an NDEATH that leaves the datatype out.
			for _, t := range []sparkplug.DataType{sparkplug.Int64, sparkplug.UInt64} {
				if tv, err := v.WithType(t); err == nil {
					v = tv
					break
				}
			}
		}
		if u, ok := v.Uint64(); ok {
			return u, true
		}
	}
	return 0, false
}

func (h *Session) nodeBirth(t sparkplug.Topic, p *sparkplug.Payload, now uint64) (Action, error) {
	n, err := h.node(t, now)
	if n == nil {
		return Action{}, err
	}
	n.seenBorn = true
	if !p.HasSeq || p.Seq > 255 {
		n.markDead(now)
		return h.rebirth(n, now), protoErr(t, sparkplug.ErrBadBirth, "NBIRTH seq missing or above 255")
	}
	bdSeq, hasBdSeq := bdSeqOf(p, nil)
	if !hasBdSeq {
		// Sparkplug requires it: without it no NDEATH can be matched.
		n.markDead(now)
		return h.rebirth(n, now), protoErr(t, sparkplug.ErrBadBirth, "NBIRTH has no integer bdSeq metric")
	}
	if got := h.size.Bytes - n.own + costOfBirth(p); got > h.cfg.MaxBytes {
		n.refuse(now)
		return Action{}, h.limit(t, LimitMemory, got, h.cfg.MaxBytes)
	}
	var firstErr error
	fail := func(format string, args ...any) {
		if firstErr == nil {
			firstErr = protoErr(t, sparkplug.ErrBadBirth, format, args...)
		}
	}
	n.bdSeq, n.hasBdSeq = bdSeq, true
	n.online, n.stale, n.awaiting, n.requested, n.refused = true, false, false, false, false
	n.birthTime = now
	n.lastSeq = uint8(p.Seq)
	h.size.Metrics -= len(n.byName)
	n.byName = make(map[string]*hostMetric, len(p.Metrics))
	n.aliases = make(map[uint64]*hostMetric, len(p.Metrics))
	var own int64
	for i := range p.Metrics {
		if m, ok := birthMetric(n, nil, &p.Metrics[i], p.Timestamp, now, fail, i); ok {
			n.byName[m.name] = m
			own += costOfMetric(m.name, m.value)
		}
	}
	h.size.Metrics += len(n.byName)
	h.grow(n, own-n.own)
	n.own = own
	if _, ok := n.byName[sparkplug.RebirthMetric]; !ok {
		fail("NBIRTH has no %q metric", sparkplug.RebirthMetric)
	}
	for _, d := range n.devices {
		d.online = false
		if !d.stale {
			d.stale, d.staleSince = true, now
		}
	}
	return Action{}, firstErr
}

// birthMetric checks one metric of a birth certificate and registers its
// alias. fail records the first problem.
func birthMetric(n *hostNode, d *hostDevice, pm *sparkplug.Metric, payloadTS, now uint64,
	fail func(string, ...any), i int) (*hostMetric, bool) {
	if pm.Name == "" {
		fail("metrics[%d] has no name", i)
		return nil, false
	}
	if !pm.Datatype.ValidMetric() {
		fail("metrics[%d] %q has no valid datatype", i, pm.Name)
		return nil, false
	}
	byName := n.byName
	if d != nil {
		byName = d.byName
	}
	if _, dup := byName[pm.Name]; dup {
		fail("metrics[%d] %q defined twice", i, pm.Name)
		return nil, false
	}
	m := &hostMetric{
		name: pm.Name, alias: pm.Alias, hasAlias: pm.HasAlias, datatype: pm.Datatype,
		value: pm.Value, isNull: pm.IsNull, timestamp: firstNonZero(pm.Timestamp, payloadTS, now), owner: d,
	}
	if pm.HasAlias {
		if other, dup := n.aliases[pm.Alias]; dup {
			fail("metrics[%d] %q reuses alias %d of %q", i, pm.Name, pm.Alias, other.name)
			return nil, false
		}
		n.aliases[pm.Alias] = m
	}
	return m, true
}

func firstNonZero(v ...uint64) uint64 {
	for _, x := range v {
		if x != 0 {
			return x
		}
	}
	return 0
}

func (h *Session) nodeDeath(t sparkplug.Topic, p *sparkplug.Payload, now uint64) error {
	n := h.nodes[nodeKey{t.Group, t.EdgeNode}]
	if n == nil {
		h.stats.IgnoredDeaths++
		return nil
	}
	n.heard = now
	bd, ok := bdSeqOf(p, n.aliases)
	if !ok {
		h.stats.IgnoredDeaths++
		return protoErr(t, sparkplug.ErrBadDeath, "NDEATH has no integer bdSeq metric")
	}
	if n.hasBdSeq && bd != n.bdSeq {
		h.stats.IgnoredDeaths++
		return nil
	}
	n.markDead(now)
	return nil
}

// sequenced handles the messages that carry the edge node's seq: DBIRTH,
// DDEATH, NDATA and DDATA.
func (h *Session) sequenced(t sparkplug.Topic, p *sparkplug.Payload, now uint64) (Action, error) {
	n, err := h.node(t, now)
	if n == nil {
		return Action{}, err
	}
	if n.refused {
		h.stats.Dropped++
		return Action{}, nil
	}
	if n.awaiting {
		h.stats.Dropped++
		return h.rebirth(n, now), nil
	}
	if !n.online && !n.seenBorn {
		// A host joining a running edge node: no fault of the node.
		h.stats.Joins++
		return h.rebirth(n, now), fmt.Errorf("sparkplug: %w on %s: %v from an edge node not seen born yet; rebirth requested", sparkplug.ErrNotBorn, t, t.Type)
	}
	if !n.online {
		return h.rebirth(n, now), protoErr(t, sparkplug.ErrNotBorn, "%v before NBIRTH", t.Type)
	}
	if !p.HasSeq || p.Seq > 255 {
		return h.rebirth(n, now), protoErr(t, sparkplug.ErrSeqGap, "%v without a seq in 0-255", t.Type)
	}
	want := n.lastSeq + 1
	if uint8(p.Seq) != want {
		return h.rebirth(n, now), protoErr(t, sparkplug.ErrSeqGap, "seq %d, want %d", p.Seq, want)
	}
	n.lastSeq = uint8(p.Seq)
	switch t.Type {
	case sparkplug.DBIRTH:
		return h.deviceBirth(n, t, p, now)
	case sparkplug.DDEATH:
		d := n.devices[t.Device]
		if d == nil || !d.online {
			return Action{}, protoErr(t, sparkplug.ErrNotBorn, "DDEATH of a device without DBIRTH")
		}
		d.online = false
		d.stale, d.staleSince = true, firstNonZero(p.Timestamp, now)
		return Action{}, nil
	}
	return h.data(n, t, p, now)
}

func (h *Session) deviceBirth(n *hostNode, t sparkplug.Topic, p *sparkplug.Payload, now uint64) (Action, error) {
	d := n.devices[t.Device]
	cost := costOfBirth(p)
	if d == nil {
		if len(n.devices) >= h.cfg.MaxDevices {
			n.refuse(now)
			return Action{}, h.limit(t, LimitDevices, int64(len(n.devices)+1), int64(h.cfg.MaxDevices))
		}
		cost += deviceCost + int64(len(t.Device))
	} else {
		cost -= d.bytes
	}
	if got := h.size.Bytes + cost; got > h.cfg.MaxBytes {
		n.refuse(now)
		return Action{}, h.limit(t, LimitMemory, got, h.cfg.MaxBytes)
	}
	if d == nil {
		d = &hostDevice{id: t.Device}
		n.devices[t.Device] = d
		h.size.Devices++
		h.grow(n, deviceCost+int64(len(t.Device)))
	}
	for a, m := range n.aliases {
		if m.owner == d {
			delete(n.aliases, a)
		}
	}
	h.size.Metrics -= len(d.byName)
	d.byName = make(map[string]*hostMetric, len(p.Metrics))
	var firstErr error
	fail := func(format string, args ...any) {
		if firstErr == nil {
			firstErr = protoErr(t, sparkplug.ErrBadBirth, format, args...)
		}
	}
	var bytes int64
	for i := range p.Metrics {
		if m, ok := birthMetric(n, d, &p.Metrics[i], p.Timestamp, now, fail, i); ok {
			d.byName[m.name] = m
			bytes += costOfMetric(m.name, m.value)
		}
	}
	h.size.Metrics += len(d.byName)
	h.grow(n, bytes-d.bytes)
	d.bytes = bytes
	d.online, d.stale, d.staleSince = true, false, 0
	return Action{}, firstErr
}

// data validates every metric of an NDATA or DDATA first and applies them
// only if all are valid, so a bad message never half-updates the mirror.
func (h *Session) data(n *hostNode, t sparkplug.Topic, p *sparkplug.Payload, now uint64) (Action, error) {
	var d *hostDevice
	byName := n.byName
	if t.Type == sparkplug.DDATA {
		d = n.devices[t.Device]
		if d == nil || !d.online {
			return h.rebirth(n, now), protoErr(t, sparkplug.ErrNotBorn, "DDATA for a device without DBIRTH")
		}
		byName = d.byName
	}
	ups := h.scratch[:0]
	for i := range p.Metrics {
		pm := &p.Metrics[i]
		var m *hostMetric
		if pm.HasAlias {
			if m = n.aliases[pm.Alias]; m != nil && m.owner != d {
				m = nil
			}
		} else if pm.Name != "" {
			m = byName[pm.Name]
		}
		if m == nil {
			h.scratch = ups
			return h.rebirth(n, now), protoErr(t, sparkplug.ErrUnknownMetric, "metrics[%d]: no metric with alias %d or name %q in the birth", i, pm.Alias, pm.Name)
		}
		if pm.Datatype != sparkplug.Unknown && pm.Datatype != m.datatype {
			h.scratch = ups
			return h.rebirth(n, now), protoErr(t, sparkplug.ErrTypeMismatch, "metrics[%d] %q: datatype %v, born %v", i, m.name, pm.Datatype, m.datatype)
		}
		v := pm.Value
		if !v.IsZero() {
			tv, err := v.WithType(m.datatype)
			if err != nil {
				h.scratch = ups
				return h.rebirth(n, now), protoErr(t, sparkplug.ErrTypeMismatch, "metrics[%d] %q: %v", i, m.name, err)
			}
			v = tv
		}
		ups = append(ups, pendingUpdate{
			m: m, value: v, isNull: pm.IsNull, skip: pm.IsHistorical,
			timestamp: firstNonZero(pm.Timestamp, p.Timestamp, now),
		})
	}
	h.scratch = ups[:0]
	// Strings may grow: check an upper bound before, count exactly while
	// applying.
	var most, grown int64
	for _, u := range ups {
		if !u.skip {
			most += max(0, int64(u.value.Len()-u.m.value.Len()))
		}
	}
	if got := h.size.Bytes + most; most > 0 && got > h.cfg.MaxBytes {
		return Action{}, h.limit(t, LimitMemory, got, h.cfg.MaxBytes)
	}
	for _, u := range ups {
		if !u.skip {
			grown += int64(u.value.Len() - u.m.value.Len())
			u.m.value, u.m.isNull, u.m.timestamp = u.value, u.isNull, u.timestamp
		}
	}
	h.grow(n, grown)
	if d != nil {
		d.bytes += grown
	} else {
		n.own += grown
	}
	return Action{}, nil
}
