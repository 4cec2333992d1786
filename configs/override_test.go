package configs

import (
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

func mustBase(t *testing.T, name string) *Base {
	t.Helper()
	b, err := OpenBase(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOverridePaths(t *testing.T) {
	b := mustBase(t, "demo-line")
	spec, err := b.With([]Override{
		{"stations[test].buffer", 7},
		{"stations[2].buffer", "inf"},
		{"stations[placer].servers", 2},
		{"stations[test].inspect.detect", 0.99},
		{"stations[pack].inspect.detect", 0.5}, // creates the inspect mapping
		{"stations[pack].inspect.on_fail", "scrap"},
		{"arms[arm-1].speed", 2.5},
		{"run.duration", "8h"},
		{"lines", 3},
	})
	if err != nil {
		t.Fatal(err)
	}
	idx := map[string]int{}
	for i, s := range spec.Stations {
		idx[s.ID] = i
	}
	st := spec.Stations
	if got := st[idx["test"]].Buffer; got != 7 {
		t.Errorf("test buffer %v, want 7", got)
	}
	if got := st[2].Buffer; got != stations.Inf {
		t.Errorf("oven buffer %v, want inf", got)
	}
	if got := st[idx["placer"]].Servers; got != 2 {
		t.Errorf("placer servers %d, want 2", got)
	}
	if got := st[idx["test"]].Inspect.Detect; got != 0.99 {
		t.Errorf("test detect %v, want 0.99", got)
	}
	if in := st[idx["pack"]].Inspect; in == nil || in.Detect != 0.5 {
		t.Errorf("pack inspect %+v, want detect 0.5", in)
	}
	if got := spec.Arms[0].Speed; got != 2.5 {
		t.Errorf("arm speed %v, want 2.5", got)
	}
	if spec.Run.Duration != 8*sim.Hour || spec.Lines != 3 {
		t.Errorf("run.duration %v lines %d, want 8h and 3", spec.Run.Duration, spec.Lines)
	}
	// The base is untouched by With.
	again, err := b.With(nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.Stations[idx["test"]].Buffer != 4 || again.Lines != 1 {
		t.Errorf("base changed: test buffer %v, lines %d", again.Stations[idx["test"]].Buffer, again.Lines)
	}
}

func TestOverrideErrors(t *testing.T) {
	b := mustBase(t, "demo-line")
	tests := []struct {
		set  Override
		want []string // substrings of the one problem
	}{
		{Override{"stations[tst].buffer", 1}, []string{"demo-line.yaml: stations[tst].buffer: stations has no item with id \"tst\"", `did you mean "test"`}},
		{Override{"stations[zzzzzz].buffer", 1}, []string{"ids: printer, placer, oven, assembly, screwing, test, pack"}},
		{Override{"stations[9].buffer", 1}, []string{"stations has 7 items: [9] is out of range (0-6)"}},
		{Override{"stations[test].bufer", 1}, []string{`stations[5]: unknown key "bufer" (did you mean "buffer"?)`}},
		{Override{"arms[arm-1].sped", 1}, []string{`arms[0]: unknown key "sped" (did you mean "speed"?)`}},
		{Override{"runn.duration", "1h"}, []string{`the top level: unknown key "runn" (did you mean "run"?)`}},
		{Override{"lines[0]", 1}, []string{"lines is not a list"}},
		{Override{"stations..buffer", 1}, []string{"empty key"}},
		{Override{"stations[test.buffer", 1}, []string{"malformed selection"}},
		// Values go through the config's own checks, which name the
		// overridden field.
		{Override{"stations[test].buffer", -2}, []string{"demo-line.yaml: stations[5].buffer: capacity -2 is negative", "(set by stations[test].buffer)"}},
		{Override{"stations[test].cycle", 9}, []string{"stations[5].cycle: 9 has no unit", "(set by stations[test].cycle)"}},
		{Override{"stations[test].inspect.detect", 1.5}, []string{"stations[5].inspect.detect", "(set by stations[test].inspect.detect)"}},
	}
	for _, tt := range tests {
		t.Run(tt.set.Path, func(t *testing.T) {
			_, err := b.With([]Override{tt.set})
			if err == nil {
				t.Fatal("no error")
			}
			ce, ok := err.(*Error)
			if !ok || len(ce.Problems) != 1 {
				t.Fatalf("want one problem in a *configs.Error, got %T: %v", err, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not contain %q", err.Error(), w)
				}
			}
		})
	}
}

func TestParseOverride(t *testing.T) {
	o, err := ParseOverride("stations[test].buffer = 6")
	if err != nil || o.Path != "stations[test].buffer" || o.Value != 6 {
		t.Errorf("got %+v, %v", o, err)
	}
	o, err = ParseOverride("stations[test].cycle=exp(3s)")
	if err != nil || o.Value != "exp(3s)" {
		t.Errorf("got %+v, %v", o, err)
	}
	if _, err := ParseOverride("no-equals"); err == nil || !strings.Contains(err.Error(), "want path=value") {
		t.Errorf("got %v", err)
	}
}

func TestBaseLookup(t *testing.T) {
	b := mustBase(t, "demo-line")
	if v, ok := b.Lookup("stations[test].inspect.detect"); !ok || v != 0.95 {
		t.Errorf("detect: %v %v", v, ok)
	}
	if v, ok := b.Lookup("arms[0].speed"); !ok || v != 1.5 {
		t.Errorf("speed: %v %v", v, ok)
	}
	if _, ok := b.Lookup("stations[pack].inspect.detect"); ok {
		t.Error("pack has no inspection")
	}
}

func TestOpenBaseErrors(t *testing.T) {
	if _, err := OpenBase("no-such-config"); err == nil || !strings.Contains(err.Error(), "nor an embedded config") {
		t.Errorf("got %v", err)
	}
	if _, err := NewBase("x.yaml", []byte("- a\n- b\n")); err == nil || !strings.Contains(err.Error(), "x.yaml") {
		t.Errorf("got %v", err)
	}
}
