package configs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// good is a small valid config that the bad cases below break one way each.
const good = `
name: t
stations:
  - id: a
    cycle: 2s
  - id: b
    cycle: exp(3s)
`

// MustParse parses src as "t.yaml" and fails the test on any error.
func MustParse(tb testing.TB, src string) *twin.Spec {
	tb.Helper()
	spec, err := Parse("t.yaml", []byte(src))
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return spec
}

// configError asserts that err is an *Error about file whose every line
// starts with the file name, and returns it.
func configError(tb testing.TB, err error, file string) *Error {
	tb.Helper()
	var ce *Error
	if !errors.As(err, &ce) {
		tb.Fatalf("got error %v (%T), want *configs.Error", err, err)
	}
	if ce.File != file {
		tb.Errorf("File = %q, want %q", ce.File, file)
	}
	if len(ce.Problems) == 0 {
		tb.Errorf("no problems in %v", err)
	}
	for _, l := range strings.Split(err.Error(), "\n") {
		if !strings.HasPrefix(l, file+": ") {
			tb.Errorf("line %q does not start with %q", l, file+": ")
		}
	}
	return ce
}

func TestParseGood(t *testing.T) {
	spec := MustParse(t, `
Name: all-features        # keys are case-insensitive
lines: 3
target_per_hour: 99.5
source: {interarrival: exp(2s)}
stations:
  - id: a
    buffer: inf
    cycle: 2.8s
    mtbf: weibull(1.5,8h)
    mttr: lognormal(6m,2m)
    maintenance: {every: 7d, duration: 2h, start: 1.5d}
    defect_rate: 0.05
  - id: b
    buffer: .inf
    servers: 4
    cycle: triangular(1s,2s,4s)
    inspect: {detect: 0.9, on_fail: "rework:a"}
    arm: {id: r1, load: 0.6, unload: 0.5}
  - id: oven
    buffer: 12
    conveyor: {dwell: 5m, pitch: 6s}
arms:
  - {id: r1, speed: 2, accel: 10, grip: 150ms, release: 100ms, mtbf: exp(24h), mttr: "uniform(1m,2m)"}
sensors: {latency: "normal(100ms,20ms)", noise: 0.01, dropout: 0.001}
run: {duration: 2d, warmup: 6h, seed: 7, replications: 3}
`)
	check := func(what string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("name", spec.Name, "all-features")
	check("lines", spec.Lines, 3)
	check("target_per_hour", spec.TargetPerHour, 99.5)
	check("source.interarrival", spec.Source.Interarrival.String(), "exp(2s)")
	check("stations", len(spec.Stations), 3)
	a, b, oven := spec.Stations[0], spec.Stations[1], spec.Stations[2]
	check("a.buffer", a.Buffer, stations.Inf)
	check("a.servers (default)", a.Servers, 1)
	check("a.cycle", a.Cycle.String(), "const(2.8s)")
	check("a.mtbf", a.MTBF.String(), "weibull(1.5,8h)")
	check("a.mttr", a.MTTR.String(), "lognormal(6m,2m)")
	check("a.maintenance.every", a.Maintenance.Every, 7*sim.Day)
	check("a.maintenance.start", a.Maintenance.Start, 36*sim.Hour)
	check("a.defect_rate", a.DefectRate, 0.05)
	check("b.buffer", b.Buffer, stations.Inf)
	check("b.servers", b.Servers, 4)
	check("b.inspect.on_fail", b.Inspect.ReworkTarget(), "a")
	check("b.inspect.max_rework (default)", b.Inspect.MaxRework, 2)
	check("b.arm", *b.Arm, stations.ArmUse{ID: "r1", Load: 0.6, Unload: 0.5})
	check("oven.buffer", oven.Buffer, stations.Capacity(12))
	check("oven.conveyor.capacity (default)", oven.Conveyor.Capacity, 50)
	check("arms[0].grip", spec.Arms[0].Grip, 150*sim.Millisecond)
	check("arms[0].mttr", spec.Arms[0].MTTR.String(), "uniform(1m,2m)")
	check("sensors.latency", spec.Sensors.Latency.String(), "normal(100ms,20ms)")
	check("run.duration", spec.Run.Duration, 2*sim.Day)
	check("run.warmup", spec.Run.Warmup, 6*sim.Hour)
	check("run.seed", spec.Run.Seed, uint64(7))
	check("run.replications", spec.Run.Replications, 3)
}

func TestParseDefaults(t *testing.T) {
	spec := MustParse(t, good)
	if spec.Lines != 1 || spec.Run.Duration != 7*sim.Day || spec.Run.Replications != 1 || spec.Run.Seed != 0 {
		t.Errorf("defaults not applied: lines %d, run %+v", spec.Lines, spec.Run)
	}
	if spec.Stations[0].Buffer != 0 || spec.Stations[0].Servers != 1 {
		t.Errorf("station defaults: %+v", spec.Stations[0])
	}
}

// Viper splits keys on its delimiter; the loader must keep YAML keys literal.
func TestParseKeysWithDotsAreLiteral(t *testing.T) {
	_, err := Parse("t.yaml", []byte(good+"run.duration: 2d\n"))
	ce := configError(t, err, "t.yaml")
	if len(ce.Problems) != 1 || !strings.Contains(ce.Problems[0], `unknown key "run.duration"`) {
		t.Errorf("got %q, want one unknown key \"run.duration\"", ce.Problems)
	}
	spec := MustParse(t, good+"run:\n  duration: 2d\n")
	if spec.Run.Duration != 2*sim.Day {
		t.Errorf("run.duration = %v, want 48h", spec.Run.Duration)
	}
}

// YAML anchors and merge keys let stations share settings.
func TestParseAnchors(t *testing.T) {
	spec := MustParse(t, `
stations:
  - &cell {id: a, cycle: 2s, buffer: 5, mtbf: exp(8h), mttr: exp(5m)}
  - <<: *cell
    id: b
    buffer: 7
`)
	b := spec.Stations[1]
	if b.ID != "b" || b.Buffer != 7 || b.Cycle.String() != "const(2s)" || b.MTBF.String() != "exp(8h)" {
		t.Errorf("merged station: %+v", b)
	}
}

func TestParseBad(t *testing.T) {
	station := func(extra string) string { // a one-station line with extra keys
		return "stations:\n  - id: a\n    cycle: 2s\n" + extra
	}
	for _, tc := range []struct {
		name string
		src  string
		// disk, when set, writes src to a file of that name and loads it;
		// "-" loads a file that does not exist, "/" a directory.
		disk string
		want []string
	}{
		{name: "yaml syntax", src: "name: x\nlines: 2\n  stations: 3\n",
			want: []string{"t.yaml: line 3: YAML syntax error: mapping values are not allowed in this context"}},
		{name: "yaml tab", src: "stations:\n\t- id: a\n",
			want: []string{"t.yaml: line 2: YAML syntax error: found character that cannot start any token"}},
		{name: "yaml duplicate key", src: station("    cycle: 3s\n"),
			want: []string{`line 4: YAML syntax error: mapping key "cycle" already defined at line 3`}},
		{name: "top level is a list", src: "- id: a\n  cycle: 2s\n",
			want: []string{"t.yaml: line 1: the file must be a mapping of keys (name:, stations: …), not a list"}},
		{name: "unknown top-level key", src: good + "stattions: []\n",
			want: []string{`t.yaml: unknown key "stattions" (did you mean "stations"?)`}},
		{name: "unknown top-level key without value", src: good + "colour:\n",
			want: []string{`t.yaml: unknown key "colour" (want one of arms, autopilot, crew, description,`}},
		{name: "autopilot", src: station("autopilot:\n  policy: predictiv\n  params: [predictive.lead=-4h, lead]\n  max_actions_per_hour: -1\n"),
			want: []string{`t.yaml: autopilot.policy: "predictiv": want one of none, predictive, forecast`,
				`t.yaml: autopilot.params[0]: autopilot parameter predictive.lead: negative duration "-4h"`,
				`t.yaml: autopilot.params[1]: "lead": want name=value, e.g. predictive.lead=6h`,
				`t.yaml: autopilot.max_actions_per_hour: -1: want 1 to`}},
		{name: "autopilot unknown key", src: station("autopilot: {policy: none, recommend: true}\n"),
			want: []string{`t.yaml: autopilot: unknown key "recommend" (want one of max_actions_per_hour, params, policy, recommend_only)`}},
		{name: "autopilot without a policy", src: station("autopilot: {recommend_only: true}\n"),
			want: []string{`t.yaml: autopilot.policy: missing: want one of none, predictive, forecast`}},
		{name: "unknown station key", src: good + "  - id: c\n    cycle: 1s\n    bufer: 3\n",
			want: []string{`t.yaml: stations[2]: unknown key "bufer" (did you mean "buffer"?)`}},
		{name: "unknown key in inspect", src: station("    inspect: {detekt: 0.9, on_fail: scrap}\n"),
			want: []string{`t.yaml: stations[0].inspect: unknown key "detekt" (did you mean "detect"?)`}},
		{name: "unknown key in arms", src: station("    arm: {id: r1}\narms:\n  - {id: r1, sped: 2, accel: 1}\n"),
			want: []string{`t.yaml: arms[0]: unknown key "sped" (did you mean "speed"?)`, "arms[0].speed: 0: must be a positive speed"}},
		{name: "unknown key in conveyor", src: "stations:\n  - id: oven\n    conveyor: {dwell: 5m, pitch: 6s, lenght: 3}\n",
			want: []string{`stations[0].conveyor: unknown key "lenght"`}},
		{name: "unknown nested key without value", src: good + "sensors:\n  latency: 1s\n  jitter:\n",
			want: []string{`t.yaml: sensors: unknown key "jitter" (want one of dropout, latency, noise)`}},
		{name: "negative duration", src: "stations:\n  - id: a\n    cycle: -2s\n",
			want: []string{`t.yaml: stations[0].cycle: negative duration "-2s"`}},
		{name: "negative duration in a distribution", src: "stations:\n  - id: a\n    cycle: normal(3s,-1s)\n",
			want: []string{`stations[0].cycle: negative duration "-1s" in "normal(3s,-1s)"`}},
		{name: "zero cycle", src: "stations:\n  - id: a\n    cycle: 0s\n",
			want: []string{"t.yaml: stations[0].cycle: missing or zero: every station needs a positive processing time"}},
		{name: "missing cycle", src: "stations:\n  - id: a\n",
			want: []string{"stations[0].cycle: missing or zero"}},
		{name: "unknown distribution", src: "stations:\n  - id: a\n    cycle: expo(3s)\n",
			want: []string{`t.yaml: stations[0].cycle: unknown distribution "expo" in "expo(3s)" (want one of const, exp,`}},
		{name: "wrong parameter count", src: "stations:\n  - id: a\n    cycle: uniform(1s)\n",
			want: []string{`t.yaml: stations[0].cycle: uniform takes 2 parameter(s), got "uniform(1s)"`}},
		{name: "bad distribution parameters", src: "stations:\n  - id: a\n    cycle: triangular(3s,2s,1s)\n",
			want: []string{`stations[0].cycle: triangular(3s,2s,1s): want min <= mode <= max`}},
		{name: "duration without unit", src: "stations:\n  - id: a\n    cycle: 3\n",
			want: []string{"t.yaml: stations[0].cycle: 3 has no unit: write a duration such as 3s, or a distribution such as exp(3s)"}},
		{name: "quoted duration without unit", src: good + "run: {duration: \"7\"}\n",
			want: []string{`t.yaml: run.duration: duration "7" has no unit (write e.g. 7s)`}},
		{name: "time without unit", src: good + "run: {duration: 7, warmup: 1.5}\n",
			want: []string{"t.yaml: run.duration: 7 has no unit: write a duration such as 7s",
				"t.yaml: run.warmup: 1.5 has no unit: write a duration such as 1.5s"}},
		{name: "distribution cut by a comma in flow style", src: "stations:\n  - {id: a, cycle: uniform(1s,2s)}\n",
			want: []string{`stations[0].cycle: distribution "uniform(1s": missing closing parenthesis (inside { } a comma ends a value`,
				`stations[0]: unknown key "2s)" (the end of a value cut at a comma? quote the value)`}},
		{name: "capacity -1", src: station("    buffer: -1\n"),
			want: []string{"t.yaml: stations[0].buffer: capacity -1 is negative (write inf for an unbounded buffer)"}},
		{name: "capacity lots", src: station("    buffer: lots\n"),
			want: []string{`t.yaml: stations[0].buffer: capacity "lots" is neither an integer nor inf`}},
		{name: "capacity fraction", src: station("    buffer: 2.5\n"),
			want: []string{"t.yaml: stations[0].buffer: capacity 2.5 is not a whole number"}},
		{name: "servers 0", src: station("    servers: 0\n"),
			want: []string{"t.yaml: stations[0].servers: 0: need at least 1"}},
		{name: "servers negative", src: station("    servers: -2\n"),
			want: []string{"t.yaml: stations[0].servers: -2: need at least 1"}},
		{name: "servers fraction", src: station("    servers: 2.5\n"),
			want: []string{"t.yaml: stations[0].servers: 2.5 is not a whole number"}},
		{name: "servers too many", src: station("    servers: 99999999999\n"),
			want: []string{"t.yaml: stations[0].servers: 99999999999 is too large"}},
		{name: "capacity too large", src: station("    buffer: 99999999999\n"),
			want: []string{"t.yaml: stations[0].buffer: capacity 99999999999 is too large (write inf for an unbounded buffer)"}},
		{name: "servers as text", src: station("    servers: two\n"),
			want: []string{`t.yaml: stations[0].servers: want a whole number, got the text "two"`}},
		{name: "defect rate as percent", src: station("    defect_rate: 5%\n"),
			want: []string{`t.yaml: stations[0].defect_rate: want a number, got the text "5%"`}},
		{name: "defect rate 1.5", src: station("    defect_rate: 1.5\n"),
			want: []string{"t.yaml: stations[0].defect_rate: 1.5 is not a probability in [0,1]"}},
		{name: "inspect as text", src: station("    inspect: scrap\n"),
			want: []string{`t.yaml: stations[0].inspect: want a mapping of keys (detect, on_fail, max_rework), got the text "scrap"`}},
		{name: "stations as a mapping", src: "stations:\n  id: a\n  cycle: 2s\n",
			want: []string{`t.yaml: stations: want a list (one "- " item per entry), got a mapping`}},
		{name: "inspect without detect", src: station("    inspect: {on_fail: scrap}\n"),
			want: []string{"t.yaml: stations[0].inspect.detect: missing: the probability that the inspection catches a defect"}},
		{name: "bad on_fail", src: station("    inspect: {detect: 0.9, on_fail: bin}\n"),
			want: []string{`t.yaml: stations[0].inspect.on_fail: "bin": want scrap or rework:<station id>`}},
		{name: "rework to a missing station", src: good + "  - id: c\n    cycle: 1s\n    inspect: {detect: 0.9, on_fail: \"rework:washer\"}\n",
			want: []string{`t.yaml: stations[2].inspect.on_fail: rework to unknown station "washer"`}},
		{name: "rework downstream", src: "stations:\n  - id: a\n    cycle: 1s\n    inspect: {detect: 0.9, on_fail: \"rework:b\"}\n  - id: b\n    cycle: 1s\n",
			want: []string{`t.yaml: stations[0].inspect.on_fail: rework to "b", which is downstream`}},
		{name: "max_rework 0 with rework", src: "stations:\n  - id: a\n    cycle: 1s\n    inspect: {detect: 0.9, on_fail: \"rework:a\", max_rework: 0}\n",
			want: []string{"t.yaml: stations[0].inspect.max_rework: 0 with on_fail rework would mean the default, 2"}},
		{name: "unknown arm id", src: station("    arm: {id: arm-9, load: 0.5, unload: 0.5}\n"),
			want: []string{`t.yaml: stations[0].arm.id: unknown arm "arm-9"`}},
		{name: "duplicate station id", src: good + "  - id: a\n    cycle: 1s\n",
			want: []string{`t.yaml: stations[2].id: "a" already used by stations[0]`}},
		{name: "station id with a space", src: "stations:\n  - id: paste printer\n    cycle: 1s\n",
			want: []string{`t.yaml: stations[0].id: "paste printer" may not contain spaces, '/' or ':'`}},
		{name: "maintenance not shorter than every", src: station("    maintenance: {every: 8h, duration: 8h}\n"),
			want: []string{"t.yaml: stations[0].maintenance.duration: 8h is not shorter than every (8h)"}},
		{name: "wear without life", src: station("    wear: {replace: 1h}\n"),
			want: []string{"t.yaml: stations[0].wear.life: missing or zero: the mean busy time from new to worn out"}},
		{name: "wear without replace or mttr", src: station("    wear: {life: 100h}\n"),
			want: []string{"t.yaml: stations[0].wear.replace: missing or zero, and the station has no mttr"}},
		{name: "wear with a bare number", src: station("    wear: {life: 100, replace: 1h}\n"),
			want: []string{"t.yaml: stations[0].wear.life: 100 has no unit"}},
		{name: "wear cv out of range", src: station("    wear: {life: 100h, replace: 1h, cv: 11}\n"),
			want: []string{"t.yaml: stations[0].wear.cv: 11: want a coefficient of variation from 0 to 10"}},
		{name: "unknown key in wear", src: station("    wear: {life: 100h, replace: 1h, lief: 3}\n"),
			want: []string{`t.yaml: stations[0].wear: unknown key "lief" (want one of age, cv, defect_rate, life,`}},
		{name: "condition sensor kind", src: station("    wear: {life: 100h, replace: 1h, sensor: {kind: noise, every: 10m, new: 1, worn: 2}}\n"),
			want: []string{`t.yaml: stations[0].wear.sensor.kind: "noise": want vibration or temperature`}},
		{name: "crew of none", src: good + "crew: {size: 0}\n",
			want: []string{"t.yaml: crew.size: 0: need at least 1 (leave crew out for repairs that need nobody)"}},
		{name: "crew too big", src: good + "crew: {size: 10001, travel: 2m}\n",
			want: []string{"t.yaml: crew.size: 10001: at most 10000"}},
		{name: "crew travel too long", src: good + "crew: {size: 2, travel: 36501d}\n",
			want: []string{`t.yaml: crew.travel: duration "36501d" is longer than the limit of 100 years (36500d)`}},
		{name: "mttr without mtbf", src: station("    mttr: 5m\n"),
			want: []string{"t.yaml: stations[0].mttr: set without mtbf"}},
		{name: "conveyor capacity 0", src: "stations:\n  - id: oven\n    conveyor: {dwell: 5m, pitch: 6s, capacity: 0}\n",
			want: []string{"t.yaml: stations[0].conveyor.capacity: 0: a conveyor must hold at least 1 unit"}},
		{name: "conveyor with cycle", src: "stations:\n  - id: oven\n    cycle: 2s\n    conveyor: {dwell: 5m, pitch: 6s}\n",
			want: []string{"t.yaml: stations[0].cycle: a conveyor has dwell and pitch, not cycle"}},
		{name: "conveyor with mtbf", src: "stations:\n  - id: oven\n    conveyor: {dwell: 5m, pitch: 6s}\n    mtbf: exp(8h)\n    mttr: exp(10m)\n",
			want: []string{"t.yaml: stations[0].mtbf: conveyor failures are not modelled"}},
		{name: "conveyor with maintenance", src: "stations:\n  - id: oven\n    conveyor: {dwell: 5m, pitch: 6s}\n    maintenance: {every: 7d, duration: 2h}\n",
			want: []string{"t.yaml: stations[0].maintenance: conveyor maintenance is not modelled"}},
		{name: "lines 0", src: good + "lines: 0\n",
			want: []string{"t.yaml: lines: 0: need at least 1"}},
		{name: "no stations", src: "name: empty line\n",
			want: []string{"t.yaml: stations: a line needs at least one station"}},
		{name: "warmup not shorter than duration", src: good + "run: {duration: 1d, warmup: 24h}\n",
			want: []string{"t.yaml: run.warmup: 1d is not shorter than run.duration (1d)"}},
		{name: "negative seed", src: good + "run: {seed: -1}\n",
			want: []string{"t.yaml: run.seed: -1 is negative: want a whole number >= 0"}},
		{name: "empty file", src: " \n\n", want: []string{"t.yaml: empty file"}},
		{name: "only comments", src: "# nothing yet\n", want: []string{"t.yaml: empty file: only comments"}},
		{name: "empty file on disk", disk: "t.yaml", src: "", want: []string{"t.yaml: empty file"}},
		{name: "bad file on disk", disk: "t.yaml", src: station("    servers: 0\n"),
			want: []string{"t.yaml: stations[0].servers: 0: need at least 1"}},
		{name: "missing file", disk: "-", want: []string{"missing.yaml: no such file"}},
		{name: "directory", disk: "/", want: []string{"t.yaml: is a directory, not a config file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			file := "t.yaml"
			switch tc.disk {
			case "":
				_, err = Parse(file, []byte(tc.src))
			case "-":
				file = filepath.Join(t.TempDir(), "missing.yaml")
				_, err = Load(file)
				if !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("errors.Is(%v, fs.ErrNotExist) = false", err)
				}
			case "/":
				file = filepath.Join(t.TempDir(), "t.yaml")
				if err := os.Mkdir(file, 0o755); err != nil {
					t.Fatal(err)
				}
				_, err = Load(file)
			default:
				file = filepath.Join(t.TempDir(), tc.disk)
				if err := os.WriteFile(file, []byte(tc.src), 0o644); err != nil {
					t.Fatal(err)
				}
				_, err = Load(file)
			}
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			configError(t, err, file)
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not contain\n%s", err, w)
				}
			}
		})
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	_, err := Parse("demo.yaml", []byte(`
name: broken
colour: red
stations:
  - id: printer
    cycle: 3
    bufer: 4
  - id: printer
    cycle: 2s
    buffer: -2
    defect_rate: 1.5
  - id: test
    cycle: expo(9s)
    inspect: {detect: 0.9, on_fail: "rework:washer"}
run:
  warmup: 8d
`))
	ce := configError(t, err, "demo.yaml")
	want := []string{
		`demo.yaml: unknown key "colour" (want one of arms, autopilot, crew, description, lines, name, run, sensors, source, stations, target_per_hour)`,
		`demo.yaml: stations[0]: unknown key "bufer" (did you mean "buffer"?)`,
		`demo.yaml: stations[0].cycle: 3 has no unit: write a duration such as 3s, or a distribution such as exp(3s)`,
		`demo.yaml: stations[1].id: "printer" already used by stations[0]`,
		`demo.yaml: stations[1].buffer: capacity -2 is negative (write inf for an unbounded buffer)`,
		`demo.yaml: stations[1].defect_rate: 1.5 is not a probability in [0,1]`,
		`demo.yaml: stations[2].cycle: unknown distribution "expo" in "expo(9s)" (want one of const, exp, uniform, normal, lognormal, triangular, weibull)`,
		`demo.yaml: stations[2].inspect.on_fail: rework to unknown station "washer"`,
		`demo.yaml: run.warmup: 8d is not shorter than run.duration (7d)`,
	}
	got := ce.Lines()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(ce.Problems) != len(want) {
		t.Errorf("%d problems, want %d", len(ce.Problems), len(want))
	}
}

