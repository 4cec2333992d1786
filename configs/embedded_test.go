package configs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

func TestNames(t *testing.T) {
	got := Names()
	want := []string{"demo-line", "inspection-heavy", "phone-factory", "two-machine"}
	if !slices.Equal(got, want) {
		t.Errorf("Names() = %q, want %q", got, want)
	}
	if !slices.Contains(got, Default) {
		t.Errorf("Default %q is not embedded", Default)
	}
}

// Every shipped config loads, validates, is named after its file and
// explains itself.
func TestEmbedded(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			spec, err := Embedded(name)
			if err != nil {
				t.Fatal(err)
			}
			if spec.Name != name {
				t.Errorf("name: %q, want %q (the file name)", spec.Name, name)
			}
			if spec.Description == "" {
				t.Error("no description")
			}
			if err := spec.Validate(); err != nil {
				t.Errorf("Validate after Embedded: %v", err)
			}
			src, err := Source(name + ".yaml")
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(string(src), "#"); n < 10 {
				t.Errorf("only %d comments: say where the numbers come from", n)
			}
		})
	}
}

func TestPhoneFactorySizing(t *testing.T) {
	spec, err := Embedded("phone-factory")
	if err != nil {
		t.Fatal(err)
	}
	if spec.Lines != 2 || spec.TargetPerHour != 1142 {
		t.Errorf("lines %d, target %v; want 2 lines, 1142/h (10M a year)", spec.Lines, spec.TargetPerHour)
	}
	if spec.Run.Duration != 7*sim.Day || spec.Run.Warmup != sim.Day {
		t.Errorf("run %+v, want 7d after 1d of warm-up", spec.Run)
	}
	if c := spec.Stations[spec.Constraint()].ID; c != "func-test" {
		t.Errorf("designed constraint %q, want func-test", c)
	}
	// An OEE of 70-85% needs an ideal rate of 1.18-1.43x the target.
	if r := spec.IdealPerHour() / spec.TargetPerHour; r < 1.18 || r > 1.43 {
		t.Errorf("ideal %.0f/h is %.2fx the target; want 1.18-1.43x", spec.IdealPerHour(), r)
	}
	var conveyors, reworks, maint int
	for _, st := range spec.Stations {
		if st.Conveyor != nil {
			conveyors++
			if c := st.Conveyor.Capacity; c < 40 || c > 80 {
				t.Errorf("%s holds %d boards; CALIBRATION says 40-80", st.ID, c)
			}
		}
		if st.Inspect != nil && st.Inspect.ReworkTarget() != "" {
			reworks++
		}
		if st.Maintenance.Every > 0 {
			maint++
		}
	}
	if conveyors != 1 || reworks < 1 || maint < 1 || len(spec.Arms) < 1 {
		t.Errorf("%d ovens, %d rework loops, %d maintained stations, %d arms", conveyors, reworks, maint, len(spec.Arms))
	}
}

// The phone factory makes about 10 million good phones a year: one week of
// its own batch settings lands within 5% of the target at an OEE of 70-85%.
func TestPhoneFactoryOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a simulated week")
	}
	spec, err := Embedded("phone-factory")
	if err != nil {
		t.Fatal(err)
	}
	r, err := twin.Run(spec, twin.Options{Duration: spec.Run.Duration, Warmup: spec.Run.Warmup, Seed: spec.Run.Seed})
	if err != nil {
		t.Fatal(err)
	}
	if d := r.GoodPerHour/spec.TargetPerHour - 1; d < -0.05 || d > 0.05 {
		t.Errorf("%.0f good/h, %+.1f%% off the target %v/h", r.GoodPerHour, 100*d, spec.TargetPerHour)
	}
	if r.OEE < 0.70 || r.OEE > 0.85 {
		t.Errorf("OEE %.3f, want 0.70-0.85", r.OEE)
	}
	t.Logf("%.0f good/h (%.2fM a year), OEE %.3f = A %.3f x P %.3f x Q %.3f, bottleneck %s",
		r.GoodPerHour, r.GoodPerHour*8760/1e6, r.OEE, r.Availability, r.Performance, r.Quality, r.Bottleneck)
}

