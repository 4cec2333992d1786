package host_test

import (
	"fmt"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
)

// An edge node publishes its birth and a change; a host mirrors them, then
// marks everything stale when the edge node's Will arrives.
func Example() {
	const now = 1_700_000_000_000
	edge, err := sparkplug.NewEdgeSession(sparkplug.EdgeConfig{Group: "Lightsout", EdgeNode: "line-1"})
	if err != nil {
		panic(err)
	}
	if err := edge.AddDevice("printer"); err != nil {
		panic(err)
	}
	count, err := edge.AddDeviceMetric("printer", "Admin/ProdProcessedCount", sparkplug.Int64, sparkplug.Int64Value(0))
	if err != nil {
		panic(err)
	}

	will, _ := edge.Connect(now) // register as the MQTT Will of the attempt
	edge.Accepted()              // on CONNACK
	births, _ := edge.Birth(now)
	changes, _ := edge.Data(now+100, sparkplug.Change{Metric: count, Value: sparkplug.Int64Value(1)})

	h := host.NewSession(host.Config{})
	for _, m := range append(births, changes...) {
		if _, err := h.Receive(m.Topic.String(), m.Payload, now+100); err != nil {
			panic(err)
		}
		fmt.Println(m.Topic)
	}
	m, _ := h.Metric("Lightsout", "line-1", "printer", "Admin/ProdProcessedCount")
	fmt.Println(m.Value, "stale:", m.Stale)

	h.Receive(will.Topic.String(), will.Payload, now+200)
	m, _ = h.Metric("Lightsout", "line-1", "printer", "Admin/ProdProcessedCount")
	fmt.Println(m.Value, "stale:", m.Stale)
	// Output:
	// spBv1.0/Lightsout/NBIRTH/line-1
	// spBv1.0/Lightsout/DBIRTH/line-1/printer
	// spBv1.0/Lightsout/DDATA/line-1/printer
	// Int64(1) stale: false
	// Int64(1) stale: true
}
