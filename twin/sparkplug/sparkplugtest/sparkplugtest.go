// Package sparkplugtest is the edge node that the tests of the Sparkplug
// sessions share: [NewEdge] defines it (two node metrics, a printer and an
// oven), [ConnectAndBirth] and [Data] drive it, and [Decode], [Marshal]
// and [Untyped] turn payloads around. Both the edge session's tests in
// twin/sparkplug and the host session's in twin/sparkplug/host use it, so
// that the two agree on one node.
//
// Only _test.go files import it: it fails the test it is given instead of
// returning errors.
package sparkplugtest

import (
	"testing"

	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// The test edge node's ids and the time its tests start at, in ms since
// the epoch.
const (
	Group    = "Lightsout"
	EdgeNode = "line-1"
	T0       = uint64(1_700_000_000_000)
)

// NewEdge returns the test edge node, not yet connected: node metrics
// "Line/Good Count" (Int64) and "Line/Note" (a null String), and devices
// "printer" (a count, a cycle time, a PackML state and its number) and
// "oven" (a Float, a Boolean and an Int8). The printer's count is the
// contract's "Admin/ProdProcessedCount" (packml.MetricProcessed), which
// only twin/packml may spell outside tests.
func NewEdge(tb testing.TB, firstBdSeq uint8) *sparkplug.EdgeSession {
	tb.Helper()
	s, err := sparkplug.NewEdgeSession(sparkplug.EdgeConfig{Group: Group, EdgeNode: EdgeNode, FirstBdSeq: firstBdSeq})
	if err != nil {
		tb.Fatal(err)
	}
	must := func(_ sparkplug.MetricID, err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(s.AddNodeMetric("Line/Good Count", sparkplug.Int64, sparkplug.Int64Value(0)))
	must(s.AddNodeMetric("Line/Note", sparkplug.String, sparkplug.Value{}))
	for _, d := range []string{"printer", "oven"} {
		if err := s.AddDevice(d); err != nil {
			tb.Fatal(err)
		}
	}
	must(s.AddDeviceMetric("printer", packml.MetricProcessed, sparkplug.Int64, sparkplug.Int64Value(0)))
	must(s.AddDeviceMetric("printer", "Cycle Time", sparkplug.Double, sparkplug.DoubleValue(2.8)))
	must(s.AddDeviceMetric("printer", "PackML/State", sparkplug.String, sparkplug.StringValue("Idle")))
	must(s.AddDeviceMetric("printer", "PackML/StateNumber", sparkplug.Int32, sparkplug.Int32Value(4)))
	must(s.AddDeviceMetric("oven", "Temperature", sparkplug.Float, sparkplug.FloatValue(245.5)))
	must(s.AddDeviceMetric("oven", "Running", sparkplug.Boolean, sparkplug.BooleanValue(false)))
	must(s.AddDeviceMetric("oven", "Offset", sparkplug.Int8, sparkplug.Int8Value(-3)))
	return s
}

// Connect calls s.Connect at T0 and returns the Will.
func Connect(tb testing.TB, s *sparkplug.EdgeSession) sparkplug.Message {
	tb.Helper()
	will, err := s.Connect(T0)
	if err != nil {
		tb.Fatal(err)
	}
	return will
}

// ConnectAndBirth connects s at now and returns its Will and birth
// sequence.
func ConnectAndBirth(tb testing.TB, s *sparkplug.EdgeSession, now uint64) (sparkplug.Message, []sparkplug.Message) {
	tb.Helper()
	will, err := s.Connect(now)
	if err != nil {
		tb.Fatal(err)
	}
	births, err := s.Birth(now)
	if err != nil {
		tb.Fatal(err)
	}
	return will, births
}

// StationMetricIDs returns the ids of the printer's count, cycle time and
// PackML state.
func StationMetricIDs(tb testing.TB, s *sparkplug.EdgeSession) []sparkplug.MetricID {
	tb.Helper()
	var ids []sparkplug.MetricID
	for _, name := range []string{packml.MetricProcessed, "Cycle Time", "PackML/State"} {
		id, ok := s.Lookup("printer", name)
		if !ok {
			tb.Fatalf("no printer metric %q", name)
		}
		ids = append(ids, id)
	}
	return ids
}

// Data calls s.Data and returns its messages.
func Data(tb testing.TB, s *sparkplug.EdgeSession, now uint64, changes ...sparkplug.Change) []sparkplug.Message {
	tb.Helper()
	msgs, err := s.Data(now, changes...)
	if err != nil {
		tb.Fatal(err)
	}
	return msgs
}

// Must returns v, and panics if ok is false: for lookups that cannot
// fail in a test, such as Must(s.Lookup("printer", "Cycle Time")).
func Must[T any](v T, ok bool) T {
	if !ok {
		panic("lookup failed")
	}
	return v
}

// Marshal encodes p.
func Marshal(tb testing.TB, p *sparkplug.Payload) []byte {
	tb.Helper()
	b, err := sparkplug.Marshal(p)
	if err != nil {
		tb.Fatalf("Marshal: %v", err)
	}
	return b
}

// Decode decodes the payload of m.
func Decode(tb testing.TB, m sparkplug.Message) *sparkplug.Payload {
	tb.Helper()
	var p sparkplug.Payload
	if err := sparkplug.Unmarshal(m.Payload, &p); err != nil {
		tb.Fatalf("Unmarshal(% x): %v", m.Payload, err)
	}
	return &p
}

// MetricNamed returns the metric of p with the given name.
func MetricNamed(tb testing.TB, p *sparkplug.Payload, name string) sparkplug.Metric {
	tb.Helper()
	for _, m := range p.Metrics {
		if m.Name == name {
			return m
		}
	}
	tb.Fatalf("no metric %q in %+v", name, p.Metrics)
	return sparkplug.Metric{}
}

// Untyped returns v as a metric without a datatype decodes: untyped, in
// the field that carries v's type (see [sparkplug.Value.WithType]).
func Untyped(tb testing.TB, v sparkplug.Value) sparkplug.Value {
	tb.Helper()
	b := Marshal(tb, &sparkplug.Payload{Metrics: []sparkplug.Metric{{Value: v}}})
	return Decode(tb, sparkplug.Message{Payload: b}).Metrics[0].Value
}
