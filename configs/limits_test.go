package configs

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin"
)

// problemsOf parses src as "t.yaml" and returns its problems, failing the
// test when it parses.
func problemsOf(t *testing.T, src string) []string {
	t.Helper()
	_, err := Parse("t.yaml", []byte(src))
	if err == nil {
		t.Fatalf("no error for\n%s", src)
	}
	return configError(t, err, "t.yaml").Lines()
}

// TestParseLimits feeds the sizes and durations that once passed validate
// and then exhausted memory or ran forever: each is one problem naming its
// field.
func TestParseLimits(t *testing.T) {
	station := func(extra string) string { return good + "  - id: c\n    cycle: 1s\n" + extra }
	for _, tc := range []struct{ src, want string }{
		{good + "lines: 1000000000\n", "t.yaml: lines: 1000000000: at most 1000"},
		{good + "lines: 1e9\n", "t.yaml: lines: 1000000000: at most 1000"},
		{good + "lines: 1001\n", "t.yaml: lines: 1001: at most 1000"},
		{station("    servers: 2e9\n"), "t.yaml: stations[2].servers: 2000000000: at most 10000"},
		{station("    servers: 10001\n"), "t.yaml: stations[2].servers: 10001: at most 10000"},
		{station("    buffer: 1000001\n"), "t.yaml: stations[2].buffer: capacity 1000001: at most 1000000 (write inf for an unbounded buffer)"},
		{good + "  - id: oven\n    conveyor: {dwell: 5m, pitch: 6s, capacity: 2000000}\n",
			"t.yaml: stations[2].conveyor.capacity: 2000000: at most 1000000 (when not set it is dwell / pitch)"},
		{good + "  - id: oven\n    conveyor: {dwell: 100d, pitch: 1ms}\n",
			"t.yaml: stations[2].conveyor.capacity: 8640000000: at most 1000000 (when not set it is dwell / pitch)"},
		{good + "run: {replications: 1e9}\n", "t.yaml: run.replications: 1000000000: at most 100000"},
		{good + "run: {replications: 100001}\n", "t.yaml: run.replications: 100001: at most 100000"},
		{good + "sensors: {latency: exp(999999999999999d)}\n",
			`t.yaml: sensors.latency: duration "999999999999999d" is longer than the limit of 100 years (36500d) in "exp(999999999999999d)"`},
		{"stations:\n  - id: a\n    cycle: 999999999999999d\n",
			`t.yaml: stations[0].cycle: duration "999999999999999d" is longer than the limit of 100 years (36500d)`},
		{good + "run: {duration: 99999999999999d}\n",
			`t.yaml: run.duration: duration "99999999999999d" is longer than the limit of 100 years (36500d)`},
		{station("    maintenance: {every: 36501d, duration: 1h}\n"),
			`t.yaml: stations[2].maintenance.every: duration "36501d" is longer than the limit of 100 years (36500d)`},
	} {
		got := problemsOf(t, tc.src)
		if len(got) != 1 || got[0] != tc.want {
			t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), tc.want)
		}
	}
	// At the limits, a config is valid.
	MustParse(t, good+"  - {id: c, cycle: 36500d, servers: 10000, buffer: 1000000}\n"+
		"lines: 1000\nrun: {replications: 100000, duration: 36500d, warmup: 5214w}\n")
}

