package sensor

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

type line struct {
	T      float64 `json:"t_s"`
	EventT float64 `json:"event_s"`
	Line   int     `json:"line"`
	Device string  `json:"device"`
	Sensor string  `json:"sensor"`
	Value  float64 `json:"value"`
	State  string  `json:"state"`
}

func parse(t *testing.T, b []byte) []line {
	t.Helper()
	var out []line
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("bad JSON line %q: %v", sc.Text(), err)
		}
		out = append(out, l)
	}
	return out
}

func mustDist(t *testing.T, s string) sim.Dist {
	d, err := sim.ParseDist(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Readings come out in order of reading time even when random latency
// reorders them, each one event time plus a latency within the distribution.
func TestReadingsOrderedByReadingTime(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf, Spec{Latency: mustDist(t, "uniform(0s,500ms)")}, sim.NewStream(1, "s"))
	for i := range 10000 {
		now := sim.Time(i) * 100 * sim.Millisecond
		w.Observe(now, Reading{Device: "printer", Kind: PhotoEyeIn, Value: 1})
	}
	if err := w.Close(sim.Hour); err != nil {
		t.Fatal(err)
	}
	got := parse(t, buf.Bytes())
	if len(got) != 10000 {
		t.Fatalf("%d readings, want 10000", len(got))
	}
	reordered := 0
	for i, r := range got {
		if lat := r.T - r.EventT; lat < 0 || lat > 0.5+1e-9 {
			t.Fatalf("reading %d latency %v outside [0, 0.5]", i, lat)
		}
		if i > 0 && r.T < got[i-1].T {
			t.Fatalf("reading %d at %v before reading %d at %v", i, r.T, i-1, got[i-1].T)
		}
		if i > 0 && r.EventT < got[i-1].EventT {
			reordered++
		}
		if r.Device != "printer" || r.Sensor != "photo_eye_in" || r.Line != 1 {
			t.Fatalf("reading %d = %+v", i, r)
		}
	}
	if reordered == 0 {
		t.Error("random latency never reordered events: the test does not test ordering")
	}
}

// Only the readings still in flight are held: memory does not grow with the run.
func TestWriterMemoryIsBoundedByLatency(t *testing.T) {
	var n countingWriter
	w := NewWriter(&n, Spec{Latency: mustDist(t, "const(1s)")}, sim.NewStream(1, "s"))
	most := 0
	for i := range 1_000_000 {
		now := sim.Time(i) * 10 * sim.Millisecond // 100 readings per second
		w.Observe(now, Reading{Device: "d", Kind: Counter, Value: float64(i)})
		most = max(most, len(w.pending))
	}
	if err := w.Close(sim.Forever); err != nil {
		t.Fatal(err)
	}
	if most > 101 {
		t.Errorf("held up to %d readings in flight, want at most 101 (1 s of latency at 100/s)", most)
	}
	if w.Written() != 1_000_000 || n.lines != 1_000_000 {
		t.Errorf("wrote %d readings (%d lines), want 1,000,000", w.Written(), n.lines)
	}
}

type countingWriter struct{ lines int }

func (c *countingWriter) Write(b []byte) (int, error) {
	c.lines += bytes.Count(b, []byte{'\n'})
	return len(b), nil
}

// Dropout loses about the given share of readings; noise perturbs only
// analogue readings, by about the given relative standard deviation.
func TestDropoutAndNoise(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf, Spec{Dropout: 0.1, Noise: 0.05}, sim.NewStream(2, "s"))
	const n = 50000
	for i := range n {
		now := sim.Time(i) * sim.Second
		w.Observe(now, Reading{Device: "aoi", Kind: CycleTime, Value: 4})
		w.Observe(now, Reading{Device: "aoi", Kind: Vision, Value: 1})
	}
	if err := w.Close(sim.Forever); err != nil {
		t.Fatal(err)
	}
	var sum, sq float64
	var cycles, visions int
	for _, r := range parse(t, buf.Bytes()) {
		switch r.Sensor {
		case "cycle_time":
			cycles++
			sum += r.Value
			sq += r.Value * r.Value
		case "vision":
			visions++
			if r.Value != 1 {
				t.Fatalf("vision verdict %v changed by noise", r.Value)
			}
		}
	}
	if drop := 1 - float64(cycles+visions)/(2*n); math.Abs(drop-0.1) > 0.005 {
		t.Errorf("dropout %.4f, want 0.1", drop)
	}
	if int64(2*n-cycles-visions) != w.Dropped() {
		t.Errorf("Dropped() = %d, missing readings %d", w.Dropped(), 2*n-cycles-visions)
	}
	mean := sum / float64(cycles)
	sd := math.Sqrt(sq/float64(cycles)-mean*mean) / 4
	if math.Abs(mean-4) > 0.01 || math.Abs(sd-0.05) > 0.005 {
		t.Errorf("cycle time readings mean %.4f relative sd %.4f, want 4 and 0.05", mean, sd)
	}
}

// A state reading carries the state's name beside its number.
func TestStateReadingHasName(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf, Spec{}, sim.NewStream(1, "s"))
	w.Observe(3*sim.Second, Reading{Line: 1, Device: "oven", Kind: State, Value: 4, Label: "Blocked"})
	if err := w.Close(sim.Forever); err != nil {
		t.Fatal(err)
	}
	want := `{"t_s":3,"event_s":3,"line":2,"device":"oven","server":1,"sensor":"state","value":4,"state":"Blocked"}`
	if got := strings.TrimSpace(buf.String()); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
