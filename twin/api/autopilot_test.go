package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// maintainer is a policy that maintains server 2 of "placer" at every
// epoch, with a reason and its numbers.
type maintainer struct{}

func (maintainer) Name() string    { return "maintainer" }
func (maintainer) Epoch() sim.Time { return sim.Minute }
func (maintainer) Decide(_ context.Context, _ *autopilot.Observation, dst []autopilot.Action) ([]autopilot.Action, error) {
	return append(dst, autopilot.Action{Kind: autopilot.Maintain, Target: "placer", Server: 1, Reason: "test",
		Numbers: []autopilot.Number{{Name: "rul_s", Value: 60}}}), nil
}

// flown is an api.Autopilot around a pilot the test steps itself.
type flown struct {
	p   *autopilot.Pilot
	now sim.Time
}

func (f *flown) Status(since uint64) autopilot.Status { return f.p.Status(since) }
func (f *flown) Hold(reason string) bool              { return f.p.Hold(f.now, reason) }
func (f *flown) Release(reason string) bool           { return f.p.Release(f.now, reason) }
func (f *flown) Commands() (uint64, uint64)           { return 3, 1 }

// newFlown returns a pilot of maintainer after two epochs (one action
// applied, one over its cap of one an hour) and the API serving it.
func newFlown(t *testing.T) (*flown, http.Handler) {
	t.Helper()
	p, err := autopilot.NewPilot(maintainer{}, autopilot.Guard{MaxPerHour: 1, LogSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	obs := &autopilot.Observation{Machines: []autopilot.Machine{{ID: "placer", Server: 1, Servers: 2}}}
	for _, now := range []sim.Time{0, sim.Minute} {
		obs.Now = now
		if _, err := p.Step(context.Background(), obs); err != nil {
			t.Fatal(err)
		}
	}
	f := &flown{p: p, now: sim.Minute}
	h := twintest.MustLine(t, "demo-line", 1).MustHost(twintest.HostConfig{})
	hd, err := api.Handler(api.Twin{Mirror: h.Mirror, Monitor: h.Monitor, Autopilot: f}, testPolicy())
	if err != nil {
		t.Fatal(err)
	}
	return f, hd
}

var snake = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// keys fails t for every key of the JSON document v that is not
// snake_case.
func keys(t *testing.T, v any, path string) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if !snake.MatchString(k) {
				t.Errorf("%s.%s: not snake_case", path, k)
			}
			keys(t, e, path+"."+k)
		}
	case []any:
		for _, e := range x {
			keys(t, e, path+"[]")
		}
	}
}

