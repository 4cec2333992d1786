package host

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/sparkplugtest"
)

// birthOf returns an NBIRTH payload with bdSeq, the rebirth metric and
// extra Int64 metrics m0, m1 ...
func birthOf(extra int) *sparkplug.Payload {
	p := &sparkplug.Payload{Timestamp: t0, Seq: 0, HasSeq: true, Metrics: []sparkplug.Metric{
		{Name: sparkplug.BdSeqMetric, Datatype: sparkplug.Int64, Value: sparkplug.Int64Value(0)},
		{Name: sparkplug.RebirthMetric, Datatype: sparkplug.Boolean, Value: sparkplug.BooleanValue(false)},
	}}
	for i := range extra {
		p.Metrics = append(p.Metrics, sparkplug.Metric{Name: fmt.Sprintf("m%d", i), Alias: uint64(i + 1), HasAlias: true,
			Datatype: sparkplug.Int64, Value: sparkplug.Int64Value(int64(i))})
	}
	return p
}

// receive hands one message to h, encoding p for topic t.
func receive(tb testing.TB, h *Session, t sparkplug.Topic, p *sparkplug.Payload, now uint64) (Action, error) {
	tb.Helper()
	return h.Receive(t.String(), sparkplugtest.Marshal(tb, p), now)
}

// recount returns the size of what h mirrors, counted afresh, and fails
// the test if it differs from what h keeps up to date.
func recount(tb testing.TB, h *Session) Size {
	tb.Helper()
	var s Size
	for k, n := range h.nodes {
		s.Nodes++
		s.Bytes += costOfNode(k)
		for _, m := range n.byName {
			s.Metrics++
			s.Bytes += costOfMetric(m.name, m.value)
		}
		for _, d := range n.devices {
			s.Devices++
			s.Bytes += deviceCost + int64(len(d.id))
			for _, m := range d.byName {
				s.Metrics++
				s.Bytes += costOfMetric(m.name, m.value)
			}
		}
	}
	if got := h.Size(); got != s {
		tb.Fatalf("Size() = %+v, counted %+v", got, s)
	}
	return s
}

// wantLimit fails the test unless err is a LimitError at l.
func wantLimit(tb testing.TB, err error, l Limit) {
	tb.Helper()
	var le *LimitError
	if !errors.Is(err, ErrLimit) || !errors.As(err, &le) || le.Limit != l {
		tb.Fatalf("err = %v, want a %v LimitError", err, l)
	}
}

func TestHostPayloadLimit(t *testing.T) {
	// The audit: a single 20 MB NBIRTH was accepted.
	big := birthOf(0)
	big.Metrics = append(big.Metrics, sparkplug.Metric{Name: "blob", Datatype: sparkplug.String, Value: sparkplug.StringValue(strings.Repeat("x", 20<<20))})
	h := NewSession(Config{})
	_, err := receive(t, h, sparkplug.NodeTopic(testGroup, sparkplug.NBIRTH, testNode), big, t0)
	wantLimit(t, err, LimitPayload)
	if !strings.Contains(err.Error(), "payload of 20971") || !strings.Contains(err.Error(), "limit of 1048576") {
		t.Fatalf("error %q does not say the size and the limit", err)
	}
	if st := h.Stats(); st.PayloadLimit != 1 || st.Hits(LimitPayload) != 1 || st.Messages != 1 {
		t.Fatalf("stats %+v", st)
	}
	if s := recount(t, h); s.Nodes != 0 || cap(h.buf.Metrics) != 0 {
		t.Fatalf("a refused payload left %+v and a decode buffer of %d metrics", s, cap(h.buf.Metrics))
	}

	// A node the host knows: the refused birth leaves it refused; its data
	// is dropped without asking for the same birth again, until an NBIRTH
	// within the limits.
	edge, h, _ := bornPair(t)
	_, err = receive(t, h, sparkplug.NodeTopic(testGroup, sparkplug.NBIRTH, testNode), big, t0+1)
	wantLimit(t, err, LimitPayload)
	if n, _ := h.Node(testGroup, testNode); n.Online || !n.Stale || !n.Refused {
		t.Fatalf("node after a refused birth: %+v", n)
	}
	ids := sparkplugtest.StationMetricIDs(t, edge)
	for i := range 3 {
		m := sparkplugtest.Data(t, edge, t0+2+uint64(i)*10_000, sparkplug.Change{Metric: ids[0], Value: sparkplug.Int64Value(int64(i + 1))})[0]
		if act, err := h.Receive(m.Topic.String(), m.Payload, t0+2+uint64(i)*10_000); act.Kind != ActionNone || err != nil {
			t.Fatalf("data of a refused node: %v, %v", act.Kind, err)
		}
	}
	if st := h.Stats(); st.Dropped != 3 || st.RebirthRequests != 0 {
		t.Fatalf("stats %+v", st)
	}
	births, _ := edge.Rebirth(t0 + 40_000)
	deliver(t, h, t0+40_000, births...)
	if n, _ := h.Node(testGroup, testNode); !n.Online || n.Refused {
		t.Fatalf("node after a birth within the limits: %+v", n)
	}
	recount(t, h)
}

