package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

// Reasons a request is refused, the label of http_refused_total.
const (
	refusedHost        = "host"         // 403: a Host header that does not name the API
	refusedOrigin      = "origin"       // 403: an Origin other than the API's own
	refusedContentType = "content_type" // 415: a POST that is not application/json
	refusedTooLarge    = "too_large"    // 413: a body over the limit
	refusedNoToken     = "no_token"     // 401: an acting request without a token
	refusedBadToken    = "bad_token"    // 401: an acting request with a wrong token
	refusedDisabled    = "disabled"     // 403: an acting request to an API without a token
	refusedBusy        = "busy"         // 429: every forecast slot taken
)

// realm is the realm of the API's WWW-Authenticate challenges.
const realm = `Bearer realm="lightsout twin"`

// guard applies a Policy to the API's requests and counts what it refuses.
type guard struct {
	p       Policy
	hosts   hosts
	token   [sha256.Size]byte // the token's hash, compared in constant time
	slots   chan struct{}     // one per forecast or what-if in progress
	refused *prometheus.CounterVec
	outcome *prometheus.CounterVec
}

// newGuard returns the guard of p (its defaults filled in).
func newGuard(p Policy) *guard {
	g := &guard{p: p, hosts: hostsOf(&p), token: sha256.Sum256([]byte(p.Token)),
		slots: make(chan struct{}, p.MaxForecasts)}
	g.refused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "lightsout_twin_http_refused_total",
		Help: "HTTP requests the API refused, by reason (host, origin, content_type, too_large, no_token, bad_token, disabled, busy).",
	}, []string{"reason"})
	for _, r := range []string{refusedHost, refusedOrigin, refusedContentType, refusedTooLarge,
		refusedNoToken, refusedBadToken, refusedDisabled, refusedBusy} {
		g.refused.WithLabelValues(r)
	}
	g.outcome = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "lightsout_twin_forecasts_total",
		Help: "Forecasts and what-ifs the API ran, by outcome (done, failed, timeout, cancelled: the client left).",
	}, []string{"outcome"})
	for _, o := range []string{outcomeDone, outcomeFailed, outcomeTimeout, outcomeCancelled} {
		g.outcome.WithLabelValues(o)
	}
	return g
}

// collectors returns the guard's metrics, for the API's registry.
func (g *guard) collectors() []prometheus.Collector {
	inProgress := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "lightsout_twin_forecasts_in_progress",
		Help: "Forecasts and what-ifs running or waiting for their turn.",
	}, func() float64 { return float64(len(g.slots)) })
	return []prometheus.Collector{g.refused, g.outcome, inProgress}
}

// refuse answers a refused request with status and msg, counting it.
func (g *guard) refuse(w http.ResponseWriter, reason string, status int, msg string) {
	g.refused.WithLabelValues(reason).Inc()
	writeJSON(w, status, errorJSON{Error: msg})
}

// checked serves next the requests that pass the checks of every route:
// the Host header, the Origin, the body's size and, for a POST, its
// Content-Type.
func (g *guard) checked(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !g.hosts.allows(r.Host) {
			g.refuse(w, refusedHost, http.StatusForbidden,
				fmt.Sprintf("Host %q: not a name of this twin (add it with the twin's --http-name)", r.Host))
			return
		}
		if origins := r.Header.Values("Origin"); len(origins) > 0 {
			scheme := "http://"
			if g.p.TLS {
				scheme = "https://"
			}
			if len(origins) > 1 || !strings.EqualFold(origins[0], scheme+r.Host) {
				g.refuse(w, refusedOrigin, http.StatusForbidden,
					fmt.Sprintf("Origin %q: cross-origin requests are refused", strings.Join(origins, ", ")))
				return
			}
		}
		if r.ContentLength > g.p.MaxBody {
			g.refuse(w, refusedTooLarge, http.StatusRequestEntityTooLarge,
				fmt.Sprintf("body: %d bytes, more than the %d allowed", r.ContentLength, g.p.MaxBody))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, g.p.MaxBody)
		if r.Method == http.MethodPost {
			if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
				g.refuse(w, refusedContentType, http.StatusUnsupportedMediaType,
					fmt.Sprintf("Content-Type %q: want application/json", r.Header.Get("Content-Type")))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// acting serves next only the requests that may act: those with the
// token (any, when the policy is open). acts says whether a request acts
// or costs CPU; one that does not is served as it is.
func (g *guard) acting(acts func(*http.Request) bool, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if g.p.Open || !acts(r) {
			next(w, r)
			return
		}
		if g.p.Token == "" {
			g.refuse(w, refusedDisabled, http.StatusForbidden,
				"this twin was started without an API token: it takes no commands, what-ifs or forecasts with parameters")
			return
		}
		given, ok := bearer(r.Header.Get("Authorization"))
		switch {
		case !ok:
			w.Header().Set("WWW-Authenticate", realm)
			g.refuse(w, refusedNoToken, http.StatusUnauthorized, "this request needs the twin's API token (header Authorization: Bearer TOKEN)")
		case !g.tokenMatches(given):
			w.Header().Set("WWW-Authenticate", realm+`, error="invalid_token"`)
			g.refuse(w, refusedBadToken, http.StatusUnauthorized, "the API token is wrong")
		default:
			next(w, r)
		}
	}
}

// always says that every request of a route acts.
func always(*http.Request) bool { return true }

// tokenMatches compares given with the policy's token in constant time:
// hashing both first hides the token's length too.
func (g *guard) tokenMatches(given string) bool {
	sum := sha256.Sum256([]byte(given))
	return subtle.ConstantTimeCompare(sum[:], g.token[:]) == 1
}

// bearer returns the token of an "Authorization: Bearer <token>" header.
func bearer(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}
