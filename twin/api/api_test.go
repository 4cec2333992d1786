package api_test

import (
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/monitor"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// testToken is the API token of the tests' handlers.
const testToken = "test-token-0123456789"

// testPolicy returns the policy of the tests' handlers: the token, and
// the Host httptest.NewRequest gives.
func testPolicy() api.Policy {
	return api.Policy{Token: testToken, Names: []string{"example.com"}}
}

// mustHandler returns the API of h under testPolicy, sending commands
// with c (nil: none).
func mustHandler(tb testing.TB, h *twintest.Host, c api.Commander) http.Handler {
	tb.Helper()
	return mustHandlerWith(tb, h, c, testPolicy())
}

// mustHandlerWith returns the API of h under p, sending commands with c.
func mustHandlerWith(tb testing.TB, h *twintest.Host, c api.Commander, p api.Policy) http.Handler {
	tb.Helper()
	hd, err := api.Handler(api.Twin{Mirror: h.Mirror, Monitor: h.Monitor, Forecast: h.Forecast, Commands: c}, p)
	if err != nil {
		tb.Fatal(err)
	}
	return hd
}

// running returns demo-line with seed after d, a host of it configured
// by cfg and the host's API (without a commander).
func running(tb testing.TB, seed uint64, d sim.Time, cfg twintest.HostConfig) (*twintest.Line, *twintest.Host, http.Handler) {
	tb.Helper()
	l := twintest.MustLine(tb, "demo-line", seed)
	h := l.MustHost(cfg)
	hd := mustHandler(tb, h, nil)
	l.Birth()
	l.Run(d, 2*sim.Second, nil)
	return l, h, hd
}

// serve answers one request to hd from a client with the token that
// sends JSON.
func serve(hd http.Handler, method, target, body string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", "application/json")
	hd.ServeHTTP(rec, req)
	return rec
}

// getQuery answers GET path with the raw query string query, as a client
// with the token may send it (not necessarily valid).
func getQuery(hd http.Handler, path, query string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.URL.RawQuery = query
	req.Header.Set("Authorization", "Bearer "+testToken)
	rec := httptest.NewRecorder()
	hd.ServeHTTP(rec, req)
	return rec
}

// getJSON GETs target from hd and decodes the JSON answer into v; it
// returns the status.
func getJSON(t *testing.T, hd http.Handler, target string, v any) int {
	t.Helper()
	rec := serve(hd, http.MethodGet, target, "")
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("GET %s: content type %q", target, ct)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("GET %s: %d %q: %v", target, rec.Code, rec.Body, err)
	}
	return rec.Code
}

func TestHandlerNeedsAMirrorAndAMonitor(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 1)
	h := l.MustHost(twintest.HostConfig{})
	for _, tw := range []api.Twin{{}, {Mirror: h.Mirror}, {Monitor: h.Monitor}} {
		if _, err := api.Handler(tw, api.Policy{}); err == nil {
			t.Errorf("Handler(%+v) accepted", tw)
		}
	}
}

// GET /api/state is the mirror: the node online with fresh devices until
// its Will marks them all stale.
func TestStateAPI(t *testing.T) {
	l, h, hd := running(t, 3, sim.Minute, twintest.HostConfig{NoModel: true})
	var s api.StateJSON
	if code := getJSON(t, hd, "/api/state", &s); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	v := h.Mirror.View()
	if want := api.StateOf(&v); !reflect.DeepEqual(roundTrip(t, want), s) {
		t.Errorf("/api/state %+v, want %+v", s, want)
	}
	if s.Host != "h" || s.Received != uint64(l.Delivered) || len(s.Nodes) != 1 || !s.Nodes[0].Online ||
		s.Nodes[0].BdSeq == nil || len(s.Nodes[0].Devices) == 0 {
		t.Fatalf("state %+v", s)
	}
	for _, d := range s.Nodes[0].Devices {
		if d.Stale || len(d.Metrics) == 0 {
			t.Errorf("device %s: stale %v, %d metrics", d.ID, d.Stale, len(d.Metrics))
		}
	}

	l.Die(0)
	s = api.StateJSON{}
	getJSON(t, hd, "/api/state", &s)
	if s.Nodes[0].Online || !s.Nodes[0].Stale {
		t.Errorf("after NDEATH: online %v, stale %v", s.Nodes[0].Online, s.Nodes[0].Stale)
	}
	for _, d := range s.Nodes[0].Devices {
		if !d.Stale {
			t.Errorf("after NDEATH: device %s not stale", d.ID)
		}
	}
}

