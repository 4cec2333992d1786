package host_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/host"
	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// send builds the DCMD of req on the rig's host and hands it to the edge
// node, as a broker would.
func (r *rig) send(req host.CommandRequest) {
	r.t.Helper()
	m, err := r.h.BuildCommandRequest(req)
	if err != nil {
		r.t.Fatalf("%+v: %v", req, err)
	}
	if m.Topic.Type != sparkplug.DCMD || m.QoS != 0 || m.Retain {
		r.t.Fatalf("%+v: sent on %v, QoS %d, retain %v", req, m.Topic, m.QoS, m.Retain)
	}
	out, err := r.node.HandleCommand(m.Topic.String(), m.Payload, r.nowMs())
	if err != nil {
		r.t.Fatalf("%+v: the edge rejected %v: %v", req, m.Topic, err)
	}
	r.deliver(out)
}

// station returns a station's state in the line.
func (r *rig) station(id string) twin.StationState {
	r.t.Helper()
	for _, st := range r.line.Snapshot().Stations {
		if st.Line == 0 && st.ID == id {
			return st
		}
	}
	r.t.Fatalf("no station %q", id)
	return twin.StationState{}
}

// mirrored returns a metric of a device as the host mirrors it.
func (r *rig) mirrored(device, name string) sparkplug.Value {
	r.t.Helper()
	m := r.h.Mirror()
	v, ok := m.Metric(r.group, r.id, device, name)
	if !ok {
		r.t.Fatalf("no metric %s/%s in the mirror", device, name)
	}
	return v.Value
}

// A hold sent from the host stops the station's count rising (after the
// unit in progress); an unhold lets it rise again.
func TestCommandHoldStopsStation(t *testing.T) {
	r := newRig(t, "demo-line", 1)
	r.run(5*sim.Minute, sim.Second, nil)
	r.send(host.CommandRequest{Node: r.id, Device: "assembly", Command: packml.Hold.String()})
	r.run(30*sim.Second, sim.Second, nil) // the unit in progress finishes
	held := r.processed("assembly")
	r.run(5*sim.Minute, sim.Second, nil)
	if n := r.processed("assembly"); n != held {
		t.Fatalf("held assembly processed %d more units", n-held)
	}
	if n, _ := r.mirrored("assembly", "Admin/ProdProcessedCount").Int64(); n != held {
		t.Errorf("mirrored count %d, line %d", n, held)
	}
	if b, _ := r.mirrored("assembly", "Status/Held").Boolean(); !b {
		t.Errorf("the mirror does not show assembly held")
	}
	r.send(host.CommandRequest{Node: r.id, Device: "assembly", Command: packml.Unhold.String()})
	r.run(sim.Minute, sim.Second, nil)
	if n := r.processed("assembly"); n <= held {
		t.Errorf("unheld assembly still at %d units", n)
	}
}

// Speed and buffer values are typed as the birth defines the command
// metrics and reach the line.
func TestCommandSpeedBufferBreak(t *testing.T) {
	r := newRig(t, "demo-line", 1)
	r.run(sim.Minute, sim.Second, nil)
	half, seven, one := 0.5, 7.0, 1
	r.send(host.CommandRequest{Node: r.id, Device: "placer", Command: packml.Speed.String(), Value: &half})
	r.send(host.CommandRequest{Node: r.id, Device: "test", Command: packml.Buffer.String(), Value: &seven})
	r.send(host.CommandRequest{Node: r.id, Device: "pack", Command: packml.Break.String(), Server: &one})
	r.run(sim.Second, sim.Second, nil)
	if s := r.station("placer").Speed; s != 0.5 {
		t.Errorf("placer speed %v, want 0.5", s)
	}
	if f, _ := r.mirrored("placer", "Status/Speed").Float64(); f != 0.5 {
		t.Errorf("mirrored placer speed %v", f)
	}
	if c := r.station("test").Capacity; c != stations.Capacity(7) {
		t.Errorf("test buffer %v, want 7", c)
	}
	if !r.station("pack").Servers[0].Broken {
		t.Errorf("pack not broken")
	}
	r.send(host.CommandRequest{Node: r.id, Device: "pack", Command: packml.Repair.String()})
	r.run(sim.Second, sim.Second, nil)
	if r.station("pack").Servers[0].Broken {
		t.Errorf("pack still broken after repair")
	}
}

