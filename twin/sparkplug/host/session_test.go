package host

import (
	"errors"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/sparkplugtest"
)

// TestHostTCK checks the host application rules of Sparkplug 3.0. Subtests
// are named after the TCK assertion ids they cover; rules without an id
// have descriptive names.
func TestHostTCK(t *testing.T) {
	t.Run("tck-id-operational-behavior-edge-node-termination-host-action-ndeath-node-offline", func(t *testing.T) {
		// Also -ndeath-node-tags-stale, -ndeath-devices-offline and
		// -ndeath-devices-tags-stale.
		edge, host, will := bornPair(t)
		ids := sparkplugtest.StationMetricIDs(t, edge)
		deliver(t, host, t0+1, sparkplugtest.Data(t, edge, t0+1, sparkplug.Change{Metric: ids[0], Value: sparkplug.Int64Value(12)})...)
		deliver(t, host, t0+50, will) // the broker delivers the Will
		n, _ := host.Node(testGroup, testNode)
		if n.Online || !n.Stale || n.StaleSince != t0+50 {
			t.Fatalf("node after NDEATH: online %v stale %v since %d", n.Online, n.Stale, n.StaleSince)
		}
		for _, m := range n.Metrics {
			if !m.Stale {
				t.Errorf("node metric %q not stale", m.Name)
			}
		}
		for _, d := range n.Devices {
			if d.Online || !d.Stale || d.StaleSince != t0+50 {
				t.Errorf("device %s online %v stale %v since %d", d.ID, d.Online, d.Stale, d.StaleSince)
			}
			for _, m := range d.Metrics {
				if !m.Stale {
					t.Errorf("device %s metric %q not stale", d.ID, m.Name)
				}
			}
		}
		// The last known value survives, marked stale.
		m, ok := host.Metric(testGroup, testNode, "printer", "Admin/ProdProcessedCount")
		if !ok || m.Value != sparkplug.Int64Value(12) || !m.Stale || m.Timestamp != t0+1 {
			t.Fatalf("mirrored metric %+v", m)
		}
	})
	t.Run("NDEATH with an older bdSeq is ignored", func(t *testing.T) {
		// No TCK id: chapter 5 says a host must only accept an NDEATH whose
		// bdSeq matches the NBIRTH, because a late Will of an earlier MQTT
		// session can arrive after the new NBIRTH.
		edge := sparkplugtest.NewEdge(t, 0)
		host := NewSession(Config{})
		oldWill, births := sparkplugtest.ConnectAndBirth(t, edge, t0)
		deliver(t, host, t0, births...)
		_, births = sparkplugtest.ConnectAndBirth(t, edge, t0+100) // reconnect: bdSeq 1
		deliver(t, host, t0+100, births...)
		deliver(t, host, t0+101, oldWill)
		if n, _ := host.Node(testGroup, testNode); !n.Online || n.Stale || n.BdSeq != 1 {
			t.Fatalf("node after stale Will: %+v", n)
		}
		if host.Stats().IgnoredDeaths != 1 {
			t.Fatalf("stats %+v", host.Stats())
		}
	})
	t.Run("tck-id-operational-behavior-edge-node-termination-host-action-ddeath-devices-offline", func(t *testing.T) {
		// Also -ddeath-devices-tags-stale: stale since the DDEATH timestamp.
		edge, host, _ := bornPair(t)
		dd, err := edge.DeviceDeath("oven", t0+30)
		if err != nil {
			t.Fatal(err)
		}
		deliver(t, host, t0+35, dd)
		n, _ := host.Node(testGroup, testNode)
		oven := n.Devices[0]
		if oven.ID != "oven" || oven.Online || !oven.Stale || oven.StaleSince != t0+30 {
			t.Fatalf("oven after DDEATH: %+v", oven)
		}
		if printer := n.Devices[1]; !printer.Online || printer.Stale || !n.Online {
			t.Fatalf("DDEATH of the oven touched the printer or node: %+v", n)
		}
		db, _ := edge.DeviceBirth("oven", t0+40)
		deliver(t, host, t0+40, db)
		if m, _ := host.Metric(testGroup, testNode, "oven", "Temperature"); m.Stale {
			t.Fatal("oven still stale after DBIRTH")
		}
	})
	t.Run("tck-id-operational-behavior-host-reordering-rebirth", func(t *testing.T) {
		// A seq gap makes the host request a rebirth (reorder timeout 0).
		// The request follows tck-id-operational-behavior-data-commands-ncmd-rebirth-verb,
		// -ncmd-rebirth-name and -ncmd-rebirth-value, and tck-id-payloads-ncmd-seq.
		edge, host, _ := bornPair(t)
		ids := sparkplugtest.StationMetricIDs(t, edge)
		lost := sparkplugtest.Data(t, edge, t0+1, sparkplug.Change{Metric: ids[0], Value: sparkplug.Int64Value(1)})
		_ = lost // the broker drops this one
		next := sparkplugtest.Data(t, edge, t0+2, sparkplug.Change{Metric: ids[0], Value: sparkplug.Int64Value(2)})
		act, err := host.Receive(next[0].Topic.String(), next[0].Payload, t0+2)
		if !errors.Is(err, sparkplug.ErrSeqGap) || !errors.Is(err, sparkplug.ErrProtocol) {
			t.Fatalf("gap: err = %v", err)
		}
		if act.Kind != ActionRebirth || act.Request.Topic.String() != "spBv1.0/Lightsout/NCMD/line-1" || act.Request.QoS != 0 || act.Request.Retain {
			t.Fatalf("gap: action %+v", act)
		}
		req := sparkplugtest.Decode(t, act.Request)
		if req.HasSeq || req.Timestamp != t0+2 || len(req.Metrics) != 1 {
			t.Fatalf("rebirth request %+v", req)
		}
		if m := req.Metrics[0]; m.Name != sparkplug.RebirthMetric || m.Datatype != sparkplug.Boolean || m.Value != sparkplug.BooleanValue(true) {
			t.Fatalf("rebirth request metric %+v", m)
		}
		// Data is dropped until the NBIRTH, and the mirror is not updated.
		more := sparkplugtest.Data(t, edge, t0+3, sparkplug.Change{Metric: ids[0], Value: sparkplug.Int64Value(3)})
		if act, err := host.Receive(more[0].Topic.String(), more[0].Payload, t0+3); err != nil || act.Kind != ActionNone {
			t.Fatalf("while awaiting rebirth: %v, %v", act.Kind, err)
		}
		if m, _ := host.Metric(testGroup, testNode, "printer", "Admin/ProdProcessedCount"); m.Value != sparkplug.Int64Value(0) {
			t.Fatalf("mirror updated while awaiting rebirth: %v", m.Value)
		}
		// The edge answers the request; the mirror catches up.
		res, err := edge.HandleCommand(act.Request.Topic, req, t0+4)
		if err != nil {
			t.Fatal(err)
		}
		deliver(t, host, t0+4, res.Messages...)
		deliver(t, host, t0+5, sparkplugtest.Data(t, edge, t0+5, sparkplug.Change{Metric: ids[1], Value: sparkplug.DoubleValue(3.0)})...)
		if m, _ := host.Metric(testGroup, testNode, "printer", "Admin/ProdProcessedCount"); m.Value != sparkplug.Int64Value(3) || m.Stale {
			t.Fatalf("after rebirth: %+v", m)
		}
		if m, _ := host.Metric(testGroup, testNode, "printer", "Cycle Time"); m.Value != sparkplug.DoubleValue(3.0) {
			t.Fatalf("after rebirth: %+v", m)
		}
		st := host.Stats()
		if st.SeqGaps != 1 || st.RebirthRequests != 1 || st.Dropped != 1 || st.ProtocolErrors != 1 {
			t.Fatalf("stats %+v", st)
		}
	})
	t.Run("rebirth requests are throttled", func(t *testing.T) {
		edge, host, _ := bornPair(t)
		ids := sparkplugtest.StationMetricIDs(t, edge)
		sparkplugtest.Data(t, edge, t0, sparkplug.Change{Metric: ids[0], Value: sparkplug.Int64Value(1)}) // lost
		requests := 0
		for i := range 10 {
			now := t0 + uint64(i)*1000
			m := sparkplugtest.Data(t, edge, now, sparkplug.Change{Metric: ids[0], Value: sparkplug.Int64Value(int64(i + 2))})[0]
			if act, _ := host.Receive(m.Topic.String(), m.Payload, now); act.Kind == ActionRebirth {
				requests++
			}
		}
		if requests != 2 { // at 0 s and 5 s
			t.Fatalf("%d rebirth requests in 9 s, want 2", requests)
		}
	})
	t.Run("seq wraps from 255 to 0 without a gap", func(t *testing.T) {
		edge, host, _ := bornPair(t)
		ids := sparkplugtest.StationMetricIDs(t, edge)
		for i := range 700 {
			deliver(t, host, t0, sparkplugtest.Data(t, edge, t0, sparkplug.Change{Metric: ids[0], Value: sparkplug.Int64Value(int64(i + 1))})...)
		}
		if n, _ := host.Node(testGroup, testNode); n.Seq != uint8((3+700-1)%256) {
			t.Fatalf("seq %d", n.Seq)
		}
		if m, _ := host.Metric(testGroup, testNode, "printer", "Admin/ProdProcessedCount"); m.Value != sparkplug.Int64Value(700) {
			t.Fatalf("value %v", m.Value)
		}
	})
	t.Run("a host joining a running edge node asks for a rebirth", func(t *testing.T) {
		// No TCK id: chapter 5 gives a host that connects after the edge
		// node's births as the reason rebirth requests exist. It is no
		// protocol error.
		edge := sparkplugtest.NewEdge(t, 0)
		sparkplugtest.ConnectAndBirth(t, edge, t0) // the host missed the births
		host := NewSession(Config{})
		ids := sparkplugtest.StationMetricIDs(t, edge)
		for i, want := range []ActionKind{ActionRebirth, ActionNone} {
			m := sparkplugtest.Data(t, edge, t0, sparkplug.Change{Metric: ids[0], Value: sparkplug.Int64Value(int64(i + 1))})[0]
			act, err := host.Receive(m.Topic.String(), m.Payload, t0)
			if act.Kind != want || (i == 0) != errors.Is(err, sparkplug.ErrNotBorn) || errors.Is(err, sparkplug.ErrProtocol) {
				t.Fatalf("message %d: got %v, %v; want %v", i, act.Kind, err, want)
			}
		}
		st := host.Stats()
		if st.Joins != 1 || st.Dropped != 1 || st.RebirthRequests != 1 || st.ProtocolErrors != 0 || st.NotBorn != 0 {
			t.Fatalf("stats %+v, want one join, one message dropped awaiting the rebirth, no protocol error", st)
		}
		births, err := edge.Rebirth(t0 + 1)
		if err != nil {
			t.Fatal(err)
		}
		deliver(t, host, t0+1, births...)
		if n, _ := host.Node(testGroup, testNode); !n.Online || n.AwaitingRebirth {
			t.Fatalf("after the rebirth: %+v", n)
		}
	})
	t.Run("data from a dead node is a protocol error", func(t *testing.T) {
		// Once born, a node that died must be born again before its data.
		edge, host, will := bornPair(t)
		deliver(t, host, t0+1, will)
		ids := sparkplugtest.StationMetricIDs(t, edge)
		m := sparkplugtest.Data(t, edge, t0+2, sparkplug.Change{Metric: ids[0], Value: sparkplug.Int64Value(1)})[0]
		act, err := host.Receive(m.Topic.String(), m.Payload, t0+2)
		if !errors.Is(err, sparkplug.ErrNotBorn) || !errors.Is(err, sparkplug.ErrProtocol) || act.Kind != ActionRebirth {
			t.Fatalf("got %v, %v", act.Kind, err)
		}
		if st := host.Stats(); st.Joins != 0 || st.NotBorn != 1 || st.ProtocolErrors != 1 {
			t.Fatalf("stats %+v", st)
		}
	})
	t.Run("unknown alias is a protocol error and requests a rebirth", func(t *testing.T) {
		// No TCK id: chapter 5 lists a metric missing from the birth as a
		// reason for a rebirth request.
		_, host, _ := bornPair(t)
		p := &sparkplug.Payload{Timestamp: t0, Seq: 3, HasSeq: true, Metrics: []sparkplug.Metric{{Alias: 999, HasAlias: true, Value: sparkplug.Int64Value(1)}}}
		act, err := host.Apply(sparkplug.DeviceTopic(testGroup, sparkplug.DDATA, testNode, "printer"), p, t0)
		if !errors.Is(err, sparkplug.ErrUnknownMetric) || act.Kind != ActionRebirth {
			t.Fatalf("got %v, %v", act.Kind, err)
		}
		if st := host.Stats(); st.UnknownMetrics != 1 || st.ProtocolErrors != 1 {
			t.Fatalf("stats %+v", st)
		}
	})
	t.Run("alias of another device is unknown", func(t *testing.T) {
		edge, host, _ := bornPair(t)
		temp, _ := edge.Alias(sparkplugtest.Must(edge.Lookup("oven", "Temperature")))
		p := &sparkplug.Payload{Seq: 3, HasSeq: true, Metrics: []sparkplug.Metric{{Alias: temp, HasAlias: true, Value: sparkplugtest.Untyped(t, sparkplug.FloatValue(0))}}}
		if _, err := host.Apply(sparkplug.DeviceTopic(testGroup, sparkplug.DDATA, testNode, "printer"), p, t0); !errors.Is(err, sparkplug.ErrUnknownMetric) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("value of the wrong type is rejected whole", func(t *testing.T) {
		edge, host, _ := bornPair(t)
		count, _ := edge.Alias(sparkplugtest.Must(edge.Lookup("printer", "Admin/ProdProcessedCount")))
		ct, _ := edge.Alias(sparkplugtest.Must(edge.Lookup("printer", "Cycle Time")))
		p := &sparkplug.Payload{Seq: 3, HasSeq: true, Metrics: []sparkplug.Metric{
			{Alias: count, HasAlias: true, Value: sparkplugtest.Untyped(t, sparkplug.Int64Value(5))},
			{Alias: ct, HasAlias: true, Value: sparkplugtest.Untyped(t, sparkplug.StringValue("fast"))},
		}}
		act, err := host.Apply(sparkplug.DeviceTopic(testGroup, sparkplug.DDATA, testNode, "printer"), p, t0)
		if !errors.Is(err, sparkplug.ErrTypeMismatch) || act.Kind != ActionRebirth {
			t.Fatalf("got %v, %v", act.Kind, err)
		}
		if m, _ := host.Metric(testGroup, testNode, "printer", "Admin/ProdProcessedCount"); m.Value != sparkplug.Int64Value(0) {
			t.Fatalf("half-applied: %v", m.Value)
		}
	})
	t.Run("a datatype other than the birth's is rejected", func(t *testing.T) {
		// Even for a null value, which has no value type to disagree.
		edge, host, _ := bornPair(t)
		count, _ := edge.Alias(sparkplugtest.Must(edge.Lookup("printer", "Admin/ProdProcessedCount")))
		p := &sparkplug.Payload{Seq: 3, HasSeq: true, Metrics: []sparkplug.Metric{{Alias: count, HasAlias: true, Datatype: sparkplug.Double, IsNull: true}}}
		act, err := host.Apply(sparkplug.DeviceTopic(testGroup, sparkplug.DDATA, testNode, "printer"), p, t0)
		if !errors.Is(err, sparkplug.ErrTypeMismatch) || act.Kind != ActionRebirth {
			t.Fatalf("got %v, %v", act.Kind, err)
		}
		if m, _ := host.Metric(testGroup, testNode, "printer", "Admin/ProdProcessedCount"); m.IsNull {
			t.Fatal("applied")
		}
	})
	t.Run("tck-id-payloads-alias-uniqueness", func(t *testing.T) {
		host := NewSession(Config{})
		p := &sparkplug.Payload{Seq: 0, HasSeq: true, Metrics: []sparkplug.Metric{
			{Name: sparkplug.BdSeqMetric, Datatype: sparkplug.Int64, Value: sparkplug.Int64Value(0)},
			{Name: sparkplug.RebirthMetric, Datatype: sparkplug.Boolean, Value: sparkplug.BooleanValue(false)},
			{Name: "a", Alias: 5, HasAlias: true, Datatype: sparkplug.Int32, Value: sparkplug.Int32Value(1)},
			{Name: "b", Alias: 5, HasAlias: true, Datatype: sparkplug.Int32, Value: sparkplug.Int32Value(2)},
		}}
		if _, err := host.Apply(sparkplug.NodeTopic(testGroup, sparkplug.NBIRTH, testNode), p, t0); !errors.Is(err, sparkplug.ErrBadBirth) {
			t.Fatalf("duplicate alias: %v", err)
		}
		if host.Stats().BadBirths != 1 {
			t.Fatalf("stats %+v", host.Stats())
		}
	})
	t.Run("tck-id-payloads-nbirth-bdseq", func(t *testing.T) {
		host := NewSession(Config{})
		p := &sparkplug.Payload{Seq: 0, HasSeq: true, Metrics: []sparkplug.Metric{
			{Name: sparkplug.RebirthMetric, Datatype: sparkplug.Boolean, Value: sparkplug.BooleanValue(false)},
		}}
		act, err := host.Apply(sparkplug.NodeTopic(testGroup, sparkplug.NBIRTH, testNode), p, t0)
		if !errors.Is(err, sparkplug.ErrBadBirth) || act.Kind != ActionRebirth {
			t.Fatalf("NBIRTH without bdSeq: %v, %v; want ErrBadBirth and a rebirth request", act.Kind, err)
		}
		// The audit found such a node online: without a bdSeq no NDEATH
		// can ever take it offline again.
		if n, ok := host.Node(testGroup, testNode); !ok || n.Online || n.HasBdSeq || !n.AwaitingRebirth {
			t.Fatalf("node after an NBIRTH without bdSeq: %+v", n)
		}
		if st := host.Stats(); st.BadBirths != 1 || st.RebirthRequests != 1 {
			t.Fatalf("stats %+v", st)
		}
	})
	t.Run("NBIRTH leaves devices stale until their DBIRTH", func(t *testing.T) {
		// No TCK id: chapter 4 says devices that were born before keep STALE
		// quality until the new DBIRTH arrives.
		edge, host, _ := bornPair(t)
		births, _ := edge.Rebirth(t0 + 10)
		deliver(t, host, t0+10, births[0])
		if m, _ := host.Metric(testGroup, testNode, "oven", "Temperature"); !m.Stale {
			t.Fatal("oven metric not stale after NBIRTH")
		}
		deliver(t, host, t0+10, births[1:]...)
		if m, _ := host.Metric(testGroup, testNode, "oven", "Temperature"); m.Stale || m.Value != sparkplug.FloatValue(245.5) {
			t.Fatalf("oven metric after DBIRTH: %+v", m)
		}
	})
	t.Run("historical values do not update the mirror", func(t *testing.T) {
		edge, host, _ := bornPair(t)
		count, _ := edge.Alias(sparkplugtest.Must(edge.Lookup("printer", "Admin/ProdProcessedCount")))
		p := &sparkplug.Payload{Seq: 3, HasSeq: true, Metrics: []sparkplug.Metric{
			{Alias: count, HasAlias: true, IsHistorical: true, Value: sparkplugtest.Untyped(t, sparkplug.Int64Value(9))},
		}}
		if _, err := host.Apply(sparkplug.DeviceTopic(testGroup, sparkplug.DDATA, testNode, "printer"), p, t0); err != nil {
			t.Fatal(err)
		}
		if m, _ := host.Metric(testGroup, testNode, "printer", "Admin/ProdProcessedCount"); m.Value != sparkplug.Int64Value(0) {
			t.Fatalf("historical value applied: %v", m.Value)
		}
	})
}

func TestHostConnectionLost(t *testing.T) {
	edge, host, _ := bornPair(t)
	host.ConnectionLost(t0 + 9)
	n, _ := host.Node(testGroup, testNode)
	if n.Online || !n.Stale || n.StaleSince != t0+9 {
		t.Fatalf("node %+v", n)
	}
	acts := host.RebirthAll(t0 + 10)
	if len(acts) != 1 || acts[0].Kind != ActionRebirth || acts[0].EdgeNode != testNode {
		t.Fatalf("RebirthAll = %+v", acts)
	}
	res, err := edge.HandleCommand(acts[0].Request.Topic, sparkplugtest.Decode(t, acts[0].Request), t0+11)
	if err != nil {
		t.Fatal(err)
	}
	deliver(t, host, t0+11, res.Messages...)
	if n, _ := host.Node(testGroup, testNode); !n.Online || n.Stale || n.Devices[0].Stale {
		t.Fatalf("node after rebirth %+v", n)
	}
}

func TestHostReceiveErrors(t *testing.T) {
	host := NewSession(Config{})
	if _, err := host.Receive("spBv1.0/g/NDATA", nil, t0); !errors.Is(err, sparkplug.ErrInvalidTopic) {
		t.Errorf("bad topic: %v", err)
	}
	if _, err := host.Receive("spBv1.0/g/NDATA/n", []byte{0x12, 0x05}, t0); !errors.Is(err, sparkplug.ErrMalformed) {
		t.Errorf("bad payload: %v", err)
	}
	if _, err := host.Receive("spBv1.0/STATE/scada", []byte(`{"online":1}`), t0); !errors.Is(err, sparkplug.ErrInvalidState) {
		t.Errorf("bad state: %v", err)
	}
	if _, err := host.Receive("spBv1.0/STATE/scada", []byte(`{"online":true,"timestamp":5}`), t0); err != nil {
		t.Errorf("good state: %v", err)
	}
	if _, err := host.Receive("spBv1.0/g/NDEATH/n", sparkplugtest.Marshal(t, &sparkplug.Payload{}), t0); err != nil {
		t.Errorf("NDEATH of an unknown node: %v", err)
	}
	st := host.Stats()
	if st.Messages != 5 || st.BadTopics != 1 || st.Malformed != 2 || st.IgnoredDeaths != 1 {
		t.Errorf("stats %+v", st)
	}
}

// TestHostCommand sends a DCMD built by the host to the edge node: metrics
// travel by name, alias and datatype, without seq
// (tck-id-payloads-dcmd-seq), and arrive typed
// (tck-id-operational-behavior-data-commands-dcmd-verb).
func TestHostCommand(t *testing.T) {
	edge, host, _ := bornPair(t)
	msg, err := host.Command(testGroup, testNode, "printer", t0+1,
		sparkplug.NamedValue{Name: "PackML/State", Value: sparkplug.StringValue("Held")},
		sparkplug.NamedValue{Name: "Cycle Time", Value: sparkplug.DoubleValue(3.25)})
	if err != nil {
		t.Fatal(err)
	}
	if msg.Topic.String() != "spBv1.0/Lightsout/DCMD/line-1/printer" || msg.QoS != 0 || msg.Retain {
		t.Fatalf("DCMD %+v", msg)
	}
	p := sparkplugtest.Decode(t, msg)
	if p.HasSeq || p.Timestamp != t0+1 {
		t.Fatalf("DCMD payload %+v", p)
	}
	// By alias alone, name left out (tck-id-payloads-alias-data-cmd-requirement),
	// with the datatype.
	for i, name := range []string{"PackML/State", "Cycle Time"} {
		m := p.Metrics[i]
		born, _ := host.Metric(testGroup, testNode, "printer", name)
		if m.Name != "" || !m.HasAlias || m.Alias != born.Alias || m.Datatype != born.Datatype {
			t.Fatalf("DCMD metric %+v, want no name, the birth's alias %d and datatype %v", m, born.Alias, born.Datatype)
		}
	}
	res, err := edge.HandleCommand(msg.Topic, p, t0+1)
	if err != nil || len(res.Writes) != 2 || res.Writes[1].Value != sparkplug.DoubleValue(3.25) {
		t.Fatalf("edge got %+v, %v", res, err)
	}
	cycle := sparkplug.NamedValue{Name: "Cycle Time", Value: sparkplug.Int32Value(3)}
	if _, err := host.Command(testGroup, testNode, "printer", t0, cycle); !errors.Is(err, sparkplug.ErrTypeMismatch) {
		t.Errorf("wrong type: %v", err)
	}
	nope := sparkplug.NamedValue{Name: "Nope", Value: sparkplug.Int32Value(3)}
	if _, err := host.Command(testGroup, testNode, "printer", t0, nope); !errors.Is(err, sparkplug.ErrSession) {
		t.Errorf("unknown metric: %v", err)
	}
	if _, err := host.Command(testGroup, "line-9", "", t0); !errors.Is(err, sparkplug.ErrSession) {
		t.Errorf("unknown node: %v", err)
	}
}

// TestHostDeathVariants: an NDEATH may name bdSeq by the alias its NBIRTH
// gave, and older edge nodes send bdSeq as UInt64 (the datatype in the
// specification's NDEATH example); both are accepted.
func TestHostDeathVariants(t *testing.T) {
	for _, c := range []struct {
		name  string
		death sparkplug.Metric
	}{
		{"by alias", sparkplug.Metric{Alias: 1, HasAlias: true, Value: sparkplugtest.Untyped(t, sparkplug.Int64Value(0))}},
		{"as UInt64", sparkplug.Metric{Name: sparkplug.BdSeqMetric, Datatype: sparkplug.UInt64, Value: sparkplug.UInt64Value(0)}},
		{"untyped", sparkplug.Metric{Name: sparkplug.BdSeqMetric, Value: sparkplugtest.Untyped(t, sparkplug.Int64Value(0))}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, host, _ := bornPair(t)
			p := &sparkplug.Payload{Metrics: []sparkplug.Metric{c.death}}
			if _, err := host.Apply(sparkplug.NodeTopic(testGroup, sparkplug.NDEATH, testNode), p, t0+1); err != nil {
				t.Fatal(err)
			}
			if n, _ := host.Node(testGroup, testNode); n.Online || !n.Stale {
				t.Fatalf("node %+v", n)
			}
		})
	}
	t.Run("without bdSeq", func(t *testing.T) {
		_, host, _ := bornPair(t)
		_, err := host.Apply(sparkplug.NodeTopic(testGroup, sparkplug.NDEATH, testNode), &sparkplug.Payload{}, t0+1)
		if !errors.Is(err, sparkplug.ErrBadDeath) {
			t.Fatalf("err = %v", err)
		}
		if n, _ := host.Node(testGroup, testNode); !n.Online {
			t.Fatal("NDEATH without bdSeq killed the node")
		}
	})
}
