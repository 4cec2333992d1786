package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/cmd/internal/twinhttp"
	"github.com/lightsout-sim/lightsout/cmd/internal/twinwire"
	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/mirror"
)

// 'lightsout edge' publishes the line to the broker until interrupted,
// then says goodbye with its NDEATH; a twin host on the same broker
// mirrors it.
func TestEdgeCommandPublishesUntilInterrupted(t *testing.T) {
	b, err := link.StartBroker("127.0.0.1:0", zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h, err := twinwire.New(twinwire.Config{Mirror: mirror.Config{HostID: "watcher", Group: "plant"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Connect(ctx, link.Options{Broker: b.URL()}); err != nil {
		t.Fatal(err)
	}
	defer h.Close(context.Background())

	ectx, stop := context.WithCancel(ctx)
	done := make(chan int, 1)
	go func() {
		_, _, code := runWithReplay(ectx, "edge", "--broker", b.URL(), "--config", "demo-line",
			"--group", "plant", "--node", "smt", "--speed", "600", "--tick", "10ms")
		done <- code
	}()
	_, err = h.Await(ctx, func(v *mirror.View) bool {
		m, ok := v.Metric("plant", "smt-L1", "", "Time/Simulated")
		ms, _ := m.Value.Int64()
		return ok && ms > 0
	})
	if err != nil {
		t.Fatalf("no data from the edge: %v", err)
	}
	stop()
	if code := <-done; code != exitInterrupted {
		t.Errorf("edge exit %d after Ctrl-C, want %d", code, exitInterrupted)
	}
	v, err := h.Await(ctx, func(v *mirror.View) bool {
		n, ok := v.Node("plant", "smt-L1")
		return ok && !n.Online
	})
	if err != nil || v.Deaths("plant", "smt-L1") == 0 {
		t.Errorf("no NDEATH from the edge after Ctrl-C: %v", err)
	}
}

func TestBadBrokerURL(t *testing.T) {
	for _, args := range [][]string{
		{"twin", "--broker", "foo://x"},
		{"twin", "--broker", "mqtt://"},
		{"edge", "--broker", "localhost:1883", "--config", "demo-line"},
		{"demo-twin", "--every", "1ms"},
		{"twin"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := execute(args, &out, &errb, "test"); code != exitBadInput {
				t.Fatalf("exit %d, want %d; stderr %q", code, exitBadInput, errb.String())
			}
			if !strings.HasPrefix(errb.String(), "lightsout: ") {
				t.Errorf("stderr %q", errb.String())
			}
		})
	}
}

// A broker that refuses the credentials is bad input (status 2), said at
// once, not retried until the connect timeout.
func TestTwinRefusedCredentials(t *testing.T) {
	b, err := link.StartBrokerWith("127.0.0.1:0", link.BrokerOptions{Username: "twin", Password: "right"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var out, errb bytes.Buffer
	start := time.Now()
	code := execute([]string{"twin", "--broker", b.URL(), "--username", "twin", "--password", "wrong", "--http", ""}, &out, &errb, "test")
	if code != exitBadInput || !strings.Contains(errb.String(), "refused") {
		t.Fatalf("exit %d, stderr %q; want %d and a refusal", code, errb.String(), exitBadInput)
	}
	if d := time.Since(start); d > connectTimeout/2 {
		t.Errorf("took %v: the refusal was retried", d)
	}
	for _, args := range [][]string{
		{"twin", "--embedded", "--username", "u", "--http", ""},
		{"edge", "--config", "demo-line", "--password", "p"},
	} {
		errb.Reset()
		t.Setenv("LIGHTSOUT_MQTT_PASSWORD", "")
		if code := execute(args, &out, &errb, "test"); code != exitBadInput {
			t.Errorf("%v: exit %d, stderr %q; want %d", args, code, errb.String(), exitBadInput)
		}
	}
}

// Every bad flag of the twin commands is reported at once, each on its
// own line naming its flag, with the config's problems.
func TestTwinCommandsReportEveryBadFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"twin", "--broker", "foo://x", "--host-id", "a/b", "--replications", "0", "--ca-file", "ca.pem", "--config", "no-such-line"},
			[]string{"lightsout: --broker: ", "lightsout: --ca-file: open ca.pem", "--host-id contains", "lightsout: --replications 0", "no-such-line"}},
		{[]string{"edge", "--speed", "0", "--tick", "0s", "--group", "a+b", "--cert-file", "c.pem"},
			[]string{"lightsout: --cert-file c.pem: needs a tls:// --broker", "lightsout: --cert-file and --key-file go together",
				"lightsout: --speed 0", "lightsout: --tick 0s", "--group contains"}},
		{[]string{"demo-twin", "--every", "1ms", "--shift", "1s", "--username", "u"},
			[]string{"lightsout: --every 1ms", "lightsout: --shift 1s", "lightsout: --username u: the embedded broker needs a password"}},
		{[]string{"replay", "--speed", "-1", "--site", "a/b"},
			[]string{"lightsout: --log is required", "--site contains"}},
		{[]string{"twin", "--embedded", "--max-replications", "0", "--max-horizon", "30s"},
			[]string{"lightsout: --max-replications 0: want 1 to 10000", "lightsout: --replications 40: want 1 to 1", "lightsout: --max-horizon 30s"}},
		{[]string{"demo-twin", "--max-horizon", "30m", "--replications", "50", "--max-replications", "10"},
			[]string{"lightsout: --replications 50: want 1 to 10 (--max-replications)", "lightsout: --band-horizon 1h0m0s: beyond the forecasts' horizon 30m0s"}},
		{[]string{"twin", "--embedded", "--autopilot", "predictive", "--autopilot-param", "predictive.lead=x", "--max-actions-per-hour", "0", "--replications", "0"},
			[]string{"lightsout: --autopilot-param predictive.lead=x", "lightsout: --max-actions-per-hour 0", "lightsout: --replications 0",
				"lightsout: --autopilot needs --config"}},
		{[]string{"demo-twin", "--autopilot", "sometimes", "--every", "1ms"},
			[]string{`lightsout: --autopilot "sometimes": want one of none, predictive, forecast`, "lightsout: --every 1ms"}},
		{[]string{"replay", "--recommend-only", "--log", "x.jsonl"},
			[]string{"lightsout: --recommend-only: needs --autopilot"}},
		{[]string{"twin", "--embedded", "--http", "0.0.0.0:80", "--http-cert", "c.pem", "--max-forecasts", "0", "--forecast-timeout", "0s", "--http-name", "a:1"},
			[]string{"lightsout: --http 0.0.0.0:80: beyond loopback the API needs a token", `lightsout: --http-name "a:1"`,
				"lightsout: --max-forecasts 0", "lightsout: --forecast-timeout 0s", "lightsout: --http-cert and --http-key go together"}},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			t.Setenv("LIGHTSOUT_MQTT_PASSWORD", "")
			_, errs, code := runWithReplay(context.Background(), c.args...)
			lines := strings.Split(strings.TrimSpace(errs), "\n")
			if code != exitBadInput || len(lines) < len(c.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %d lines", code, errs, exitBadInput, len(c.want))
			}
			for i, w := range c.want {
				if !strings.Contains(strings.Join(lines, "\n"), w) {
					t.Errorf("line %d: stderr %q lacks %q", i, errs, w)
				}
			}
		})
	}
}

