package mirror

import (
	"cmp"
	"slices"
	"time"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
)

// An Observer follows the mirror: analytics that need every change in
// order (time in state, counters, detectors). Observe is called once per
// message or connection event, one call at a time, after the change is
// applied and outside the mirror's lock; it must not call the mirror's
// feeding methods (Receive, the connection events) and should return
// promptly. It must not keep u.
type Observer interface {
	Observe(u *Update)
}

// An Update is one change of the mirror as its observers see it: a
// message (Event empty) with the session's verdict and what the mirror
// holds of its node and device afterwards, one of the host's connection
// events, or an edge node the mirror forgot ([EventEvicted]).
type Update struct {
	// Time is the host's clock when the change was applied.
	Time time.Time
	// Event is EventConnectionLost or EventOnline for a connection event,
	// EventEvicted for a node forgotten, empty for a message.
	Event string
	// Topic is the message's topic (messages whose topic does not parse
	// reach no observer); for EventEvicted, its Group and EdgeNode name
	// the node forgotten.
	Topic sparkplug.Topic
	// Err is why the session rejected the message, nil if it applied it
	// (a rejected birth may still have changed the node: check Node).
	Err error
	// Node is the message's edge node after the change, with its own
	// metrics but no devices; NodeKnown is false when the session has no
	// such node (STATE messages, data of a node never seen).
	Node      host.NodeView
	NodeKnown bool
	// Device is the message's device after the change (device messages
	// only), with its metrics; DeviceKnown is false when the node has no
	// such device.
	Device      host.DeviceView
	DeviceKnown bool
}

// updateLocked describes the change a message on t made. m.mu is held.
func (m *Mirror) updateLocked(now time.Time, t sparkplug.Topic, err error) Update {
	u := Update{Time: now, Topic: t, Err: err}
	if t.Type == sparkplug.STATE {
		return u
	}
	u.Node, u.NodeKnown = m.sess.NodeSummary(t.Group, t.EdgeNode)
	if t.Device != "" {
		u.Device, u.DeviceKnown = m.sess.Device(t.Group, t.EdgeNode, t.Device)
	}
	return u
}

// NodeMetric returns a metric of the update's node.
func (u *Update) NodeMetric(name string) (host.MetricView, bool) {
	return findMetric(u.Node.Metrics, name)
}

// DeviceMetric returns a metric of the update's device.
func (u *Update) DeviceMetric(name string) (host.MetricView, bool) {
	return findMetric(u.Device.Metrics, name)
}

// findMetric finds name in ms, sorted by name.
func findMetric(ms []host.MetricView, name string) (host.MetricView, bool) {
	i, ok := slices.BinarySearchFunc(ms, name, func(m host.MetricView, name string) int { return cmp.Compare(m.Name, name) })
	if !ok {
		return host.MetricView{}, false
	}
	return ms[i], true
}
