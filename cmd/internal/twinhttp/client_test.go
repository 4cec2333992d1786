package twinhttp_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/cmd/internal/twinhttp"
)

// A client sends its token, from the file or else the environment, and
// says where it came from when the twin refuses it.
func TestClientToken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Content-Type") != "application/json" {
			w.WriteHeader(http.StatusUnsupportedMediaType)
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":"the API token is wrong"}`))
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	file := writeTokenFile(t, testToken+"\n", 0o600)
	wrong := writeTokenFile(t, "wrong", 0o600)
	for _, c := range []struct {
		env, file string
		status    int
		msg       string
	}{
		{testToken, "", http.StatusAccepted, ""},
		{"other", file, http.StatusAccepted, ""},
		{"", "", http.StatusUnauthorized, "the twin at " + srv.URL + "/api/command needs its API token: give --api-token-file FILE or set LIGHTSOUT_API_TOKEN (HTTP 401: the API token is wrong)"},
		{"other", "", http.StatusUnauthorized, "refused the API token from $LIGHTSOUT_API_TOKEN (HTTP 401: the API token is wrong)"},
		{testToken, wrong, http.StatusUnauthorized, "refused the API token from --api-token-file " + wrong + " (HTTP 401"},
	} {
		t.Setenv(twinhttp.TokenEnv, c.env)
		f := twinhttp.ClientFlags{Twin: srv.URL, TokenFile: c.file}
		cl, problems := f.Client()
		if len(problems) > 0 {
			t.Fatal(problems)
		}
		status, _, err := cl.Post(context.Background(), "api/command", struct{}{}, time.Minute, 1<<10)
		var ae *twinhttp.AuthError
		switch {
		case status != c.status:
			t.Errorf("env %q, file %q: status %d, want %d", c.env, c.file, status, c.status)
		case c.msg == "" && err != nil:
			t.Errorf("env %q, file %q: %v", c.env, c.file, err)
		case c.msg != "" && (!errors.As(err, &ae) || !strings.Contains(err.Error(), c.msg)):
			t.Errorf("env %q, file %q: %v, want an AuthError saying %q", c.env, c.file, err, c.msg)
		}
	}
}

// The client's flags are checked at once, each problem naming its flag.
func TestClientFlags(t *testing.T) {
	t.Setenv(twinhttp.TokenEnv, "")
	f := twinhttp.ClientFlags{Twin: "127.0.0.1:8080", TokenFile: filepath.Join(t.TempDir(), "none"), CAFile: filepath.Join(t.TempDir(), "ca.pem")}
	_, problems := f.Client()
	for i, want := range []string{`--twin "127.0.0.1:8080": want an http:// or https:// URL`, "--api-token-file: open", "--ca-file: open"} {
		if i >= len(problems) || !strings.HasPrefix(problems[i], want) {
			t.Errorf("problem %d: want %q, all: %q", i, want, problems)
		}
	}
	f = twinhttp.ClientFlags{Twin: "http://twin.plant:8080", CAFile: writeTokenFile(t, "not PEM", 0o600)}
	_, problems = f.Client()
	if len(problems) != 2 || !strings.Contains(problems[0], "is not https://") || !strings.Contains(problems[1], "no PEM certificate") {
		t.Errorf("problems %q", problems)
	}
}