// Bound beyond loopback without a token, twin, demo-twin and replay
// refuse to start: exit status 2 and one line saying what to do.
func TestTwinRefusesNonLoopbackWithoutToken(t *testing.T) {
	t.Setenv(twinhttp.TokenEnv, "")
	for _, args := range [][]string{
		{"twin", "--embedded", "--broker-listen", "127.0.0.1:0", "--http", "0.0.0.0:8080"},
		{"demo-twin", "--broker-listen", "127.0.0.1:0", "--http", ":8080"},
		{"replay", "--log", "run.jsonl", "--http", "[::]:8080"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, errs, code := runWithReplay(context.Background(), args...)
			want := "lightsout: --http " + args[len(args)-1] + ": beyond loopback the API needs a token: give --api-token-file FILE or set LIGHTSOUT_API_TOKEN (or --insecure-no-auth to serve it without one)\n"
			if code != exitBadInput || errs != want || out != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want %d and %q", code, errs, out, exitBadInput, want)
			}
		})
	}
}

// freePort returns a TCP port free on every interface.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// awaitAPI polls GET base/api/state until ready says its answer is the
// one awaited, or fails t when the command ends first (its exit status on
// done) or ctx does.
func awaitAPI(ctx context.Context, t *testing.T, base string, done <-chan int, ready func(*http.Response) bool) {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if resp, err := http.Get(base + "/api/state"); err == nil {
			ok := resp.StatusCode == http.StatusOK && ready(resp)
			resp.Body.Close()
			if ok {
				return
			}
		}
		select {
		case <-tick.C:
		case code := <-done:
			t.Fatalf("ended (exit %d) before serving", code)
		case <-ctx.Done():
			t.Fatal("the HTTP API never answered as awaited")
		}
	}
}

// postHold posts a hold command for an unknown node to the API at base
// with the token (none when empty) and returns the status: 404 once the
// request got through.
func postHold(t *testing.T, base, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+"/api/command", strings.NewReader(`{"node":"n","device":"d","command":"hold"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// replay --http serves the API beyond loopback with --insecure-no-auth
// (commands need no token) or with a token (they need it), until Ctrl-C.
func TestReplayServesTheAPIByItsPolicy(t *testing.T) {
	empty := writeFile(t, "empty.jsonl", "")
	for _, c := range []struct {
		name, env, flag string
		noToken         int // status of a command without a token
	}{
		{"insecure", "", "--insecure-no-auth", http.StatusNotFound},
		{"token", cmdTestToken, "--max-forecasts=1", http.StatusUnauthorized},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(twinhttp.TokenEnv, c.env)
			port := freePort(t)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			done := make(chan int, 1)
			go func() {
				_, _, code := runWithReplay(ctx, "replay", "--log", empty, "--http", "0.0.0.0:"+port, c.flag)
				done <- code
			}()
			base := "http://127.0.0.1:" + port
			awaitAPI(ctx, t, base, done, func(*http.Response) bool { return true })
			if code := postHold(t, base, ""); code != c.noToken {
				t.Errorf("a command without a token: %d, want %d", code, c.noToken)
			}
			if c.env != "" {
				if code := postHold(t, base, c.env); code != http.StatusNotFound {
					t.Errorf("a command with the token: %d, want 404 (no such node)", code)
				}
			}
			cancel()
			if code := <-done; code != exitOK && code != exitInterrupted {
				t.Errorf("exit %d after Ctrl-C", code)
			}
		})
	}
}
