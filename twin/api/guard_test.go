package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// request is one request as a client, friendly or not, sends it.
type request struct {
	method, target, body string
	host                 string            // the Host header ("" keeps httptest's example.com)
	header               map[string]string // further headers
}

// send answers one request to hd.
func send(hd http.Handler, rq request) *httptest.ResponseRecorder {
	req := httptest.NewRequest(rq.method, rq.target, strings.NewReader(rq.body))
	if rq.host != "" {
		req.Host = rq.host
	}
	for k, v := range rq.header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	hd.ServeHTTP(rec, req)
	return rec
}

// errorOf returns the error an answer carries, failing t when it has none.
func errorOf(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var e struct{ Error string }
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" {
		t.Fatalf("%d %q: no JSON error", rec.Code, rec.Body.String())
	}
	return e.Error
}

// loopbackPolicy is the policy of a twin on 127.0.0.1:8080 with the
// test token.
func loopbackPolicy() api.Policy { return api.Policy{Token: testToken, Addr: "127.0.0.1:8080"} }

const holdAssembly = `{"node":"demo-line-L1","device":"assembly","command":"hold"}`

// The request of the attack (defect 1): a cross-site "simple" request,
// text/plain from http://evil.example to Host attacker.example, held a
// station. Each of its three marks is refused on its own, with or without
// the token, and the line runs on unheld.
func TestCrossSiteCommandIsRefused(t *testing.T) {
	l, h := commandLine(t)
	hd := mustHandlerWith(t, h, toEdge{l, h.Mirror}, loopbackPolicy())
	auth := "Bearer " + testToken
	for _, c := range []struct {
		name   string
		rq     request
		status int
	}{
		{"the attack", request{host: "attacker.example", header: map[string]string{
			"Content-Type": "text/plain", "Origin": "http://evil.example"}}, http.StatusForbidden},
		{"the attack with the token", request{host: "attacker.example", header: map[string]string{
			"Content-Type": "text/plain", "Origin": "http://evil.example", "Authorization": auth}}, http.StatusForbidden},
		{"a rebinding Host", request{host: "attacker.example:8080", header: map[string]string{
			"Content-Type": "application/json", "Authorization": auth}}, http.StatusForbidden},
		{"a foreign Origin", request{host: "127.0.0.1:8080", header: map[string]string{
			"Content-Type": "application/json", "Origin": "http://evil.example", "Authorization": auth}}, http.StatusForbidden},
		{"text/plain", request{host: "127.0.0.1:8080", header: map[string]string{
			"Content-Type": "text/plain", "Authorization": auth}}, http.StatusUnsupportedMediaType},
		{"a form", request{host: "localhost:8080", header: map[string]string{
			"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://localhost:8080", "Authorization": auth}}, http.StatusUnsupportedMediaType},
	} {
		c.rq.method, c.rq.target, c.rq.body = http.MethodPost, "/api/command", holdAssembly
		if rec := send(hd, c.rq); rec.Code != c.status {
			t.Errorf("%s: %d %q, want %d", c.name, rec.Code, rec.Body.String(), c.status)
		}
		l.Run(2*sim.Second, sim.Second, nil)
		if l.Station("assembly").Held {
			t.Fatalf("%s: assembly held", c.name)
		}
	}
}

