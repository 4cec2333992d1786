package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/cmd/internal/twinhttp"
	"github.com/lightsout-sim/lightsout/cmd/internal/twinwire"
	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/link/linktest"
	"github.com/lightsout-sim/lightsout/twin/mirror"
)

// cmdTestToken is the API token of the tests' twins.
const cmdTestToken = "cmd-test-token-0123456789"

// runCommandCLI runs "lightsout command …" in-process.
func runCommandCLI(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{version: "test-version", stdout: &out, stderr: &console{w: &errb}, log: zap.NewNop()}
	root := newRootCmd(a)
	root.SetArgs(append([]string{"command"}, args...))
	cmd, err := root.ExecuteContextC(context.Background())
	return result{report(a.stderr, cmd, err), out.String(), errb.String()}
}

// fakeTwin answers POST /api/command with code and answer, and passes the
// decoded requests on got.
func fakeTwin(t *testing.T, code int, answer string) (*httptest.Server, <-chan mirror.CommandRequest) {
	t.Helper()
	srv, got, _ := fakeTwinAuth(t, code, answer)
	return srv, got
}

// fakeTwinAuth is fakeTwin that also passes each request's Authorization
// header on auth.
func fakeTwinAuth(t *testing.T, code int, answer string) (*httptest.Server, <-chan mirror.CommandRequest, <-chan string) {
	t.Helper()
	got, auth := make(chan mirror.CommandRequest, 1), make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/api/command" || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "wrong request", http.StatusTeapot)
			return
		}
		body, _ := io.ReadAll(r.Body)
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		var req mirror.CommandRequest
		if err := dec.Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusTeapot)
			return
		}
		got <- req
		auth <- r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = io.WriteString(w, answer)
	}))
	t.Cleanup(srv.Close)
	return srv, got, auth
}

func TestCommandSent(t *testing.T) {
	srv, got := fakeTwin(t, http.StatusAccepted, `{"topic":"spBv1.0/plant/DCMD/demo-line-L1/placer"}`)
	res := runCommandCLI(t, "--twin", srv.URL+"/", "--group", "plant", "--node", "demo-line-L1",
		"--device", "placer", "--value", "0.8", "speed")
	if res.code != exitOK || res.stderr != "" {
		t.Fatalf("exit %d, stderr %q", res.code, res.stderr)
	}
	if want := "speed sent to demo-line-L1/placer on spBv1.0/plant/DCMD/demo-line-L1/placer\n"; res.stdout != want {
		t.Errorf("stdout %q, want %q", res.stdout, want)
	}
	req := <-got
	if req.Group != "plant" || req.Node != "demo-line-L1" || req.Device != "placer" || req.Command != "speed" ||
		req.Value == nil || *req.Value != 0.8 || req.Server != nil {
		t.Errorf("request %+v", req)
	}

	// Without --value and --server they are left out of the request.
	srv, got = fakeTwin(t, http.StatusAccepted, `{"topic":"spBv1.0/g/DCMD/n/assembly"}`)
	res = runCommandCLI(t, "--twin", srv.URL, "--node", "n", "--device", "assembly", "hold")
	if res.code != exitOK {
		t.Fatalf("hold: exit %d, %q", res.code, res.stderr)
	}
	if req := <-got; req.Value != nil || req.Server != nil || req.Group != "" || req.Command != "hold" {
		t.Errorf("hold request %+v", req)
	}
}

// Bad input is found before asking the twin (status 2, the flag named);
// the twin's refusals are status 2, its failures status 1.
func TestCommandFails(t *testing.T) {
	none := "http://127.0.0.1:1" // never asked
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no command", []string{"--twin", none, "--node", "n", "--device", "d"}, exitBadInput, "accepts 1 arg"},
		{"unknown command", []string{"--twin", none, "--node", "n", "--device", "d", "fly"}, exitBadInput, `command: unknown "fly"`},
		{"no node", []string{"--twin", none, "--device", "d", "hold"}, exitBadInput, "--node: required"},
		{"no device", []string{"--twin", none, "--node", "n", "hold"}, exitBadInput, "--device: required"},
		{"no value", []string{"--twin", none, "--node", "n", "--device", "d", "speed"}, exitBadInput, "--value: required for speed"},
		{"value for hold", []string{"--twin", none, "--node", "n", "--device", "d", "--value", "1", "hold"}, exitBadInput, "--value: not used by hold"},
		{"bad speed", []string{"--twin", none, "--node", "n", "--device", "d", "--value", "-1", "speed"}, exitBadInput, "--value: speed -1"},
		{"server for speed", []string{"--twin", none, "--node", "n", "--device", "d", "--value", "1", "--server", "2", "speed"}, exitBadInput, "--server:"},
		{"bad group", []string{"--twin", none, "--group", "a+b", "--node", "n", "--device", "d", "hold"}, exitBadInput, "--group:"},
		{"bad url", []string{"--twin", "ftp://x", "--node", "n", "--device", "d", "hold"}, exitBadInput, `--twin "ftp://x"`},
		{"unreachable", []string{"--twin", none, "--node", "n", "--device", "d", "hold"}, exitFailure, "asking the twin at http://127.0.0.1:1/api/command"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := runCommandCLI(t, tc.args...)
			if res.code != tc.code || !strings.Contains(res.stderr, tc.msg) || res.stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want %d with %q", res.code, res.stderr, res.stdout, tc.code, tc.msg)
			}
		})
	}

	answers := []struct {
		code   int
		answer string
		exit   int
		msg    string
	}{
		{http.StatusNotFound, `{"error":"host: unknown edge node plant/n"}`, exitBadInput, "the twin refused hold (HTTP 404): host: unknown edge node plant/n"},
		{http.StatusConflict, `{"error":"host: offline: device plant/n/d"}`, exitBadInput, "offline"},
		{http.StatusServiceUnavailable, `{"error":"host: not connected to a broker"}`, exitFailure, "could not send hold (HTTP 503): host: not connected"},
		{http.StatusBadGateway, `oops`, exitFailure, `answer "oops"`},
		{http.StatusAccepted, `{}`, exitFailure, "no topic"},
	}
	for _, tc := range answers {
		srv, _ := fakeTwin(t, tc.code, tc.answer)
		res := runCommandCLI(t, "--twin", srv.URL, "--node", "n", "--device", "d", "hold")
		if res.code != tc.exit || !strings.Contains(res.stderr, tc.msg) || res.stdout != "" {
			t.Errorf("answer %d %s: exit %d, stderr %q; want %d with %q", tc.code, tc.answer, res.code, res.stderr, tc.exit, tc.msg)
		}
	}
}

