package monitor

import (
	"fmt"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
)

// evictRig is a mirror with a monitor observing it, on a clock the test
// moves, and an edge node "n1" with one device, born.
type evictRig struct {
	now  time.Time
	m    *mirror.Mirror
	mon  *Monitor
	edge *sparkplug.EdgeSession
}

func newEvictRig(t *testing.T, limits host.Config) *evictRig {
	t.Helper()
	r := &evictRig{now: time.UnixMilli(1_700_000_000_000)}
	var err error
	r.m, err = mirror.New(mirror.Config{HostID: "h", Now: func() time.Time { return r.now }, Limits: limits, EvictAfter: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if r.mon, err = New(Config{}); err != nil {
		t.Fatal(err)
	}
	r.m.Observe(r.mon)
	if r.edge, err = sparkplug.NewEdgeSession(sparkplug.EdgeConfig{Group: "g", EdgeNode: "n1"}); err != nil {
		t.Fatal(err)
	}
	if err := r.edge.AddDevice("st"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.edge.AddDeviceMetric("st", packml.MetricState, sparkplug.String, sparkplug.StringValue("Execute")); err != nil {
		t.Fatal(err)
	}
	ms := uint64(r.now.UnixMilli())
	if _, err := r.edge.Connect(ms); err != nil {
		t.Fatal(err)
	}
	births, err := r.edge.Birth(ms)
	if err != nil {
		t.Fatal(err)
	}
	r.deliver(births...)
	return r
}

func (r *evictRig) deliver(msgs ...sparkplug.Message) {
	for _, m := range msgs {
		r.m.Receive(m.Topic.String(), m.Payload)
	}
}

// The monitor forgets what it kept of a node the mirror evicted: its
// track, its detectors' state and its fault count.
func TestEvictedNodesAreForgotten(t *testing.T) {
	r := newEvictRig(t, host.Config{})
	r.m.Receive("spBv1.0/g/NDATA/n1", []byte{0xff}) // a fault of n1
	r.now = r.now.Add(time.Minute)
	v := r.m.View()
	r.mon.CheckStale(&v, r.now) // silent for a minute: stale
	if r.mon.track.lines[nodeKey{"g", "n1"}] == nil || r.mon.watch.nodes[nodeKey{"g", "n1"}] == nil ||
		r.mon.watch.faults.Count("g/n1") != 1 || !r.mon.watch.stale.IsStale("g/n1") {
		t.Fatal("the rig did not give the monitor a track, a fault and a stale node")
	}
	r.now = r.now.Add(time.Hour)
	r.m.Receive("spBv1.0/g/NDATA/n2", nil)
	if r.mon.track.lines[nodeKey{"g", "n1"}] != nil || r.mon.watch.nodes[nodeKey{"g", "n1"}] != nil ||
		r.mon.watch.faults.Count("g/n1") != 0 || r.mon.watch.stale.IsStale("g/n1") {
		t.Fatal("the monitor still keeps the evicted node")
	}
}

// Made-up node names, refused at the mirror's limit, leave nothing in the
// monitor: their faults share one key.
func TestMadeUpNodesDoNotGrowTheMonitor(t *testing.T) {
	r := newEvictRig(t, host.Config{MaxNodes: 10})
	b, err := sparkplug.Marshal(&sparkplug.Payload{Seq: 1, HasSeq: true, Metrics: []sparkplug.Metric{
		{Name: sparkplug.BdSeqMetric, Datatype: sparkplug.Int64, Value: sparkplug.Int64Value(0)},
		{Name: sparkplug.RebirthMetric, Datatype: sparkplug.Boolean, Value: sparkplug.BooleanValue(false)}}})
	if err != nil {
		t.Fatal(err)
	}
	for k := range 5000 {
		r.m.Receive(fmt.Sprintf("spBv1.0/g/NBIRTH/made-up-%d", k), b)
		r.m.Receive(fmt.Sprintf("spBv1.0/g/NDATA/other-%d", k), []byte{0xff})
	}
	if n := len(r.mon.watch.nodes); n > 10 {
		t.Fatalf("the detectors keep %d nodes, the mirror at most 10", n)
	}
	if n := len(r.mon.track.lines); n > 10 {
		t.Fatalf("the tracks keep %d nodes, the mirror at most 10", n)
	}
	if r.mon.watch.faults.Count(unknownNodes) == 0 {
		t.Fatal("the refused messages were not counted as faults")
	}
}