func TestCommandErrors(t *testing.T) {
	r := newRig(t, "demo-line", 1)
	r.run(10*sim.Second, sim.Second, nil)
	v := 2.0
	neg := -0.5
	frac := 2.5
	tests := []struct {
		name string
		req  host.CommandRequest
		want error
		msg  string
	}{
		{"no node", host.CommandRequest{Device: "placer", Command: "hold"}, host.ErrBadCommand, "node: required"},
		{"no device", host.CommandRequest{Node: r.id, Command: "hold"}, host.ErrBadCommand, "device: required"},
		{"no command", host.CommandRequest{Node: r.id, Device: "placer"}, host.ErrBadCommand, "command: required"},
		{"unknown command", host.CommandRequest{Node: r.id, Device: "placer", Command: "explode"}, host.ErrBadCommand, `command: unknown "explode"`},
		{"bad id", host.CommandRequest{Node: "a/b", Device: "placer", Command: "hold"}, host.ErrBadCommand, "node:"},
		{"value for hold", host.CommandRequest{Node: r.id, Device: "placer", Command: "hold", Value: &v}, host.ErrBadCommand, "value: not used by hold"},
		{"no speed", host.CommandRequest{Node: r.id, Device: "placer", Command: "speed"}, host.ErrBadCommand, "value: required"},
		{"negative speed", host.CommandRequest{Node: r.id, Device: "placer", Command: "speed", Value: &neg}, host.ErrBadCommand, "value: speed"},
		{"fractional buffer", host.CommandRequest{Node: r.id, Device: "placer", Command: "buffer", Value: &frac}, host.ErrBadCommand, "value: buffer"},
		{"server for hold", host.CommandRequest{Node: r.id, Device: "placer", Command: "hold", Server: new(int)}, host.ErrBadCommand, "server:"},
		{"unknown node", host.CommandRequest{Node: "nope", Device: "placer", Command: "hold"}, host.ErrUnknownNode, "nope"},
		{"other group", host.CommandRequest{Group: "other", Node: r.id, Device: "placer", Command: "hold"}, host.ErrUnknownNode, "other/"},
		{"unknown device", host.CommandRequest{Node: r.id, Device: "robot", Command: "hold"}, host.ErrUnknownDevice, `"robot"`},
		{"arm has no hold", host.CommandRequest{Node: r.id, Device: "arm-1", Command: "hold"}, host.ErrUnknownMetric, "Command/Hold"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.h.SendCommand(context.Background(), tc.req)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("got %v, want %v with %q", err, tc.want, tc.msg)
			}
		})
	}
	// A valid command with no broker connection.
	ok := host.CommandRequest{Node: r.id, Device: "placer", Command: "hold"}
	if _, err := r.h.SendCommand(context.Background(), ok); !errors.Is(err, host.ErrNotConnected) {
		t.Errorf("not connected: %v", err)
	}
	if err := r.h.Command(context.Background(), r.group, r.id, "placer",
		sparkplug.NamedValue{Name: "Command/Nope", Value: sparkplug.BooleanValue(true)}); !errors.Is(err, host.ErrUnknownMetric) {
		t.Errorf("unknown metric: %v", err)
	}
	if err := r.h.Command(context.Background(), r.group, r.id, "placer",
		sparkplug.NamedValue{Name: "Command/Hold", Value: sparkplug.Int32Value(1)}); !errors.Is(err, sparkplug.ErrTypeMismatch) {
		t.Errorf("wrong type: %v", err)
	}
	// A host that mirrors every group finds the node's group, when it is
	// in one group only.
	all, err := host.New(host.Config{HostID: "all"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := all.SendCommand(context.Background(), ok); !errors.Is(err, host.ErrUnknownNode) {
		t.Errorf("a node it does not mirror: %v", err)
	}
	births, err := r.node.Birth(r.nowMs()) // a rebirth, heard by both hosts
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range births {
		all.Receive(m.Topic.String(), m.Payload)
		r.h.Receive(m.Topic.String(), m.Payload)
	}
	if m, err := all.BuildCommandRequest(ok); err != nil || m.Topic.Group != r.group {
		t.Errorf("group found from the node: %v, topic %v", err, m.Topic)
	}
	for _, m := range births {
		tp := m.Topic
		tp.Group = "other"
		all.Receive(tp.String(), m.Payload)
	}
	if _, err := all.BuildCommandRequest(ok); !errors.Is(err, host.ErrBadCommand) || !strings.Contains(err.Error(), "group: required") {
		t.Errorf("node in two groups: %v", err)
	}
	// After the node's death a command would be lost.
	r.deliver([]sparkplug.Message{r.will})
	if _, err := r.h.SendCommand(context.Background(), ok); !errors.Is(err, host.ErrOffline) {
		t.Errorf("offline: %v", err)
	}
}

// postCommand posts body to the handler and returns the status and the
// decoded JSON answer.
func postCommand(t testing.TB, h http.Handler, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/command", strings.NewReader(body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s -> %d, not JSON: %q", body, rec.Code, rec.Body.String())
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: content type %q", body, ct)
	}
	return rec.Code, out
}