func TestHostMetricLimit(t *testing.T) {
	h := NewSession(Config{MaxMetrics: 10})
	_, err := receive(t, h, sparkplug.NodeTopic(testGroup, sparkplug.NBIRTH, testNode), birthOf(9), t0)
	wantLimit(t, err, LimitMetrics)
	if cap(h.buf.Metrics) != 0 {
		t.Fatalf("the birth over the limit was decoded (%d metrics)", cap(h.buf.Metrics))
	}
	if _, err := receive(t, h, sparkplug.NodeTopic(testGroup, sparkplug.NBIRTH, testNode), birthOf(8), t0); err != nil {
		t.Fatal(err)
	}
	// Apply, given a decoded payload, checks too.
	_, err = h.Apply(sparkplug.NodeTopic(testGroup, sparkplug.NBIRTH, testNode), birthOf(20), t0)
	wantLimit(t, err, LimitMetrics)
	if n, _ := h.Node(testGroup, testNode); !n.Refused || n.Online {
		t.Fatalf("node after a birth over the limit: %+v", n)
	}
	if st := h.Stats(); st.MetricLimit != 2 {
		t.Fatalf("stats %+v", st)
	}
	recount(t, h)
}

func TestHostNodeLimit(t *testing.T) {
	h := NewSession(Config{MaxNodes: 3})
	for k := range 3 {
		if _, err := receive(t, h, sparkplug.NodeTopic(testGroup, sparkplug.NBIRTH, fmt.Sprint("n", k)), birthOf(1), t0); err != nil {
			t.Fatal(err)
		}
	}
	_, err := receive(t, h, sparkplug.NodeTopic(testGroup, sparkplug.NBIRTH, "n3"), birthOf(1), t0)
	wantLimit(t, err, LimitNodes)
	act, err := receive(t, h, sparkplug.NodeTopic(testGroup, sparkplug.NDATA, "made-up"), &sparkplug.Payload{Seq: 1, HasSeq: true}, t0)
	wantLimit(t, err, LimitNodes)
	if act.Kind != ActionNone || recount(t, h).Nodes != 3 || h.Stats().NodeLimit != 2 {
		t.Fatalf("action %v, stats %+v", act.Kind, h.Stats())
	}

	// A node that holds nothing (heard of, never born) gives its place.
	h = NewSession(Config{MaxNodes: 3})
	receive(t, h, sparkplug.NodeTopic(testGroup, sparkplug.NDATA, "unborn"), &sparkplug.Payload{Seq: 1, HasSeq: true}, t0)
	for k := range 2 {
		receive(t, h, sparkplug.NodeTopic(testGroup, sparkplug.NBIRTH, fmt.Sprint("n", k)), birthOf(1), t0)
	}
	if _, err := receive(t, h, sparkplug.NodeTopic(testGroup, sparkplug.NBIRTH, "late"), birthOf(1), t0); err != nil {
		t.Fatalf("a born node was refused for one that holds nothing: %v", err)
	}
	if got := h.Removed(nil); len(got) != 1 || got[0] != (NodeID{testGroup, "unborn"}) || h.Stats().Evicted != 1 {
		t.Fatalf("removed %v, stats %+v", got, h.Stats())
	}
	if _, ok := h.Node(testGroup, "unborn"); ok || recount(t, h).Nodes != 3 {
		t.Fatal("the unborn node is still there")
	}
}

