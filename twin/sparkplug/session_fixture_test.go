package sparkplug

import "testing"

const (
	testGroup = "Lightsout"
	testNode  = "line-1"
	t0        = uint64(1_700_000_000_000)
)

// newTestEdge returns an edge node with one node metric and two devices,
// not yet connected.
func newTestEdge(tb testing.TB, firstBdSeq uint8) *EdgeSession {
	tb.Helper()
	s, err := NewEdgeSession(EdgeConfig{Group: testGroup, EdgeNode: testNode, FirstBdSeq: firstBdSeq})
	if err != nil {
		tb.Fatal(err)
	}
	must := func(_ MetricID, err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(s.AddNodeMetric("Line/Good Count", Int64, Int64Value(0)))
	must(s.AddNodeMetric("Line/Note", String, Value{}))
	for _, d := range []string{"printer", "oven"} {
		if err := s.AddDevice(d); err != nil {
			tb.Fatal(err)
		}
	}
	must(s.AddDeviceMetric("printer", "Admin/ProdProcessedCount", Int64, Int64Value(0)))
	must(s.AddDeviceMetric("printer", "Cycle Time", Double, DoubleValue(2.8)))
	must(s.AddDeviceMetric("printer", "PackML/State", String, StringValue("Idle")))
	must(s.AddDeviceMetric("printer", "PackML/StateNumber", Int32, Int32Value(4)))
	must(s.AddDeviceMetric("oven", "Temperature", Float, FloatValue(245.5)))
	must(s.AddDeviceMetric("oven", "Running", Boolean, BooleanValue(false)))
	must(s.AddDeviceMetric("oven", "Offset", Int8, Int8Value(-3)))
	return s
}

// connect calls s.Connect and returns the Will, failing the test on error.
func connect(tb testing.TB, s *EdgeSession) Message {
	tb.Helper()
	will, err := s.Connect(t0)
	if err != nil {
		tb.Fatal(err)
	}
	return will
}

// connectAndBirth connects s and returns its Will and birth sequence.
func connectAndBirth(tb testing.TB, s *EdgeSession, now uint64) (Message, []Message) {
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

// deliver hands messages to the host, failing on any error or action.
func deliver(tb testing.TB, h *HostSession, now uint64, msgs ...Message) {
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
func bornPair(tb testing.TB) (*EdgeSession, *HostSession, Message) {
	tb.Helper()
	edge := newTestEdge(tb, 0)
	host := NewHostSession(HostConfig{})
	will, births := connectAndBirth(tb, edge, t0)
	deliver(tb, host, t0, births...)
	return edge, host, will
}

// stationMetricIDs returns the ids of the printer's count and cycle time.
func stationMetricIDs(tb testing.TB, s *EdgeSession) []MetricID {
	tb.Helper()
	var ids []MetricID
	for _, name := range []string{"Admin/ProdProcessedCount", "Cycle Time", "PackML/State"} {
		id, ok := s.Lookup("printer", name)
		if !ok {
			tb.Fatalf("no printer metric %q", name)
		}
		ids = append(ids, id)
	}
	return ids
}

// data calls s.Data and fails the test on error.
func data(tb testing.TB, s *EdgeSession, now uint64, changes ...Change) []Message {
	tb.Helper()
	msgs, err := s.Data(now, changes...)
	if err != nil {
		tb.Fatal(err)
	}
	return msgs
}