func TestCommandHTTP(t *testing.T) {
	r := newRig(t, "demo-line", 1)
	r.run(10*sim.Second, sim.Second, nil)
	h := r.h.Handler()
	tests := []struct {
		body string
		code int
		msg  string // in the error
	}{
		{`{"node":"demo-line-L1","device":"assembly","command":"hold"}`, http.StatusServiceUnavailable, "not connected"},
		{`{"group":"plant","node":"demo-line-L1","device":"placer","command":"speed","value":0.9}`, http.StatusServiceUnavailable, "not connected"},
		{``, http.StatusBadRequest, "body: empty"},
		{`{"node":`, http.StatusBadRequest, "body: invalid JSON"},
		{`[1]`, http.StatusBadRequest, "want a JSON"},
		{`{"node":"demo-line-L1","device":"assembly","command":"hold","extra":1}`, http.StatusBadRequest, "extra: unknown field"},
		{`{"node":5,"device":"assembly","command":"hold"}`, http.StatusBadRequest, "node: want a JSON string"},
		{`{"node":"demo-line-L1","device":"assembly","command":"hold"} {}`, http.StatusBadRequest, "trailing data"},
		{`{"node":"demo-line-L1","device":"assembly","command":"fly"}`, http.StatusBadRequest, "command: unknown"},
		{`{"node":"demo-line-L1","device":"assembly","command":"speed","value":"fast"}`, http.StatusBadRequest, "value: want a JSON"},
		{`{"node":"demo-line-L1","device":"assembly","command":"speed"}`, http.StatusBadRequest, "value: required"},
		{`{"node":"demo-line-L1","device":"arm-1","command":"speed","value":1}`, http.StatusBadRequest, "Command/Speed"},
		{`{"node":"demo-line-L9","device":"assembly","command":"hold"}`, http.StatusNotFound, "unknown edge node"},
		{`{"node":"demo-line-L1","device":"nothing","command":"hold"}`, http.StatusNotFound, "unknown device"},
		{`{"node":"demo-line-L1","device":"assembly","command":"hold","pad":"` + strings.Repeat("x", 20000) + `"}`, http.StatusBadRequest, "body: longer than"},
	}
	for _, tc := range tests {
		code, out := postCommand(t, h, tc.body)
		msg, _ := out["error"].(string)
		if code != tc.code || !strings.Contains(msg, tc.msg) {
			t.Errorf("%.80s -> %d %q, want %d with %q", tc.body, code, msg, tc.code, tc.msg)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/command", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET /api/command: %d", rec.Code)
	}
}