func TestHostDeviceLimit(t *testing.T) {
	h := NewSession(Config{MaxDevices: 2})
	receive(t, h, sparkplug.NodeTopic(testGroup, sparkplug.NBIRTH, testNode), birthOf(0), t0)
	dev := func(seq uint64, id string) error {
		_, err := receive(t, h, sparkplug.DeviceTopic(testGroup, sparkplug.DBIRTH, testNode, id), &sparkplug.Payload{Seq: seq, HasSeq: true,
			Metrics: []sparkplug.Metric{{Name: "v", Datatype: sparkplug.Int32, Value: sparkplug.Int32Value(1)}}}, t0)
		return err
	}
	if err := errors.Join(dev(1, "a"), dev(2, "b"), dev(3, "a")); err != nil {
		t.Fatal(err)
	}
	wantLimit(t, dev(4, "c"), LimitDevices)
	if n, _ := h.Node(testGroup, testNode); !n.Refused || len(n.Devices) != 2 {
		t.Fatalf("node after a device too many: %+v", n)
	}
	if s := recount(t, h); s.Devices != 2 || h.Stats().DeviceLimit != 1 {
		t.Fatalf("size %+v, stats %+v", s, h.Stats())
	}
}

func TestHostMemoryLimit(t *testing.T) {
	h := NewSession(Config{MaxBytes: 4000})
	_, err := receive(t, h, sparkplug.NodeTopic(testGroup, sparkplug.NBIRTH, testNode), birthOf(20), t0)
	wantLimit(t, err, LimitMemory)
	if s := recount(t, h); s.Bytes > 4000 || s.Metrics != 0 {
		t.Fatalf("size %+v over the limit", s)
	}
	// Data that would grow a string metric over the limit is refused; the
	// sequence goes on.
	p := birthOf(0)
	p.Metrics = append(p.Metrics, sparkplug.Metric{Name: "s", Alias: 7, HasAlias: true, Datatype: sparkplug.String, Value: sparkplug.StringValue("x")})
	if _, err := receive(t, h, sparkplug.NodeTopic(testGroup, sparkplug.NBIRTH, testNode), p, t0); err != nil {
		t.Fatal(err)
	}
	grow := func(seq uint64, s string) (Action, error) {
		return receive(t, h, sparkplug.NodeTopic(testGroup, sparkplug.NDATA, testNode), &sparkplug.Payload{Seq: seq, HasSeq: true,
			Metrics: []sparkplug.Metric{{Alias: 7, HasAlias: true, Value: sparkplug.StringValue(s)}}}, t0)
	}
	act, err := grow(1, strings.Repeat("y", 4000))
	wantLimit(t, err, LimitMemory)
	if act.Kind != ActionNone {
		t.Fatal("a refused update asked for a rebirth")
	}
	if act, err := grow(2, "short"); err != nil || act.Kind != ActionNone {
		t.Fatalf("the next data: %v, %v", act.Kind, err)
	}
	if m, _ := h.Metric(testGroup, testNode, "", "s"); m.Value != sparkplug.StringValue("short") {
		t.Fatalf("metric %+v", m)
	}
	if s := recount(t, h); s.Bytes > 4000 || h.Stats().MemoryLimit != 2 {
		t.Fatalf("size %+v, stats %+v", s, h.Stats())
	}
}

func TestHostRebirthBudget(t *testing.T) {
	// The audit: every made-up node name cost one NCMD, and 27,028 went out
	// after one broker restart.
	h := NewSession(Config{})
	requests := 0
	for k := range 20_000 {
		act, _ := receive(t, h, sparkplug.NodeTopic(testGroup, sparkplug.NDATA, fmt.Sprint("made-up-", k)), &sparkplug.Payload{Seq: 1, HasSeq: true}, t0)
		if act.Kind == ActionRebirth {
			requests++
		}
	}
	if requests != DefaultRebirthBurst || h.Stats().RebirthsSuppressed != 20_000-DefaultRebirthBurst {
		t.Fatalf("%d rebirth requests, stats %+v; want %d", requests, h.Stats(), DefaultRebirthBurst)
	}
	if s := recount(t, h); s.Nodes != DefaultMaxNodes {
		t.Fatalf("size %+v", s)
	}
	// The budget refills at the rate: 10 s later, 100 more.
	h.ConnectionLost(t0 + 5000)
	if got := len(h.RebirthAll(t0 + 10_000)); got != DefaultRebirthBurst {
		t.Fatalf("RebirthAll after a reconnect: %d requests, want %d", got, DefaultRebirthBurst)
	}
	if got := len(h.RebirthAll(t0 + 11_000)); got != 10 {
		t.Fatalf("RebirthAll a second later: %d requests, want 10", got)
	}
}