// GET /api/autopilot serves the pilot's status and decisions in
// snake_case, ?since=SEQ the decisions after SEQ.
func TestAutopilotStatus(t *testing.T) {
	_, hd := newFlown(t)
	rec := getQuery(hd, "/api/autopilot", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var doc any
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	keys(t, doc, "")
	var st autopilot.Status
	if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil {
		t.Fatal(err)
	}
	if st.Policy != "maintainer" || st.DecisionsTotal != 2 || len(st.Decisions) != 2 || st.Stats.Applied != 1 || st.Stats.Capped != 1 {
		t.Fatalf("status %+v, want maintainer with one decision applied and one capped", st)
	}
	d := st.Decisions[0]
	if !d.Applied || d.Action.Kind != autopilot.Maintain || d.Action.Target != "placer" || d.Action.Server != 1 || d.Action.Reason != "test" {
		t.Fatalf("first decision %+v", d)
	}
	if !strings.Contains(rec.Body.String(), `"server": 2`) || !strings.Contains(rec.Body.String(), `"not_applied": "cap"`) {
		t.Errorf("servers count from 1 and the capped decision says why:\n%s", rec.Body)
	}
	rec = getQuery(hd, "/api/autopilot", "since=1")
	if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil || len(st.Decisions) != 1 || st.Decisions[0].Seq != 2 {
		t.Fatalf("since=1: %v %+v, want decision 2 only", err, st.Decisions)
	}
	for _, q := range []string{"since=-1", "since=x", "since=1&since=2", "until=3"} {
		if rec := getQuery(hd, "/api/autopilot", q); rec.Code != http.StatusBadRequest {
			t.Errorf("?%s: status %d, want 400", q, rec.Code)
		}
	}
}

// POST /api/autopilot holds and releases the pilot with a reason, only
// with the token; the decision log keeps both.
func TestAutopilotHold(t *testing.T) {
	f, hd := newFlown(t)
	req := httptest.NewRequest(http.MethodPost, "/api/autopilot", strings.NewReader(`{"action":"hold","reason":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	hd.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized || f.p.Held() {
		t.Fatalf("without the token: status %d, held %v; want 401 and running", rec.Code, f.p.Held())
	}
	for _, c := range []struct{ body, want string }{
		{`{"action":"stop","reason":"x"}`, "action"},
		{`{"action":"hold"}`, "reason: required"},
		{`{"action":"hold","reason":"` + strings.Repeat("x", api.MaxReason+1) + `"}`, "reason"},
		{`{"action":"hold","reason":"x","extra":1}`, "extra: unknown field"},
	} {
		if rec := serve(hd, http.MethodPost, "/api/autopilot", c.body); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), c.want) {
			t.Errorf("%.40s: status %d %s, want 400 naming %q", c.body, rec.Code, rec.Body, c.want)
		}
	}
	rec = serve(hd, http.MethodPost, "/api/autopilot", `{"action":"hold","reason":"line trial"}`)
	var resp api.AutopilotResponseJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || rec.Code != http.StatusOK || !resp.Changed || !resp.Status.Held ||
		resp.Status.HoldReason != "line trial" || len(resp.Status.Decisions) != 0 {
		t.Fatalf("hold: %d %s", rec.Code, rec.Body)
	}
	if rec := serve(hd, http.MethodPost, "/api/autopilot", `{"action":"hold","reason":"again"}`); !strings.Contains(rec.Body.String(), `"changed": false`) {
		t.Errorf("a second hold: %s, want changed false", rec.Body)
	}
	serve(hd, http.MethodPost, "/api/autopilot", `{"action":"release","reason":"trial over"}`)
	log := f.p.Log().Since(2, nil)
	if f.p.Held() || len(log) != 2 || log[0].Action.Kind != autopilot.Hold || log[1].Action.Reason != "trial over" {
		t.Fatalf("held %v, log %+v; want released, the hold and the release logged", f.p.Held(), log)
	}
}

// Without an autopilot, /api/autopilot answers 404 with a JSON error
// saying how to start one.
func TestNoAutopilot(t *testing.T) {
	_, _, hd := running(t, 1, sim.Minute, twintest.HostConfig{})
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		rec := serve(hd, method, "/api/autopilot", `{"action":"hold","reason":"x"}`)
		var e struct{ Error string }
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || rec.Code != http.StatusNotFound || !strings.Contains(e.Error, "--autopilot") {
			t.Errorf("%s: %d %s, want 404 naming --autopilot", method, rec.Code, rec.Body)
		}
	}
}

// /metrics counts the pilot's epochs, decisions by outcome and commands.
func TestAutopilotMetrics(t *testing.T) {
	_, hd := newFlown(t)
	rec := getQuery(hd, "/metrics", "")
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		"lightsout_twin_autopilot_epochs_total 2",
		"lightsout_twin_autopilot_decisions_total 2",
		`lightsout_twin_autopilot_decisions_by_outcome_total{outcome="applied"} 1`,
		`lightsout_twin_autopilot_decisions_by_outcome_total{outcome="capped"} 1`,
		`lightsout_twin_autopilot_commands_total{result="sent"} 3`,
		"lightsout_twin_autopilot_held 0",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}
