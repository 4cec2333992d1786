package api

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"

	"github.com/lightsout-sim/lightsout/twin/forecast"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/monitor"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
)

// A Commander sends commands to the devices the mirror knows: it builds
// the DCMD with the mirror (mirror.Mirror.Command) and publishes it on the
// host's broker connection. Errors: mirror.ErrNotConnected, and those of
// mirror.Mirror.Command.
type Commander interface {
	SendCommand(ctx context.Context, r mirror.CommandRequest) (sparkplug.Topic, error)
}

// Twin is what the API serves: the mirror, its monitor, and optionally
// the forecaster (nil: no model loaded, forecasts answer 409), a
// commander (nil: POST /api/command answers 503) and the autopilot (nil:
// none runs, /api/autopilot answers 404).
type Twin struct {
	Mirror    *mirror.Mirror
	Monitor   *monitor.Monitor
	Forecast  *forecast.Forecaster
	Commands  Commander
	Autopilot Autopilot
	// History is the modelled line's output history (nil: no model,
	// /api/history answers 409).
	History *mirror.History
}

// Handler returns the twin's HTTP API under the policy p:
//
//	route                  access            what
//	GET  /api/state        open              the mirror (StateJSON)
//	GET  /api/tree         open              the ISA-95 tree (monitor.Tree)
//	GET  /api/kpis         open              the live KPIs (monitor.KPIs)
//	GET  /api/deviations   open              deviation events, ?since=<ms> (DeviationsJSON)
//	GET  /api/history      open              output per 5 simulated minutes, the last day
//	                                         at most, ?buckets=<n> (HistoryJSON)
//	GET  /api/forecast     open; token with  ?until=&replications=&seed= (forecast.ForecastJSON)
//	                       any parameter
//	POST /api/whatif       token             a forecast.WhatIfRequest (forecast.WhatIfJSON)
//	POST /api/command      token             a mirror.CommandRequest (CommandResponseJSON)
//	GET  /api/autopilot    open              the autopilot's status and decisions,
//	                                         ?since=<seq> (autopilot.Status)
//	POST /api/autopilot    token             an AutopilotRequest: hold or release
//	                                         (AutopilotResponseJSON)
//	GET  /metrics          open              Prometheus text exposition (see MetricsHandler)
//
// Every route first checks the Host header (403 when it names neither
// p.Addr, nor a loopback name, nor one of p.Names), the Origin (403 when
// given and not the API's own), the body's size (413 over p.MaxBody) and,
// for a POST, the Content-Type (415 unless application/json). A route
// that needs the token answers 401 with a WWW-Authenticate challenge
// without the right one, and 403 when the policy has no token and is not
// open. Forecasts and what-ifs run with the request's context (a client
// that leaves stops its replications), at most p.MaxForecasts at once (429
// with Retry-After beyond) and for at most p.ForecastTimeout (503).
// /metrics adds to MetricsHandler's metrics:
//
//	http_refused_total               requests refused (label reason)
//	forecasts_total                  forecasts and what-ifs (label outcome)
//	forecasts_in_progress            running or waiting for their turn
//
// and, when an autopilot runs, lightsout_twin_autopilot_ epochs_total,
// held_epochs_total, errors_total, decisions_total,
// decisions_by_outcome_total (label outcome: applied, recommended,
// capped, held, invalid), commands_total (label result: sent, failed)
// and held (1 while an operator holds it).
//
// Errors are JSON {"error": "..."}. It fails on a bad policy, or when the
// Prometheus registry refuses the collector.
func Handler(t Twin, p Policy) (http.Handler, error) {
	if t.Mirror == nil || t.Monitor == nil {
		return nil, errors.New("api: a mirror and a monitor are needed")
	}
	p, err := p.withDefaults()
	if err != nil {
		return nil, err
	}
	g := newGuard(p)
	extra := g.collectors()
	if t.Autopilot != nil {
		extra = append(extra, newAutopilotCollector(t.Autopilot))
	}
	prom, err := MetricsHandler(t.Mirror, t.Monitor, extra...)
	if err != nil {
		return nil, err
	}
	s := &server{t: t, g: g}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/state", func(w http.ResponseWriter, _ *http.Request) {
		v := t.Mirror.View()
		writeJSON(w, http.StatusOK, StateOf(&v))
	})
	mux.HandleFunc("GET /api/tree", func(w http.ResponseWriter, _ *http.Request) {
		v := t.Mirror.View()
		writeJSON(w, http.StatusOK, t.Monitor.Tree(&v))
	})
	mux.HandleFunc("GET /api/kpis", func(w http.ResponseWriter, _ *http.Request) {
		v := t.Mirror.View()
		writeJSON(w, http.StatusOK, t.Monitor.KPIs(&v))
	})
	mux.HandleFunc("GET /api/deviations", s.serveDeviations)
	mux.HandleFunc("GET /api/history", s.serveHistory)
	mux.HandleFunc("GET /api/forecast", g.acting(withParameters, s.serveForecast))
	mux.HandleFunc("POST /api/whatif", g.acting(always, s.serveWhatIf))
	mux.HandleFunc("POST /api/command", g.acting(always, s.serveCommand))
	mux.HandleFunc("GET /api/autopilot", s.serveAutopilot)
	mux.HandleFunc("POST /api/autopilot", g.acting(always, s.serveAutopilotHold))
	mux.Handle("GET /metrics", prom)
	return g.checked(mux), nil
}

// server holds what the handlers serve and the guard of its policy.
type server struct {
	t Twin
	g *guard
}

