package host

import (
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/sparkplugtest"
)

func BenchmarkHostReceiveDDATA(b *testing.B) {
	edge, host, _ := bornPair(b)
	ids := sparkplugtest.StationMetricIDs(b, edge)
	now := uint64(1700000000000)
	b.ReportAllocs()
	i := int32(0)
	for b.Loop() {
		i++
		msgs, err := edge.Data(now,
			sparkplug.Change{Metric: ids[0], Value: sparkplug.Int64Value(int64(i))},
			sparkplug.Change{Metric: ids[1], Value: sparkplug.DoubleValue(float64(i))})
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range msgs {
			if _, err := host.Receive(m.Topic.String(), m.Payload, now); err != nil {
				b.Fatal(err)
			}
		}
	}
}
