package host

import (
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/sparkplugtest"
)

// TestCommandRebirth checks the rebirth request a host builds with
// [Session.Command]: "Node Control/Rebirth" has no alias, so a host asks by
// name (with its datatype, for Tahu-based edge nodes), and the edge node
// obeys it.
func TestCommandRebirth(t *testing.T) {
	s := sparkplugtest.NewEdge(t, 0)
	host := NewSession(Config{})
	_, births := sparkplugtest.ConnectAndBirth(t, s, t0)
	deliver(t, host, t0, births...)
	fromHost, err := host.Command(testGroup, testNode, "", t0, sparkplug.NamedValue{Name: sparkplug.RebirthMetric, Value: sparkplug.BooleanValue(true)})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.HandleCommand(sparkplug.NodeTopic(testGroup, sparkplug.NCMD, testNode), sparkplugtest.Decode(t, fromHost), t0)
	if err != nil || len(res.Messages) != 3 || res.Messages[0].Topic.Type != sparkplug.NBIRTH || len(res.Writes) != 0 {
		t.Errorf("rebirth by Session.Command: %d messages, writes %+v, %v", len(res.Messages), res.Writes, err)
	}
	if m := sparkplugtest.MetricNamed(t, sparkplugtest.Decode(t, fromHost), sparkplug.RebirthMetric); m.HasAlias || m.Datatype != sparkplug.Boolean {
		t.Errorf("host's rebirth command %+v, want the name, no alias, and Boolean", m)
	}
}
