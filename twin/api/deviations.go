package api

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
)

// DeviationsJSON is the document GET /api/deviations returns.
type DeviationsJSON struct {
	// Counts are the events raised per kind, including those dropped.
	Counts map[string]uint64 `json:"counts"`
	// Events are the kept events at or after ?since, oldest first.
	Events []DeviationJSON `json:"events"`
}

// DeviationJSON is one event in [DeviationsJSON].
type DeviationJSON struct {
	// Seq numbers the monitor's events from 1, in the order raised.
	Seq uint64 `json:"seq"`
	// Time is when the event happened on the line's clock (metric
	// timestamps), in UTC.
	Time time.Time `json:"time"`
	// Ms is Time in ms since the Unix epoch.
	Ms int64 `json:"ms"`
	// Group is the Sparkplug group of the device's edge node.
	Group string `json:"group,omitempty"`
	// Device is what the event is about: a station, an arm or an edge node.
	Device string `json:"device"`
	// Kind is the kind of deviation, one of the keys of counts.
	Kind string `json:"kind"`
	// Reason says what deviated, in words.
	Reason string `json:"reason"`
	// Value is the figure that deviated: a number, or "NaN", "+Inf" or
	// "-Inf".
	Value any `json:"value"`
	// Limit is the limit Value was checked against, written as Value is.
	Limit any `json:"limit"`
}

// serveDeviations answers GET /api/deviations[?since=<ms>]: the kept
// deviation events (DeviationsJSON).
func (s *server) serveDeviations(w http.ResponseWriter, r *http.Request) {
	since := int64(math.MinInt64)
	q := r.URL.Query()
	for k, vs := range q {
		if k != "since" {
			writeJSON(w, http.StatusBadRequest, errorJSON{Error: fmt.Sprintf("%s: unknown query parameter (want since)", k)})
			return
		}
		if len(vs) != 1 {
			writeJSON(w, http.StatusBadRequest, errorJSON{Error: "since: give it once"})
			return
		}
		v, err := strconv.ParseInt(vs[0], 10, 64)
		if err != nil || v < 0 {
			writeJSON(w, http.StatusBadRequest, errorJSON{Error: fmt.Sprintf("since: want ms since the Unix epoch, got %q", vs[0])})
			return
		}
		since = v
	}
	evs := s.t.Monitor.DeviationsSince(since)
	doc := DeviationsJSON{Counts: map[string]uint64{}, Events: make([]DeviationJSON, 0, len(evs))}
	for k, n := range s.t.Monitor.DeviationCounts() {
		doc.Counts[k.String()] = n
	}
	for _, d := range evs {
		doc.Events = append(doc.Events, DeviationJSON{
			Seq: d.Seq, Time: time.UnixMilli(d.Ms()).UTC(), Ms: d.Ms(), Group: d.Group,
			Device: d.Device, Kind: d.Kind.String(), Reason: d.Reason,
			Value: watchFloat(d.Value), Limit: watchFloat(d.Limit),
		})
	}
	writeJSON(w, http.StatusOK, doc)
}

// watchFloat returns f as JSON can carry it: NaN and infinities as strings.
func watchFloat(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return f
}
