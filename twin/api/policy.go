package api

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// Defaults of a [Policy]'s limits.
const (
	// DefaultMaxBody caps a request's body: the largest route's (a
	// what-if) is far smaller.
	DefaultMaxBody = 64 << 10
	// DefaultMaxForecasts caps the forecasts and what-ifs in progress at
	// once: one runs, the others wait their turn.
	DefaultMaxForecasts = 2
	// DefaultForecastTimeout caps the wall time of one forecast or
	// what-if, waiting for its turn included.
	DefaultForecastTimeout = 2 * time.Minute
	// RetryAfter is what a busy answer (429) tells the client to wait.
	RetryAfter = 5 * time.Second
)

// A Policy says who may use the API and how much work one request may
// cost. Reading routes are open; acting and costly ones (POST
// /api/command, POST /api/whatif, GET /api/forecast with parameters) need
// "Authorization: Bearer <Token>". Every route refuses a Host header that
// names neither the API's address, nor a loopback name, nor one of Names
// (DNS rebinding), and an Origin other than the API's own; every POST
// must say Content-Type: application/json. The zero Policy serves the
// reading routes to local clients and refuses every acting one.
type Policy struct {
	// Token is the bearer token of acting and costly requests, compared in
	// constant time. Empty: they are refused (403), unless Open.
	Token string
	// Open serves acting and costly requests without a token (the
	// command line's --insecure-no-auth). It excludes Token.
	Open bool
	// Addr is the address the API listens on, host:port: its host is a
	// name the Host header may give. A wildcard host (empty, 0.0.0.0 or
	// ::) accepts any IP address as the Host, which DNS rebinding cannot
	// forge; a loopback address and "localhost" are always accepted.
	Addr string
	// Names are further names the Host header may give (the names the
	// twin is reached by, such as twin.plant), without a port.
	Names []string
	// TLS says the API is served over HTTPS: its own origin is
	// https://<Host>, else http://<Host>.
	TLS bool
	// MaxBody caps a request's body in bytes (413 beyond); 0 means
	// DefaultMaxBody.
	MaxBody int64
	// MaxForecasts caps the forecasts and what-ifs in progress at once
	// (429 beyond, with Retry-After); 0 means DefaultMaxForecasts.
	MaxForecasts int
	// ForecastTimeout caps the wall time of one forecast or what-if: it is
	// stopped then and answered 503; 0 means DefaultForecastTimeout.
	ForecastTimeout time.Duration

	// costlyDone, when set, is told how each forecast or what-if that got
	// a slot ended (tests).
	costlyDone func(err error)
}

// withDefaults returns p with its zero limits filled in, or the first
// problem with it.
func (p Policy) withDefaults() (Policy, error) {
	if p.MaxBody == 0 {
		p.MaxBody = DefaultMaxBody
	}
	if p.MaxForecasts == 0 {
		p.MaxForecasts = DefaultMaxForecasts
	}
	if p.ForecastTimeout == 0 {
		p.ForecastTimeout = DefaultForecastTimeout
	}
	switch {
	case p.Open && p.Token != "":
		return p, errors.New("api: a token and an open API exclude each other")
	case p.MaxBody < 0, p.MaxForecasts < 0, p.ForecastTimeout < 0:
		return p, fmt.Errorf("api: negative limit (body %d, forecasts %d, timeout %v)", p.MaxBody, p.MaxForecasts, p.ForecastTimeout)
	}
	if p.Addr != "" {
		if _, _, err := net.SplitHostPort(p.Addr); err != nil {
			return p, fmt.Errorf("api: address %q: %v", p.Addr, err)
		}
	}
	for _, n := range p.Names {
		if n == "" || strings.ContainsAny(n, ":/ ") {
			return p, fmt.Errorf("api: Host name %q: want a name without port, such as twin.plant", n)
		}
	}
	return p, nil
}

// hosts is what a Host header may name.
type hosts struct {
	names map[string]bool // lower case, no trailing dot
	ip    net.IP          // the address's IP, when it is one
	anyIP bool            // the address is a wildcard
}

// hostsOf returns the Host names p accepts besides the loopback ones.
func hostsOf(p *Policy) hosts {
	h := hosts{names: map[string]bool{"localhost": true}}
	for _, n := range p.Names {
		h.names[canonicalName(n)] = true
	}
	if p.Addr == "" {
		return h
	}
	host, _, _ := net.SplitHostPort(p.Addr)
	switch ip := net.ParseIP(host); {
	case host == "" || (ip != nil && ip.IsUnspecified()):
		h.anyIP = true
	case ip != nil:
		h.ip = ip
	default:
		h.names[canonicalName(host)] = true
	}
	return h
}

// allows reports whether a request's Host header names the API. An empty
// Host (HTTP/1.0) is allowed: browsers always send one.
func (h *hosts) allows(hostHeader string) bool {
	if hostHeader == "" {
		return true
	}
	name := hostHeader
	if host, _, err := net.SplitHostPort(hostHeader); err == nil {
		name = host
	}
	name = canonicalName(strings.TrimSuffix(strings.TrimPrefix(name, "["), "]"))
	if ip := net.ParseIP(name); ip != nil {
		return ip.IsLoopback() || h.anyIP || ip.Equal(h.ip)
	}
	return h.names[name]
}

// canonicalName returns a host name in lower case without a trailing dot.
func canonicalName(n string) string {
	return strings.ToLower(strings.TrimSuffix(n, "."))
}
