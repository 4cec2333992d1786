package host

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/sparkplugtest"
)

// interopEdge returns a connected, born edge node whose device "press" has
// a metric of each datatype Lightsout publishes, the host that received its
// births, and the messages: Will, births, then DDATA and NDATA.
//
// UInt32 is left out: Tahu's sparkplug-payload 1.0.3 reads it from
// long_value, as before Sparkplug 3.0, which carries it in int_value (our
// decoder accepts both); Lightsout publishes no UInt32.
func interopEdge(t *testing.T) (*sparkplug.EdgeSession, *Session, []sparkplug.Message) {
	t.Helper()
	s, err := sparkplug.NewEdgeSession(sparkplug.EdgeConfig{Group: testGroup, EdgeNode: testNode})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddDevice("press"); err != nil {
		t.Fatal(err)
	}
	add := func(device, name string, dt sparkplug.DataType, v sparkplug.Value) {
		t.Helper()
		var err error
		if device == "" {
			_, err = s.AddNodeMetric(name, dt, v)
		} else {
			_, err = s.AddDeviceMetric(device, name, dt, v)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	add("", "Line/Good", sparkplug.Int64, sparkplug.Int64Value(0))
	add("", "Line/Note", sparkplug.String, sparkplug.Value{})
	add("press", "State", sparkplug.String, sparkplug.StringValue("Idle"))
	add("press", "StateNumber", sparkplug.Int32, sparkplug.Int32Value(4))
	add("press", "Status/Speed", sparkplug.Float, sparkplug.FloatValue(1))
	add("press", "Cycle Time", sparkplug.Double, sparkplug.DoubleValue(2.8))
	add("press", "Offset", sparkplug.Int8, sparkplug.Int8Value(-3))
	add("press", "Running", sparkplug.Boolean, sparkplug.BooleanValue(false))
	add("press", "Counts/Big", sparkplug.UInt64, sparkplug.UInt64Value(1<<63+5))
	add("press", "Sensors/EntryEye", sparkplug.DateTime, sparkplug.DateTimeValue(t0-1))
	add("press", "Command/Hold", sparkplug.Boolean, sparkplug.BooleanValue(false))
	add("press", "Command/Speed", sparkplug.Float, sparkplug.Value{})
	will, births := sparkplugtest.ConnectAndBirth(t, s, t0)
	host := NewSession(Config{})
	deliver(t, host, t0, births...)
	id := func(device, name string) sparkplug.MetricID { return sparkplugtest.Must(s.Lookup(device, name)) }
	changes := sparkplugtest.Data(t, s, t0+1,
		sparkplug.Change{Metric: id("press", "State"), Value: sparkplug.StringValue("Held")},
		sparkplug.Change{Metric: id("press", "StateNumber"), Value: sparkplug.Int32Value(11)},
		sparkplug.Change{Metric: id("press", "Status/Speed"), Value: sparkplug.FloatValue(0.75)},
		sparkplug.Change{Metric: id("press", "Cycle Time"), Null: true},
		sparkplug.Change{Metric: id("press", "Offset"), Value: sparkplug.Int8Value(-128)},
		sparkplug.Change{Metric: id("press", "Running"), Value: sparkplug.BooleanValue(true)},
		sparkplug.Change{Metric: id("press", "Counts/Big"), Value: sparkplug.UInt64Value(math.MaxUint64)},
		sparkplug.Change{Metric: id("", "Line/Good"), Value: sparkplug.Int64Value(-7), Timestamp: t0},
		sparkplug.Change{Metric: id("", "Line/Note"), Value: sparkplug.StringValue("hello")},
	)
	return s, host, append(append([]sparkplug.Message{will}, births...), changes...)
}

// TestTahuInterop exchanges payloads with Eclipse Tahu's JavaScript
// library (npm sparkplug-payload 1.0.3, run by node): it decodes what our
// sessions build, and we decode what it encodes.
func TestTahuInterop(t *testing.T) {
	edge, host, msgs := interopEdge(t)
	dcmd, err := host.Command(testGroup, testNode, "press", t0+2,
		sparkplug.NamedValue{Name: "Command/Hold", Value: sparkplug.BooleanValue(true)},
		sparkplug.NamedValue{Name: "Command/Speed", Value: sparkplug.FloatValue(1.25)})
	if err != nil {
		t.Fatal(err)
	}
	rebirth, err := sparkplug.RebirthRequest(testGroup, testNode, t0+3)
	if err != nil {
		t.Fatal(err)
	}
	msgs = append(msgs, dcmd, rebirth)

	req := tahuRequest{Encode: tahuPayloads(edge)}
	for _, m := range msgs {
		req.Decode = append(req.Decode, tahuBytes{Name: m.Topic.String(), Payload: m.Payload})
	}
	ans := runTahu(t, req)

	t.Run("Tahu decodes ours", func(t *testing.T) {
		for i, m := range msgs {
			tp := &ans.Decoded[i].Payload
			for _, d := range sameAsTahu(sparkplugtest.Decode(t, m), tp) {
				t.Errorf("%s: %s", m.Topic, d)
			}
			if m.Topic.Type == sparkplug.DDATA || m.Topic.Type == sparkplug.NDATA {
				for _, tm := range tp.Metrics {
					if tm.Name != "" || tm.Alias == "" || tm.Type == "" {
						t.Errorf("%s: metric %s, want alias and type, no name", m.Topic, rawJSON(tm))
					}
				}
			}
		}
	})
	t.Run("Tahu reads the host's DCMD", func(t *testing.T) {
		// A hold sent by the twin: Tahu must see Command/Hold = true as a
		// Boolean by its alias (with no name, as the specification asks),
		// and the speed as a Float: each value read through its datatype.
		tp := ans.Decoded[len(msgs)-2].Payload
		want := []tahuMetric{
			{Alias: aliasOf(edge, "press", "Command/Hold"), Type: "Boolean", Value: rawJSON(true), HasValue: true},
			{Alias: aliasOf(edge, "press", "Command/Speed"), Type: "Float", Value: rawJSON(1.25), HasValue: true},
		}
		for i := range tp.Metrics {
			tp.Metrics[i].Timestamp = ""
		}
		if !reflect.DeepEqual(tp.Metrics, want) {
			t.Errorf("Tahu decoded the DCMD as %s, want %s", rawJSON(tp.Metrics), rawJSON(want))
		}
	})
	t.Run("we decode Tahu's", func(t *testing.T) { checkTahuEncoded(t, ans.Encoded, edge) })
}

// aliasOf returns the alias of a metric of s, in decimal.
func aliasOf(s *sparkplug.EdgeSession, device, name string) string {
	a, _ := s.Alias(sparkplugtest.Must(s.Lookup(device, name)))
	return strconv.FormatUint(a, 10)
}

// tahuPayloads returns the payloads Tahu encodes for the test: the NBIRTH
// and an NDATA of an edge node "tahu-node", as a Tahu edge node sends them,
// and a rebirth NCMD and a DCMD for edge, as a Tahu host sends them.
func tahuPayloads(edge *sparkplug.EdgeSession) []tahuObject {
	ts := strconv.FormatUint(t0, 10)
	return []tahuObject{
		{Name: "NBIRTH", Payload: tahuPayload{Timestamp: ts, Seq: "0", Metrics: []tahuMetric{
			{Name: sparkplug.BdSeqMetric, Type: "Int64", Value: rawJSON("3"), Timestamp: ts},
			{Name: sparkplug.RebirthMetric, Type: "Boolean", Value: rawJSON(false)},
			{Name: "Temperature", Alias: "10", Type: "Float", Value: rawJSON(21.5)},
			{Name: "Count", Alias: "11", Type: "Int64", Value: rawJSON("-9007199254740993")},
			{Name: "Total", Alias: "12", Type: "UInt64", Value: rawJSON("18446744073709551615")},
			{Name: "Small", Alias: "13", Type: "Int16", Value: rawJSON(-2)},
			{Name: "Label", Alias: "14", Type: "String", Value: rawJSON("ok")},
			{Name: "Ratio", Alias: "15", Type: "Double", Value: rawJSON(0.1)},
			{Name: "Flag", Alias: "16", Type: "Boolean", Value: rawJSON(true)},
			{Name: "Missing", Alias: "17", Type: "Int32", Value: rawJSON(nil)},
		}}},
		{Name: "NDATA", Payload: tahuPayload{Timestamp: ts, Seq: "1", Metrics: []tahuMetric{
			{Alias: "10", Type: "Float", Value: rawJSON(22.25)},
			{Alias: "11", Type: "Int64", Value: rawJSON("9007199254740995")},
			{Alias: "13", Type: "Int16", Value: rawJSON(-300)},
			{Alias: "17", Type: "Int32", Value: rawJSON(7)},
			{Alias: "14", Type: "String", Value: rawJSON(nil)},
		}}},
		{Name: "NCMD", Payload: tahuPayload{Timestamp: ts, Metrics: []tahuMetric{
			{Name: sparkplug.RebirthMetric, Type: "Boolean", Value: rawJSON(true)},
		}}},
		{Name: "DCMD", Payload: tahuPayload{Timestamp: ts, Metrics: []tahuMetric{
			{Name: "Command/Hold", Type: "Boolean", Value: rawJSON(true)},
			{Alias: aliasOf(edge, "press", "Command/Speed"), Type: "Float", Value: rawJSON(1.5)},
		}}},
	}
}

// checkTahuEncoded decodes what Tahu encoded from tahuPayloads: a host
// session mirrors the Tahu edge node, and edge obeys the Tahu host's
// commands.
func checkTahuEncoded(t *testing.T, enc []tahuBytes, edge *sparkplug.EdgeSession) {
	decode := func(i int) *sparkplug.Payload {
		t.Helper()
		var p sparkplug.Payload
		if err := sparkplug.Unmarshal(enc[i].Payload, &p); err != nil {
			t.Fatalf("%s from Tahu: %v", enc[i].Name, err)
		}
		return &p
	}
	host := NewSession(Config{})
	for i, tt := range []sparkplug.MessageType{sparkplug.NBIRTH, sparkplug.NDATA} {
		if act, err := host.Apply(sparkplug.NodeTopic(testGroup, tt, "tahu-node"), decode(i), t0); err != nil || act.Kind != ActionNone {
			t.Fatalf("host applying Tahu's %v: %v, %v", tt, act.Kind, err)
		}
	}
	n, _ := host.Node(testGroup, "tahu-node")
	if !n.Online || n.BdSeq != 3 || n.Seq != 1 {
		t.Errorf("Tahu's node mirrored as %+v", n)
	}
	want := map[string]sparkplug.Value{
		"Temperature": sparkplug.FloatValue(22.25), "Count": sparkplug.Int64Value(9007199254740995),
		"Total": sparkplug.UInt64Value(math.MaxUint64), "Small": sparkplug.Int16Value(-300), "Ratio": sparkplug.DoubleValue(0.1),
		"Flag": sparkplug.BooleanValue(true), "Missing": sparkplug.Int32Value(7), sparkplug.RebirthMetric: sparkplug.BooleanValue(false),
	}
	for name, v := range want {
		if m, _ := host.Metric(testGroup, "tahu-node", "", name); m.Value != v || m.IsNull {
			t.Errorf("%s mirrored as %+v, want %v", name, m, v)
		}
	}
	if m, _ := host.Metric(testGroup, "tahu-node", "", "Label"); !m.IsNull || m.Datatype != sparkplug.String {
		t.Errorf("Label mirrored as %+v, want a null String", m)
	}

	res, err := edge.HandleCommand(sparkplug.NodeTopic(testGroup, sparkplug.NCMD, testNode), decode(2), t0+4)
	if err != nil || len(res.Messages) != 2 || res.Messages[0].Topic.Type != sparkplug.NBIRTH {
		t.Errorf("Tahu's rebirth request: %d messages, %v", len(res.Messages), err)
	}
	res, err = edge.HandleCommand(sparkplug.DeviceTopic(testGroup, sparkplug.DCMD, testNode, "press"), decode(3), t0+5)
	if err != nil {
		t.Fatalf("Tahu's DCMD: %v", err)
	}
	var got []string
	for _, w := range res.Writes {
		got = append(got, w.Name+"="+w.Value.String())
	}
	if s := strings.Join(got, " "); s != "Command/Hold=Boolean(true) Command/Speed=Float(1.5)" {
		t.Errorf("Tahu's DCMD wrote %s", s)
	}
}
