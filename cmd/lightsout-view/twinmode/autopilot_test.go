package twinmode

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// fakeTwin serves /api/autopilot from a list of decisions, as a twin
// host would: the ones after ?since=, or 404 when it runs no autopilot.
type fakeTwin struct {
	mu     sync.Mutex
	none   bool
	held   bool
	ds     []autopilot.Decision
	asked  []string
	status int // when not 0, answer this
}

func (f *fakeTwin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, r.URL.RequestURI())
	if r.URL.Path != "/api/autopilot" || f.none {
		http.NotFound(w, r)
		return
	}
	if f.status != 0 {
		w.WriteHeader(f.status)
		return
	}
	since, _ := strconv.ParseUint(r.URL.Query().Get("since"), 10, 64)
	st := autopilot.Status{Policy: "predictive", Held: f.held, MaxPerHour: 6, DecisionsTotal: uint64(len(f.ds)), Decisions: []autopilot.Decision{}}
	for _, d := range f.ds {
		if d.Seq > since {
			st.Decisions = append(st.Decisions, d)
			st.Stats.Applied++
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(st)
}

func (f *fakeTwin) add(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		seq := uint64(len(f.ds) + 1)
		f.ds = append(f.ds, autopilot.Decision{Seq: seq, At: sim.Time(seq) * sim.Minute, Policy: "predictive", Applied: true,
			Action: autopilot.Action{Kind: autopilot.Maintain, Line: 1, Target: "mount-ics", Server: 2, Reason: "remaining useful life at most the lead time",
				Numbers: []autopilot.Number{{Name: "rul_s", Value: 3600}}}})
	}
}

func TestAutopilotPoll(t *testing.T) {
	ft := &fakeTwin{}
	srv := httptest.NewServer(ft)
	defer srv.Close()
	p, err := NewAutopilotPoll(srv.URL+"/", 0, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ft.add(3)
	p.Poll(ctx)
	ds := p.Since(0, nil)
	if len(ds) != 3 || ds[2].Seq != 3 || ds[2].Action.Target != "mount-ics" || ds[2].Action.Line != 1 || ds[2].Action.Server != 2 || ds[2].At != 3*sim.Minute {
		t.Fatalf("decisions %+v", ds)
	}
	if st := p.Status(); st.Policy != "predictive" || st.Note != "" || st.MaxPerHour != 6 {
		t.Errorf("status %+v", st)
	}
	ft.add(2)
	ft.held = true
	p.Poll(ctx)
	if got := p.Since(3, nil); len(got) != 2 || got[0].Seq != 4 {
		t.Errorf("after 3: %+v", got)
	}
	if !p.Status().Held {
		t.Error("hold not seen")
	}
	// It asks only for what it has not seen.
	if last := ft.asked[len(ft.asked)-1]; last != "/api/autopilot?since=3" {
		t.Errorf("second poll asked %q", last)
	}
	// A failure keeps what was seen and says so.
	ft.status = http.StatusInternalServerError
	p.Poll(ctx)
	if st := p.Status(); st.Policy != "predictive" || !strings.Contains(st.Note, "500") || len(p.Since(0, nil)) != 5 {
		t.Errorf("after a failure: %+v", st)
	}
	// A twin without an autopilot answers 404.
	ft.status, ft.none = 0, true
	p.Poll(ctx)
	if st := p.Status(); st.Policy != "" || st.Note != NoAutopilot {
		t.Errorf("no autopilot: %+v", st)
	}
}

func TestAutopilotPollStartsAndCloses(t *testing.T) {
	asked := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case asked <- struct{}{}:
		default:
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	p, err := NewAutopilotPoll(srv.URL, 1e6, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	p.Start()
	<-asked // the first poll runs at once
	p.Close()
	p.Close() // twice is fine
}

func TestNewAutopilotPollRefusesBadURLs(t *testing.T) {
	for _, u := range []string{"", "127.0.0.1:8080", "mqtt://h:1", "http://", "ftp://x"} {
		if _, err := NewAutopilotPoll(u, 1, nil); err == nil {
			t.Errorf("%q accepted", u)
		}
	}
}