// TestParseNonFinite checks that a NaN or an infinity is refused in every
// number of a config, found by walking the schema, each with its path: a
// NaN passes every comparison it fails ("< 0"), so it would be read as
// zero travel, no target, and so on.
func TestParseNonFinite(t *testing.T) {
	base, err := NewBase("t.yaml", []byte(`
name: t
target_per_hour: 100
stations:
  - id: a
    cycle: 2s
    defect_rate: 0.1
    inspect: {detect: 0.9, on_fail: scrap}
    arm: {id: r, load: 0.5, unload: 0.5}
arms:
  - {id: r, speed: 1, accel: 2}
sensors: {noise: 0.01, dropout: 0.01}
`))
	if err != nil {
		t.Fatal(err)
	}
	paths := floatPaths(reflect.TypeFor[twin.Spec](), "")
	t.Logf("number fields: %v", paths)
	if len(paths) < 10 {
		t.Fatalf("found only %d number fields: %v", len(paths), paths)
	}
	for _, path := range paths {
		for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
			if strings.HasSuffix(path, ".buffer") && v > 0 {
				continue // .inf: unbounded
			}
			_, err := base.With([]Override{{Path: path, Value: v}})
			if err == nil {
				t.Errorf("%s = %v: accepted", path, v)
				continue
			}
			lines := configError(t, err, "t.yaml").Lines()
			want := "t.yaml: " + strings.ReplaceAll(strings.ReplaceAll(path, "[a]", "[0]"), "[r]", "[0]") + ": "
			if len(lines) != 1 || !strings.HasPrefix(lines[0], want) {
				t.Errorf("%s = %v: problems\n%s\nwant one starting %q", path, v, strings.Join(lines, "\n"), want)
			}
		}
	}
	// .inf is an unbounded buffer; -.inf and .nan are not.
	MustParse(t, "stations:\n  - id: a\n    cycle: 1s\n    buffer: .inf\n")
	for _, v := range []string{"-.inf", ".nan"} {
		got := problemsOf(t, "stations:\n  - id: a\n    cycle: 1s\n    buffer: "+v+"\n")
		if want := "t.yaml: stations[0].buffer: want a whole number or inf, got " + v; len(got) != 1 || got[0] != want {
			t.Errorf("buffer %s: %q, want %q", v, got, want)
		}
	}
	got := problemsOf(t, good+"target_per_hour: .nan\n")
	if want := "t.yaml: target_per_hour: .nan is not a finite number"; len(got) != 1 || got[0] != want {
		t.Errorf("target_per_hour .nan: %q, want %q", got, want)
	}
}

// floatPaths lists the override paths of every number (float, whole or
// duration) field under type t at path, the list items selected by the
// ids of TestParseNonFinite's base config.
func floatPaths(t reflect.Type, path string) []string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		key := tagName(f)
		if key == "" || f.Name == "Conveyor" {
			continue // not on a machine: see TestParseBadConveyorOnce
		}
		p := key
		if path != "" {
			p = path + "." + key
		}
		switch ft := f.Type; {
		case ft.Kind() == reflect.Float64, ft.Kind() == reflect.Int, ft.Kind() == reflect.Int64,
			ft.Kind() == reflect.Uint64, ft.Name() == "Dist":
			out = append(out, p)
		case ft.Kind() == reflect.Slice && key == "stations":
			out = append(out, floatPaths(ft.Elem(), p+"[a]")...)
		case ft.Kind() == reflect.Slice && key == "arms":
			out = append(out, floatPaths(ft.Elem(), p+"[r]")...)
		case structType(ft) != nil:
			out = append(out, floatPaths(ft, p)...)
		}
	}
	return out
}

// TestParseIDs checks at validate time the ids the edge would refuse: the
// name prefixes the edge node ids, station and arm ids are device ids.
func TestParseIDs(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"name: my+line\n" + good[len("\nname: t\n"):],
			`t.yaml: name: "my+line": name contains '+' (it prefixes the Sparkplug edge node ids: no '/', '+', '#' or NUL)`},
		{"stations:\n  - id: a+b\n    cycle: 1s\n",
			`t.yaml: stations[0].id: "a+b": station id contains '+' (it becomes a Sparkplug device id: no '/', '+', '#' or NUL)`},
		{"stations:\n  - id: \"a#b\"\n    cycle: 1s\n",
			`t.yaml: stations[0].id: "a#b": station id contains '#' (it becomes a Sparkplug device id: no '/', '+', '#' or NUL)`},
		{"stations:\n  - id: \"a\\0b\"\n    cycle: 1s\n",
			`t.yaml: stations[0].id: "a\x00b": station id contains NUL (it becomes a Sparkplug device id: no '/', '+', '#' or NUL)`},
		{"stations:\n  - id: a/b\n    cycle: 1s\n", // the station's own rule says it, once
			`t.yaml: stations[0].id: "a/b" may not contain spaces, '/' or ':'`},
		{"stations:\n  - {id: a, cycle: 1s, arm: {id: r+1}}\narms:\n  - {id: r+1, speed: 1, accel: 1}\n",
			`t.yaml: arms[0].id: "r+1": arm id contains '+' (it becomes a Sparkplug device id: no '/', '+', '#' or NUL)`},
		{"stations:\n  - {id: a, cycle: 1s, arm: {id: a}}\narms:\n  - {id: a, speed: 1, accel: 1}\n",
			`t.yaml: arms[0].id: "a" is also the id of stations[0]: stations and arms are devices of one edge node, so their ids must differ`},
	} {
		got := problemsOf(t, tc.src)
		if len(got) != 1 || got[0] != tc.want {
			t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), tc.want)
		}
	}
}

