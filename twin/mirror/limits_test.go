package mirror_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// nodeBirth returns an NBIRTH payload with bdSeq, the rebirth metric and
// extra Int64 metrics.
func nodeBirth(tb testing.TB, extra int) []byte {
	tb.Helper()
	p := sparkplug.Payload{Timestamp: twintest.Epoch, Seq: 0, HasSeq: true, Metrics: []sparkplug.Metric{
		{Name: sparkplug.BdSeqMetric, Datatype: sparkplug.Int64, Value: sparkplug.Int64Value(0)},
		{Name: sparkplug.RebirthMetric, Datatype: sparkplug.Boolean, Value: sparkplug.BooleanValue(false)},
	}}
	for i := range extra {
		p.Metrics = append(p.Metrics, sparkplug.Metric{Name: fmt.Sprint("m", i), Datatype: sparkplug.Int64, Value: sparkplug.Int64Value(1)})
	}
	b, err := sparkplug.Marshal(&p)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// evictions is an observer that keeps the nodes the mirror forgot.
type evictions struct{ nodes []string }

func (e *evictions) Observe(u *mirror.Update) {
	if u.Event == mirror.EventEvicted {
		e.nodes = append(e.nodes, u.Topic.Group+"/"+u.Topic.EdgeNode)
	}
}

// A node silent for longer than EvictAfter is forgotten at the next
// message: the mirror, its counters and its observers; it comes back as a
// node joining.
func TestMirrorEvictsSilentNodes(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 1)
	h := l.MustHost(twintest.HostConfig{Mirror: mirror.Config{EvictAfter: 30 * time.Minute}})
	var ev evictions
	h.Mirror.Observe(&ev)
	l.Birth()
	l.Run(sim.Minute, 2*sim.Second, nil)
	node := l.NodeID(0)
	l.Pass(29 * sim.Minute) // silent, but not for long enough
	h.Mirror.Receive("spBv1.0/g/NDATA/other", nil)
	if len(ev.nodes) != 0 {
		t.Fatalf("evicted %v after 29 minutes of silence", ev.nodes)
	}
	l.Pass(2 * sim.Minute)
	h.Mirror.Receive("spBv1.0/g/NDATA/other", nil)
	v := h.Mirror.View()
	if len(ev.nodes) != 1 || ev.nodes[0] != "g/"+node {
		t.Fatalf("evicted %v, want g/%s", ev.nodes, node)
	}
	if _, ok := v.Node("g", node); ok || v.Messages("g", node) != 0 || v.Stats.Evicted != 1 {
		t.Fatalf("the silent node is still mirrored (%d messages counted, stats %+v)", v.Messages("g", node), v.Stats)
	}
	if tree, kpis := h.Monitor.TreeAndKPIs(&v); len(kpis.Lines) != 0 || len(tree.Areas) != 0 {
		t.Fatalf("the monitor still shows the node: %+v", kpis.Lines)
	}
	// It speaks again: the mirror asks for its births and mirrors it anew.
	msgs := l.Step(2 * sim.Second)
	req := h.Mirror.Receive(msgs[0].Topic.String(), msgs[0].Payload)
	if req == nil || req.Topic.EdgeNode != node {
		t.Fatalf("data of the evicted node asked for %v, want a rebirth", req)
	}
	l.Command(*req)
	v = h.Mirror.View()
	if n, ok := v.Node("g", node); !ok || !n.Online {
		t.Fatalf("the node after its rebirth: %+v", n)
	}
}

// After a broker restart, a mirror that knew thousands of nodes sends a
// bounded number of rebirth requests: the audit saw 27,028.
func TestMirrorRebirthAllIsBounded(t *testing.T) {
	clock := twintest.NewClock(time.UnixMilli(twintest.Epoch))
	m, err := mirror.New(mirror.Config{HostID: "h", Now: clock.Now, Limits: host.Config{MaxNodes: 10_000}})
	if err != nil {
		t.Fatal(err)
	}
	b := nodeBirth(t, 0)
	for k := range 5000 {
		m.Receive(fmt.Sprintf("spBv1.0/g/NBIRTH/stale-%d", k), b)
	}
	m.ConnectionLost()
	clock.Add(time.Minute)
	_, rebirths, err := m.Online()
	if err != nil {
		t.Fatal(err)
	}
	st := m.View().Stats
	if len(rebirths) != host.DefaultRebirthBurst || st.RebirthsSuppressed != 5000-host.DefaultRebirthBurst {
		t.Fatalf("%d rebirth requests, stats %+v; want %d", len(rebirths), st, host.DefaultRebirthBurst)
	}
	// The budget refills at the rate: ten a second.
	clock.Add(2 * time.Second)
	_, rebirths, _ = m.Online()
	if len(rebirths) != 20 {
		t.Fatalf("%d rebirth requests 2 s later, want 20", len(rebirths))
	}
}

// Messages the mirror refuses at a limit are counted and leave nothing
// behind: no node, no counter.
func TestMirrorRefusesOverLimits(t *testing.T) {
	m, err := mirror.New(mirror.Config{HostID: "h", Limits: host.Config{MaxNodes: 2, MaxPayload: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	b := nodeBirth(t, 0)
	for _, n := range []string{"a", "b", "c"} {
		m.Receive("spBv1.0/g/NBIRTH/"+n, b)
	}
	m.Receive("spBv1.0/g/NBIRTH/a", nodeBirth(t, 100))
	v := m.View()
	if v.Stats.NodeLimit != 1 || v.Stats.PayloadLimit != 1 || len(v.Nodes) != 2 || v.Messages("g", "c") != 0 {
		t.Fatalf("stats %+v, %d nodes, %d messages of c", v.Stats, len(v.Nodes), v.Messages("g", "c"))
	}
	if !strings.Contains(v.LastError, "spBv1.0/g/NBIRTH/a refused: payload of") {
		t.Fatalf("last error %q", v.LastError)
	}
	if n, _ := v.Node("g", "a"); n.Online || !n.Refused {
		t.Fatalf("node a after a birth over the limit: %+v", n)
	}
}

func TestNewRejectsBadLimits(t *testing.T) {
	_, err := mirror.New(mirror.Config{HostID: "h", Limits: host.Config{MaxNodes: -1, MaxPayload: -5}})
	if err == nil || !strings.Contains(err.Error(), "max nodes -1") || !strings.Contains(err.Error(), "max payload -5") {
		t.Fatalf("err = %v", err)
	}
	m, err := mirror.New(mirror.Config{HostID: "h"})
	if err != nil {
		t.Fatal(err)
	}
	if c := m.Config(); c.EvictAfter != mirror.DefaultEvictAfter || c.Limits.MaxNodes != host.DefaultMaxNodes {
		t.Fatalf("defaults %+v", c)
	}
}
