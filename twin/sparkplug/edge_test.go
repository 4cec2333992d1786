package sparkplug_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/sparkplugtest"
)

// t0 is the time the tests start at (see sparkplugtest).
const t0 = sparkplugtest.T0

// TestEdgeTCK checks the edge node rules of Sparkplug 3.0. Subtests are
// named after the TCK assertion ids they cover.
func TestEdgeTCK(t *testing.T) {
	t.Run("tck-id-topics-nbirth-bdseq-increment", func(t *testing.T) {
		// bdSeq starts at 0 and increments on every new MQTT CONNECT the
		// broker accepts.
		s := sparkplugtest.NewEdge(t, 0)
		for want := int64(0); want < 3; want++ {
			got, _ := sparkplugtest.MetricNamed(t, sparkplugtest.Decode(t, sparkplugtest.Connect(t, s)), sparkplug.BdSeqMetric).Value.Int64()
			if got != want {
				t.Fatalf("Will %d has bdSeq %d", want, got)
			}
			s.Accepted()
		}
	})
	t.Run("failed connection attempts reuse the pending bdSeq", func(t *testing.T) {
		// Only an accepted CONNECT registers a Will, so only it spends a
		// bdSeq: a broker outage of many attempts moves bdSeq by one.
		s := sparkplugtest.NewEdge(t, 0)
		s.Accepted() // before any attempt: nothing to accept
		var got []int64
		step := func(after func()) {
			v, _ := sparkplugtest.MetricNamed(t, sparkplugtest.Decode(t, sparkplugtest.Connect(t, s)), sparkplug.BdSeqMetric).Value.Int64()
			got = append(got, v)
			if after != nil {
				after()
			}
		}
		birth := func() {
			if _, err := s.Birth(t0); err != nil {
				t.Fatal(err)
			}
		}
		death := func() {
			if _, err := s.Death(t0); err != nil {
				t.Fatal(err)
			}
		}
		step(nil)                         // refused
		step(nil)                         // no broker
		step(s.Accepted)                  // accepted, lost before its birth
		step(nil)                         // refused
		step(birth)                       // accepted and born
		step(func() { birth(); death() }) // accepted, born, then a clean stop
		step(nil)
		want := []int64{0, 0, 0, 1, 1, 2, 3}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Will bdSeqs %v, want %v", got, want)
		}
		if s.BdSeq() != 3 {
			t.Fatalf("BdSeq() = %d", s.BdSeq())
		}
	})
	t.Run("tck-id-message-flow-edge-node-birth-publish-will-message-payload-bdSeq", func(t *testing.T) {
		// An Int64 bdSeq that wraps from 255 to 0.
		s := sparkplugtest.NewEdge(t, 255)
		will, _ := s.Connect(t0)
		m := sparkplugtest.MetricNamed(t, sparkplugtest.Decode(t, will), sparkplug.BdSeqMetric)
		if m.Datatype != sparkplug.Int64 || m.Value != sparkplug.Int64Value(255) {
			t.Fatalf("first Will bdSeq = %+v", m)
		}
		s.Accepted()
		will, _ = s.Connect(t0)
		if v := sparkplugtest.MetricNamed(t, sparkplugtest.Decode(t, will), sparkplug.BdSeqMetric).Value; v != sparkplug.Int64Value(0) {
			t.Fatalf("bdSeq after 255 = %v, want 0", v)
		}
	})
	t.Run("tck-id-topics-ndeath-payload", func(t *testing.T) {
		s := sparkplugtest.NewEdge(t, 7)
		will, _ := s.Connect(t0)
		p := sparkplugtest.Decode(t, will)
		if len(p.Metrics) != 1 || p.Metrics[0].Name != sparkplug.BdSeqMetric {
			t.Fatalf("NDEATH metrics %+v, want only bdSeq", p.Metrics)
		}
	})
	t.Run("tck-id-payloads-ndeath-seq", func(t *testing.T) {
		s := sparkplugtest.NewEdge(t, 0)
		will, _ := s.Connect(t0)
		if sparkplugtest.Decode(t, will).HasSeq {
			t.Fatal("NDEATH has a seq")
		}
		death, err := s.Death(t0 + 1)
		if err != nil {
			t.Fatal(err)
		}
		if sparkplugtest.Decode(t, death).HasSeq {
			t.Fatal("published NDEATH has a seq")
		}
	})
	t.Run("tck-id-payloads-ndeath-will-message-qos", func(t *testing.T) {
		will, _ := sparkplugtest.NewEdge(t, 0).Connect(t0)
		if will.QoS != 1 || will.Retain {
			t.Fatalf("Will QoS %d retain %v, want 1 and false (tck-id-payloads-ndeath-will-message-retain)", will.QoS, will.Retain)
		}
		if got := will.Topic.String(); got != "spBv1.0/Lightsout/NDEATH/line-1" {
			t.Fatalf("Will topic %q (tck-id-message-flow-edge-node-birth-publish-will-message-topic)", got)
		}
	})
	t.Run("tck-id-payloads-ndeath-bdseq", func(t *testing.T) {
		// The NDEATH published before a clean disconnect repeats the Will's
		// bdSeq, and the next session increments it.
		s := sparkplugtest.NewEdge(t, 3)
		will, births := sparkplugtest.ConnectAndBirth(t, s, t0)
		death, _ := s.Death(t0 + 5)
		wb := sparkplugtest.MetricNamed(t, sparkplugtest.Decode(t, will), sparkplug.BdSeqMetric).Value
		db := sparkplugtest.MetricNamed(t, sparkplugtest.Decode(t, death), sparkplug.BdSeqMetric).Value
		nb := sparkplugtest.MetricNamed(t, sparkplugtest.Decode(t, births[0]), sparkplug.BdSeqMetric).Value
		if wb != db || wb != nb {
			t.Fatalf("Will %v, NBIRTH %v, NDEATH %v: want equal", wb, nb, db)
		}
		if _, err := s.Data(t0, sparkplug.Change{}); !errors.Is(err, sparkplug.ErrSession) {
			t.Fatalf("data after NDEATH: %v", err)
		}
	})
	t.Run("tck-id-payloads-nbirth-seq", func(t *testing.T) {
		// Also tck-id-topics-nbirth-seq-num and
		// tck-id-payloads-sequence-num-zero-nbirth: seq is 0.
		_, births := sparkplugtest.ConnectAndBirth(t, sparkplugtest.NewEdge(t, 0), t0)
		if p := sparkplugtest.Decode(t, births[0]); !p.HasSeq || p.Seq != 0 {
			t.Fatalf("NBIRTH seq %d (has %v), want 0", p.Seq, p.HasSeq)
		}
	})
	t.Run("tck-id-payloads-nbirth-timestamp", func(t *testing.T) {
		_, births := sparkplugtest.ConnectAndBirth(t, sparkplugtest.NewEdge(t, 0), t0)
		for _, b := range births {
			if p := sparkplugtest.Decode(t, b); p.Timestamp != t0 {
				t.Fatalf("%s timestamp %d (tck-id-payloads-dbirth-timestamp)", b.Topic, p.Timestamp)
			}
		}
	})
	t.Run("tck-id-topics-nbirth-bdseq-matching", func(t *testing.T) {
		// Also tck-id-payloads-nbirth-bdseq, tck-id-topics-nbirth-bdseq-included,
		// tck-id-payloads-nbirth-bdseq-repeat and
		// tck-id-message-flow-edge-node-birth-publish-nbirth-payload-bdSeq.
		s := sparkplugtest.NewEdge(t, 41)
		for range 3 {
			will, births := sparkplugtest.ConnectAndBirth(t, s, t0)
			w := sparkplugtest.MetricNamed(t, sparkplugtest.Decode(t, will), sparkplug.BdSeqMetric)
			b := sparkplugtest.MetricNamed(t, sparkplugtest.Decode(t, births[0]), sparkplug.BdSeqMetric)
			if b.Datatype != sparkplug.Int64 || b.Value != w.Value {
				t.Fatalf("NBIRTH bdSeq %+v, Will %+v", b, w)
			}
		}
	})
	t.Run("tck-id-payloads-nbirth-rebirth-req", func(t *testing.T) {
		// Also tck-id-topics-nbirth-rebirth-metric and
		// tck-id-operational-behavior-data-commands-rebirth-name,
		// -rebirth-datatype, -rebirth-value and -rebirth-name-aliases: a
		// host must be able to ask for a rebirth without knowing an alias.
		_, births := sparkplugtest.ConnectAndBirth(t, sparkplugtest.NewEdge(t, 0), t0)
		m := sparkplugtest.MetricNamed(t, sparkplugtest.Decode(t, births[0]), sparkplug.RebirthMetric)
		if m.Datatype != sparkplug.Boolean || m.Value != sparkplug.BooleanValue(false) || m.HasAlias {
			t.Fatalf("rebirth metric %+v, want Boolean false with no alias", m)
		}
	})
	t.Run("tck-id-topics-nbirth-metrics", func(t *testing.T) {
		// Also tck-id-topics-dbirth-metrics, tck-id-payloads-metric-datatype-req,
		// tck-id-payloads-alias-birth-requirement,
		// tck-id-payloads-name-birth-data-requirement and
		// tck-id-operational-behavior-data-publish-nbirth-values.
		_, births := sparkplugtest.ConnectAndBirth(t, sparkplugtest.NewEdge(t, 0), t0)
		for _, b := range births {
			for _, m := range sparkplugtest.Decode(t, b).Metrics {
				if m.Name == "" || !m.Datatype.ValidMetric() || m.Timestamp == 0 {
					t.Errorf("%s: metric %+v lacks name, datatype or timestamp", b.Topic, m)
				}
				if m.Value.IsZero() != m.IsNull {
					t.Errorf("%s: metric %q value %v with is_null %v", b.Topic, m.Name, m.Value, m.IsNull)
				}
				if !m.HasAlias && m.Name != sparkplug.RebirthMetric {
					t.Errorf("%s: metric %q has no alias", b.Topic, m.Name)
				}
			}
		}
	})
	t.Run("tck-id-topics-nbirth-metric-reqs", func(t *testing.T) {
		// Also tck-id-operational-behavior-data-publish-nbirth and -dbirth:
		// births list every metric defined.
		_, births := sparkplugtest.ConnectAndBirth(t, sparkplugtest.NewEdge(t, 0), t0)
		want := map[string]int{"spBv1.0/Lightsout/NBIRTH/line-1": 4, "spBv1.0/Lightsout/DBIRTH/line-1/printer": 4, "spBv1.0/Lightsout/DBIRTH/line-1/oven": 3}
		if len(births) != len(want) {
			t.Fatalf("%d birth messages", len(births))
		}
		for _, b := range births {
			if n := len(sparkplugtest.Decode(t, b).Metrics); n != want[b.Topic.String()] {
				t.Errorf("%s has %d metrics, want %d", b.Topic, n, want[b.Topic.String()])
			}
		}
	})
	t.Run("tck-id-payloads-alias-uniqueness", func(t *testing.T) {
		_, births := sparkplugtest.ConnectAndBirth(t, sparkplugtest.NewEdge(t, 0), t0)
		seen := map[uint64]string{}
		for _, b := range births {
			for _, m := range sparkplugtest.Decode(t, b).Metrics {
				if !m.HasAlias {
					continue
				}
				if other, dup := seen[m.Alias]; dup {
					t.Fatalf("alias %d used by %q and %q", m.Alias, other, m.Name)
				}
				seen[m.Alias] = m.Name
			}
		}
	})
	t.Run("tck-id-payloads-dbirth-seq-inc", func(t *testing.T) {
		// Also tck-id-topics-dbirth-seq and tck-id-payloads-dbirth-order:
		// DBIRTHs follow the NBIRTH with consecutive seqs.
		_, births := sparkplugtest.ConnectAndBirth(t, sparkplugtest.NewEdge(t, 0), t0)
		for i, b := range births {
			wantType := sparkplug.DBIRTH
			if i == 0 {
				wantType = sparkplug.NBIRTH
			}
			if p := sparkplugtest.Decode(t, b); b.Topic.Type != wantType || p.Seq != uint64(i) {
				t.Fatalf("message %d: %s seq %d", i, b.Topic, p.Seq)
			}
		}
	})
	t.Run("tck-id-payloads-ndata-order", func(t *testing.T) {
		// Also tck-id-payloads-ddata-order: no data before the births.
		s := sparkplugtest.NewEdge(t, 0)
		if _, err := s.Connect(t0); err != nil {
			t.Fatal(err)
		}
		id, _ := s.Lookup("", "Line/Good Count")
		if _, err := s.Data(t0, sparkplug.Change{Metric: id, Value: sparkplug.Int64Value(1)}); !errors.Is(err, sparkplug.ErrSession) {
			t.Fatalf("data before birth: err = %v", err)
		}
		if _, err := s.DeviceBirth("oven", t0); !errors.Is(err, sparkplug.ErrSession) {
			t.Fatalf("DBIRTH before NBIRTH: err = %v (tck-id-message-flow-device-birth-publish-nbirth-wait)", err)
		}
	})
	t.Run("tck-id-payloads-alias-data-cmd-requirement", func(t *testing.T) {
		// Also tck-id-payloads-name-birth-data-requirement for DATA. DATA
		// metrics carry their datatype, against the SHOULD NOT of
		// tck-id-payloads-metric-datatype-not-req, for the clients that
		// read values only through it (Eclipse Tahu's JavaScript library).
		s := sparkplugtest.NewEdge(t, 0)
		sparkplugtest.ConnectAndBirth(t, s, t0)
		ids := sparkplugtest.StationMetricIDs(t, s)
		node, _ := s.Lookup("", "Line/Good Count")
		msgs := sparkplugtest.Data(t, s, t0+10,
			sparkplug.Change{Metric: ids[0], Value: sparkplug.Int64Value(1)},
			sparkplug.Change{Metric: node, Value: sparkplug.Int64Value(1), Timestamp: t0 + 9},
			sparkplug.Change{Metric: ids[1], Value: sparkplug.DoubleValue(3.1)})
		if len(msgs) != 2 || msgs[0].Topic.Type != sparkplug.DDATA || msgs[1].Topic.Type != sparkplug.NDATA {
			t.Fatalf("messages %v", msgs)
		}
		for _, msg := range msgs {
			for _, m := range sparkplugtest.Decode(t, msg).Metrics {
				if m.Name != "" || !m.HasAlias || !m.Datatype.ValidMetric() || m.Value.Type() != m.Datatype || m.Timestamp == 0 {
					t.Errorf("%s metric %+v: want alias, datatype and timestamp, no name", msg.Topic, m)
				}
			}
		}
	})
	t.Run("tck-id-payloads-sequence-num-incrementing", func(t *testing.T) {
		// Also tck-id-payloads-ndata-seq-inc, tck-id-payloads-ddata-seq-inc,
		// tck-id-topics-ndata-seq-num and tck-id-topics-ddata-seq-num:
		// seq goes 0..255 and wraps to 0.
		s := sparkplugtest.NewEdge(t, 0)
		_, births := sparkplugtest.ConnectAndBirth(t, s, t0)
		ids := sparkplugtest.StationMetricIDs(t, s)
		node, _ := s.Lookup("", "Line/Good Count")
		want := uint64(len(births))
		for i := 1; i <= 600; i++ {
			id := ids[0]
			if i%3 == 0 {
				id = node
			}
			for _, m := range sparkplugtest.Data(t, s, t0, sparkplug.Change{Metric: id, Value: sparkplug.Int64Value(int64(i))}) {
				p := sparkplugtest.Decode(t, m)
				if !p.HasSeq || p.Seq != want {
					t.Fatalf("message %d seq %d, want %d", i, p.Seq, want)
				}
				want = (want + 1) % 256
			}
		}
	})
	t.Run("tck-id-topics-nbirth-mqtt", func(t *testing.T) {
		// Also tck-id-payloads-nbirth-qos/-retain, tck-id-payloads-dbirth-qos/-retain,
		// tck-id-payloads-ndata-qos/-retain, tck-id-payloads-ddata-qos/-retain and
		// tck-id-topics-ddeath-mqtt: QoS 0, not retained.
		s := sparkplugtest.NewEdge(t, 0)
		_, msgs := sparkplugtest.ConnectAndBirth(t, s, t0)
		ids := sparkplugtest.StationMetricIDs(t, s)
		node, _ := s.Lookup("", "Line/Good Count")
		msgs = append(msgs, sparkplugtest.Data(t, s, t0,
			sparkplug.Change{Metric: ids[0], Value: sparkplug.Int64Value(5)},
			sparkplug.Change{Metric: node, Value: sparkplug.Int64Value(5)})...)
		dd, _ := s.DeviceDeath("oven", t0)
		for _, m := range append(msgs, dd) {
			if m.QoS != 0 || m.Retain {
				t.Errorf("%s QoS %d retain %v", m.Topic, m.QoS, m.Retain)
			}
		}
	})
	t.Run("tck-id-topics-nbirth-topic", func(t *testing.T) {
		// Also the -topic ids of DBIRTH, NDATA, DDATA and DDEATH.
		s := sparkplugtest.NewEdge(t, 0)
		_, msgs := sparkplugtest.ConnectAndBirth(t, s, t0)
		ids := sparkplugtest.StationMetricIDs(t, s)
		node, _ := s.Lookup("", "Line/Good Count")
		msgs = append(msgs, sparkplugtest.Data(t, s, t0,
			sparkplug.Change{Metric: ids[0], Value: sparkplug.Int64Value(5)},
			sparkplug.Change{Metric: node, Value: sparkplug.Int64Value(5)})...)
		dd, _ := s.DeviceDeath("oven", t0)
		msgs = append(msgs, dd)
		want := []string{
			"spBv1.0/Lightsout/NBIRTH/line-1",
			"spBv1.0/Lightsout/DBIRTH/line-1/printer",
			"spBv1.0/Lightsout/DBIRTH/line-1/oven",
			"spBv1.0/Lightsout/DDATA/line-1/printer",
			"spBv1.0/Lightsout/NDATA/line-1",
			"spBv1.0/Lightsout/DDEATH/line-1/oven",
		}
		for i, m := range msgs {
			if m.Topic.String() != want[i] {
				t.Errorf("message %d topic %s, want %s", i, m.Topic, want[i])
			}
		}
	})
	t.Run("tck-id-payloads-ddeath-seq-inc", func(t *testing.T) {
		// Also tck-id-topics-ddeath-seq-num and tck-id-payloads-ddeath-timestamp.
		s := sparkplugtest.NewEdge(t, 0)
		_, births := sparkplugtest.ConnectAndBirth(t, s, t0)
		dd, err := s.DeviceDeath("oven", t0+7)
		if err != nil {
			t.Fatal(err)
		}
		if p := sparkplugtest.Decode(t, dd); !p.HasSeq || p.Seq != uint64(len(births)) || p.Timestamp != t0+7 {
			t.Fatalf("DDEATH %+v", p)
		}
		temp, _ := s.Lookup("oven", "Temperature")
		if _, err := s.Data(t0, sparkplug.Change{Metric: temp, Value: sparkplug.FloatValue(1)}); !errors.Is(err, sparkplug.ErrSession) {
			t.Fatalf("data for a dead device: %v", err)
		}
		db, err := s.DeviceBirth("oven", t0+8)
		if err != nil {
			t.Fatal(err)
		}
		if p := sparkplugtest.Decode(t, db); p.Seq != uint64(len(births))+1 {
			t.Fatalf("DBIRTH after DDEATH seq %d", p.Seq)
		}
		sparkplugtest.Data(t, s, t0, sparkplug.Change{Metric: temp, Value: sparkplug.FloatValue(1)})
	})
	t.Run("tck-id-operational-behavior-data-publish-nbirth-change", func(t *testing.T) {
		// Also -dbirth-change: report by exception, nothing when nothing changed.
		s := sparkplugtest.NewEdge(t, 0)
		sparkplugtest.ConnectAndBirth(t, s, t0)
		ids := sparkplugtest.StationMetricIDs(t, s)
		if msgs := sparkplugtest.Data(t, s, t0, sparkplug.Change{Metric: ids[2], Value: sparkplug.StringValue("Idle")}); len(msgs) != 0 {
			t.Fatalf("unchanged value published: %v", msgs)
		}
		if msgs := sparkplugtest.Data(t, s, t0, sparkplug.Change{Metric: ids[2], Value: sparkplug.StringValue("Execute")}); len(msgs) != 1 {
			t.Fatalf("changed value: %d messages", len(msgs))
		}
		if s.NextSeq() != 4 {
			t.Fatalf("next seq %d, want 4", s.NextSeq())
		}
	})
	t.Run("tck-id-operational-behavior-data-commands-rebirth-action-1", func(t *testing.T) {
		// Also -rebirth-action-2 and -rebirth-action-3: on a rebirth
		// request the node sends NBIRTH (seq 0, same bdSeq) then DBIRTHs,
		// carrying current values, before any more data.
		s := sparkplugtest.NewEdge(t, 9)
		will, _ := sparkplugtest.ConnectAndBirth(t, s, t0)
		ids := sparkplugtest.StationMetricIDs(t, s)
		sparkplugtest.Data(t, s, t0+1, sparkplug.Change{Metric: ids[0], Value: sparkplug.Int64Value(17)})
		note, _ := s.Lookup("", "Line/Note")
		sparkplugtest.Data(t, s, t0+1, sparkplug.Change{Metric: note, Value: sparkplug.StringValue("x")})
		sparkplugtest.Data(t, s, t0+1, sparkplug.Change{Metric: note, Null: true})
		req, err := sparkplug.RebirthRequest(sparkplugtest.Group, sparkplugtest.EdgeNode, t0+2)
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.HandleCommand(req.Topic, sparkplugtest.Decode(t, req), t0+2)
		if err != nil || len(res.Writes) != 0 {
			t.Fatalf("HandleCommand = %+v, %v", res, err)
		}
		if len(res.Messages) != 3 || res.Messages[0].Topic.Type != sparkplug.NBIRTH {
			t.Fatalf("rebirth messages %v", res.Messages)
		}
		nb := sparkplugtest.Decode(t, res.Messages[0])
		willBdSeq := sparkplugtest.MetricNamed(t, sparkplugtest.Decode(t, will), sparkplug.BdSeqMetric).Value
		if nb.Seq != 0 || sparkplugtest.MetricNamed(t, nb, sparkplug.BdSeqMetric).Value != willBdSeq {
			t.Fatalf("rebirth NBIRTH seq %d bdSeq %v", nb.Seq, sparkplugtest.MetricNamed(t, nb, sparkplug.BdSeqMetric).Value)
		}
		if m := sparkplugtest.MetricNamed(t, nb, "Line/Note"); !m.IsNull || !m.Value.IsZero() {
			t.Fatalf("null metric in rebirth: %+v", m)
		}
		db := sparkplugtest.Decode(t, res.Messages[1])
		if db.Seq != 1 || sparkplugtest.MetricNamed(t, db, "Admin/ProdProcessedCount").Value != sparkplug.Int64Value(17) {
			t.Fatalf("rebirth DBIRTH %+v", db)
		}
		if s.NextSeq() != 3 {
			t.Fatalf("next seq after rebirth %d", s.NextSeq())
		}
	})
}

