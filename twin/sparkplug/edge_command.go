package sparkplug

import "fmt"

// A Write is a metric write requested by a host in an NCMD or DCMD, for the
// application to apply. Rebirth requests are handled by the session itself
// and never appear as writes.
type Write struct {
	// Metric is the metric to write; Device and Name say which it is.
	Metric MetricID
	Device string
	Name   string
	// Value is the requested value, typed with the metric's datatype.
	Value Value
	// Null asks for a null value.
	Null bool
}

// A CommandResult is what an edge node must do after a command: publish
// Messages in order (a rebirth) and apply Writes.
type CommandResult struct {
	Messages []Message
	Writes   []Write
}

// HandleCommand interprets an NCMD or DCMD received on topic t. A
// "Node Control/Rebirth" = true in an NCMD yields the full birth sequence
// in Messages (publish them before any further data); every other metric
// becomes a Write, typed with the metric's datatype. A metric is resolved
// by name when it has one and by alias otherwise; one that gives both must
// give the name and alias of the same metric (a rebirth request is honoured
// by its name alone). Metrics that name nothing known, give a name and an
// alias that disagree, or carry a datatype or value incompatible with the
// metric, are skipped and reported in the error, which matches
// [ErrProtocol] and [ErrBadCommand]; the rest of the command still applies.
func (s *EdgeSession) HandleCommand(t Topic, p *Payload, now uint64) (CommandResult, error) {
	var res CommandResult
	if t.Group != s.group || t.EdgeNode != s.node || (t.Type != NCMD && t.Type != DCMD) {
		return res, &ProtocolError{Topic: t.String(), Kind: ErrBadCommand, Detail: "not a command for this edge node"}
	}
	if !s.connected {
		return res, fmt.Errorf("%w: command while disconnected", ErrSession)
	}
	device := -1
	if t.Type == DCMD {
		di, ok := s.deviceIndex[t.Device]
		if !ok {
			return res, &ProtocolError{Topic: t.String(), Kind: ErrBadCommand, Detail: "unknown device"}
		}
		device = di
	}
	var firstErr error
	fail := func(format string, args ...any) {
		if firstErr == nil {
			firstErr = &ProtocolError{Topic: t.String(), Kind: ErrBadCommand, Detail: fmt.Sprintf(format, args...)}
		}
	}
	rebirth := false
	for i := range p.Metrics {
		pm := &p.Metrics[i]
		id, problem := s.resolve(device, pm)
		if problem != "" {
			fail("metrics[%d]: %s", i, problem)
			continue
		}
		m := &s.metrics[id]
		if pm.Datatype != Unknown && pm.Datatype != m.datatype {
			fail("metrics[%d] %q: datatype %v for a %v metric", i, m.name, pm.Datatype, m.datatype)
			continue
		}
		v := pm.Value
		if !pm.IsNull {
			var err error
			if v, err = v.WithType(m.datatype); err != nil || v.IsZero() {
				fail("metrics[%d] %q: value %v for datatype %v", i, m.name, pm.Value, m.datatype)
				continue
			}
		}
		switch id {
		case s.rebirthID:
			if b, _ := v.Boolean(); b && !pm.IsNull {
				rebirth = true
			}
		case s.bdSeqID:
			fail("metrics[%d]: bdSeq cannot be written", i)
		default:
			res.Writes = append(res.Writes, Write{Metric: id, Device: t.Device, Name: m.name, Value: v, Null: pm.IsNull})
		}
	}
	if rebirth {
		msgs, err := s.Birth(now)
		if err != nil {
			return res, err
		}
		res.Messages = msgs
	}
	return res, firstErr
}

// resolve finds the metric a command metric names, within the node
// (device < 0) or one device: by name when it has one, by alias otherwise.
// A metric that gives both must give those of the same metric, except a
// rebirth request, which its name alone decides. problem says why nothing
// was found.
func (s *EdgeSession) resolve(device int, pm *Metric) (id MetricID, problem string) {
	byName, ids := s.nodeByName, s.nodeMetrics
	if device >= 0 {
		byName, ids = s.devices[device].byName, s.devices[device].metrics
	}
	if pm.Name != "" {
		id, ok := byName[pm.Name]
		if !ok {
			return -1, fmt.Sprintf("no metric named %q", pm.Name)
		}
		if m := &s.metrics[id]; pm.HasAlias && id != s.rebirthID && (!m.hasAlias || m.alias != pm.Alias) {
			return -1, fmt.Sprintf("name %q and alias %d name different metrics", pm.Name, pm.Alias)
		}
		return id, ""
	}
	if !pm.HasAlias {
		return -1, "neither name nor alias"
	}
	// Commands are rare: a scan beats keeping an alias map up to date.
	for _, id := range ids {
		if m := &s.metrics[id]; m.hasAlias && m.alias == pm.Alias {
			return id, ""
		}
	}
	return -1, fmt.Sprintf("no metric with alias %d", pm.Alias)
}
