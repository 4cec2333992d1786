package api

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lightsout-sim/lightsout/twin/autopilot"
)

// An Autopilot is the autopilot flying the twin's line (see package
// pilot's Twin): its status and decision log, an operator's hold and
// release, and how the commands of its applied actions fared. Its methods
// are safe for concurrent use.
type Autopilot interface {
	// Status returns the pilot's state and its decisions with a Seq after
	// since.
	Status(since uint64) autopilot.Status
	// Hold stops the pilot for reason; it reports whether it was running.
	Hold(reason string) bool
	// Release lets a held pilot act again; it reports whether it was held.
	Release(reason string) bool
	// Commands counts the commands of applied actions sent and not sent.
	Commands() (sent, failed uint64)
}

// AutopilotRequest is the body of POST /api/autopilot: an operator's hold
// or release, with the reason, which the decision log keeps.
type AutopilotRequest struct {
	// Action is "hold" or "release".
	Action string `json:"action"`
	// Reason says why, in words (required, at most MaxReason bytes).
	Reason string `json:"reason"`
}

// MaxReason bounds the reason of an operator's hold or release.
const MaxReason = 500

// AutopilotResponseJSON is what POST /api/autopilot answers: whether the
// request changed anything (a hold of a held pilot does not), and the
// pilot's status afterwards, without its decisions.
type AutopilotResponseJSON struct {
	// Changed says the request changed the pilot's state.
	Changed bool `json:"changed"`
	// Status is the pilot's status after the request, without decisions.
	Status autopilot.Status `json:"status"`
}

// noDecisions asks a Status for no decision: none has a Seq after it.
const noDecisions = math.MaxUint64 - 1

// errNoAutopilot is the answer of /api/autopilot when no autopilot flies.
const errNoAutopilot = "no autopilot runs in this twin: start it with --autopilot NAME (and --config)"

// serveAutopilot answers GET /api/autopilot[?since=SEQ]: the pilot's
// status with its decisions after SEQ (all kept without it); 404 when no
// autopilot runs.
func (s *server) serveAutopilot(w http.ResponseWriter, r *http.Request) {
	if s.t.Autopilot == nil {
		writeJSON(w, http.StatusNotFound, errorJSON{Error: errNoAutopilot})
		return
	}
	var since uint64
	for k, vs := range r.URL.Query() {
		if k != "since" {
			writeJSON(w, http.StatusBadRequest, errorJSON{Error: fmt.Sprintf("%s: unknown query parameter (want since)", k)})
			return
		}
		if len(vs) != 1 {
			writeJSON(w, http.StatusBadRequest, errorJSON{Error: "since: give it once"})
			return
		}
		v, err := strconv.ParseUint(vs[0], 10, 64)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, errorJSON{Error: fmt.Sprintf("since: want a decision's seq (0 or more), got %q", vs[0])})
			return
		}
		since = v
	}
	writeJSON(w, http.StatusOK, s.t.Autopilot.Status(since))
}

// serveAutopilotHold answers POST /api/autopilot: an AutopilotRequest
// holds or releases the pilot (200, AutopilotResponseJSON); 400 for a bad
// request, 404 when no autopilot runs.
func (s *server) serveAutopilotHold(w http.ResponseWriter, r *http.Request) {
	var req AutopilotRequest
	if err := decodeStrict(http.MaxBytesReader(w, r.Body, maxCommandBody), &req); err != nil {
		writeJSON(w, http.StatusBadRequest, errorJSON{Error: err.Error()})
		return
	}
	var problems []string
	if req.Action != "hold" && req.Action != "release" {
		problems = append(problems, fmt.Sprintf("action: %q: want hold or release", req.Action))
	}
	reason := strings.TrimSpace(req.Reason)
	switch {
	case reason == "":
		problems = append(problems, "reason: required: say why, the decision log keeps it")
	case len(reason) > MaxReason || !utf8.ValidString(reason):
		problems = append(problems, fmt.Sprintf("reason: want at most %d bytes of UTF-8 text", MaxReason))
	}
	if len(problems) > 0 {
		writeJSON(w, http.StatusBadRequest, errorJSON{Error: strings.Join(problems, "; ")})
		return
	}
	if s.t.Autopilot == nil {
		writeJSON(w, http.StatusNotFound, errorJSON{Error: errNoAutopilot})
		return
	}
	var changed bool
	if req.Action == "hold" {
		changed = s.t.Autopilot.Hold(reason)
	} else {
		changed = s.t.Autopilot.Release(reason)
	}
	st := s.t.Autopilot.Status(noDecisions)
	writeJSON(w, http.StatusOK, AutopilotResponseJSON{Changed: changed, Status: st})
}

// autopilotCollector exposes the pilot's counts to Prometheus.
type autopilotCollector struct {
	a                                          Autopilot
	epochs, held, errors, actions, by, sent, h *prometheus.Desc
}

func newAutopilotCollector(a Autopilot) *autopilotCollector {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc("lightsout_twin_autopilot_"+name, help, labels, nil)
	}
	return &autopilotCollector{a: a,
		epochs:  d("epochs_total", "Decision epochs of the autopilot."),
		held:    d("held_epochs_total", "Decision epochs skipped under an operator hold."),
		errors:  d("errors_total", "Decision epochs whose policy failed."),
		actions: d("decisions_total", "Actions the policy took."),
		by:      d("decisions_by_outcome_total", "Actions the policy took, by outcome.", "outcome"),
		sent:    d("commands_total", "Commands (DCMDs) of applied actions, by result.", "result"),
		h:       d("held", "1 while an operator holds the autopilot."),
	}
}

// Describe implements prometheus.Collector.
func (c *autopilotCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.epochs, c.held, c.errors, c.actions, c.by, c.sent, c.h} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *autopilotCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.a.Status(noDecisions)
	s := st.Stats
	counter := func(d *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	counter(c.epochs, s.Epochs)
	counter(c.held, s.HeldEpochs)
	counter(c.errors, s.Errors)
	counter(c.actions, s.Actions)
	counter(c.by, s.Applied, "applied")
	counter(c.by, s.Recommended, "recommended")
	counter(c.by, s.Capped, "capped")
	counter(c.by, s.Held, "held")
	counter(c.by, s.Invalid, "invalid")
	sent, failed := c.a.Commands()
	counter(c.sent, sent, "sent")
	counter(c.sent, failed, "failed")
	held := 0.0
	if st.Held {
		held = 1
	}
	ch <- prometheus.MustNewConstMetric(c.h, prometheus.GaugeValue, held)
}
