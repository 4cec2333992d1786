package host

import (
	"encoding/json"
	"math"
	"net/http"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// Handler returns the host's HTTP API:
//
//	GET /api/state   the mirror as JSON (see [StateJSON])
//
// and the routes of the analytics (see routes in tree.go, forecast.go and
// deviations.go).
func (h *Host) Handler() http.Handler {
	mux := http.NewServeMux()
	h.trackRoutes(mux)
	h.forecastRoutes(mux)
	h.watchRoutes(mux)
	mux.HandleFunc("GET /api/state", func(w http.ResponseWriter, _ *http.Request) {
		m := h.Mirror()
		writeJSON(w, http.StatusOK, m.JSON())
	})
	return mux
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
	Host        string              `json:"host"`
	Received    uint64              `json:"received"`
	Stats       sparkplug.HostStats `json:"stats"`
	LastError   string              `json:"lastError,omitempty"`
	RecordError string              `json:"recordError,omitempty"`
	Nodes       []NodeJSON          `json:"nodes"`
}

// NodeJSON is one mirrored edge node in [StateJSON].
type NodeJSON struct {
	Group           string       `json:"group"`
	EdgeNode        string       `json:"edgeNode"`
	Online          bool         `json:"online"`
	Stale           bool         `json:"stale"`
	StaleSince      uint64       `json:"staleSince,omitempty"`
	BirthTime       uint64       `json:"birthTime"`
	BdSeq           *uint64      `json:"bdSeq,omitempty"`
	Seq             uint8        `json:"seq"`
	AwaitingRebirth bool         `json:"awaitingRebirth"`
	Metrics         []MetricJSON `json:"metrics"`
	Devices         []DeviceJSON `json:"devices"`
}

// DeviceJSON is one mirrored device in [NodeJSON].
type DeviceJSON struct {
	ID         string       `json:"id"`
	Online     bool         `json:"online"`
	Stale      bool         `json:"stale"`
	StaleSince uint64       `json:"staleSince,omitempty"`
	Metrics    []MetricJSON `json:"metrics"`
}

// MetricJSON is one mirrored metric: Value is a JSON number, boolean or
// string (null when the metric is null).
type MetricJSON struct {
	Name      string `json:"name"`
	Datatype  string `json:"datatype"`
	Value     any    `json:"value"`
	Timestamp uint64 `json:"timestamp"`
	Stale     bool   `json:"stale,omitempty"`
}

// JSON returns the mirror as the /api/state document.
func (m *Mirror) JSON() StateJSON {
	out := StateJSON{
		Host: m.HostID, Received: m.Received, Stats: m.Stats,
		LastError: m.LastError, RecordError: m.RecordError,
		Nodes: make([]NodeJSON, 0, len(m.Nodes)),
	}
	for _, n := range m.Nodes {
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

func metricsJSON(ms []sparkplug.MetricView) []MetricJSON {
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