// roundTrip returns v as a client decodes it.
func roundTrip(t *testing.T, v api.StateJSON) api.StateJSON {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out api.StateJSON
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// Metric values become JSON numbers, booleans, strings or null; what JSON
// cannot carry (NaN, infinities) becomes a string naming its type.
func TestStateOfValues(t *testing.T) {
	edge, err := sparkplug.NewEdgeSession(sparkplug.EdgeConfig{Group: "g", EdgeNode: "n"})
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]sparkplug.Value{
		"int": sparkplug.Int32Value(-3), "big": sparkplug.UInt64Value(math.MaxUint64),
		"float": sparkplug.DoubleValue(2.5), "nan": sparkplug.DoubleValue(math.NaN()), "inf": sparkplug.FloatValue(float32(math.Inf(-1))),
		"flag": sparkplug.BooleanValue(true), "text": sparkplug.StringValue("Execute"), "null": {},
	}
	types := map[string]sparkplug.DataType{"int": sparkplug.Int32, "big": sparkplug.UInt64, "float": sparkplug.Double,
		"nan": sparkplug.Double, "inf": sparkplug.Float, "flag": sparkplug.Boolean, "text": sparkplug.String, "null": sparkplug.String}
	for name, v := range values {
		if _, err := edge.AddNodeMetric(name, types[name], v); err != nil {
			t.Fatal(err)
		}
	}
	m, err := mirror.New(mirror.Config{HostID: "h"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := edge.Connect(1); err != nil {
		t.Fatal(err)
	}
	births, err := edge.Birth(1)
	if err != nil {
		t.Fatal(err)
	}
	m.Receive(births[0].Topic.String(), births[0].Payload)
	v := m.View()
	b, err := json.Marshal(api.StateOf(&v))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"int": "-3", "big": "18446744073709551615", "float": "2.5",
		"nan": `"Double(NaN)"`, "inf": `"Float(-Inf)"`, "flag": "true", "text": `"Execute"`, "null": "null"} {
		if !strings.Contains(string(b), `"name":"`+name+`","datatype":"`+types[name].String()+`","value":`+want+`,`) {
			t.Errorf("%s: want the value %s in %s", name, want, b)
		}
	}
}

// GET /api/tree and /api/kpis are the monitor's tree and KPIs.
func TestTreeAndKPIsAPI(t *testing.T) {
	l, h, hd := running(t, 3, 20*sim.Minute, twintest.HostConfig{})
	tree, kpis := h.TreeAndKPIs()
	var gotTree monitor.Tree
	if code := getJSON(t, hd, "/api/tree", &gotTree); code != http.StatusOK || !reflect.DeepEqual(gotTree, tree) {
		t.Errorf("/api/tree %d %+v, want %+v", code, gotTree, tree)
	}
	if ln := twintest.TreeLine(t, gotTree); len(ln.Cells) != len(l.Spec.Stations) || ln.ElapsedS != 1200 {
		t.Errorf("/api/tree line %+v", ln)
	}
	var gotKPIs monitor.KPIs
	if code := getJSON(t, hd, "/api/kpis", &gotKPIs); code != http.StatusOK || !reflect.DeepEqual(gotKPIs, kpis) {
		t.Errorf("/api/kpis %d %+v, want %+v", code, gotKPIs, kpis)
	}
	if len(gotKPIs.Lines) != 1 || gotKPIs.Lines[0].OEE <= 0 || len(gotKPIs.Lines[0].Stations) != len(l.Spec.Stations) {
		t.Errorf("/api/kpis %+v", gotKPIs)
	}
	for _, path := range []string{"/api/tree", "/api/kpis", "/api/state", "/api/deviations", "/api/forecast", "/metrics"} {
		if rec := serve(hd, http.MethodPost, path, ""); rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("POST %s: %d", path, rec.Code)
		}
	}
}