// The command API never panics and answers bad input with 4xx: with no
// broker connection nothing can succeed, so every answer is a 4xx or 503.
func FuzzCommandAPI(f *testing.F) {
	for _, s := range []string{
		`{"node":"demo-line-L1","device":"assembly","command":"hold"}`,
		`{"node":"demo-line-L1","device":"test","command":"buffer","value":-1}`,
		`{"node":"demo-line-L1","device":"pack","command":"break","server":2}`,
		`{"group":"g","node":"n","device":"d","command":"speed","value":1e308}`,
		`{"node":"demo-line-L1","device":"placer","command":"speed","value":-0}`,
		`null`, `{}`, `{"value":null}`, "\xff",
	} {
		f.Add([]byte(s))
	}
	r := newRig(f, "demo-line", 1)
	r.run(5*sim.Second, sim.Second, nil)
	h := r.h.Handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/api/command", bytes.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusServiceUnavailable && (rec.Code < 400 || rec.Code > 499) {
			t.Fatalf("%q -> %d %s", body, rec.Code, rec.Body.String())
		}
		var out struct{ Error string }
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || out.Error == "" {
			t.Fatalf("%q -> %d %q: no JSON error", body, rec.Code, rec.Body.String())
		}
	})
}

// Over a real (embedded) MQTT broker, Host.Command publishes the DCMD that
// the edge node applies.
func TestCommandOverMQTT(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an MQTT broker")
	}
	r := newRig(t, "demo-line", 1)
	r.run(sim.Minute, sim.Second, nil)
	b, err := link.StartBroker("127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	brokerUp := true // link.Broker.Close panics when called twice
	defer func() {
		if brokerUp {
			_ = b.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	got := make(chan sparkplug.Message, 4)
	sub, err := link.Dial(ctx, link.Options{Broker: b.URL(), ClientID: "edge-side",
		OnMessage: func(topic string, payload []byte) {
			t, err := sparkplug.ParseTopic(topic)
			if err == nil && t.Type == sparkplug.DCMD {
				got <- sparkplug.Message{Topic: t, Payload: bytes.Clone(payload)}
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close(context.Background())
	if err := sub.Subscribe(ctx, "spBv1.0/plant/DCMD/#", 0); err != nil {
		t.Fatal(err)
	}
	if err := r.h.Connect(ctx, link.Options{Broker: b.URL()}); err != nil {
		t.Fatal(err)
	}
	defer r.h.Close(context.Background())

	if _, err := r.h.SendCommand(ctx, host.CommandRequest{Node: r.id, Device: "assembly", Command: packml.Hold.String()}); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-got:
		if m.Topic.Device != "assembly" || m.Topic.EdgeNode != r.id {
			t.Fatalf("command on %v", m.Topic)
		}
		if _, err := r.node.HandleCommand(m.Topic.String(), m.Payload, r.nowMs()); err != nil {
			t.Fatal(err)
		}
	case <-ctx.Done():
		t.Fatal("no DCMD received")
	}
	r.run(30*sim.Second, sim.Second, nil)
	if !r.station("assembly").Held {
		t.Errorf("assembly not held")
	}

	// Losing the broker takes the node offline in the mirror; CheckStale
	// reports it and its devices stale.
	brokerUp = false
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	for {
		changed := r.h.Changed()
		m := r.h.Mirror()
		if n, ok := m.Node(r.group, r.id); ok && !n.Online {
			break
		}
		select {
		case <-changed:
		case <-ctx.Done():
			t.Fatal("the host did not notice the broker closing")
		}
	}
	r.h.CheckStale()
	stale := ofKind(r.h, deviation.Stale)
	if len(stale) == 0 || stale[0].Device != r.id || !strings.Contains(stale[0].Reason, "connection lost") {
		t.Errorf("after losing the broker: %v", stale)
	}
	r.h.CheckStale()
	if n := len(ofKind(r.h, deviation.Stale)); n != len(stale) {
		t.Errorf("a second check raised %d more", n-len(stale))
	}
}
