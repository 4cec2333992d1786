package twin_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Writing a trace changes no result: sensors draw from their own stream.
// The trace holds every kind of reading, and its counters agree with the KPIs.
func TestTraceLeavesResultsAloneAndCountsAgree(t *testing.T) {
	spec, err := configs.Embedded("demo-line")
	if err != nil {
		t.Fatal(err)
	}
	opt := twin.Options{Duration: 4 * sim.Hour, Seed: 3}
	plain, err := twin.Run(spec, opt)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	opt.Trace = &buf
	traced, err := twin.Run(spec, opt)
	if err != nil {
		t.Fatal(err)
	}
	plain.WallSeconds, traced.WallSeconds = 0, 0
	if !reflect.DeepEqual(plain, traced) {
		t.Error("results differ with a trace")
	}

	kinds := map[string]int{}
	var lastShipped, lastT float64
	sc := bufio.NewScanner(&buf)
	for sc.Scan() {
		var r struct {
			T      float64 `json:"t"`
			Sensor string  `json:"sensor"`
			Value  float64 `json:"value"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("bad trace line %q: %v", sc.Text(), err)
		}
		if r.T < lastT {
			t.Fatalf("trace goes back in time at %q", sc.Text())
		}
		lastT = r.T
		kinds[r.Sensor]++
		if r.Sensor == "shipped" {
			lastShipped = r.Value
		}
	}
	for _, k := range []string{"photo_eye_in", "photo_eye_out", "counter", "cycle_time", "vision", "state", "shipped", "scrap"} {
		if kinds[k] == 0 {
			t.Errorf("no %s readings in the trace", k)
		}
	}
	// Readings can be lost (dropout) or still in flight at the end, so the
	// last shipped count read may trail the truth a little, never pass it.
	if lastShipped > float64(traced.Shipped) || lastShipped < 0.98*float64(traced.Shipped) {
		t.Errorf("last shipped reading %v, true count %d", lastShipped, traced.Shipped)
	}
}
