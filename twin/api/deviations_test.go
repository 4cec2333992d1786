package api_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/monitor"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// getDeviations serves GET /api/deviations?query and returns the status
// and the body.
func getDeviations(hd http.Handler, query string) (int, []byte) {
	rec := getQuery(hd, "/api/deviations", query)
	return rec.Code, rec.Body.Bytes()
}

func TestDeviationsAPI(t *testing.T) {
	l, h := commandLine(t)
	l.Run(20*sim.Second, sim.Second, nil)
	id := l.NodeID(0)
	deathAt := l.Now()
	h.Mirror.Receive("spBv1.0/plant/NDATA/"+id, []byte{0xff}) // a protocol fault, at the same time
	l.Clock.Add(time.Millisecond)
	h.Mirror.Receive(l.Wills[0].Topic.String(), l.Wills[0].Payload)
	hd := mustHandler(t, h, nil)

	code, body := getDeviations(hd, "")
	if code != http.StatusOK {
		t.Fatalf("GET: %d %s", code, body)
	}
	var doc api.DeviationsJSON
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	want := 1 + 1 + len(l.Spec.Stations) + len(l.Spec.Arms) // fault, node, devices
	if len(doc.Events) != want {
		t.Fatalf("%d events, want %d: %s", len(doc.Events), want, body)
	}
	if doc.Counts["Stale"] != uint64(want-1) || doc.Counts["ProtocolFault"] != 1 || doc.Counts["CycleTimeDrift"] != 0 {
		t.Errorf("counts %v", doc.Counts)
	}
	first := doc.Events[0]
	if first.Kind != "ProtocolFault" || first.Device != id || first.Group != "plant" ||
		first.Ms != int64(deathAt) || !first.Time.Equal(time.UnixMilli(int64(deathAt))) || first.Seq != 1 {
		t.Errorf("first event %+v", first)
	}
	found := false
	for i, e := range doc.Events[1:] {
		if e.Seq != uint64(i+2) || e.Kind != "Stale" || e.Ms != int64(deathAt)+1 {
			t.Errorf("event %d: %+v", i+1, e)
		}
		if e.Device == id+"/placer" {
			found = true
			if e.Limit != monitor.DefaultStaleTimeout.Seconds() || !strings.Contains(e.Reason, "NDEATH") {
				t.Errorf("placer event %+v", e)
			}
		}
	}
	if !found {
		t.Errorf("no Stale event for %s/placer: %s", id, body)
	}
	// The raw JSON names the fields the API promises.
	for _, key := range []string{`"time"`, `"ms"`, `"device"`, `"kind"`, `"reason"`, `"value"`, `"limit"`} {
		if !strings.Contains(string(body), key) {
			t.Errorf("no %s in %s", key, body)
		}
	}

	// ?since keeps the events at or after it.
	code, body = getDeviations(hd, "since="+strconv.FormatUint(deathAt+1, 10))
	doc = api.DeviationsJSON{}
	if err := json.Unmarshal(body, &doc); code != http.StatusOK || err != nil || len(doc.Events) != want-1 {
		t.Errorf("since: %d, %d events, %v", code, len(doc.Events), err)
	}
	code, body = getDeviations(hd, "since="+strconv.FormatUint(deathAt+2, 10))
	doc = api.DeviationsJSON{}
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
		code, body := getDeviations(hd, q.query)
		var e struct{ Error string }
		if err := json.Unmarshal(body, &e); code != http.StatusBadRequest || err != nil || !strings.Contains(e.Error, q.msg) {
			t.Errorf("?%s: %d %s, want 400 with %q", q.query, code, body, q.msg)
		}
	}
}

// The deviations query never panics and answers 200 or 400 with JSON.
func FuzzDeviationsQuery(f *testing.F) {
	for _, s := range []string{"", "since=0", "since=1700000000000", "since=-1", "since=%zz", "a=b&since=1", "since=1e3", ";"} {
		f.Add(s)
	}
	l, h := commandLine(f)
	l.Die(0)
	hd := mustHandler(f, h, nil)
	f.Fuzz(func(t *testing.T, query string) {
		code, body := getDeviations(hd, query)
		if code != http.StatusOK && code != http.StatusBadRequest {
			t.Fatalf("?%q -> %d", query, code)
		}
		if !json.Valid(body) {
			t.Fatalf("?%q -> %d, not JSON: %q", query, code, body)
		}
	})
}
