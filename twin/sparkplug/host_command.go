package sparkplug

import "fmt"

// Command builds an NCMD (device empty) or DCMD that writes values to
// metrics the mirror knows by name. Metrics are sent by alias when the
// birth gave one, by name otherwise, with the timestamp now and no seq;
// values are checked against the birth datatype.
func (h *HostSession) Command(group, edgeNode, device string, now uint64, writes ...NamedValue) (Message, error) {
	t := NodeTopic(group, NCMD, edgeNode)
	if device != "" {
		t = DeviceTopic(group, DCMD, edgeNode, device)
	}
	if err := t.Validate(); err != nil {
		return Message{}, err
	}
	n := h.nodes[nodeKey{group, edgeNode}]
	if n == nil || n.byName == nil {
		return Message{}, fmt.Errorf("%w: no birth known for %s/%s", ErrSession, group, edgeNode)
	}
	byName := n.byName
	if device != "" {
		d := n.devices[device]
		if d == nil || d.byName == nil {
			return Message{}, fmt.Errorf("%w: no birth known for device %q", ErrSession, device)
		}
		byName = d.byName
	}
	p := Payload{Timestamp: now, Metrics: make([]Metric, 0, len(writes))}
	for _, w := range writes {
		m := byName[w.Name]
		if m == nil {
			return Message{}, fmt.Errorf("%w: %q is not in the birth of %s", ErrSession, w.Name, t)
		}
		if !w.Value.IsZero() && w.Value.Type() != m.datatype {
			return Message{}, fmt.Errorf("%w: %q is %v, got %v", ErrTypeMismatch, w.Name, m.datatype, w.Value)
		}
		pm := Metric{Timestamp: now, Value: w.Value, IsNull: w.Value.IsZero()}
		if m.hasAlias {
			pm.Alias, pm.HasAlias = m.alias, true
		} else {
			pm.Name = m.name
		}
		p.Metrics = append(p.Metrics, pm)
	}
	return newMessage(t, &p)
}

// A NamedValue is a metric name and a value, for [HostSession.Command]. The
// zero Value writes null.
type NamedValue struct {
	Name  string
	Value Value
}