// Against a real twin's handler (no broker): with the token the request
// gets through and the twin does not know the node; without it, or with
// a wrong one, the twin refuses it and the command says so in one line
// naming where the token came from (status 2).
func TestCommandAgainstHost(t *testing.T) {
	h, err := twinwire.New(twinwire.Config{Mirror: mirror.Config{HostID: "twin", Group: "plant"}})
	if err != nil {
		t.Fatal(err)
	}
	handler, err := h.Handler(api.Policy{Token: cmdTestToken})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(handler)
	defer srv.Close()
	args := []string{"--twin", srv.URL, "--node", "demo-line-L1", "--device", "assembly", "hold"}
	t.Setenv(twinhttp.TokenEnv, cmdTestToken)
	res := runCommandCLI(t, args...)
	if res.code != exitBadInput || !strings.Contains(res.stderr, "HTTP 404") || !strings.Contains(res.stderr, "unknown edge node plant/demo-line-L1") {
		t.Errorf("exit %d, stderr %q", res.code, res.stderr)
	}
	for _, c := range []struct{ env, want string }{
		{"", "lightsout: the twin at " + srv.URL + "/api/command needs its API token: give --api-token-file FILE or set LIGHTSOUT_API_TOKEN (HTTP 401: "},
		{cmdTestToken + "x", "lightsout: the twin at " + srv.URL + "/api/command refused the API token from $LIGHTSOUT_API_TOKEN (HTTP 401: the API token is wrong)"},
	} {
		t.Setenv(twinhttp.TokenEnv, c.env)
		res := runCommandCLI(t, args...)
		if res.code != exitBadInput || len(lines(res.stderr)) != 1 || !strings.HasPrefix(res.stderr, c.want) || res.stdout != "" {
			t.Errorf("token %q: exit %d, stderr %q; want %d and one line %q", c.env, res.code, res.stderr, exitBadInput, c.want)
		}
	}
}

// The command sends the token of --api-token-file, else of
// $LIGHTSOUT_API_TOKEN, and none without either.
func TestCommandSendsTheToken(t *testing.T) {
	file := writeFile(t, "token", cmdTestToken+"-file\n")
	for _, c := range []struct {
		env  string
		args []string
		want string
	}{
		{cmdTestToken, nil, "Bearer " + cmdTestToken},
		{cmdTestToken, []string{"--api-token-file", file}, "Bearer " + cmdTestToken + "-file"},
		{"", nil, ""},
	} {
		t.Setenv(twinhttp.TokenEnv, c.env)
		srv, _, auth := fakeTwinAuth(t, http.StatusAccepted, `{"topic":"spBv1.0/g/DCMD/n/d"}`)
		res := runCommandCLI(t, append(c.args, "--twin", srv.URL, "--node", "n", "--device", "d", "hold")...)
		if res.code != exitOK {
			t.Fatalf("exit %d, stderr %q", res.code, res.stderr)
		}
		if got := <-auth; got != c.want {
			t.Errorf("env %q, flags %q: Authorization %q, want %q", c.env, c.args, got, c.want)
		}
	}
}

// An https:// twin signed by a private CA is reached with --ca-file, and
// refused without it.
func TestCommandHTTPS(t *testing.T) {
	pki := linktest.New(t)
	caFile, _, _ := pki.WriteFiles(t, t.TempDir())
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, `{"topic":"spBv1.0/g/DCMD/n/d"}`)
	}))
	srv.TLS = pki.ServerTLS(false)
	srv.StartTLS()
	defer srv.Close()
	t.Setenv(twinhttp.TokenEnv, cmdTestToken)
	args := []string{"--twin", srv.URL, "--node", "n", "--device", "d", "hold"}
	if res := runCommandCLI(t, append(args, "--ca-file", caFile)...); res.code != exitOK || !strings.Contains(res.stdout, "hold sent") {
		t.Errorf("with --ca-file: exit %d, %q %q", res.code, res.stdout, res.stderr)
	}
	if res := runCommandCLI(t, args...); res.code != exitFailure || !strings.Contains(res.stderr, "certificate") {
		t.Errorf("without --ca-file: exit %d, %q", res.code, res.stderr)
	}
	if res := runCommandCLI(t, "--twin", "http://127.0.0.1:1", "--ca-file", caFile, "--node", "n", "--device", "d", "hold"); res.code != exitBadInput ||
		!strings.Contains(res.stderr, "is not https://") {
		t.Errorf("--ca-file with http://: exit %d, %q", res.code, res.stderr)
	}
}
