package host_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/host"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// feed runs demo-line as an edge node for a minute and gives every message
// to h, without MQTT; it returns the node's Will and the messages sent.
func feed(t *testing.T, h *host.Host) (sparkplug.Message, int) {
	t.Helper()
	spec, err := configs.Resolve("demo-line")
	if err != nil {
		t.Fatal(err)
	}
	line, err := twin.NewLine(spec, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := edge.New(line, edge.Config{Group: "g", EdgeNode: "n1"})
	if err != nil {
		t.Fatal(err)
	}
	will, err := n.Connect(1)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := n.Birth(1)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		line.RunFor(2 * sim.Second)
		more, err := n.Update(uint64(2 + i))
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, more...)
	}
	for _, m := range msgs {
		h.Receive(m.Topic.String(), m.Payload)
	}
	return will, len(msgs)
}

func TestRecordAndState(t *testing.T) {
	var rec bytes.Buffer
	h, err := host.New(host.Config{HostID: "h", Record: &rec, Log: zaptest.NewLogger(t),
		Now: func() time.Time { return time.UnixMilli(1700000000000) }})
	if err != nil {
		t.Fatal(err)
	}
	will, sent := feed(t, h)

	m := h.Mirror()
	if m.Received != uint64(sent) || m.Messages("g", "n1") != uint64(sent) || m.Stats.ProtocolErrors != 0 {
		t.Fatalf("received %d of %d, stats %+v (last error %q)", m.Received, sent, m.Stats, m.LastError)
	}
	sc := bufio.NewScanner(&rec)
	lines := 0
	for sc.Scan() {
		var l struct {
			Time    time.Time
			Topic   string
			Payload []byte
		}
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil || l.Topic == "" || len(l.Payload) == 0 {
			t.Fatalf("line %d %s: %v", lines+1, sc.Bytes(), err)
		}
		lines++
	}
	if lines != sent {
		t.Errorf("recorded %d lines, want %d", lines, sent)
	}

	srv := httptest.NewServer(h.Handler())
	defer srv.Close()
	get := func() host.StateJSON {
		t.Helper()
		resp, err := srv.Client().Get(srv.URL + "/api/state")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var s host.StateJSON
		if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := get()
	if len(s.Nodes) != 1 || !s.Nodes[0].Online || len(s.Nodes[0].Devices) == 0 {
		t.Fatalf("state %+v", s)
	}
	for _, d := range s.Nodes[0].Devices {
		if d.Stale || len(d.Metrics) == 0 {
			t.Errorf("device %s: stale %v, %d metrics", d.ID, d.Stale, len(d.Metrics))
		}
	}

	// The Will (NDEATH) marks every device stale.
	h.Receive(will.Topic.String(), will.Payload)
	s = get()
	if s.Nodes[0].Online || !s.Nodes[0].Stale {
		t.Errorf("after NDEATH: online %v, stale %v", s.Nodes[0].Online, s.Nodes[0].Stale)
	}
	for _, d := range s.Nodes[0].Devices {
		if !d.Stale {
			t.Errorf("after NDEATH: device %s not stale", d.ID)
		}
	}
}

func TestNewRejectsBadIDs(t *testing.T) {
	for _, c := range []host.Config{{HostID: ""}, {HostID: "a/b"}, {HostID: "h", Group: "g+"}} {
		if _, err := host.New(c); err == nil {
			t.Errorf("New(%+v) accepted", c)
		}
	}
}

func TestMalformedIsCounted(t *testing.T) {
	h, err := host.New(host.Config{HostID: "h"})
	if err != nil {
		t.Fatal(err)
	}
	h.Receive("spBv1.0/g/NDATA/n", []byte{0xff, 0xff})
	h.Receive("not/sparkplug", nil)
	m := h.Mirror()
	if m.Stats.Malformed != 1 || m.Stats.BadTopics != 1 || m.LastError == "" {
		t.Errorf("stats %+v, last error %q", m.Stats, m.LastError)
	}
}
