package autopilot

import (
	"bufio"
	"go/build"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

func TestNewByName(t *testing.T) {
	ev := &fakeEvaluator{}
	for _, name := range Names() {
		p, err := New(name, DefaultParams(), ev)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if p.Name() != name || p.Epoch() <= 0 {
			t.Errorf("%s: name %q, epoch %v", name, p.Name(), p.Epoch())
		}
	}
	_, err := New("reactive", DefaultParams(), nil)
	if err == nil || err.Error() != `unknown autopilot policy "reactive" (known: none, predictive, forecast)` {
		t.Errorf("got %v", err)
	}
	if _, err := New("forecast", DefaultParams(), nil); err == nil || !strings.Contains(err.Error(), "evaluator") {
		t.Errorf("forecast without an evaluator: %v", err)
	}
	bad := DefaultParams()
	bad.Predictive.Lead = -sim.Hour
	if _, err := New("predictive", bad, nil); err == nil || !strings.Contains(err.Error(), "predictive.lead") {
		t.Errorf("bad lead: %v", err)
	}
}

func TestParamsSetAndValidate(t *testing.T) {
	p := DefaultParams()
	if err := p.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, kv := range [][2]string{{"predictive.lead", "12h"}, {"predictive.opportunistic_lead", "1d12h"}, {"predictive.window", "30"}, {"forecast.min_gain", "2.5"}, {"predictive.spacing", "0s"}} {
		if err := p.Set(kv[0], kv[1]); err != nil {
			t.Fatalf("set %s=%s: %v", kv[0], kv[1], err)
		}
	}
	if p.Predictive.Lead != 12*sim.Hour || p.Predictive.OpportunisticLead != 36*sim.Hour || p.Predictive.Window != 30 || p.Forecast.MinGain != 2.5 || p.Predictive.Spacing != 0 {
		t.Errorf("after Set: %+v", p)
	}
	if err := p.Validate(); err != nil {
		t.Errorf("valid after Set: %v", err)
	}
	for _, c := range []struct{ key, value, want string }{
		{"predictive.leed", "1h", `unknown autopilot parameter "predictive.leed" (known: none.epoch, predictive.epoch`},
		{"predictive.lead", "soon", "autopilot parameter predictive.lead: "},
		{"predictive.window", "2.5", `autopilot parameter predictive.window: "2.5" is not a whole number`},
		{"forecast.max_speed", "NaN", `autopilot parameter forecast.max_speed: "NaN" is not a number`},
	} {
		err := p.Set(c.key, c.value)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("set %s=%s: %v, want %s…", c.key, c.value, err, c.want)
		}
	}
	bad := DefaultParams()
	bad.Predictive.Epoch = 0
	bad.Predictive.MinReadings = 99
	bad.Predictive.SlopeQuantile = 0.2
	bad.Predictive.OpportunisticLead = sim.Hour
	bad.Forecast.MaxSpeed = 50
	bad.Forecast.BufferStep = -1
	err := bad.Validate()
	if err == nil {
		t.Fatal("bad params accepted")
	}
	for _, field := range []string{"predictive.epoch", "predictive.min_readings", "predictive.slope_quantile", "predictive.opportunistic_lead", "forecast.max_speed", "forecast.buffer_step"} {
		if !strings.Contains(err.Error(), "autopilot parameter "+field+":") {
			t.Errorf("%s not named in:\n%v", field, err)
		}
	}
}

// TestNoGroundTruth: a policy cannot see the model's true state. The
// observation it gets has no field of health or wear at any depth, and
// the package, with everything it imports, reaches no package of the
// module but twin/sim: not the stations, robots or line model, which hold
// the truth.
func TestNoGroundTruth(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type, string)
	walk = func(ty reflect.Type, path string) {
		for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice {
			ty = ty.Elem()
		}
		if ty.Kind() != reflect.Struct || seen[ty] {
			return
		}
		seen[ty] = true
		for i := range ty.NumField() {
			f := ty.Field(i)
			name := strings.ToLower(f.Name)
			for _, bad := range []string{"health", "wear", "truth", "hazard", "degrad"} {
				if strings.Contains(name, bad) {
					t.Errorf("%s.%s: the observation carries %s", path, f.Name, bad)
				}
			}
			walk(f.Type, path+"."+f.Name)
		}
	}
	walk(reflect.TypeFor[Observation](), "Observation")
	if !seen[reflect.TypeFor[Sensor]()] || !seen[reflect.TypeFor[Crew]()] {
		t.Fatal("the walk missed the observation's parts")
	}

	root, mod := moduleRoot(t)
	reached := map[string]bool{}
	var visit func(dir, name string)
	visit = func(dir, name string) {
		pkg, err := build.ImportDir(dir, 0)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		for _, imp := range pkg.Imports {
			if imp != mod && !strings.HasPrefix(imp, mod+"/") {
				if strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
					t.Errorf("%s imports %s, outside the standard library", name, imp)
				}
				continue
			}
			if !reached[imp] {
				reached[imp] = true
				visit(filepath.Join(root, strings.TrimPrefix(imp, mod)), imp)
			}
		}
	}
	visit(".", "twin/autopilot")
	for imp := range reached {
		if imp != mod+"/twin/sim" {
			t.Errorf("the autopilot reaches %s; it may reach only twin/sim of the module", imp)
		}
	}
	if !reached[mod+"/twin/sim"] {
		t.Error("the walk did not find twin/sim: it does not look at the imports")
	}
}

// moduleRoot returns the module's root directory and path from go.mod.
func moduleRoot(t *testing.T) (string, string) {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		f, err := os.Open(filepath.Join(dir, "go.mod"))
		if err == nil {
			defer f.Close()
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if mod, ok := strings.CutPrefix(sc.Text(), "module "); ok {
					return dir, strings.TrimSpace(mod)
				}
			}
			t.Fatal("go.mod names no module")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the package")
		}
		dir = parent
	}
}
