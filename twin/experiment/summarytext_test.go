package experiment

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// handSummary is a sweep summary of three scenarios: the base, a gain and
// a loss; the last has no paired difference (its base was not at hand).
func handSummary() *Summary {
	kpis := func(good, goodCI, oee, oeeCI float64) KPIEstimates {
		return KPIEstimates{
			GoodPerHour: KPIEstimate{Estimate{Mean: good, CI95: goodCI}, 10},
			OEE:         KPIEstimate{Estimate{Mean: oee, CI95: oeeCI}, 10},
		}
	}
	diff := func(d, ci float64) *KPIEstimates {
		k := KPIEstimates{GoodPerHour: KPIEstimate{Estimate{Mean: d, CI95: ci}, 10}}
		return &k
	}
	return &Summary{
		Sweep: "demo", Base: "demo-line", Duration: 2 * sim.Day, Warmup: 4 * sim.Hour, Seed: 7, Replications: 10,
		BaseScenario: "buffer=0",
		Scenarios: []ScenarioSummary{
			{Name: "buffer=0", KPIs: kpis(344.61, 3.5, 0.862, 0.009), VsBase: diff(0, 0)},
			{Name: "buffer=10", KPIs: kpis(1377.46, 3.8, 0.944, 0.0094), VsBase: diff(1032.85, 1.2)},
			{Name: "slow", KPIs: kpis(300, 3, 0.75, 0.01), VsBase: diff(-44.61, 2)},
			{Name: "alone", KPIs: kpis(1, 0, 0.5, 0)},
		},
	}
}

func TestWriteSummaryText(t *testing.T) {
	var b strings.Builder
	if err := WriteSummaryText(&b, handSummary()); err != nil {
		t.Fatal(err)
	}
	want := `scenario    good/h  ±95%    OEE  ±95%  Δ good/h vs buffer=0  ±95%
buffer=0     344.6   3.5  86.2%  0.9%                   0.0   0.0
buffer=10  1,377.5   3.8  94.4%  0.9%              +1,032.8   1.2
slow         300.0   3.0  75.0%  1.0%                 -44.6   2.0
alone          1.0   0.0  50.0%  0.0%                     -     -
10 replications per scenario, seed 7, 1d20h after 4h of warm-up each.
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestParsePrecision(t *testing.T) {
	for _, tc := range []struct {
		in       string
		target   float64
		relative bool
		ok       bool
	}{
		{"0.01", 0.01, true, true},
		{"1%", 0.01, true, true},
		{" 2.5 % ", 0.025, true, true},
		{"5/h", 5, false, true},
		{"0.5/h", 0.5, false, true},
		{"1", 0, false, false},    // a share of 100%: surely a mistake
		{"150%", 0, false, false}, // likewise
		{"0", 0, false, false},
		{"-1/h", 0, false, false},
		{"abc", 0, false, false},
		{"NaN", 0, false, false},
		{"Inf/h", 0, false, false},
	} {
		target, relative, err := ParsePrecision(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParsePrecision(%q): error %v, want ok=%v", tc.in, err, tc.ok)
			continue
		}
		if tc.ok && (math.Abs(target-tc.target) > 1e-15 || relative != tc.relative) {
			t.Errorf("ParsePrecision(%q) = %v, %v; want %v, %v", tc.in, target, relative, tc.target, tc.relative)
		}
	}
	_, _, err := ParsePrecision("fast")
	if want := `"fast": not a number; write a share of the mean (0.01 or 1%) or good units per hour (5/h)`; err == nil || err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

func TestTimingFile(t *testing.T) {
	m := &Manifest{Shard: 1, Shards: 3}
	f := TimingFile(m, Timing{WallSeconds: 1.5, Events: 1000, EventsPerSecond: 666.5, Runs: 4, Workers: 2})
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	want := `{
  "shard": "1/3",
  "timing": {
    "wall_s": 1.5,
    "events": 1000,
    "events_per_second": 666.5,
    "runs": 4,
    "workers": 2
  }
}
`
	if f.Name != "timing.json" || b.String() != want {
		t.Errorf("%s:\n%s\nwant timing.json:\n%s", f.Name, b.String(), want)
	}
	if !json.Valid(b.Bytes()) {
		t.Error("not JSON")
	}
}
