package mirror_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/monitor"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// fuzzLimits are small limits, so that a short script crosses them all.
var fuzzLimits = host.Config{MaxPayload: 2048, MaxNodes: 5, MaxDevices: 3, MaxMetrics: 8, MaxBytes: 48 << 10,
	RebirthBurst: 4, RebirthRate: 1}

// A fuzzFeed turns a script of bytes into messages for a mirror: each
// message takes an op byte and two argument bytes (what the op does with
// them is in next), and for raw payloads a length byte and as many bytes.
// Node and device ids come from a few more names than the limits admit.
type fuzzFeed struct {
	script []byte
	clock  *twintest.Clock
	seq    map[string]uint64
}

// byte returns the next byte of the script, 0 once it is used up.
func (f *fuzzFeed) byte() byte {
	if len(f.script) == 0 {
		return 0
	}
	b := f.script[0]
	f.script = f.script[1:]
	return b
}

// payload encodes p with the node's next seq, as an edge node would.
func (f *fuzzFeed) payload(node string, p sparkplug.Payload, seq bool) []byte {
	if seq {
		p.Seq, p.HasSeq = f.seq[node]%256, true
		f.seq[node]++
	}
	b, _ := sparkplug.Marshal(&p)
	return b
}

// metrics returns n Int64 metrics, named and aliased m0, m1 ... or by
// alias only, and a string metric s of size bytes when size is set.
func metrics(n int, named bool, size int) []sparkplug.Metric {
	var out []sparkplug.Metric
	for i := range n {
		m := sparkplug.Metric{Alias: uint64(i + 1), HasAlias: true, Datatype: sparkplug.Int64, Value: sparkplug.Int64Value(int64(i))}
		if named {
			m.Name = fmt.Sprint("m", i)
		}
		out = append(out, m)
	}
	if size > 0 {
		out = append(out, sparkplug.Metric{Name: "s", Datatype: sparkplug.String, Value: sparkplug.StringValue(strings.Repeat("x", size))})
	}
	return out
}

// next returns the next message of the script, false at its end.
func (f *fuzzFeed) next() (topic string, payload []byte, ok bool) {
	if len(f.script) == 0 {
		return "", nil, false
	}
	op, a, b := f.byte(), f.byte(), f.byte()
	node, dev := fmt.Sprint("n", a%8), fmt.Sprint("d", b%5)
	nt := func(t sparkplug.MessageType) string { return sparkplug.NodeTopic("g", t, node).String() }
	dt := func(t sparkplug.MessageType) string { return sparkplug.DeviceTopic("g", t, node, dev).String() }
	switch op % 10 {
	case 0: // an NBIRTH, with its bdSeq or not, of up to 12 metrics
		f.seq[node] = 0
		p := sparkplug.Payload{Metrics: metrics(int(b%13), true, 0)}
		if a&0x80 == 0 {
			p.Metrics = append(p.Metrics, sparkplug.Metric{Name: sparkplug.BdSeqMetric, Datatype: sparkplug.Int64, Value: sparkplug.Int64Value(0)})
		}
		p.Metrics = append(p.Metrics, sparkplug.Metric{Name: sparkplug.RebirthMetric, Datatype: sparkplug.Boolean, Value: sparkplug.BooleanValue(false)})
		return nt(sparkplug.NBIRTH), f.payload(node, p, true), true
	case 1: // a DBIRTH, a string metric of up to 2.5 kB in it
		return dt(sparkplug.DBIRTH), f.payload(node, sparkplug.Payload{Metrics: metrics(int(a%10), true, int(b)*10)}, true), true
	case 2:
		return nt(sparkplug.NDATA), f.payload(node, sparkplug.Payload{Metrics: metrics(int(b%4), false, 0)}, true), true
	case 3:
		return dt(sparkplug.DDATA), f.payload(node, sparkplug.Payload{Metrics: metrics(int(a%3), false, 0)}, true), true
	case 4:
		return nt(sparkplug.NDEATH), f.payload(node, sparkplug.Payload{Metrics: []sparkplug.Metric{
			{Name: sparkplug.BdSeqMetric, Datatype: sparkplug.Int64, Value: sparkplug.Int64Value(0)}}}, false), true
	case 5:
		return dt(sparkplug.DDEATH), f.payload(node, sparkplug.Payload{}, true), true
	case 6: // a raw payload on any topic type
		raw := make([]byte, int(f.byte()))
		for i := range raw {
			raw[i] = f.byte()
		}
		typ := sparkplug.MessageType(b%8 + 1)
		if typ.IsDevice() {
			return dt(typ), raw, true
		}
		return nt(typ), raw, true
	case 7:
		return fmt.Sprintf("spBv1.0/%c/x/%c", a, b), []byte{a, b}, true
	case 8:
		return "spBv1.0/STATE/" + node, []byte(`{"online":true,"timestamp":1}`), true
	default: // time passes
		f.clock.Add(time.Duration(a) * 10 * time.Second)
		return nt(sparkplug.NDATA), nil, true
	}
}

