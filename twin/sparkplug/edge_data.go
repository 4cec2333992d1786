package sparkplug

import "fmt"

// A Change is a new value for one metric, given to [EdgeSession.Data].
type Change struct {
	// Metric is the metric that changed.
	Metric MetricID
	// Value is the new value; it must have the metric's datatype unless Null
	// is set.
	Value Value
	// Null marks the new value as null.
	Null bool
	// Timestamp is when the value was sampled, in ms since the epoch;
	// 0 means the message time.
	Timestamp uint64
}

// Data records new metric values and returns the messages that report
// them: one NDATA for node metrics and one DDATA per device, in the order
// their first change appears, each with the next seq. A change whose value
// and null flag equal the current ones is dropped (report by exception),
// so Data may return no message at all.
//
// Metrics are sent by alias, without name, with a timestamp and with their
// datatype. The specification says DATA metrics should not carry the
// datatype (tck-id-payloads-metric-datatype-not-req), but common clients
// expect it: Eclipse Tahu's JavaScript sparkplug-payload reads a value only
// through it.
func (s *EdgeSession) Data(now uint64, changes ...Change) ([]Message, error) {
	if err := s.checkChanges(changes); err != nil {
		return nil, err
	}
	var out []Message
	done := make([]bool, len(changes))
	for i := range changes {
		if done[i] {
			continue
		}
		owner := s.metrics[changes[i].Metric].device
		p := Payload{Timestamp: now, Metrics: s.scratch[:0]}
		for j := i; j < len(changes); j++ {
			c := &changes[j]
			m := &s.metrics[c.Metric]
			if done[j] || m.device != owner {
				continue
			}
			done[j] = true
			v := c.Value
			if c.Null {
				v = Value{}
			}
			ts := c.Timestamp
			if ts == 0 {
				ts = now
			}
			if v == m.value && c.Null == m.isNull {
				continue
			}
			m.value, m.isNull, m.timestamp = v, c.Null, ts
			p.Metrics = append(p.Metrics, Metric{
				Alias: m.alias, HasAlias: true, Timestamp: ts, Datatype: m.datatype, IsNull: c.Null, Value: v,
			})
		}
		s.scratch = p.Metrics[:0]
		if len(p.Metrics) == 0 {
			continue
		}
		t := NodeTopic(s.group, NDATA, s.node)
		if owner >= 0 {
			t = DeviceTopic(s.group, DDATA, s.node, s.devices[owner].id)
		}
		p.Seq, p.HasSeq = s.nextSeq(), true
		msg, err := NewMessage(t, &p)
		if err != nil {
			return out, err
		}
		out = append(out, msg)
	}
	return out, nil
}

// checkChanges reports whether every change names a metric the caller may
// set, with a value of its datatype, on a born node and device.
func (s *EdgeSession) checkChanges(changes []Change) error {
	if !s.born {
		return fmt.Errorf("%w: data before NBIRTH", ErrSession)
	}
	for _, c := range changes {
		if c.Metric < 0 || int(c.Metric) >= len(s.metrics) {
			return fmt.Errorf("%w: unknown metric id %d", ErrSession, c.Metric)
		}
		m := &s.metrics[c.Metric]
		if c.Metric == s.bdSeqID || c.Metric == s.rebirthID {
			return fmt.Errorf("%w: %q is managed by the session", ErrSession, m.name)
		}
		if !c.Null && c.Value.Type() != m.datatype {
			return fmt.Errorf("%w: metric %q is %v, got %v", ErrTypeMismatch, m.name, m.datatype, c.Value)
		}
		if m.device >= 0 && !s.devices[m.device].born {
			return fmt.Errorf("%w: data for unborn device %q", ErrSession, s.devices[m.device].id)
		}
	}
	return nil
}
