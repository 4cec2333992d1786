package api_test

import (
	"math"
	"net/http"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// scrape serves GET /metrics and parses the exposition.
func scrape(t *testing.T, hd http.Handler) map[string]*dto.MetricFamily {
	t.Helper()
	rec := serve(hd, http.MethodGet, "/metrics", "")
	if ct := rec.Header().Get("Content-Type"); rec.Code != http.StatusOK || !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("status %d, content type %q", rec.Code, ct)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	return fams
}

// sample returns the value of the series of family name whose labels
// include want, and whether there is exactly one.
func sample(fams map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
	found, v := 0, 0.0
	for _, m := range f.GetMetric() {
		match := 0
		for _, l := range m.GetLabel() {
			if w, ok := want[l.GetName()]; ok && w == l.GetValue() {
				match++
			}
		}
		if match != len(want) {
			continue
		}
		found++
		switch {
		case m.GetGauge() != nil:
			v = m.GetGauge().GetValue()
		case m.GetCounter() != nil:
			v = m.GetCounter().GetValue()
		}
	}
	return v, found == 1
}

func TestMetricsExposition(t *testing.T) {
	l, h, hd := running(t, 3, 30*sim.Minute, twintest.HostConfig{})
	// A message that does not decode counts as malformed.
	h.Mirror.Receive("spBv1.0/g/NDATA/other", []byte{0xff, 0xff})

	fams := scrape(t, hd)
	tree, kpis := h.TreeAndKPIs()
	k := kpis.Lines[0]
	v := h.Mirror.View()
	line := map[string]string{"group": "g", "node": "demo-line-L1"}
	type check struct {
		name   string
		labels map[string]string
		want   float64
	}
	checks := []check{
		{"lightsout_twin_messages_received_total", nil, float64(v.Received)},
		{"lightsout_twin_malformed_total", nil, 1},
		{"lightsout_twin_seq_gaps_total", nil, 0},
		{"lightsout_twin_deviations_total", map[string]string{"kind": "ProtocolFault"}, 1},
		{"lightsout_twin_deviations_total", map[string]string{"kind": "CycleTimeDrift"}, 0},
		{"lightsout_twin_rebirth_requests_total", nil, float64(v.Stats.RebirthRequests)},
		{"lightsout_twin_line_online", line, 1},
		{"lightsout_twin_line_throughput_per_hour", line, k.ThroughputPerHour},
		{"lightsout_twin_line_wip", line, float64(k.WIP)},
		{"lightsout_twin_line_oee", line, k.OEE},
		{"lightsout_twin_line_shipped_total", line, float64(k.Shipped)},
		{"lightsout_twin_line_good_total", line, float64(k.Good)},
		{"lightsout_twin_line_yield", line, k.Yield},
	}
	for _, s := range k.Stations {
		st := map[string]string{"group": "g", "node": "demo-line-L1", "station": s.ID}
		checks = append(checks,
			check{"lightsout_twin_station_oee", st, s.OEE},
			check{"lightsout_twin_station_state", st, float64(s.StateNumber)},
			check{"lightsout_twin_station_processed_total", st, float64(s.Processed)})
	}
	for _, c := range checks {
		got, ok := sample(fams, c.name, c.labels)
		if !ok || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s%v = %v (one series: %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
	if k.Shipped == 0 || k.OEE == 0 {
		t.Errorf("shipped %d, OEE %v after 30 minutes", k.Shipped, k.OEE)
	}
	// Every device, once, with its stale flag and time in each state.
	devs := twintest.TreeDevices(twintest.TreeLine(t, tree))
	if n := len(fams["lightsout_twin_device_stale"].GetMetric()); n != len(devs) || n != 8 {
		t.Errorf("%d device_stale series for %d devices", n, len(devs))
	}
	for id, d := range devs {
		for _, st := range d.TimeInState {
			got, ok := sample(fams, "lightsout_twin_device_state_seconds_total",
				map[string]string{"device": id, "state": st.State})
			if !ok || got != st.Seconds {
				t.Errorf("%s in %s: %v s, want %v", id, st.State, got, st.Seconds)
			}
		}
	}

	// After the node's death its devices are stale.
	l.Die(0)
	fams = scrape(t, hd)
	for id := range devs {
		if v, ok := sample(fams, "lightsout_twin_device_stale", map[string]string{"device": id}); !ok || v != 1 {
			t.Errorf("%s: device_stale %v after NDEATH", id, v)
		}
	}
	if v, _ := sample(fams, "lightsout_twin_line_online", line); v != 0 {
		t.Errorf("line_online %v after NDEATH", v)
	}
}
