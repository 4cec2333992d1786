package twinhttp_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/lightsout-sim/lightsout/cmd/internal/twinhttp"
)

const testToken = "0123456789abcdef-test"

// writeTokenFile writes content to a file of mode perm and returns its path.
func writeTokenFile(t *testing.T, content string, perm os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil {
		t.Fatal(err)
	}
	return path
}

// parse registers the server flags, parses args and returns the settings.
func parse(t *testing.T, args ...string) (twinhttp.Settings, []string) {
	t.Helper()
	var f twinhttp.ServerFlags
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	f.Register(fs, twinhttp.DefaultAddr)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return f.Settings()
}

// Beyond loopback the API needs a token, unless --insecure-no-auth (then
// with a warning); on loopback it runs without one, taking no commands.
func TestSettingsTokenRules(t *testing.T) {
	good := writeTokenFile(t, testToken+"\n", 0o600)
	for _, c := range []struct {
		env     string
		args    []string
		problem string // in the only problem; "" for none
		token   string
		open    bool
		warning string
	}{
		{"", nil, "", "", false, ""},
		{"", []string{"--http", "localhost:0"}, "", "", false, ""},
		{"", []string{"--http", "[::1]:8080"}, "", "", false, ""},
		{"", []string{"--http", "0.0.0.0:8080"}, "--http 0.0.0.0:8080: beyond loopback the API needs a token: give --api-token-file FILE or set LIGHTSOUT_API_TOKEN (or --insecure-no-auth", "", false, ""},
		{"", []string{"--http", ":8080"}, "beyond loopback", "", false, ""},
		{"", []string{"--http", "twin.plant:8080"}, "beyond loopback", "", false, ""},
		{"", []string{"--http", "0.0.0.0:8080", "--insecure-no-auth"}, "", "", true, "anyone who reaches 0.0.0.0:8080 can command the line"},
		{"", []string{"--http", "0.0.0.0:8080", "--api-token-file", good}, "", testToken, false, "travels in clear"},
		{testToken + "-env", []string{"--http", "0.0.0.0:8080"}, "", testToken + "-env", false, "travels in clear"},
		{testToken + "-env", []string{"--api-token-file", good}, "", testToken, false, ""},
		{testToken, []string{"--insecure-no-auth"}, "--insecure-no-auth: a token is given too ($LIGHTSOUT_API_TOKEN)", "", false, ""},
		{"short", nil, "$LIGHTSOUT_API_TOKEN: the token has 5 characters: want at least 16", "", false, ""},
		{"  ", nil, "$LIGHTSOUT_API_TOKEN: only white space", "", false, ""},
		{"", []string{"--api-token-file", filepath.Join(t.TempDir(), "none")}, "--api-token-file: open ", "", false, ""},
		{"", []string{"--api-token-file", writeTokenFile(t, "\n", 0o600)}, "empty", "", false, ""},
		{"", []string{"--api-token-file", writeTokenFile(t, "two words here, sixteen+", 0o600)}, "a space", "", false, ""},
		{"", []string{"--api-token-file", writeTokenFile(t, strings.Repeat("x", 5000), 0o600)}, "longer than 4096 bytes", "", false, ""},
		{"", []string{"--api-token-file", writeTokenFile(t, testToken, 0o644)}, "", testToken, false, "can be read by other users (mode 0644): chmod 600 it"},
	} {
		t.Run(strings.Join(c.args, " ")+" env "+c.env, func(t *testing.T) {
			t.Setenv(twinhttp.TokenEnv, c.env)
			s, problems := parse(t, c.args...)
			if c.problem != "" {
				if len(problems) != 1 || !strings.Contains(problems[0], c.problem) {
					t.Fatalf("problems %q, want one with %q", problems, c.problem)
				}
				return
			}
			if len(problems) > 0 {
				t.Fatalf("problems %q", problems)
			}
			if s.Policy.Token != c.token || s.Policy.Open != c.open {
				t.Errorf("token %q, open %v", s.Policy.Token, s.Policy.Open)
			}
			if c.warning != "" && !strings.Contains(strings.Join(s.Warnings, "\n"), c.warning) {
				t.Errorf("warnings %q lack %q", s.Warnings, c.warning)
			}
			if c.warning == "" && len(s.Warnings) > 0 {
				t.Errorf("warnings %q", s.Warnings)
			}
		})
	}
}

// Every bad flag is reported at once, each naming its flag.
func TestSettingsReportEveryProblem(t *testing.T) {
	t.Setenv(twinhttp.TokenEnv, "")
	_, problems := parse(t, "--http", "0.0.0.0", "--http-name", "twin.plant:80", "--http-name", "10.0.0.1", "--http-name", "a/b",
		"--http-cert", "cert.pem", "--max-forecasts", "0", "--forecast-timeout", "1ms")
	for i, want := range []string{"--http 0.0.0.0: want host:port", `--http-name "twin.plant:80"`, `--http-name "10.0.0.1"`,
		`--http-name "a/b"`, "--max-forecasts 0: want 1 to 64", "--forecast-timeout 1ms: want 1s to 1h", "--http-cert and --http-key go together"} {
		if i >= len(problems) || !strings.HasPrefix(problems[i], want) {
			t.Errorf("problem %d: %q, want %q (all: %q)", i, problems, want, problems)
		}
	}
	if _, problems := parse(t, "--http", "", "--http-cert", "c.pem"); len(problems) != 1 || !strings.Contains(problems[0], "--http-cert: no HTTP API to serve") {
		t.Errorf("--http-cert without --http: %q", problems)
	}
	if _, problems := parse(t, "--http-cert", "c.pem", "--http-key", "k.pem"); len(problems) != 1 || !strings.HasPrefix(problems[0], "--http-cert c.pem, --http-key k.pem: ") {
		t.Errorf("missing certificate files: %q", problems)
	}
}

// The server's timeouts are all set, writing long enough for a forecast
// at its time limit.
func TestTimeoutsFor(t *testing.T) {
	for _, forecast := range []time.Duration{time.Second, 2 * time.Minute, time.Hour} {
		to := twinhttp.TimeoutsFor(forecast)
		if to.ReadHeader <= 0 || to.Read < to.ReadHeader || to.Write <= forecast || to.Idle <= 0 {
			t.Errorf("forecast %v: timeouts %+v", forecast, to)
		}
	}
}
