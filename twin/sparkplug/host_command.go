package sparkplug

import "fmt"

// Command builds an NCMD (device empty) or DCMD that writes values to
// metrics the mirror knows by name, with the timestamp now and no seq.
// Values are checked against the birth datatype. Every metric carries its
// alias when the birth gave one and its name otherwise, as Sparkplug 3.0
// requires (tck-id-payloads-alias-data-cmd-requirement: a command by alias
// MUST leave the name out), and its datatype, which the specification
// allows but does not ask for (tck-id-payloads-metric-datatype-not-req):
// Eclipse Tahu's JavaScript sparkplug-payload, which many edge applications
// decode with, reads a value only through its datatype, so a command
// without one reaches the application with no value at all.
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
		pm := Metric{Timestamp: now, Datatype: m.datatype, Value: w.Value, IsNull: w.Value.IsZero()}
		if m.hasAlias {
			pm.Alias, pm.HasAlias = m.alias, true
		} else {
			pm.Name = m.name
		}
		p.Metrics = append(p.Metrics, pm)
	}
	return NewMessage(t, &p)
}

// A NamedValue is a metric name and a value, for [HostSession.Command]. The
// zero Value writes null.
type NamedValue struct {
	Name  string
	Value Value
}