// Without the token a command is refused (401, with a challenge) and the
// line is unchanged; with it the command reaches the line.
func TestCommandNeedsTheToken(t *testing.T) {
	l, h := commandLine(t)
	hd := mustHandlerWith(t, h, toEdge{l, h.Mirror}, loopbackPolicy())
	post := func(auth string) *httptest.ResponseRecorder {
		hdr := map[string]string{"Content-Type": "application/json; charset=utf-8", "Origin": "http://127.0.0.1:8080"}
		if auth != "" {
			hdr["Authorization"] = auth
		}
		return send(hd, request{method: http.MethodPost, target: "/api/command", body: holdAssembly, host: "127.0.0.1:8080", header: hdr})
	}
	for _, c := range []struct{ auth, challenge, msg string }{
		{"", `Bearer realm="lightsout twin"`, "needs the twin's API token"},
		{"Bearer wrong-token", `Bearer realm="lightsout twin", error="invalid_token"`, "token is wrong"},
		{"Bearer " + testToken + "x", `error="invalid_token"`, "token is wrong"},
		{"Bearer " + testToken[:len(testToken)-1], `error="invalid_token"`, "token is wrong"},
		{"Basic " + testToken, `Bearer realm="lightsout twin"`, "needs the twin's API token"},
		{"Bearer", `Bearer realm="lightsout twin"`, "needs the twin's API token"},
	} {
		rec := post(c.auth)
		if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Header().Get("WWW-Authenticate"), c.challenge) ||
			!strings.Contains(errorOf(t, rec), c.msg) {
			t.Errorf("Authorization %q: %d, challenge %q, %q", c.auth, rec.Code, rec.Header().Get("WWW-Authenticate"), rec.Body)
		}
		l.Run(2*sim.Second, sim.Second, nil)
		if l.Station("assembly").Held {
			t.Fatalf("Authorization %q: assembly held", c.auth)
		}
	}
	if rec := post("bearer  " + testToken + " "); rec.Code != http.StatusAccepted {
		t.Fatalf("with the token: %d %q", rec.Code, rec.Body)
	}
	l.Run(2*sim.Second, sim.Second, nil)
	if !l.Station("assembly").Held {
		t.Error("with the token: assembly not held")
	}
	metrics := send(hd, request{method: http.MethodGet, target: "/metrics", host: "127.0.0.1:8080"}).Body.String()
	for _, want := range []string{`lightsout_twin_http_refused_total{reason="no_token"} 3`,
		`lightsout_twin_http_refused_total{reason="bad_token"} 3`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// A twin without a token takes no command at all (403), unless it is
// open; reading stays open either way.
func TestActingWithoutAToken(t *testing.T) {
	l, h := commandLine(t)
	for _, c := range []struct {
		p      api.Policy
		status int
	}{
		{api.Policy{Addr: "127.0.0.1:8080"}, http.StatusForbidden},
		{api.Policy{Addr: "127.0.0.1:8080", Open: true}, http.StatusAccepted},
	} {
		hd := mustHandlerWith(t, h, toEdge{l, h.Mirror}, c.p)
		rec := send(hd, request{method: http.MethodPost, target: "/api/command", body: holdAssembly,
			host: "127.0.0.1:8080", header: map[string]string{"Content-Type": "application/json"}})
		if rec.Code != c.status {
			t.Errorf("open %v: %d %q, want %d", c.p.Open, rec.Code, rec.Body, c.status)
		}
		if rec := send(hd, request{method: http.MethodGet, target: "/api/state", host: "127.0.0.1:8080"}); rec.Code != http.StatusOK {
			t.Errorf("open %v: GET /api/state %d", c.p.Open, rec.Code)
		}
	}
	if _, err := api.Handler(api.Twin{Mirror: h.Mirror, Monitor: h.Monitor}, api.Policy{Open: true, Token: "t"}); err == nil {
		t.Error("a token with an open policy accepted")
	}
}

// A forecast with its defaults is open; with any parameter it needs the
// token; a what-if always does.
func TestCostlyRequestsNeedTheToken(t *testing.T) {
	_, h, _ := forecastLine(t, 2, 2*sim.Minute, forecastConfig())
	hd := mustHandlerWith(t, h, nil, loopbackPolicy())
	for _, c := range []struct {
		rq     request
		status int
	}{
		{request{method: http.MethodGet, target: "/api/forecast"}, http.StatusOK},
		{request{method: http.MethodGet, target: "/api/forecast?replications=2"}, http.StatusUnauthorized},
		{request{method: http.MethodGet, target: "/api/forecast?until=24h"}, http.StatusUnauthorized},
		{request{method: http.MethodGet, target: "/api/forecast?replications=2", header: map[string]string{"Authorization": "Bearer " + testToken}}, http.StatusOK},
		{request{method: http.MethodPost, target: "/api/whatif", body: `{"repair_arm":"arm-1"}`,
			header: map[string]string{"Content-Type": "application/json"}}, http.StatusUnauthorized},
	} {
		c.rq.host = "127.0.0.1:8080"
		if rec := send(hd, c.rq); rec.Code != c.status {
			t.Errorf("%s %s: %d %q, want %d", c.rq.method, c.rq.target, rec.Code, rec.Body, c.status)
		}
	}
}

// The Host header must name the API: its address, a loopback name, any IP
// when bound to every interface, or a configured name; never another
// name (DNS rebinding).
func TestHostHeader(t *testing.T) {
	_, h := commandLine(t)
	for _, c := range []struct {
		addr  string
		names []string
		host  string
		ok    bool
	}{
		{"127.0.0.1:8080", nil, "127.0.0.1:8080", true},
		{"127.0.0.1:8080", nil, "localhost:8080", true},
		{"127.0.0.1:8080", nil, "LOCALHOST.", true},
		{"127.0.0.1:8080", nil, "[::1]:8080", true},
		{"127.0.0.1:8080", nil, "127.0.0.2", true},
		{"127.0.0.1:8080", nil, "10.1.2.3:8080", false},
		{"127.0.0.1:8080", nil, "attacker.example:8080", false},
		{"127.0.0.1:8080", nil, "localhost.attacker.example", false},
		{"127.0.0.1:8080", nil, "2130706433:8080", false},
		{"127.0.0.1:8080", []string{"Twin.Plant"}, "twin.plant:8080", true},
		{"127.0.0.1:8080", []string{"twin.plant"}, "twin.plant.attacker.example", false},
		{"10.1.2.3:8080", nil, "10.1.2.3:8080", true},
		{"10.1.2.3:8080", nil, "10.1.2.4:8080", false},
		{"10.1.2.3:8080", nil, "localhost:8080", true},
		{"0.0.0.0:8080", nil, "10.1.2.4:8080", true},
		{"[::]:8080", nil, "[fd00::5]:8080", true},
		{":8080", nil, "192.168.0.9", true},
		{":8080", nil, "twin.plant:8080", false},
		{"twin.plant:8080", nil, "twin.plant:8080", true},
		{"twin.plant:8080", nil, "10.1.2.4:8080", false},
	} {
		hd := mustHandlerWith(t, h, nil, api.Policy{Addr: c.addr, Names: c.names})
		rec := send(hd, request{method: http.MethodGet, target: "/api/state", host: c.host})
		if got := rec.Code == http.StatusOK; got != c.ok {
			t.Errorf("bound to %s (names %v), Host %q: %d", c.addr, c.names, c.host, rec.Code)
		}
		if !c.ok && (rec.Code != http.StatusForbidden || !strings.Contains(errorOf(t, rec), "--http-name")) {
			t.Errorf("Host %q: %d %q, want 403 naming --http-name", c.host, rec.Code, rec.Body)
		}
	}
}

// An Origin header must be the API's own, on every route.
func TestOriginHeader(t *testing.T) {
	_, h := commandLine(t)
	for _, c := range []struct {
		tls     bool
		origins []string
		ok      bool
	}{
		{false, nil, true},
		{false, []string{"http://127.0.0.1:8080"}, true},
		{false, []string{"HTTP://127.0.0.1:8080"}, true},
		{true, []string{"https://127.0.0.1:8080"}, true},
		{true, []string{"http://127.0.0.1:8080"}, false},
		{false, []string{"https://127.0.0.1:8080"}, false},
		{false, []string{"http://127.0.0.1:8081"}, false},
		{false, []string{"http://localhost:8080"}, false},
		{false, []string{"null"}, false},
		{false, []string{"http://127.0.0.1:8080", "http://evil.example"}, false},
	} {
		hd := mustHandlerWith(t, h, nil, api.Policy{Addr: "127.0.0.1:8080", TLS: c.tls})
		req := httptest.NewRequest(http.MethodGet, "/api/kpis", nil)
		req.Host = "127.0.0.1:8080"
		for _, o := range c.origins {
			req.Header.Add("Origin", o)
		}
		rec := httptest.NewRecorder()
		hd.ServeHTTP(rec, req)
		if got := rec.Code == http.StatusOK; got != c.ok {
			t.Errorf("TLS %v, Origin %q: %d %q", c.tls, c.origins, rec.Code, rec.Body)
		}
	}
}

// Every route bounds the body it is sent.
func TestBodyLimitOnEveryRoute(t *testing.T) {
	_, h := commandLine(t)
	hd := mustHandlerWith(t, h, nil, api.Policy{Addr: "127.0.0.1:8080", MaxBody: 1000})
	for _, path := range []string{"/api/state", "/api/tree", "/api/kpis", "/api/deviations", "/api/forecast", "/metrics", "/nowhere"} {
		rec := send(hd, request{method: http.MethodGet, target: path, host: "127.0.0.1:8080", body: strings.Repeat("x", 1001)})
		if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(errorOf(t, rec), "more than the 1000 allowed") {
			t.Errorf("GET %s with 1001 bytes: %d %q", path, rec.Code, rec.Body)
		}
	}
	// A body of unknown length is cut at the limit.
	req := httptest.NewRequest(http.MethodPost, "/api/command", io.MultiReader(strings.NewReader(`{"node":"`), strings.NewReader(strings.Repeat("x", 2000))))
	req.ContentLength = -1
	req.Host = "127.0.0.1:8080"
	req.Header.Set("Content-Type", "application/json")
	hd = mustHandlerWith(t, h, nil, api.Policy{Addr: "127.0.0.1:8080", MaxBody: 1000, Open: true})
	rec := httptest.NewRecorder()
	hd.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest || !strings.Contains(errorOf(t, rec), "longer than") {
		t.Errorf("a chunked body over the limit: %d %q", rec.Code, rec.Body)
	}
}
