package twinhttp_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/cmd/internal/twinhttp"
	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/link/linktest"
)

// echo is an API that answers every request 200 with the policy's
// address and the request's Authorization header, reading its body
// first; a request to /wait waits for its context to end.
func echo(p api.Policy) (http.Handler, error) {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if r.URL.Path == "/wait" {
			<-r.Context().Done()
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"addr":"`+p.Addr+`","auth":"`+r.Header.Get("Authorization")+`"}`)
	}), nil
}

// start serves echo on a free loopback port with timeouts to.
func start(t *testing.T, to twinhttp.Timeouts) *twinhttp.Server {
	t.Helper()
	srv, err := twinhttp.Start(twinhttp.Settings{Addr: "127.0.0.1:0", Timeouts: to}, echo, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// awaitClose reads conn until the server closes it, failing t if it has
// not within a minute: the server's timeout is what closes it.
func awaitClose(t *testing.T, conn net.Conn, what string) {
	t.Helper()
	if err := conn.SetReadDeadline(time.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	_, err := io.Copy(io.Discard, conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Errorf("%s: the connection is still open after a minute", what)
	}
}

// dial opens a connection to srv.
func dial(t *testing.T, srv *twinhttp.Server) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// The server holds no connection forever (defect 6): an idle keep-alive
// connection, a header that never ends and a body that never comes are
// each closed by their timeout.
func TestServerTimeouts(t *testing.T) {
	const short = 200 * time.Millisecond
	long := time.Hour
	t.Run("idle keep-alive", func(t *testing.T) {
		srv := start(t, twinhttp.Timeouts{ReadHeader: long, Read: long, Write: long, Idle: short})
		conn := dial(t, srv)
		if _, err := io.WriteString(conn, "GET /api/state HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("answer %v, %v", resp, err)
		}
		resp.Body.Close()
		awaitClose(t, conn, "idle keep-alive")
	})
	t.Run("slow header", func(t *testing.T) {
		srv := start(t, twinhttp.Timeouts{ReadHeader: short, Read: long, Write: long, Idle: long})
		conn := dial(t, srv)
		if _, err := io.WriteString(conn, "GET /api/state HTTP/1.1\r\nHost: 127"); err != nil {
			t.Fatal(err)
		}
		awaitClose(t, conn, "slow header")
	})
	t.Run("slow body", func(t *testing.T) {
		srv := start(t, twinhttp.Timeouts{ReadHeader: long, Read: short, Write: long, Idle: long})
		conn := dial(t, srv)
		if _, err := io.WriteString(conn, "POST /api/command HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"node\""); err != nil {
			t.Fatal(err)
		}
		awaitClose(t, conn, "slow body")
	})
}

// Close ends the requests in flight (a forecast stops with its context),
// which then answer, before the connections close.
func TestCloseEndsRequestsInFlight(t *testing.T) {
	entered := make(chan struct{})
	wait := func(api.Policy) (http.Handler, error) {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			close(entered)
			<-r.Context().Done()
			_, _ = io.WriteString(w, "stopped: "+r.Context().Err().Error())
		}), nil
	}
	srv, err := twinhttp.Start(twinhttp.Settings{Addr: "127.0.0.1:0", Timeouts: twinhttp.TimeoutsFor(time.Minute)}, wait, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Errorf("URL %s", srv.URL)
	}
	conn := dial(t, srv)
	if _, err := io.WriteString(conn, "GET /api/forecast HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	<-entered
	closed := make(chan struct{})
	go func() {
		srv.Close()
		close(closed)
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to the request in flight: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if string(body) != "stopped: context canceled" {
		t.Errorf("answer %q", body)
	}
	awaitClose(t, conn, "after Close")
	<-closed
}

// Over TLS, a client that trusts the CA (--ca-file) reaches the API and
// sends its token; the API knows the address it listens on.
func TestServeTLS(t *testing.T) {
	pki := linktest.New(t)
	dir := t.TempDir()
	certFile, keyFile := pki.WriteServerFiles(t, dir)
	caFile, _, _ := pki.WriteFiles(t, dir)
	t.Setenv(twinhttp.TokenEnv, "")
	token := writeTokenFile(t, testToken, 0o600)
	var f twinhttp.ServerFlags
	f.Addr, f.TokenFile, f.CertFile, f.KeyFile, f.MaxForecasts, f.ForecastTimeout = "127.0.0.1:0", token, certFile, keyFile, 1, time.Minute
	s, problems := f.Settings()
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if !s.Policy.TLS || s.TLS == nil {
		t.Fatalf("settings %+v: no TLS", s)
	}
	srv, err := twinhttp.Start(s, echo, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if !strings.HasPrefix(srv.URL, "https://127.0.0.1:") {
		t.Fatalf("URL %s", srv.URL)
	}
	cf := twinhttp.ClientFlags{Twin: srv.URL, TokenFile: token, CAFile: caFile}
	c, problems := cf.Client()
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	code, answer, err := c.Post(context.Background(), "api/command", map[string]string{}, time.Minute, 1<<10)
	want := `{"addr":"` + strings.TrimPrefix(srv.URL, "https://") + `","auth":"Bearer ` + testToken + `"}`
	if err != nil || code != http.StatusOK || string(answer) != want {
		t.Errorf("%d %s %v, want %s", code, answer, err, want)
	}
	cf.CAFile = ""
	c, _ = cf.Client()
	if _, _, err := c.Post(context.Background(), "api/command", nil, time.Minute, 1<<10); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("without the CA: %v", err)
	}
}
