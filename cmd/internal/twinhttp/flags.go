package twinhttp

import (
	"crypto/tls"
	"fmt"
	"net"
	"time"

	"github.com/spf13/pflag"

	"github.com/lightsout-sim/lightsout/cmd/internal/durflag"
	"github.com/lightsout-sim/lightsout/twin/api"
)

// DefaultAddr is where twin and demo-twin serve the API when --http is
// not given.
const DefaultAddr = "127.0.0.1:8080"

// ServerFlags are the values of the flags of the twin's HTTP API.
// Register them on a flag set, parse it, then call [ServerFlags.Settings].
type ServerFlags struct {
	// Addr is the address to serve on (--http); empty: no API.
	Addr string
	// TokenFile holds the API token (--api-token-file); empty: the token
	// comes from $LIGHTSOUT_API_TOKEN, if set.
	TokenFile string
	// InsecureNoAuth serves acting requests without a token.
	InsecureNoAuth bool
	// Names are further Host names the API answers to (--http-name).
	Names []string
	// CertFile and KeyFile are the PEM certificate and key of HTTPS.
	CertFile, KeyFile string
	// MaxForecasts and ForecastTimeout bound the forecasts and what-ifs
	// (see api.Policy).
	MaxForecasts    int
	ForecastTimeout time.Duration
}

// Register adds the API's flags to fs, --http defaulting to addr.
func (f *ServerFlags) Register(fs *pflag.FlagSet, addr string) {
	fs.StringVar(&f.Addr, "http", addr, "address of the twin's HTTP API, host:port; empty: none")
	fs.StringVar(&f.TokenFile, "api-token-file", "", "file holding the API token that commands, what-ifs and forecasts with parameters need (default: $"+TokenEnv+")")
	fs.BoolVar(&f.InsecureNoAuth, "insecure-no-auth", false, "serve commands and what-ifs without a token: anyone who reaches --http can act on the line")
	fs.StringArrayVar(&f.Names, "http-name", nil, "a further host name clients reach the API by, e.g. twin.plant (repeatable); other Host headers are refused")
	fs.StringVar(&f.CertFile, "http-cert", "", "PEM certificate of the API: serve HTTPS (with --http-key)")
	fs.StringVar(&f.KeyFile, "http-key", "", "PEM private key of --http-cert")
	fs.IntVar(&f.MaxForecasts, "max-forecasts", api.DefaultMaxForecasts, "forecasts and what-ifs in progress at once (one runs, the others wait); more are answered 429")
	durflag.Var(fs, &f.ForecastTimeout, "forecast-timeout", api.DefaultForecastTimeout, "wall time one forecast or what-if may take before it is stopped (answered 503)")
}

// Settings are what the server needs, from checked flags.
type Settings struct {
	// Addr is the address to serve on; empty: no API.
	Addr string
	// Policy is the API's policy; its Addr is set by Start.
	Policy api.Policy
	// TLS, when not nil, serves HTTPS.
	TLS *tls.Config
	// Timeouts are the server's.
	Timeouts Timeouts
	// Token says where the token came from.
	Token Token
	// Warnings are what Start logs as warnings.
	Warnings []string
}

// Timeouts are an HTTP server's timeouts: reading a request's header,
// reading the whole request, writing the answer, and keeping an idle
// connection open.
type Timeouts struct {
	ReadHeader, Read, Write, Idle time.Duration
}

// TimeoutsFor returns the server timeouts of an API whose forecasts may
// take up to forecast: a request is read within seconds (bodies are
// small), an answer written within the forecast's time plus a margin.
func TimeoutsFor(forecast time.Duration) Timeouts {
	return Timeouts{ReadHeader: 5 * time.Second, Read: 30 * time.Second, Write: forecast + 30*time.Second, Idle: 2 * time.Minute}
}