// manyStations is a config of n stations, each with a value that cannot
// be decoded (buffer -5) and a problem validation finds (no cycle).
func manyStations(n int) []byte {
	var b strings.Builder
	b.WriteString("stations:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - id: s%d\n    buffer: -5\n", i)
	}
	return []byte(b.String())
}

// TestParseManyStationsLinear checks that finding and sorting the problems
// of 50,000 stations takes a bounded number of lookups per problem: each
// validation problem was once compared with every decoding problem (75 s
// for this config). Timing is left to BenchmarkParseManyStations.
func TestParseManyStationsLinear(t *testing.T) {
	const n = 50_000
	_, ps, err := parse("many.yaml", manyStations(n))
	if err == nil || ps == nil {
		t.Fatalf("parse: %v", err)
	}
	if got := len(ps.list); got != 2*n {
		t.Fatalf("%d problems, want %d", got, 2*n)
	}
	// A validation problem at "stations[i].cycle" looks up itself,
	// "stations[i]" and "stations"; each id is looked up once more.
	if per := float64(ps.lookups) / float64(len(ps.list)); per > 4 {
		t.Errorf("%d lookups for %d problems: %.1f each, want at most 4", ps.lookups, len(ps.list), per)
	}
	lines := configError(t, err, "many.yaml").Lines()
	if lines[0] != "many.yaml: stations[0].buffer: capacity -5 is negative (write inf for an unbounded buffer)" ||
		lines[len(lines)-1] != "many.yaml: stations[49999].cycle: missing or zero: every station needs a positive processing time" {
		t.Errorf("first and last problems: %q, %q", lines[0], lines[len(lines)-1])
	}
}

// BenchmarkParseManyStations parses the 50,000-station config of
// TestParseManyStationsLinear (about 75 s before lookups were by map).
func BenchmarkParseManyStations(b *testing.B) {
	data := manyStations(50_000)
	for b.Loop() {
		if _, err := Parse("many.yaml", data); err == nil {
			b.Fatal("no error")
		}
	}
}

// TestParseBadConveyorOnce checks that a conveyor that cannot be decoded is
// one problem, not also a station without a cycle.
func TestParseBadConveyorOnce(t *testing.T) {
	for _, tc := range []struct{ conveyor, want string }{
		{"{dwell: 5m, pitch: 6s, lenght: 3}", `t.yaml: stations[0].conveyor: unknown key "lenght" (want one of capacity, dwell, pitch)`},
		{"{dwell: 5m, pitch: 6s, capacity: lots}", `t.yaml: stations[0].conveyor.capacity: want a whole number, got the text "lots"`},
		{"{dwell: 5m, pitch: 6s, capacity: .nan}", `t.yaml: stations[0].conveyor.capacity: .nan is not a finite number`},
	} {
		got := problemsOf(t, "stations:\n  - id: oven\n    conveyor: "+tc.conveyor+"\n")
		if len(got) != 1 || got[0] != tc.want {
			t.Errorf("conveyor %s: problems\n%s\nwant\n%s", tc.conveyor, strings.Join(got, "\n"), tc.want)
		}
	}
}

// TestParseMissingMTBFOnce checks that an mtbf that cannot be decoded is
// one problem, not also an mttr "set without mtbf".
func TestParseMissingMTBFOnce(t *testing.T) {
	got := problemsOf(t, "stations:\n  - {id: a, cycle: 1s, mtbf: 999999999999999d, mttr: 5m}\n"+
		"arms:\n  - {id: r, speed: 1, accel: 1, mtbf: exp(3), mttr: 5m}\n")
	want := []string{
		`t.yaml: stations[0].mtbf: duration "999999999999999d" is longer than the limit of 100 years (36500d)`,
		`t.yaml: arms[0].mtbf: duration "3" has no unit (write e.g. 3s) in "exp(3)"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
