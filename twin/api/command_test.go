package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// offline is a commander with no broker connection: it builds the command
// with the mirror, then cannot publish it.
type offline struct{ m *mirror.Mirror }

func (o offline) SendCommand(_ context.Context, r mirror.CommandRequest) (sparkplug.Topic, error) {
	if _, err := o.m.Command(r); err != nil {
		return sparkplug.Topic{}, err
	}
	return sparkplug.Topic{}, mirror.ErrNotConnected
}

// toEdge is a commander that hands the command to the line's edge node,
// as a broker would.
type toEdge struct {
	l *twintest.Line
	m *mirror.Mirror
}

func (c toEdge) SendCommand(_ context.Context, r mirror.CommandRequest) (sparkplug.Topic, error) {
	msg, err := c.m.Command(r)
	if err != nil {
		return sparkplug.Topic{}, err
	}
	c.l.Command(msg)
	return msg.Topic, nil
}

// commandLine is demo-line (seed 1) in group "plant" after 10 s, and a
// host of that group.
func commandLine(tb testing.TB) (*twintest.Line, *twintest.Host) {
	tb.Helper()
	l := twintest.MustLine(tb, "demo-line", 1)
	l.Group = "plant"
	h := l.MustHost(twintest.HostConfig{Mirror: mirror.Config{HostID: "twin", Group: "plant",
		Log: zaptest.NewLogger(tb, zaptest.Level(zap.WarnLevel))}})
	l.Birth()
	l.Run(10*sim.Second, sim.Second, nil)
	return l, h
}

// postCommand posts body to the handler and returns the status and the
// decoded JSON answer.
func postCommand(t testing.TB, hd http.Handler, body string) (int, map[string]any) {
	t.Helper()
	rec := serve(hd, http.MethodPost, "/api/command", body)
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s -> %d, not JSON: %q", body, rec.Code, rec.Body.String())
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: content type %q", body, ct)
	}
	return rec.Code, out
}

// Bad requests are refused naming the field, whatever the connection;
// good ones meet the missing connection.
func TestCommandHTTP(t *testing.T) {
	_, h := commandLine(t)
	hd := mustHandler(t, h, offline{h.Mirror})
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
		code, out := postCommand(t, hd, tc.body)
		msg, _ := out["error"].(string)
		if code != tc.code || !strings.Contains(msg, tc.msg) {
			t.Errorf("%.80s -> %d %q, want %d with %q", tc.body, code, msg, tc.code, tc.msg)
		}
	}
	if rec := serve(hd, http.MethodGet, "/api/command", ""); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET /api/command: %d", rec.Code)
	}
}

// A command sent answers 202 with its topic and reaches the line; one to
// a node that died answers 409. Without a commander the API answers 503.
func TestCommandSent(t *testing.T) {
	l, h := commandLine(t)
	hd := mustHandler(t, h, toEdge{l, h.Mirror})
	code, out := postCommand(t, hd, `{"node":"demo-line-L1","device":"pack","command":"break","server":1}`)
	if code != http.StatusAccepted || out["topic"] != "spBv1.0/plant/DCMD/demo-line-L1/pack" {
		t.Fatalf("-> %d %v", code, out)
	}
	l.Run(sim.Second, sim.Second, nil)
	if !l.Station("pack").Servers[0].Broken {
		t.Error("pack not broken")
	}
	l.Die(0)
	if code, out := postCommand(t, hd, `{"node":"demo-line-L1","device":"pack","command":"repair"}`); code != http.StatusConflict {
		t.Errorf("to a dead node -> %d %v", code, out)
	}

	none := mustHandler(t, h, nil)
	if code, out := postCommand(t, none, `{"node":"demo-line-L1","device":"pack","command":"repair"}`); code != http.StatusServiceUnavailable ||
		!strings.Contains(out["error"].(string), "not connected") {
		t.Errorf("without a commander -> %d %v", code, out)
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
	_, h := commandLine(f)
	hd := mustHandler(f, h, offline{h.Mirror})
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := serve(hd, http.MethodPost, "/api/command", string(body))
		if rec.Code != http.StatusServiceUnavailable && (rec.Code < 400 || rec.Code > 499) {
			t.Fatalf("%q -> %d %s", body, rec.Code, rec.Body.String())
		}
		var out struct{ Error string }
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || out.Error == "" {
			t.Fatalf("%q -> %d %q: no JSON error", body, rec.Code, rec.Body.String())
		}
	})
}