func TestEdgeDefinitionErrors(t *testing.T) {
	if _, err := sparkplug.NewEdgeSession(sparkplug.EdgeConfig{Group: "a+b", EdgeNode: "n"}); !errors.Is(err, sparkplug.ErrInvalidTopic) {
		t.Errorf("bad group: %v", err)
	}
	s := sparkplugtest.NewEdge(t, 0)
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"duplicate node metric", second(s.AddNodeMetric("Line/Good Count", sparkplug.Int64, sparkplug.Value{})), sparkplug.ErrSession},
		{"reserved name", second(s.AddNodeMetric(sparkplug.BdSeqMetric, sparkplug.Int64, sparkplug.Value{})), sparkplug.ErrSession},
		{"unknown device", second(s.AddDeviceMetric("robot", "x", sparkplug.Int64, sparkplug.Value{})), sparkplug.ErrSession},
		{"initial value type", second(s.AddNodeMetric("x", sparkplug.Int64, sparkplug.Int32Value(1))), sparkplug.ErrTypeMismatch},
		{"bad datatype", second(s.AddNodeMetric("y", sparkplug.PropertySet, sparkplug.Value{})), sparkplug.ErrSession},
		{"device id with slash", s.AddDevice("a/b"), sparkplug.ErrInvalidTopic},
		{"duplicate device", s.AddDevice("oven"), sparkplug.ErrSession},
	}
	for _, c := range cases {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, c.err, c.want)
		}
	}
	sparkplugtest.ConnectAndBirth(t, s, t0)
	if _, err := s.AddNodeMetric("late", sparkplug.Int64, sparkplug.Value{}); !errors.Is(err, sparkplug.ErrSession) {
		t.Errorf("node metric after birth: %v", err)
	}
	if _, err := s.AddDeviceMetric("oven", "late", sparkplug.Int64, sparkplug.Value{}); !errors.Is(err, sparkplug.ErrSession) {
		t.Errorf("device metric after DBIRTH: %v", err)
	}
	// A device added after the NBIRTH gets its own DBIRTH.
	if err := s.AddDevice("robot"); err != nil {
		t.Fatal(err)
	}
	id, err := s.AddDeviceMetric("robot", "Cycles", sparkplug.UInt32, sparkplug.UInt32Value(0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Data(t0, sparkplug.Change{Metric: id, Value: sparkplug.UInt32Value(1)}); !errors.Is(err, sparkplug.ErrSession) {
		t.Errorf("data before DBIRTH: %v", err)
	}
	if _, err := s.DeviceBirth("robot", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Data(t0, sparkplug.Change{Metric: id, Value: sparkplug.Int32Value(1)}); !errors.Is(err, sparkplug.ErrTypeMismatch) {
		t.Errorf("wrong value type: %v", err)
	}
	sparkplugtest.Data(t, s, t0, sparkplug.Change{Metric: id, Value: sparkplug.UInt32Value(1)})
}

func second[T any](_ T, err error) error { return err }
