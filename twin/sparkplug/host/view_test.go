package host

import (
	"reflect"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/sparkplugtest"
)

// NodeSummary is Node without the devices, and Device is the device Node
// lists, through a node's life: born, updated, a device dead, the node
// dead.
func TestNodeSummaryAndDevice(t *testing.T) {
	edge, host, will := bornPair(t)
	check := func(when string) {
		t.Helper()
		full, ok := host.Node(testGroup, testNode)
		if !ok {
			t.Fatalf("%s: no node", when)
		}
		sum, ok := host.NodeSummary(testGroup, testNode)
		if !ok || sum.Devices != nil {
			t.Fatalf("%s: summary %v with devices %+v", when, ok, sum.Devices)
		}
		want := full
		want.Devices = nil
		if !reflect.DeepEqual(sum, want) {
			t.Errorf("%s: summary\n%+v\nnode\n%+v", when, sum, want)
		}
		if len(full.Devices) != 2 {
			t.Fatalf("%s: %d devices", when, len(full.Devices))
		}
		for _, d := range full.Devices {
			got, ok := host.Device(testGroup, testNode, d.ID)
			if !ok || !reflect.DeepEqual(got, d) {
				t.Errorf("%s: device %s: %v\n%+v\nwant\n%+v", when, d.ID, ok, got, d)
			}
		}
	}
	check("born")

	ids := sparkplugtest.StationMetricIDs(t, edge)
	deliver(t, host, t0+1, sparkplugtest.Data(t, edge, t0+1, sparkplug.Change{Metric: ids[0], Value: sparkplug.Int64Value(7), Timestamp: t0 + 1})...)
	check("after data")
	if d, _ := host.Device(testGroup, testNode, "printer"); d.Metrics[0].Name != "Admin/ProdProcessedCount" || d.Metrics[0].Value != sparkplug.Int64Value(7) {
		t.Errorf("printer after data: %+v", d.Metrics)
	}

	death, err := edge.DeviceDeath("oven", t0+2)
	if err != nil {
		t.Fatal(err)
	}
	deliver(t, host, t0+2, death)
	check("after DDEATH")
	if d, _ := host.Device(testGroup, testNode, "oven"); d.Online || !d.Stale || d.StaleSince != t0+2 {
		t.Errorf("oven after its DDEATH: %+v", d)
	}

	deliver(t, host, t0+3, will)
	check("after NDEATH")
	if n, _ := host.NodeSummary(testGroup, testNode); n.Online || !n.Stale || !n.Metrics[0].Stale {
		t.Errorf("summary after the NDEATH: %+v", n)
	}

	for _, c := range []struct{ group, node, device string }{
		{"other", testNode, "printer"}, {testGroup, "line-9", "printer"}, {testGroup, testNode, "robot"},
	} {
		if _, ok := host.Device(c.group, c.node, c.device); ok {
			t.Errorf("Device(%s, %s, %s) found", c.group, c.node, c.device)
		}
	}
	if _, ok := host.NodeSummary(testGroup, "line-9"); ok {
		t.Error("NodeSummary of an unknown node found")
	}
}
