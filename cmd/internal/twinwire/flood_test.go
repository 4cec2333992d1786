package twinwire_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/cmd/internal/twinwire"
	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// floodBytes is the memory the flood test gives the mirror
// (Limits.MaxBytes); its observers may keep floodPerNode bytes per
// edge node besides.
const (
	floodBytes   = 8 << 20
	floodPerNode = 8 << 10
)

// floodMessage returns message k of a flood of made-up edge node names:
// data of a node never born, births of nodes and devices, random bytes,
// and once a 20 MB NBIRTH.
func floodMessage(tb testing.TB, rng *rand.Rand, k int) (string, []byte) {
	tb.Helper()
	node := fmt.Sprint("made-up-", k)
	encode := func(p *sparkplug.Payload) []byte {
		b, err := sparkplug.Marshal(p)
		if err != nil {
			tb.Fatal(err)
		}
		return b
	}
	// metrics returns n metrics, after the node's bdSeq and rebirth
	// metric for an NBIRTH.
	metrics := func(n int, node bool) []sparkplug.Metric {
		var ms []sparkplug.Metric
		if node {
			ms = append(ms, sparkplug.Metric{Name: sparkplug.BdSeqMetric, Datatype: sparkplug.Int64, Value: sparkplug.Int64Value(0)},
				sparkplug.Metric{Name: sparkplug.RebirthMetric, Datatype: sparkplug.Boolean, Value: sparkplug.BooleanValue(false)})
		}
		for i := range n {
			ms = append(ms, sparkplug.Metric{Name: fmt.Sprint("Some/Metric ", i), Datatype: sparkplug.Double, Value: sparkplug.DoubleValue(rng.Float64())})
		}
		return ms
	}
	switch {
	case k == 10_000:
		ms := append(metrics(0, true), sparkplug.Metric{Name: "blob", Datatype: sparkplug.String, Value: sparkplug.StringValue(strings.Repeat("x", 20<<20))})
		return "spBv1.0/g/NBIRTH/" + node, encode(&sparkplug.Payload{Seq: 0, HasSeq: true, Metrics: ms})
	case k%4 == 0:
		return "spBv1.0/g/NDATA/" + node, encode(&sparkplug.Payload{Seq: uint64(rng.IntN(256)), HasSeq: true})
	case k%4 == 1:
		return "spBv1.0/flood/NBIRTH/" + node, encode(&sparkplug.Payload{Seq: 0, HasSeq: true, Metrics: metrics(10, true)})
	case k%4 == 2:
		return fmt.Sprintf("spBv1.0/flood/DBIRTH/made-up-%d/dev", k-1),
			encode(&sparkplug.Payload{Seq: 1, HasSeq: true, Metrics: metrics(10, false)})
	}
	junk := make([]byte, rng.IntN(200))
	for i := range junk {
		junk[i] = byte(rng.Uint32())
	}
	return fmt.Sprintf("spBv1.0/g/%s/%s", []string{"NDATA", "NBIRTH", "DDATA/d", "NDEATH"}[rng.IntN(4)], node), junk
}

// The audit: 20,000 made-up edge node names took the twin from 25 MB to
// 444 MB, every unborn node cost a rebirth NCMD (27,028 after one broker
// restart) and a 20 MB NBIRTH was accepted. The twin's host side (mirror,
// monitor, forecaster) now stays within a memory bound that follows from
// its limits, sends a bounded number of NCMDs, keeps mirroring its real
// line exactly and counts what it refused on /metrics.
func TestFloodOfMadeUpNodes(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 1)
	h := mustHost(t, l, false, twinwire.Config{Mirror: mirror.Config{Limits: host.Config{MaxBytes: floodBytes}}})
	l.Birth()
	l.Run(sim.Minute, 2*sim.Second, nil)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rng := rand.New(rand.NewPCG(1, 2))
	const flood = 20_000 // messages, one a millisecond
	ncmds := 0
	for k := range flood {
		l.Clock.Add(time.Millisecond)
		if req := h.Mirror.Receive(floodMessage(t, rng, k)); req != nil {
			ncmds++
		}
	}
	elapsed := flood * time.Millisecond
	runtime.GC()
	runtime.ReadMemStats(&after)
	limits := h.Mirror.Config().Limits
	grown := int64(after.HeapInuse) - int64(before.HeapInuse)
	bound := limits.MaxBytes + int64(limits.MaxNodes)*floodPerNode
	t.Logf("heap in use grew by %.1f MB (bound %.1f MB); %d NCMDs; mirror %+v", float64(grown)/1e6, float64(bound)/1e6, ncmds, h.Mirror.View().Size)
	if grown > bound {
		t.Errorf("heap in use grew by %d bytes, over the bound of %d from the limits", grown, bound)
	}
	if most := limits.RebirthBurst + int(elapsed.Seconds()*limits.RebirthRate) + 1; ncmds > most {
		t.Errorf("%d rebirth NCMDs in %v, want at most %d", ncmds, elapsed, most)
	}

	// The real line is still mirrored, exactly.
	l.Pass(sim.Time(elapsed)) // the clock keeps to the line's
	l.Strict = true
	l.Run(sim.Minute, 2*sim.Second, nil)
	for _, st := range []string{"printer", "test", "pack"} {
		want := l.Station(st).Counts.Processed
		if got, _ := l.Mirrored(h.Mirror, st, packml.MetricProcessed).Int64(); got != want {
			t.Errorf("%s: mirrored %d processed, the line %d", st, got, want)
		}
	}

	// After a broker restart, a bounded number of rebirth requests.
	h.Mirror.ConnectionLost()
	if _, rebirths, _ := h.Mirror.Online(); len(rebirths) > limits.RebirthBurst {
		t.Errorf("%d rebirth requests after a reconnect, want at most %d", len(rebirths), limits.RebirthBurst)
	}

	// /metrics counts what was refused.
	hd, err := h.Handler(api.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.Host = "127.0.0.1:8080" // the API answers loopback names without further configuration
	hd.ServeHTTP(rec, req)
	body := rec.Body.String()
	v := h.Mirror.View()
	for _, want := range []string{
		`lightsout_twin_limit_hits_total{limit="payload"} 1`,
		fmt.Sprintf(`lightsout_twin_limit_hits_total{limit="nodes"} %d`, v.Stats.NodeLimit),
		fmt.Sprintf("lightsout_twin_rebirths_suppressed_total %d", v.Stats.RebirthsSuppressed),
		fmt.Sprintf("lightsout_twin_evictions_total %d", v.Stats.Evicted),
		fmt.Sprintf("lightsout_twin_mirror_nodes %d", limits.MaxNodes),
	} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("/metrics has no line %q", want)
		}
	}
	if v.Stats.NodeLimit == 0 || v.Stats.RebirthsSuppressed == 0 || v.Stats.Evicted == 0 {
		t.Errorf("the flood hit no limit: %+v", v.Stats)
	}
}
