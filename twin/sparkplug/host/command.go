package host

import (
	"fmt"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

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
func (h *Session) Command(group, edgeNode, device string, now uint64, writes ...sparkplug.NamedValue) (sparkplug.Message, error) {
	t := sparkplug.NodeTopic(group, sparkplug.NCMD, edgeNode)
	if device != "" {
		t = sparkplug.DeviceTopic(group, sparkplug.DCMD, edgeNode, device)
	}
	if err := t.Validate(); err != nil {
		return sparkplug.Message{}, err
	}
	n := h.nodes[nodeKey{group, edgeNode}]
	if n == nil || n.byName == nil {
		return sparkplug.Message{}, fmt.Errorf("%w: no birth known for %s/%s", sparkplug.ErrSession, group, edgeNode)
	}
	byName := n.byName
	if device != "" {
		d := n.devices[device]
		if d == nil || d.byName == nil {
			return sparkplug.Message{}, fmt.Errorf("%w: no birth known for device %q", sparkplug.ErrSession, device)
		}
		byName = d.byName
	}
	p := sparkplug.Payload{Timestamp: now, Metrics: make([]sparkplug.Metric, 0, len(writes))}
	for _, w := range writes {
		m := byName[w.Name]
		if m == nil {
			return sparkplug.Message{}, fmt.Errorf("%w: %q is not in the birth of %s", sparkplug.ErrSession, w.Name, t)
		}
		if !w.Value.IsZero() && w.Value.Type() != m.datatype {
			return sparkplug.Message{}, fmt.Errorf("%w: %q is %v, got %v", sparkplug.ErrTypeMismatch, w.Name, m.datatype, w.Value)
		}
		pm := sparkplug.Metric{Timestamp: now, Datatype: m.datatype, Value: w.Value, IsNull: w.Value.IsZero()}
		if m.hasAlias {
			pm.Alias, pm.HasAlias = m.alias, true
		} else {
			pm.Name = m.name
		}
		p.Metrics = append(p.Metrics, pm)
	}
	return sparkplug.NewMessage(t, &p)
}
