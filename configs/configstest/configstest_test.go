package configstest

import (
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
)

// recorder is a testing.TB that records a failure instead of stopping.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) { r.failed = format }

func TestLoads(t *testing.T) {
	for _, name := range configs.Names() {
		if spec := Embedded(t, name); spec == nil || len(spec.Stations) == 0 {
			t.Errorf("%s: %+v", name, spec)
		}
	}
	if spec := Parse(t, "name: one\nsource: {}\nstations:\n  - {id: only, cycle: 3s}\n"); spec.Name != "one" || spec.Stations[0].ID != "only" {
		t.Errorf("parsed %+v", spec)
	}
}

func TestFailsTheTest(t *testing.T) {
	r := &recorder{TB: t}
	Embedded(r, "no-such-line")
	if r.failed == "" {
		t.Error("an unknown config did not fail the test")
	}
	r.failed = ""
	Parse(r, "stations: [{id: a, buffer: -2}]\n")
	if r.failed == "" {
		t.Error("a bad config did not fail the test")
	}
}