// errorJSON is the body of every error answer of the API.
type errorJSON struct {
	Error string `json:"error"`
}

// writeJSON answers v as indented JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// StateJSON is the document GET /api/state returns. Times are ms since
// the Unix epoch.
type StateJSON struct {
	// Host is the twin's Sparkplug host id.
	Host string `json:"host"`
	// Received counts the MQTT messages the twin has received.
	Received uint64 `json:"received"`
	// Stats are the Sparkplug session's counters.
	Stats host.Stats `json:"stats"`
	// LastError is the last error of the broker connection, if any.
	LastError string `json:"last_error,omitempty"`
	// RecordError is the error that stopped --record, if any.
	RecordError string `json:"record_error,omitempty"`
	// Nodes are the mirrored edge nodes.
	Nodes []NodeJSON `json:"nodes"`
}

// NodeJSON is one mirrored edge node in [StateJSON].
type NodeJSON struct {
	// Group is the Sparkplug group.
	Group string `json:"group"`
	// EdgeNode is the node's id (<node>-L<k> for copy k of a line).
	EdgeNode string `json:"edge_node"`
	// Online says the node is born and not dead.
	Online bool `json:"online"`
	// Stale says the node went silent for longer than the host allows.
	Stale bool `json:"stale"`
	// StaleSince is when the node went stale, ms since the Unix epoch.
	StaleSince uint64 `json:"stale_since,omitempty"`
	// BirthTime is the time of the node's last birth, ms since the Unix epoch.
	BirthTime uint64 `json:"birth_time"`
	// BdSeq is the birth/death sequence number of the node's session.
	BdSeq *uint64 `json:"bd_seq,omitempty"`
	// Seq is the sequence number of the node's last message.
	Seq uint8 `json:"seq"`
	// AwaitingRebirth says the twin asked for a rebirth and waits for it.
	AwaitingRebirth bool `json:"awaiting_rebirth"`
	// Metrics are the node's metrics.
	Metrics []MetricJSON `json:"metrics"`
	// Devices are the node's devices.
	Devices []DeviceJSON `json:"devices"`
}

// DeviceJSON is one mirrored device in [NodeJSON].
type DeviceJSON struct {
	// ID is the device's id: a station's or an arm's.
	ID string `json:"id"`
	// Online says the device is born.
	Online bool `json:"online"`
	// Stale says the device went silent for longer than the host allows.
	Stale bool `json:"stale"`
	// StaleSince is when the device went stale, ms since the Unix epoch.
	StaleSince uint64 `json:"stale_since,omitempty"`
	// Metrics are the device's metrics.
	Metrics []MetricJSON `json:"metrics"`
}

// MetricJSON is one mirrored metric: Value is a JSON number, boolean or
// string (null when the metric is null).
type MetricJSON struct {
	// Name is the metric's name ("Buffer/Level").
	Name string `json:"name"`
	// Datatype is the metric's Sparkplug datatype ("Int64").
	Datatype string `json:"datatype"`
	// Value is the metric's last value.
	Value any `json:"value"`
	// Timestamp is the value's time, ms since the Unix epoch.
	Timestamp uint64 `json:"timestamp"`
	// Stale says the value is stale (its node or device went silent).
	Stale bool `json:"stale,omitempty"`
}

// StateOf returns the /api/state document of a view of the mirror.
func StateOf(v *mirror.View) StateJSON {
	out := StateJSON{
		Host: v.HostID, Received: v.Received, Stats: v.Stats,
		LastError: v.LastError, RecordError: v.RecordError,
		Nodes: make([]NodeJSON, 0, len(v.Nodes)),
	}
	for _, n := range v.Nodes {
		nj := NodeJSON{
			Group: n.Group, EdgeNode: n.EdgeNode, Online: n.Online, Stale: n.Stale,
			StaleSince: n.StaleSince, BirthTime: n.BirthTime, Seq: n.Seq,
			AwaitingRebirth: n.AwaitingRebirth, Metrics: metricsJSON(n.Metrics),
			Devices: make([]DeviceJSON, 0, len(n.Devices)),
		}
		if n.HasBdSeq {
			bd := n.BdSeq
			nj.BdSeq = &bd
		}
		for _, d := range n.Devices {
			nj.Devices = append(nj.Devices, DeviceJSON{
				ID: d.ID, Online: d.Online, Stale: d.Stale, StaleSince: d.StaleSince,
				Metrics: metricsJSON(d.Metrics),
			})
		}
		out.Nodes = append(out.Nodes, nj)
	}
	return out
}

func metricsJSON(ms []host.MetricView) []MetricJSON {
	out := make([]MetricJSON, 0, len(ms))
	for _, m := range ms {
		out = append(out, MetricJSON{
			Name: m.Name, Datatype: m.Datatype.String(), Value: jsonValue(m.Value, m.IsNull),
			Timestamp: m.Timestamp, Stale: m.Stale,
		})
	}
	return out
}

// jsonValue returns v as a value encoding/json writes as a number,
// boolean or string.
func jsonValue(v sparkplug.Value, null bool) any {
	if null || v.IsZero() {
		return nil
	}
	if i, ok := v.Int64(); ok {
		return i
	}
	if u, ok := v.Uint64(); ok {
		return u
	}
	if f, ok := v.Float64(); ok {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return v.String() // JSON has no NaN or infinity
		}
		return f
	}
	if b, ok := v.Boolean(); ok {
		return b
	}
	if s, ok := v.Text(); ok {
		return s
	}
	return v.String()
}