func TestErrorFormat(t *testing.T) {
	e := &Error{File: "a.yaml", Problems: []string{"lines: bad", "run: worse"}}
	if got, want := e.Error(), "a.yaml: lines: bad\na.yaml: run: worse"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if e.Unwrap() != nil {
		t.Errorf("Unwrap() = %v, want nil", e.Unwrap())
	}
}

// An arm's wear block is validated as a station's, each problem naming
// its field under the arm.
func TestArmWearValidated(t *testing.T) {
	base := "name: t\nsource: {}\nstations:\n  - id: s\n    cycle: 1m\n    arm: {id: a, load: 1, unload: 1}\narms:\n  - id: a\n    speed: 1\n    accel: 1\n"
	for _, c := range []struct{ wear, want string }{
		{"{replace: 1h}", "t.yaml: arms[0].wear.life: missing or zero: the mean moving time from new to worn out"},
		{"{life: 100h}", "t.yaml: arms[0].wear.replace: missing or zero, and the arm has no mttr"},
		{"{life: 100h, replace: 1h, cv: 11}", "t.yaml: arms[0].wear.cv: 11: want a coefficient of variation from 0 to 10"},
		{"{life: 100, replace: 1h}", "t.yaml: arms[0].wear.life: 100 has no unit"},
		{"{life: 100h, replace: 1h, sensor: {kind: noise, every: 10m, new: 1, worn: 1}}", `t.yaml: arms[0].wear.sensor.kind: "noise": want vibration or temperature`},
		{"{life: 100h, replace: 1h, lief: 3}", `t.yaml: arms[0].wear: unknown key "lief"`},
	} {
		_, err := Parse("t.yaml", []byte(base+"    wear: "+c.wear+"\n"))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("wear %s: %v, want %q", c.wear, err, c.want)
		}
	}
	spec, err := Parse("t.yaml", []byte(base+"    mttr: 5m\n    wear: {life: 100h, maintain: 10m}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if w := spec.Arms[0].Wear; w.Replace.Mean() != 300 || w.Restore != 1 || !spec.Arms[0].CanMaintain() {
		t.Errorf("defaults: %+v", w)
	}
}
