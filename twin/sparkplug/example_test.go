package sparkplug_test

import (
	"fmt"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
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

	host := sparkplug.NewHostSession(sparkplug.HostConfig{})
	for _, m := range append(births, changes...) {
		if _, err := host.Receive(m.Topic.String(), m.Payload, now+100); err != nil {
			panic(err)
		}
		fmt.Println(m.Topic)
	}
	m, _ := host.Metric("Lightsout", "line-1", "printer", "Admin/ProdProcessedCount")
	fmt.Println(m.Value, "stale:", m.Stale)

	host.Receive(will.Topic.String(), will.Payload, now+200)
	m, _ = host.Metric("Lightsout", "line-1", "printer", "Admin/ProdProcessedCount")
	fmt.Println(m.Value, "stale:", m.Stale)
	// Output:
	// spBv1.0/Lightsout/NBIRTH/line-1
	// spBv1.0/Lightsout/DBIRTH/line-1/printer
	// spBv1.0/Lightsout/DDATA/line-1/printer
	// Int64(1) stale: false
	// Int64(1) stale: true
}

// A decoder loop reuses one Payload; errors can be counted by kind.
func ExampleUnmarshal() {
	var p sparkplug.Payload
	for _, b := range [][]byte{
		{0x08, 0x2A, 0x18, 0x07}, // timestamp 42, seq 7
		{0x08, 0x80},             // truncated varint
	} {
		if err := sparkplug.Unmarshal(b, &p); err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(p.Timestamp, p.Seq, p.HasSeq)
	}
	// Output:
	// 42 7 true
	// sparkplug: malformed payload at byte 1 (timestamp): truncated field
}