// checkLimits fails the test when the mirror holds more than its limits
// allow, or when its size does not add up.
func checkLimits(t *testing.T, v *mirror.View, l host.Config) {
	t.Helper()
	var s host.Size
	for _, n := range v.Nodes {
		s.Nodes++
		s.Metrics += len(n.Metrics)
		if len(n.Devices) > l.MaxDevices || len(n.Metrics) > l.MaxMetrics {
			t.Fatalf("node %s: %d devices, %d metrics", n.EdgeNode, len(n.Devices), len(n.Metrics))
		}
		for _, d := range n.Devices {
			s.Devices++
			s.Metrics += len(d.Metrics)
			if len(d.Metrics) > l.MaxMetrics {
				t.Fatalf("device %s/%s: %d metrics", n.EdgeNode, d.ID, len(d.Metrics))
			}
		}
	}
	if s.Nodes > l.MaxNodes || v.Size.Bytes > l.MaxBytes {
		t.Fatalf("%d nodes, %d bytes: over the limits", s.Nodes, v.Size.Bytes)
	}
	if s.Bytes = v.Size.Bytes; s != v.Size {
		t.Fatalf("size %+v, counted %+v", v.Size, s)
	}
}

// FuzzMirrorReceive feeds a mirror with small limits, and the monitor
// that follows it, with scripts of births, data, deaths, raw payloads,
// bad topics and silences. Nothing panics, and what the mirror holds
// stays within its limits.
func FuzzMirrorReceive(f *testing.F) {
	f.Add([]byte{0, 1, 3, 1, 1, 5, 2, 1, 2, 3, 1, 1})
	f.Add([]byte{0, 0, 12, 0, 1, 12, 0, 2, 12, 0, 3, 12, 0, 4, 12, 0, 5, 12, 0, 6, 12})
	f.Add([]byte{0, 0, 0, 1, 0, 250, 1, 0, 251, 1, 0, 252, 1, 0, 253, 9, 255, 0, 2, 0, 0})
	f.Add([]byte{6, 0, 3, 4, 0x12, 0x02, 0x0a, 0x00, 7, '+', '#', 8, 0, 0, 4, 0, 0, 5, 0, 0})
	f.Fuzz(func(t *testing.T, script []byte) {
		clock := twintest.NewClock(time.UnixMilli(twintest.Epoch))
		m, err := mirror.New(mirror.Config{HostID: "h", Now: clock.Now, Limits: fuzzLimits, EvictAfter: 10 * time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		mon, err := monitor.New(monitor.Config{})
		if err != nil {
			t.Fatal(err)
		}
		m.Observe(mon)
		feed := &fuzzFeed{script: script, clock: clock, seq: map[string]uint64{}}
		for {
			topic, payload, ok := feed.next()
			if !ok {
				break
			}
			m.Receive(topic, payload)
			clock.Add(time.Second)
			v := m.View()
			checkLimits(t, &v, fuzzLimits)
			mon.TreeAndKPIs(&v)
		}
	})
}
