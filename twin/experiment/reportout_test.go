package experiment

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// handReport is the report of handRuns with a target and timing figures.
func handReport() *Report {
	rep := newReport("test-line", twin.Options{Duration: 8 * sim.Hour, Warmup: sim.Hour, Seed: 42}, handRuns())
	rep.TargetPerHour = 12
	rep.WallSeconds, rep.EventsPerSecond = 0.25, 12000
	return rep
}

func TestWriteReportText(t *testing.T) {
	var b strings.Builder
	if err := WriteReportText(&b, handReport()); err != nil {
		t.Fatal(err)
	}
	want := `config        test-line
duration      8h per run, of which warm-up 1h (not measured)
replications  3, base seed 42; ± is the 95% confidence half-width

line                      mean     95% CI
throughput (units/h)      12.0  ±     5.0
good output (units/h)     11.0  ±     5.0
mean flow time (s)        60.0  ±     0.0
mean WIP (units)           0.2  ±     0.1
good (units)               120  ±      50
scrapped (units)             3  ±       0
escaped defects (units)      0  ±       0
reworked (units)             0  ±       0
yield                    90.0%  ±    0.0%
first-pass yield          0.0%  ±    0.0%
OEE                      70.0%  ±    0.0%
  availability            0.0%  ±    0.0%
  performance             0.0%  ±    0.0%
  quality                 0.0%  ±    0.0%

good units per year (24/7): 0.10 ± 0.04 million (target 0.11 million: 91.7%)

station   util  handling  blocked  starved  down  maint          OEE  throughput/h  bottleneck
a        60.0%      0.0%    10.0%     0.0%  0.0%   0.0%  0.0% ± 0.0%    12.0 ± 5.0  1/3, 20.0%
b        90.0%      0.0%     0.0%     5.0%  0.0%   0.0%  0.0% ± 0.0%    12.0 ± 5.0  2/3, 80.0%

arm           util  down  moves/run  mean queue
arm1  40.0% ± 0.0%  0.0%        100        0.00

bottleneck    b (named in 2 of 3 runs; sole or shifting bottleneck 80.0% of the time; active period method)
Little's law  L = λW holds to 1.00% ± 0.00% (mean relative error)
speed         3,000 events in 0.25 s wall time (12,000 events/s)
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// With --warmup auto and --precision, the text says how the warm-up was
// chosen and how the precision run ended; without arms and a bottleneck,
// it has no arm table and names none.
func TestWriteReportTextExperiment(t *testing.T) {
	rep := handReport()
	rep.Arms, rep.Bottleneck = nil, ""
	rep.WarmupAuto = &WarmupEstimate{Pilots: 5, BucketS: 345.6, Batches: 100, MSERBatches: 3, Warmup: sim.Seconds(5184), AtLimit: true}
	rep.Precision = &Precision{Target: 0.01, Relative: true, HalfWidthPerHour: 0.5, RelativeHalfWidth: 0.0125, Rounds: 4, MaxReplications: 3}
	var b strings.Builder
	if err := WriteReportText(&b, rep); err != nil {
		t.Fatal(err)
	}
	tail := "bottleneck    none named\n" +
		"Little's law  L = λW holds to 1.00% ± 0.00% (mean relative error)\n" +
		"speed         3,000 events in 0.25 s wall time (12,000 events/s)\n" +
		"warm-up auto  MSER-5 on the mean good output of 5 pilot runs (100 batches of 5 buckets of 5m45.6s): the first 3 batches cut, warm-up 1h26m24s" +
		" (half the run: too short to reach steady state? try a longer --duration)\n" +
		"precision     good/h ± 0.50 (1.25% of the mean) after 3 replications in 4 rounds: target 1.00% of the mean NOT met within 3 replications\n"
	if !strings.HasSuffix(b.String(), tail) {
		t.Errorf("got\n%s\nwant it to end with\n%s", b.String(), tail)
	}
	if strings.Contains(b.String(), "arm ") {
		t.Errorf("an arm table without arms:\n%s", b.String())
	}
	rep.Precision = &Precision{Target: 5, HalfWidthPerHour: 4, Met: true, Rounds: 1}
	b.Reset()
	WriteReportText(&b, rep)
	if !strings.Contains(b.String(), "target 5.00 good units/h met\n") {
		t.Errorf("absolute target met:\n%s", b.String())
	}
}

type failingWriter struct{ after int }

var errFull = errors.New("disk full")

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.after <= 0 {
		return 0, errFull
	}
	f.after--
	return len(p), nil
}

// A write error comes back, whether the first write fails or a later one
// (csv and json write their document at once).
func TestReportWritersReportWriteErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		afters []int
		write  func(w *failingWriter) error
	}{
		{"text", []int{0, 3}, func(w *failingWriter) error { return WriteReportText(w, handReport()) }},
		{"csv", []int{0}, func(w *failingWriter) error { return WriteReportCSV(w, handReport()) }},
		{"json", []int{0}, func(w *failingWriter) error { return WriteReportJSON(w, handReport()) }},
		{"sweep", []int{0, 1}, func(w *failingWriter) error { return WriteSummaryText(w, handSummary()) }},
	} {
		for _, after := range c.afters {
			if err := c.write(&failingWriter{after: after}); !errors.Is(err, errFull) {
				t.Errorf("%s, failing after %d writes: error %v, want %v", c.name, after, err, errFull)
			}
		}
	}
}

func TestWriteReportCSV(t *testing.T) {
	rep := handReport()
	var b bytes.Buffer
	if err := WriteReportCSV(&b, rep); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+1+2+1 {
		t.Fatalf("%d records, want header, summary, 2 stations, 1 arm", len(recs))
	}
	col := map[string]int{}
	for i, name := range recs[0] {
		col[name] = i
	}
	if n := 2 + 2*len(reportCSVMetrics()) + len(reportCSVPlain()); len(recs[0]) != n || len(col) != n {
		t.Errorf("header has %d columns (%d distinct), want %d", len(recs[0]), len(col), n)
	}
	cell := func(row int, name string) string {
		i, ok := col[name]
		if !ok {
			t.Fatalf("no column %q", name)
		}
		return recs[row][i]
	}
	for row, want := range []string{"section id", "summary test-line", "station a", "station b", "arm arm1"} {
		if got := recs[row][0] + " " + recs[row][1]; got != want {
			t.Errorf("row %d starts %q, want %q", row, got, want)
		}
	}
	// Numbers read back exactly, in plain decimals.
	thr := rep.Summary.ThroughputPerHour
	if got, _ := strconv.ParseFloat(cell(1, "throughput_per_hour_ci95"), 64); got != thr.CI95 || strings.ContainsAny(cell(1, "good_per_year"), "e,") {
		t.Errorf("summary throughput ci95 %q (want %v), good_per_year %q", cell(1, "throughput_per_hour_ci95"), thr.CI95, cell(1, "good_per_year"))
	}
	for _, c := range []struct {
		row        int
		name, want string
	}{
		{1, "yield", "0.9"}, {1, "blocked", ""}, {1, "bottleneck", "b"}, {1, "bottleneck_runs", "2"},
		{1, "replications", "3"}, {1, "seed", "42"}, {1, "duration_s", "28800"}, {1, "warmup_s", "3600"},
		{2, "blocked", "0.1"}, {2, "yield", ""}, {2, "bottleneck_runs", "1"}, {2, "seed", ""},
		{4, "utilization", "0.4"}, {4, "moves", "100"}, {4, "throughput_per_hour", ""}, {4, "bottleneck_runs", ""},
	} {
		if got := cell(c.row, c.name); got != c.want {
			t.Errorf("row %d, %s = %q, want %q", c.row, c.name, got, c.want)
		}
	}
}

// The JSON is one indented document, keeps < > & as they are, and reads
// back as the same report.
func TestWriteReportJSON(t *testing.T) {
	rep := handReport()
	rep.Config = "lines<a&b>"
	var b bytes.Buffer
	if err := WriteReportJSON(&b, rep); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	if !strings.HasPrefix(text, "{\n  \"config\": \"lines<a&b>\",\n") || !strings.HasSuffix(text, "}\n") {
		t.Errorf("not an indented document with the name as written:\n%.200s", text)
	}
	var back Report
	dec := json.NewDecoder(&b)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&back); err != nil {
		t.Fatal(err)
	}
	if dec.More() {
		t.Error("more than one document")
	}
	if back.Summary != rep.Summary || back.Bottleneck != rep.Bottleneck || len(back.Runs) != len(rep.Runs) {
		t.Errorf("read back %+v, want %+v", back.Summary, rep.Summary)
	}
}
