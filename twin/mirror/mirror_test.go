package mirror_test

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// A minute of demo-line is recorded line by line as the mirror receives
// it, and mirrored: the node online with fresh devices until its Will
// marks them all stale.
func TestRecordAndView(t *testing.T) {
	var rec bytes.Buffer
	l := twintest.MustLine(t, "demo-line", 3)
	m := l.MustMirror(mirror.Config{Record: &rec})
	l.Birth()
	l.Run(sim.Minute, 2*sim.Second, nil)

	v := m.View()
	node := l.NodeID(0)
	sent := uint64(l.Delivered)
	if v.Received != sent || v.Messages("g", node) != sent || m.NodeMessages("g", node) != sent ||
		v.Stats.ProtocolErrors != 0 || v.LastError != "" {
		t.Fatalf("received %d (node %d) of %d, stats %+v (last error %q)", v.Received, v.Messages("g", node), sent, v.Stats, v.LastError)
	}
	rr := mirror.NewRecordingReader(&rec)
	lines := 0
	for {
		r, err := rr.Next()
		if err == io.EOF {
			break
		}
		if err != nil || r.Topic == "" || len(r.Payload) == 0 || r.Event != "" {
			t.Fatalf("line %d %+v: %v", lines+1, r, err)
		}
		lines++
	}
	if lines != l.Delivered {
		t.Errorf("recorded %d lines, want %d", lines, l.Delivered)
	}

	if len(v.Nodes) != 1 || !v.Nodes[0].Online || len(v.Nodes[0].Devices) == 0 {
		t.Fatalf("view %+v", v.Nodes)
	}
	for _, d := range v.Nodes[0].Devices {
		if d.Stale || len(d.Metrics) == 0 {
			t.Errorf("device %s: stale %v, %d metrics", d.ID, d.Stale, len(d.Metrics))
		}
	}

	l.Die(0)
	v = m.View()
	if v.Nodes[0].Online || !v.Nodes[0].Stale || v.Deaths("g", node) != 1 {
		t.Errorf("after NDEATH: online %v, stale %v, %d deaths", v.Nodes[0].Online, v.Nodes[0].Stale, v.Deaths("g", node))
	}
	for _, d := range v.Nodes[0].Devices {
		if !d.Stale {
			t.Errorf("after NDEATH: device %s not stale", d.ID)
		}
	}
}

// failingWriter fails every write.
type failingWriter struct{ err error }

func (f failingWriter) Write([]byte) (int, error) { return 0, f.err }

// A recording that cannot be written stops, says why, and the mirror goes
// on mirroring.
func TestRecordErrorStopsOnlyTheRecording(t *testing.T) {
	full := errors.New("disk full")
	l := twintest.MustLine(t, "demo-line", 1)
	m := l.MustMirror(mirror.Config{Record: failingWriter{full}})
	l.Birth()
	l.Run(10*sim.Second, 2*sim.Second, nil)
	v := m.View()
	if !errors.Is(m.RecordError(), full) || v.RecordError != full.Error() {
		t.Errorf("record error %v, view %q", m.RecordError(), v.RecordError)
	}
	if v.Received != uint64(l.Delivered) || len(v.Nodes) != 1 || !v.Nodes[0].Online {
		t.Errorf("received %d of %d, nodes %+v", v.Received, l.Delivered, v.Nodes)
	}
}

func TestNewRejectsBadConfigs(t *testing.T) {
	for _, c := range []mirror.Config{
		{HostID: ""}, {HostID: "a/b"}, {HostID: "h", Group: "g+"}, {HostID: "h", RebirthInterval: -time.Second},
	} {
		if _, err := mirror.New(c); err == nil {
			t.Errorf("New(%+v) accepted", c)
		}
	}
}

func TestMalformedIsCounted(t *testing.T) {
	m, err := mirror.New(mirror.Config{HostID: "h"})
	if err != nil {
		t.Fatal(err)
	}
	m.Receive("spBv1.0/g/NDATA/n", []byte{0xff, 0xff})
	m.Receive("not/sparkplug", nil)
	v := m.View()
	if v.Received != 2 || v.Stats.Malformed != 1 || v.Stats.BadTopics != 1 || v.LastError == "" {
		t.Errorf("received %d, stats %+v, last error %q", v.Received, v.Stats, v.LastError)
	}
}

// Filters cover the whole namespace, or one group and the host's own
// STATE topic; the online STATE carries the timestamp of the Will.
func TestSessionFiltersAndState(t *testing.T) {
	clock := twintest.NewClock(time.UnixMilli(twintest.Epoch))
	all, err := mirror.New(mirror.Config{HostID: "h", Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if f := all.Filters(); len(f) != 1 || f[0] != "spBv1.0/#" {
		t.Errorf("filters of a mirror of every group: %q", f)
	}
	one, err := mirror.New(mirror.Config{HostID: "h", Group: "plant", Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if f := one.Filters(); len(f) != 2 || f[0] != "spBv1.0/plant/#" || f[1] != "spBv1.0/STATE/h" {
		t.Errorf("filters of a mirror of one group: %q", f)
	}
	will, err := one.Will()
	if err != nil {
		t.Fatal(err)
	}
	clock.Add(time.Minute)
	online, rebirths, err := one.Online()
	if err != nil || len(rebirths) != 0 {
		t.Fatalf("Online: %v, %d rebirths with no node known", err, len(rebirths))
	}
	offline, err := one.Offline()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		json   []byte
		online bool
	}{{"will", will.Payload, false}, {"online", online.Payload, true}, {"offline", offline.Payload, false}} {
		want := `{"online":false,"timestamp":1700000000000}`
		if c.online {
			want = `{"online":true,"timestamp":1700000000000}`
		}
		if string(c.json) != want {
			t.Errorf("%s STATE %s, want %s", c.name, c.json, want)
		}
	}
	if will.Topic.String() != "spBv1.0/STATE/h" || !will.Retain || online.Topic != will.Topic {
		t.Errorf("STATE on %v (retain %v), online on %v", will.Topic, will.Retain, online.Topic)
	}
}

// A message after a lost one makes Receive return the rebirth request to
// publish; the node's answer brings the mirror up to date again.
func TestReceiveReturnsTheRebirthRequest(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 1)
	m := l.MustMirror(mirror.Config{})
	l.Birth()
	l.Run(10*sim.Second, sim.Second, nil)
	var msgs []sparkplug.Message
	for len(msgs) < 2 {
		msgs = l.Step(sim.Second)
	}
	var req *sparkplug.Message
	for _, msg := range msgs[1:] { // the first is lost
		if r := m.Receive(msg.Topic.String(), msg.Payload); r != nil && req == nil {
			req = r
		}
	}
	if req == nil || req.Topic.Type != sparkplug.NCMD || req.Topic.EdgeNode != l.NodeID(0) {
		t.Fatalf("rebirth request %+v", req)
	}
	if v := m.View(); !v.Nodes[0].AwaitingRebirth {
		t.Fatal("the mirror does not await the rebirth it asked for")
	}
	l.Command(*req)
	l.Run(2*sim.Second, sim.Second, nil)
	v := m.View()
	if n := v.Nodes[0]; n.AwaitingRebirth || !n.Online || v.Stats.SeqGaps != 1 {
		t.Errorf("after the rebirth: online %v, awaiting %v, stats %+v", n.Online, n.AwaitingRebirth, v.Stats)
	}
	if got, want := l.Mirrored(m, "placer", packml.MetricProcessed), l.Station("placer").Counts.Processed; got != sparkplug.Int64Value(want) {
		t.Errorf("placer count %v, line %d", got, want)
	}
}
