package host

import (
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/sparkplugtest"
)

// The test edge node's ids and start time (see sparkplugtest).
const (
	testGroup = sparkplugtest.Group
	testNode  = sparkplugtest.EdgeNode
	t0        = sparkplugtest.T0
)

// deliver hands messages to the host, failing on any error or action.
func deliver(tb testing.TB, h *Session, now uint64, msgs ...sparkplug.Message) {
	tb.Helper()
	for _, m := range msgs {
		act, err := h.Receive(m.Topic.String(), m.Payload, now)
		if err != nil || act.Kind != ActionNone {
			tb.Fatalf("host.Receive(%s) = %v, %v", m.Topic, act.Kind, err)
		}
	}
}

// bornPair returns an edge node that has published its birth sequence to a
// host, and the Will it registered.
func bornPair(tb testing.TB) (*sparkplug.EdgeSession, *Session, sparkplug.Message) {
	tb.Helper()
	edge := sparkplugtest.NewEdge(tb, 0)
	host := NewSession(Config{})
	will, births := sparkplugtest.ConnectAndBirth(tb, edge, t0)
	deliver(tb, host, t0, births...)
	return edge, host, will
}