func TestDemoLineBottleneck(t *testing.T) {
	spec, err := Embedded("demo-line")
	if err != nil {
		t.Fatal(err)
	}
	if c := spec.Stations[spec.Constraint()].ID; c != "test" {
		t.Errorf("designed constraint %q, want test", c)
	}
	if len(spec.Stations) < 6 || len(spec.Stations) > 7 || len(spec.Arms) != 1 {
		t.Errorf("%d stations and %d arms, want 6-7 and 1", len(spec.Stations), len(spec.Arms))
	}
}

func TestSource(t *testing.T) {
	src, err := Source(Default)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), "name: phone-factory") {
		t.Errorf("Source(%q) does not hold the phone factory", Default)
	}
	_, err = Source("no-such-line")
	ce := configError(t, err, "no-such-line")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("errors.Is(%v, fs.ErrNotExist) = false", err)
	}
	if want := "no embedded config of that name (embedded: demo-line, inspection-heavy, phone-factory, two-machine)"; ce.Problems[0] != want {
		t.Errorf("got %q, want %q", ce.Problems[0], want)
	}
	if _, err := Source("../configs/phone-factory"); err == nil {
		t.Error("Source accepted a path")
	}
}

func TestEmbeddedUnknown(t *testing.T) {
	_, err := Embedded("phone-fab")
	configError(t, err, "phone-fab")
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	own := filepath.Join(dir, "own.yaml")
	if err := os.WriteFile(own, []byte("name: own\nstations:\n  - id: a\n    cycle: 1s\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("stations:\n  - id: a\n    cycle: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		arg, name, err string
	}{
		{arg: "", name: Default},
		{arg: "demo-line", name: "demo-line"},
		{arg: "two-machine.yaml", name: "two-machine"},
		{arg: own, name: "own"},
		{arg: bad, err: bad + ": stations[0].cycle: 1 has no unit"},
		{arg: "nope", err: "nope: no such file, nor an embedded config (embedded: demo-line, inspection-heavy, phone-factory, two-machine)"},
		{arg: filepath.Join(dir, "gone.yaml"), err: "gone.yaml: no such file, nor an embedded config (embedded: demo-line,"},
		{arg: dir, err: dir + ": is a directory, not a config file"},
	} {
		t.Run(fmt.Sprintf("%q", tc.arg), func(t *testing.T) {
			spec, err := Resolve(tc.arg)
			if tc.err != "" {
				if err == nil {
					t.Fatalf("loaded %q, want error %q", spec.Name, tc.err)
				}
				configError(t, err, tc.arg)
				if !strings.Contains(err.Error(), tc.err) {
					t.Errorf("error %q does not contain %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if spec.Name != tc.name {
				t.Errorf("loaded %q, want %q", spec.Name, tc.name)
			}
		})
	}
}

// A file on disk wins over an embedded config of the same name.
func TestResolvePrefersDisk(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("demo-line", []byte("name: local\nstations:\n  - id: a\n    cycle: 1s\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	spec, err := Resolve("demo-line")
	if err != nil {
		t.Fatal(err)
	}
	if spec.Name != "local" {
		t.Errorf("loaded %q, want the file on disk", spec.Name)
	}
}

func ExampleParse() {
	_, err := Parse("demo.yaml", []byte(`
name: demo
stations:
  - id: printer
    cycle: 3
    bufer: 4
  - id: test
    cycle: expo(9s)
    buffer: -2
`))
	var ce *Error
	if errors.As(err, &ce) {
		for _, line := range ce.Lines() {
			fmt.Println(line)
		}
	}
	// Output:
	// demo.yaml: stations[0]: unknown key "bufer" (did you mean "buffer"?)
	// demo.yaml: stations[0].cycle: 3 has no unit: write a duration such as 3s, or a distribution such as exp(3s)
	// demo.yaml: stations[1].buffer: capacity -2 is negative (write inf for an unbounded buffer)
	// demo.yaml: stations[1].cycle: unknown distribution "expo" in "expo(9s)" (want one of const, exp, uniform, normal, lognormal, triangular, weibull)
}