func TestHostEvictIdle(t *testing.T) {
	const hour = 3_600_000
	edge, h, _ := bornPair(t)
	receive(t, h, sparkplug.NodeTopic(testGroup, sparkplug.NBIRTH, "busy"), birthOf(3), t0+hour)
	if n := h.EvictIdle(t0+hour, hour+1); n != 0 {
		t.Fatalf("evicted %d nodes heard within the time", n)
	}
	if n := h.EvictIdle(t0+hour, hour); n != 1 {
		t.Fatalf("evicted %d nodes, want the one silent for an hour", n)
	}
	if got := h.Removed(nil); len(got) != 1 || got[0] != (NodeID{testGroup, testNode}) {
		t.Fatalf("removed %v", got)
	}
	if _, ok := h.Node(testGroup, testNode); ok {
		t.Fatal("the silent node is still mirrored")
	}
	if s := recount(t, h); s.Nodes != 1 || s.Devices != 0 || s.Metrics != 5 {
		t.Fatalf("size %+v", s)
	}
	// It comes back: a join, as for a node never seen.
	ids := sparkplugtest.StationMetricIDs(t, edge)
	m := sparkplugtest.Data(t, edge, t0+hour+1, sparkplug.Change{Metric: ids[0], Value: sparkplug.Int64Value(1)})[0]
	if act, err := h.Receive(m.Topic.String(), m.Payload, t0+hour+1); act.Kind != ActionRebirth || !errors.Is(err, sparkplug.ErrNotBorn) {
		t.Fatalf("data of the evicted node: %v, %v", act.Kind, err)
	}
	if st := h.Stats(); st.Evicted != 1 || st.Joins != 1 {
		t.Fatalf("stats %+v", st)
	}
}

// TestHostSizeEstimate checks the estimate MaxBytes bounds against the
// heap: never below it, at most twice it.
func TestHostSizeEstimate(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap")
	}
	for _, c := range []struct{ nodes, devices, metrics int }{{2000, 0, 0}, {100, 100, 0}, {100, 10, 100}, {100, 0, 1000}} {
		var msgs []sparkplug.Message
		for k := range c.nodes {
			node := fmt.Sprintf("node-%d", k)
			msgs = append(msgs, sparkplug.Message{Topic: sparkplug.NodeTopic("g", sparkplug.NBIRTH, node), Payload: sparkplugtest.Marshal(t, birthOf(c.metrics))})
			for d := range c.devices {
				msgs = append(msgs, sparkplug.Message{Topic: sparkplug.DeviceTopic("g", sparkplug.DBIRTH, node, fmt.Sprintf("dev-%d", d)),
					Payload: sparkplugtest.Marshal(t, &sparkplug.Payload{Timestamp: t0, Seq: uint64(d + 1), HasSeq: true})})
			}
		}
		h := NewSession(Config{MaxNodes: 1 << 20, MaxDevices: 1 << 20, MaxBytes: 1 << 40})
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for _, m := range msgs {
			if _, err := h.Receive(m.Topic.String(), m.Payload, t0); err != nil {
				t.Fatal(err)
			}
		}
		h.buf = sparkplug.Payload{}
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap, est := int64(after.HeapAlloc)-int64(before.HeapAlloc), recount(t, h).Bytes
		if heap > est || est > 2*heap {
			t.Errorf("%d nodes x %d devices, %d metrics each: heap %d bytes, estimate %d", c.nodes, c.devices, c.metrics, heap, est)
		}
		runtime.KeepAlive(msgs)
	}
}

func TestHostConfigValidate(t *testing.T) {
	err := Config{MaxNodes: -1, RebirthRate: -2}.Validate()
	if err == nil || !strings.Contains(err.Error(), "max nodes -1") || !strings.Contains(err.Error(), "rebirth rate -2") {
		t.Fatalf("err = %v, want both problems", err)
	}
	if got := (Config{}).WithDefaults(); got.MaxPayload != DefaultMaxPayload || got.MaxBytes != DefaultMaxBytes || got.RebirthRate != DefaultRebirthRate {
		t.Fatalf("defaults %+v", got)
	}
}
