package host_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/host"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// getDeviations serves GET /api/deviations?query and returns the status
// and the body.
func getDeviations(h http.Handler, query string) (int, []byte) {
	req := httptest.NewRequest(http.MethodGet, "/api/deviations", nil)
	req.URL.RawQuery = query
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

func TestDeviationsAPI(t *testing.T) {
	r := newRig(t, "demo-line", 1)
	r.run(30*sim.Second, sim.Second, nil)
	deathAt := r.nowMs()
	r.h.Receive("spBv1.0/plant/NDATA/"+r.id, []byte{0xff}) // a protocol fault, at the same time
	r.clock.Add(1)
	r.h.Receive(r.will.Topic.String(), r.will.Payload)
	h := r.h.Handler()

	code, body := getDeviations(h, "")
	if code != http.StatusOK {
		t.Fatalf("GET: %d %s", code, body)
	}
	var doc host.DeviationsJSON
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	want := 1 + 1 + len(r.spec.Stations) + len(r.spec.Arms) // fault, node, devices
	if len(doc.Events) != want {
		t.Fatalf("%d events, want %d: %s", len(doc.Events), want, body)
	}
	if doc.Counts["Stale"] != uint64(want-1) || doc.Counts["ProtocolFault"] != 1 || doc.Counts["CycleTimeDrift"] != 0 {
		t.Errorf("counts %v", doc.Counts)
	}
	first := doc.Events[0]
	if first.Kind != "ProtocolFault" || first.Device != r.id || first.Group != "plant" ||
		first.Ms != int64(deathAt) || !first.Time.Equal(time.UnixMilli(int64(deathAt))) || first.Seq != 1 {
		t.Errorf("first event %+v", first)
	}
	found := false
	for i, e := range doc.Events[1:] {
		if e.Seq != uint64(i+2) || e.Kind != "Stale" || e.Ms != int64(deathAt)+1 {
			t.Errorf("event %d: %+v", i+1, e)
		}
		if e.Device == r.id+"/placer" {
			found = true
			if e.Limit != host.DefaultStaleTimeout.Seconds() || !strings.Contains(e.Reason, "NDEATH") {
				t.Errorf("placer event %+v", e)
			}
		}
	}
	if !found {
		t.Errorf("no Stale event for %s/placer: %s", r.id, body)
	}
	// The raw JSON names the fields the API promises.
	for _, key := range []string{`"time"`, `"ms"`, `"device"`, `"kind"`, `"reason"`, `"value"`, `"limit"`} {
		if !strings.Contains(string(body), key) {
			t.Errorf("no %s in %s", key, body)
		}
	}

	// ?since keeps the events at or after it.
	code, body = getDeviations(h, "since="+strconv.FormatUint(deathAt+1, 10))
	doc = host.DeviationsJSON{}
	if err := json.Unmarshal(body, &doc); code != http.StatusOK || err != nil || len(doc.Events) != want-1 {
		t.Errorf("since: %d, %d events, %v", code, len(doc.Events), err)
	}
	code, body = getDeviations(h, "since="+strconv.FormatUint(deathAt+2, 10))
	doc = host.DeviationsJSON{}
	if err := json.Unmarshal(body, &doc); code != http.StatusOK || err != nil || len(doc.Events) != 0 || doc.Events == nil {
		t.Errorf("since after all: %d %s", code, body)
	}

	for _, q := range []struct{ query, msg string }{
		{"since=abc", `since: want ms since the Unix epoch, got "abc"`},
		{"since=-5", "since:"},
		{"since=1&since=2", "since: give it once"},
		{"sinse=1", "sinse: unknown query parameter"},
		{"since=99999999999999999999", "since:"},
	} {
		code, body := getDeviations(h, q.query)
		var e struct{ Error string }
		if err := json.Unmarshal(body, &e); code != http.StatusBadRequest || err != nil || !strings.Contains(e.Error, q.msg) {
			t.Errorf("?%s: %d %s, want 400 with %q", q.query, code, body, q.msg)
		}
	}
}

// The host keeps the last DeviationCapacity events, oldest first, and
// counts them all.
func TestDeviationsRing(t *testing.T) {
	var clock atomic.Int64
	clock.Store(rigEpoch)
	h, err := host.New(host.Config{HostID: "h", Now: func() time.Time { return time.UnixMilli(clock.Load()) }})
	if err != nil {
		t.Fatal(err)
	}
	const n = host.DeviationCapacity + 5
	for range n {
		h.Receive("spBv1.0/g/NDATA/n", []byte{0xff})
		clock.Add(host.FaultInterval.Milliseconds())
	}
	evs := h.Deviations()
	if len(evs) != host.DeviationCapacity {
		t.Fatalf("%d events kept, want %d", len(evs), host.DeviationCapacity)
	}
	for i, e := range evs {
		if e.Seq != uint64(i+6) || e.Kind != deviation.ProtocolFault || e.Device != "n" || e.Group != "g" {
			t.Fatalf("event %d: %+v", i, e)
		}
		if want := rigEpoch + int64(i+5)*host.FaultInterval.Milliseconds(); e.Ms() != want {
			t.Fatalf("event %d at %d, want %d", i, e.Ms(), want)
		}
	}
	if c := h.DeviationCounts(); c[deviation.ProtocolFault] != n || c[deviation.Stale] != 0 {
		t.Errorf("counts %v", c)
	}
}

// The deviations query never panics and answers 200 or 400 with JSON.
func FuzzDeviationsQuery(f *testing.F) {
	for _, s := range []string{"", "since=0", "since=1700000000000", "since=-1", "since=%zz", "a=b&since=1", "since=1e3", ";"} {
		f.Add(s)
	}
	r := newRig(f, "demo-line", 1)
	r.run(5*sim.Second, sim.Second, nil)
	r.deliver([]sparkplug.Message{r.will})
	h := r.h.Handler()
	f.Fuzz(func(t *testing.T, query string) {
		code, body := getDeviations(h, query)
		if code != http.StatusOK && code != http.StatusBadRequest {
			t.Fatalf("?%q -> %d", query, code)
		}
		if !json.Valid(body) {
			t.Fatalf("?%q -> %d, not JSON: %q", query, code, body)
		}
	})
}
