package configs

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

func TestSweepGrid(t *testing.T) {
	sw, err := ParseSweep("g.yaml", "", []byte(`
base: demo-line
seed: 7
grid:
  stations[test].buffer: [1, 2, 3]
  arms[arm-1].speed: [1.5, 2]
`))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range sw.Points {
		names = append(names, p.Name)
	}
	want := "buffer=1 speed=1.5|buffer=1 speed=2|buffer=2 speed=1.5|buffer=2 speed=2|buffer=3 speed=1.5|buffer=3 speed=2"
	if got := strings.Join(names, "|"); got != want {
		t.Errorf("points\n got %s\nwant %s", got, want)
	}
	if got := strings.Join(sw.Params, ","); got != "stations[test].buffer,arms[arm-1].speed" {
		t.Errorf("params %s", got)
	}
	if sw.Points[5].Spec.Stations[5].Buffer != 3 || sw.Points[5].Spec.Arms[0].Speed != 2 {
		t.Errorf("last point's spec: buffer %v speed %v", sw.Points[5].Spec.Stations[5].Buffer, sw.Points[5].Spec.Arms[0].Speed)
	}
	// Settings not in the file come from the base config's run section.
	if sw.Seed != 7 || sw.Duration != sim.Day || sw.Warmup != sim.Hour || sw.Replications != 5 || sw.Name != "g" {
		t.Errorf("settings: seed %d duration %v warmup %v replications %d name %q", sw.Seed, sw.Duration, sw.Warmup, sw.Replications, sw.Name)
	}
}

func TestSweepScenarios(t *testing.T) {
	dir := t.TempDir()
	src, err := Source("demo-line")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "line.yaml"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(path, []byte(`
name: what-if
base: line.yaml
duration: 8h
warmup: 1h
replications: 3
set: {run.seed: 11}
scenarios:
  - name: as-is
  - name: two-testers
    set:
      stations[test].servers: 2
  - name: fast-arm
    set: {"arms[arm-1].speed": 3}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	sw, err := LoadSweep(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(sw.Points) != 3 || sw.Points[1].Spec.Stations[5].Servers != 2 || sw.Points[0].Spec.Stations[5].Servers != 1 {
		t.Errorf("points %+v", sw.Points)
	}
	if sw.Seed != 11 || sw.Replications != 3 || sw.Duration != 8*sim.Hour {
		t.Errorf("settings: seed %d replications %d duration %v", sw.Seed, sw.Replications, sw.Duration)
	}
	if got := strings.Join(sw.Params, ","); got != "stations[test].servers,arms[arm-1].speed" {
		t.Errorf("params %s", got)
	}
	h := sw.Hash()
	sw2, _ := LoadSweep(path)
	if sw2.Hash() != h || len(h) != 64 {
		t.Errorf("hash %q not stable", h)
	}
	os.WriteFile(filepath.Join(dir, "line.yaml"), append(src, '\n'), 0o644)
	if sw3, _ := LoadSweep(path); sw3.Hash() == h {
		t.Error("hash ignores a change of the base config")
	}
}

func TestSweepEmbedded(t *testing.T) {
	if !strings.Contains(strings.Join(SweepNames(), ","), "demo-buffer") {
		t.Fatalf("embedded sweeps %v", SweepNames())
	}
	sw, err := LoadSweep("demo-buffer")
	if err != nil {
		t.Fatal(err)
	}
	if sw.Base.Name() != "demo-line.yaml" || len(sw.Points) < 10 {
		t.Errorf("base %s, %d points", sw.Base.Name(), len(sw.Points))
	}
}

func TestSweepErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // one substring per problem, in order
	}{
		{"unknown key", "base: demo-line\ngird: {lines: [1]}\n", []string{`s.yaml: unknown key "gird" (line 2;`}},
		{"no base", "grid: {lines: [1]}\n", []string{"base: missing"}},
		{"bad base", "base: nope\n", []string{"base: nope: no such file, nor an embedded config"}},
		{"both", "base: demo-line\ngrid: {lines: [1]}\nscenarios: [{name: a}]\n", []string{"grid and scenarios cannot be used together"}},
		{"bad path", "base: demo-line\ngrid:\n  stations[tst].buffer: [1, 2]\n",
			[]string{`point 1 (buffer=1): stations[tst].buffer: stations has no item with id "tst"`, "point 2 (buffer=2)"}},
		{"bad value", "base: demo-line\nscenarios:\n  - {name: a}\n  - {name: b, set: {\"stations[test].buffer\": -1}}\n",
			[]string{"scenarios[1] (b): stations[5].buffer: capacity -1 is negative (write inf for an unbounded buffer) (set by stations[test].buffer)"}},
		{"duplicate name", "base: demo-line\nscenarios: [{name: a}, {name: a}]\n", []string{`scenarios[1]: name "a" is already the name of scenarios[0]`}},
		{"no name", "base: demo-line\nscenarios: [{set: {lines: 2}}]\n", []string{"scenarios[0]: name: missing"}},
		{"grid not list", "base: demo-line\ngrid: {lines: 2}\n", []string{"grid: lines: want a list of values"}},
		{"run varies", "base: demo-line\ngrid: {run.duration: [1h, 2h]}\n", []string{"run.duration: the run settings cannot vary"}},
		{"bad settings", "base: demo-line\nduration: 3\nreplications: 0\nseed: -1\n",
			[]string{"duration: want a duration", "replications: want a whole number >= 1", "seed: want a whole number >= 0"}},
		{"warmup too long", "base: demo-line\nduration: 1h\nwarmup: 2h\n", []string{"warmup: 2h is not shorter than the duration 1h"}},
		{"duration past the limit", "base: demo-line\nduration: 99999999999999d\n",
			[]string{`duration: duration "99999999999999d" is longer than the limit of 100 years (36500d) (line 2)`}},
		{"too many replications", "base: demo-line\nreplications: 100000000\n", []string{"replications: 100000000: at most 100000 (line 2)"}},
		{"grid too large", "base: demo-line\ngrid:\n  stations[test].buffer: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n" +
			"  stations[pack].buffer: [" + strings.Repeat("1, ", 99) + "1]\n  lines: [" + strings.Repeat("1, ", 100) + "1]\n",
			[]string{"grid: more than 100000 points: too many (the lists' lengths multiply)"}},
		{"grid product past int", "base: demo-line\ngrid:\n" + grid64(), []string{"grid: more than 100000 points"}},
		{"not a mapping", "- a\n", []string{"a sweep file must be a mapping"}},
		{"syntax", "base: [\n", []string{"YAML syntax error"}},
		{"unquoted flow path", "base: demo-line\nset: {stations[test].buffer: 2}\n", []string{`quote a path that selects with [ ]`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSweep("s.yaml", "", []byte(tt.yaml))
			ce, ok := err.(*Error)
			if !ok {
				t.Fatalf("want a *configs.Error, got %T %v", err, err)
			}
			lines := ce.Lines()
			if len(lines) != len(tt.want) {
				t.Fatalf("%d problems, want %d:\n%s", len(lines), len(tt.want), err)
			}
			for i, w := range tt.want {
				if !strings.Contains(lines[i], w) || !strings.HasPrefix(lines[i], "s.yaml: ") {
					t.Errorf("problem %d: %q does not contain %q", i, lines[i], w)
				}
			}
		})
	}
}

// grid64 is a grid of 64 parameters of 2 values: 2^64 points, which an int
// product would wrap to 0.
func grid64() string {
	var b strings.Builder
	for i := range 64 {
		fmt.Fprintf(&b, "  stations[%d].defect_rate: [0, 0.1]\n", i)
	}
	return b.String()
}