// Settings checks every flag and returns the server settings, with every
// problem, each naming its flag: the settings are good only without any.
// Beyond loopback the API needs a token unless --insecure-no-auth.
func (f *ServerFlags) Settings() (Settings, []string) {
	s := Settings{Addr: f.Addr, Timeouts: TimeoutsFor(f.ForecastTimeout)}
	var problems []string
	bad := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	if f.Addr == "" {
		if used := f.used(); len(used) > 0 {
			bad("%s: no HTTP API to serve (--http is empty)", used[0])
		}
		return s, problems
	}
	host, _, addrErr := net.SplitHostPort(f.Addr)
	if addrErr != nil {
		bad("--http %s: want host:port, e.g. %s", f.Addr, DefaultAddr)
	}
	tok, tokErr := LoadToken(f.TokenFile)
	if tokErr != nil {
		bad("%v", tokErr)
	} else if tok.Value != "" && len(tok.Value) < MinTokenLen {
		bad("%s: the token has %d characters: want at least %d", tok.Source, len(tok.Value), MinTokenLen)
	}
	s.Token = tok
	if tok.Warning != "" {
		s.Warnings = append(s.Warnings, tok.Warning)
	}
	loopback := isLoopback(host)
	switch {
	case tok.Value != "" && f.InsecureNoAuth:
		bad("--insecure-no-auth: a token is given too (%s): give one or the other", tok.Source)
	case tok.Value == "" && !f.InsecureNoAuth && !loopback && addrErr == nil && tokErr == nil:
		bad("--http %s: beyond loopback the API needs a token: give --api-token-file FILE or set %s (or --insecure-no-auth to serve it without one)", f.Addr, TokenEnv)
	case f.InsecureNoAuth:
		s.Warnings = append(s.Warnings, fmt.Sprintf("--insecure-no-auth: anyone who reaches %s can command the line", f.Addr))
	}
	s.Policy = api.Policy{Token: tok.Value, Open: f.InsecureNoAuth, Names: f.Names,
		MaxForecasts: f.MaxForecasts, ForecastTimeout: f.ForecastTimeout}
	problems = append(problems, f.checkLimits()...)
	problems = append(problems, f.loadTLS(&s)...)
	if s.TLS == nil && !loopback && tok.Value != "" {
		s.Warnings = append(s.Warnings, fmt.Sprintf("--http %s without --http-cert: the API token travels in clear", f.Addr))
	}
	return s, problems
}

// used returns the flags that need an API, given without one.
func (f *ServerFlags) used() []string {
	var used []string
	for _, v := range []struct {
		name string
		set  bool
	}{
		{"--api-token-file", f.TokenFile != ""}, {"--insecure-no-auth", f.InsecureNoAuth}, {"--http-name", len(f.Names) > 0},
		{"--http-cert", f.CertFile != ""}, {"--http-key", f.KeyFile != ""},
	} {
		if v.set {
			used = append(used, v.name)
		}
	}
	return used
}

// checkLimits checks the Host names and the forecasts' bounds.
func (f *ServerFlags) checkLimits() []string {
	var problems []string
	for _, n := range f.Names {
		if n == "" || net.ParseIP(n) != nil {
			problems = append(problems, fmt.Sprintf("--http-name %q: want a host name such as twin.plant (IP addresses are accepted as they are)", n))
		} else if _, _, err := net.SplitHostPort(n); err == nil || !validName(n) {
			problems = append(problems, fmt.Sprintf("--http-name %q: want a host name without port, such as twin.plant", n))
		}
	}
	if f.MaxForecasts < 1 || f.MaxForecasts > 64 {
		problems = append(problems, fmt.Sprintf("--max-forecasts %d: want 1 to 64", f.MaxForecasts))
	}
	if f.ForecastTimeout < time.Second || f.ForecastTimeout > time.Hour {
		problems = append(problems, fmt.Sprintf("--forecast-timeout %v: want 1s to 1h", f.ForecastTimeout))
	}
	return problems
}

// validName reports whether n is made of the letters, digits, dots and
// hyphens of a DNS name.
func validName(n string) bool {
	for _, c := range n {
		if !(c == '.' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// loadTLS loads --http-cert and --http-key into s.
func (f *ServerFlags) loadTLS(s *Settings) []string {
	switch {
	case (f.CertFile == "") != (f.KeyFile == ""):
		return []string{"--http-cert and --http-key go together: give both or neither"}
	case f.CertFile == "":
		return nil
	}
	cert, err := tls.LoadX509KeyPair(f.CertFile, f.KeyFile)
	if err != nil {
		return []string{fmt.Sprintf("--http-cert %s, --http-key %s: %v", f.CertFile, f.KeyFile, err)}
	}
	s.TLS = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
	s.Policy.TLS = true
	return nil
}

// isLoopback reports whether host is a loopback IP address or localhost.
// Any other name counts as beyond loopback, whatever it resolves to.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
