package configs

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// shippedSweeps holds the example sweep files that ship with Lightsout. It
// is read-only.
//
//go:embed sweeps/*.yaml
var shippedSweeps embed.FS

// Sweep is a sweep file read and checked: a base config, the points to run
// (each a set of overrides of the base, see [Override]) and the run
// settings every point shares. Every point's spec has passed validation.
type Sweep struct {
	// File names the sweep as the user gave it; Name and Description are
	// the file's own (Name defaults to the file name without extension).
	File, Name, Description string
	// Base is the base config.
	Base *Base
	// Set are the overrides applied to every point, before the point's own.
	Set []Override
	// Duration, Warmup, Seed and Replications are the run settings of every
	// point: the sweep file's, or else the base config's run section (after Set).
	Duration, Warmup sim.Time
	Seed             uint64
	Replications     int
	// Params are the paths the points vary, in the order first written.
	Params []string
	// Points are the scenarios: a grid's in row-major order (the last
	// parameter varies fastest), or the listed ones. The first is the base
	// that differences are taken against.
	Points []SweepPoint

	data []byte
}

// SweepPoint is one scenario of a sweep.
type SweepPoint struct {
	// Name identifies the point ("buffer=4" for a grid point).
	Name string
	// Set are the point's own overrides, in order.
	Set []Override
	// Spec is the base config with the sweep's and the point's overrides.
	Spec *twin.Spec
}

// Hash returns the hex SHA-256 of the sweep file and the base config
// together: two runs with the same hash ran the same points.
func (s *Sweep) Hash() string {
	h := sha256.New()
	for _, b := range [][]byte{s.data, s.Base.Data()} {
		fmt.Fprintf(h, "%d\n", len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// SweepNames returns the names of the embedded sweep files, sorted.
func SweepNames() []string {
	entries, _ := fs.ReadDir(shippedSweeps, "sweeps")
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// LoadSweep reads the sweep file at path, or else the embedded sweep of that
// name (see [SweepNames]), and checks it with [ParseSweep]. A base config
// given as a relative path is looked for beside the sweep file.
func LoadSweep(arg string) (*Sweep, error) {
	fi, statErr := os.Stat(arg)
	if statErr == nil && !fi.IsDir() {
		data, err := os.ReadFile(arg)
		if err != nil {
			return nil, &Error{File: arg, Problems: []string{"cannot read: " + err.Error()}, Err: err}
		}
		return ParseSweep(arg, filepath.Dir(arg), data)
	}
	n := strings.TrimSuffix(arg, ".yaml")
	if data, err := shippedSweeps.ReadFile("sweeps/" + n + ".yaml"); err == nil && !strings.ContainsAny(n, `/\`) {
		return ParseSweep(n+".yaml", "", data)
	}
	msg := "no such file, nor an embedded sweep (embedded: " + strings.Join(SweepNames(), ", ") + ")"
	if statErr == nil {
		msg = "is a directory, not a sweep file"
	}
	return nil, &Error{File: arg, Problems: []string{msg}, Err: fs.ErrNotExist}
}

// ParseSweep decodes and checks the sweep file data; name is used in
// messages and dir is where a relative base path is looked for ("" for
// embedded configs only). Decoding is strict, as for configs: an unknown key
// is an error. Every point's config is built and validated, so every
// problem, with the field it comes from, is reported at once in an [*Error]:
//
//	sweep.yaml: grid: stations[tset].buffer: stations has no item with id "tset" (did you mean "test"?)
//	sweep.yaml: scenarios[2] (slow): stations[5].buffer: capacity -2 is negative (set by stations[test].buffer)
//
// The file's keys:
//
//	name, description   text (optional)
//	base                a config file (relative to the sweep file) or an embedded config name
//	duration, warmup    simulated spans (default: the base config's run section)
//	seed, replications  the base seed every point shares, and runs per point (same defaults)
//	set                 {path: value} overrides applied to every point
//	grid                {path: [values]}: every combination is a point
//	scenarios           [{name, set: {path: value}}]: the points listed
//
// grid and scenarios exclude each other; with neither there is one point,
// the base. Paths starting with run. may not vary between points: the run
// settings are the sweep's.
func ParseSweep(name, dir string, data []byte) (*Sweep, error) {
	sw := &Sweep{File: name, data: data}
	var ps []string
	add := func(format string, a ...any) { ps = append(ps, fmt.Sprintf(format, a...)) }
	fail := func() (*Sweep, error) { return nil, &Error{File: name, Problems: ps} }

	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := "YAML syntax error: " + strings.TrimPrefix(err.Error(), "yaml: ")
		if strings.Contains(msg, "did not find expected ',' or '}'") {
			msg += ` (inside { } quote a path that selects with [ ]: {"stations[test].buffer": 4})`
		}
		add("%s", msg)
		return fail()
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		add("a sweep file must be a mapping of keys (base:, grid: …)")
		return fail()
	}
	f := decodeSweep(doc.Content[0], sw, add)
	if sw.Name == "" {
		sw.Name = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	}
	if f.base == "" {
		add("base: missing: the config the sweep varies (a file, or an embedded name such as demo-line)")
		return fail()
	}
	if f.grid != nil && f.scenarios != nil {
		add("grid and scenarios cannot be used together: write the grid's points as scenarios, or split the sweep")
	}
	var err error
	if sw.Base, err = openSweepBase(f.base, dir); err != nil {
		var ce *Error
		if !errors.As(err, &ce) {
			ce = &Error{File: f.base, Problems: []string{err.Error()}}
		}
		for _, l := range ce.Lines() {
			add("base: %s", l)
		}
		return fail()
	}
	// The settings default to the run section of the base with set applied.
	common, err := sw.Base.With(sw.Set)
	if err != nil {
		for _, p := range err.(*Error).Problems {
			add("set: %s", p)
		}
		return fail()
	}
	sw.settings(f, &common.Run, add)

	switch {
	case f.grid != nil:
		sw.Points = gridPoints(f.grid, add)
	case f.scenarios != nil:
		sw.Points = listedPoints(f.scenarios, add)
	default:
		sw.Points = []SweepPoint{{Name: "base"}}
	}
	for _, p := range sw.Points {
		for _, o := range p.Set {
			if !slices.Contains(sw.Params, o.Path) {
				sw.Params = append(sw.Params, o.Path)
			}
		}
	}
	for _, p := range sw.Params {
		if strings.HasPrefix(p, "run.") || p == "run" {
			add("%s: the run settings cannot vary between points: use duration:, warmup:, seed: and replications: of the sweep file", p)
		}
	}
	if len(ps) == 0 {
		sw.buildSpecs(f.scenarios != nil, add)
	}
	if len(ps) > 0 {
		return fail()
	}
	return sw, nil
}

// sweepFile holds the keys of a sweep file that need the base config
// before they can be used.
type sweepFile struct {
	base             string
	grid, scenarios  *yaml.Node
	duration, warmup *sim.Time
	seed             *uint64
	replications     *int
	// text holds the duration and warmup as written, for messages.
	text map[string]string
}

// decodeSweep reads the top-level keys of a sweep file: those that stand
// alone into sw, the others into the sweepFile returned.
func decodeSweep(top *yaml.Node, sw *Sweep, add func(string, ...any)) sweepFile {
	f := sweepFile{text: map[string]string{}}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		switch k.Value {
		case "name":
			sw.Name = scalarText(v, k.Value, add)
		case "description":
			sw.Description = scalarText(v, k.Value, add)
		case "base":
			f.base = scalarText(v, k.Value, add)
		case "duration", "warmup":
			t, err := sim.ParseDuration(v.Value)
			switch {
			case v.Kind != yaml.ScalarNode || err != nil:
				add("%s: want a duration such as 8h, got %s (line %d)", k.Value, describeNode(v), v.Line)
			case t < 0:
				add("%s: %s is negative", k.Value, v.Value)
			case k.Value == "duration":
				f.duration, f.text[k.Value] = &t, v.Value
			default:
				f.warmup, f.text[k.Value] = &t, v.Value
			}
		case "seed":
			n, err := strconv.ParseUint(v.Value, 10, 64)
			if v.Kind != yaml.ScalarNode || err != nil {
				add("seed: want a whole number >= 0, got %s (line %d)", describeNode(v), v.Line)
			}
			f.seed = &n
		case "replications":
			n, err := strconv.Atoi(v.Value)
			if v.Kind != yaml.ScalarNode || err != nil || n < 1 {
				add("replications: want a whole number >= 1, got %s (line %d)", describeNode(v), v.Line)
			}
			f.replications = &n
		case "set":
			sw.Set = overrides(v, "set", add)
		case "grid":
			f.grid = v
		case "scenarios":
			f.scenarios = v
		default:
			add("unknown key %q (line %d; want one of base, description, duration, grid, name, replications, scenarios, seed, set, warmup)", k.Value, k.Line)
		}
	}
	return f
}

// settings sets the run settings: the file's, or else run's (the base
// config's run section, with the sweep's set applied).
func (sw *Sweep) settings(f sweepFile, run *twin.RunSpec, add func(string, ...any)) {
	sw.Duration, sw.Warmup, sw.Seed, sw.Replications = run.Duration, run.Warmup, run.Seed, run.Replications
	if f.duration != nil {
		sw.Duration = *f.duration
	}
	if f.warmup != nil {
		sw.Warmup = *f.warmup
	}
	if f.seed != nil {
		sw.Seed = *f.seed
	}
	if f.replications != nil {
		sw.Replications = *f.replications
	}
	if sw.Duration <= 0 {
		add("duration: must be positive (set it here or in the base config's run.duration)")
	} else if sw.Warmup >= sw.Duration {
		add("warmup: %s is not shorter than the duration %s",
			or(f.text["warmup"], sw.Warmup.String()), or(f.text["duration"], sw.Duration.String()))
	}
	sw.Replications = max(sw.Replications, 1)
}

// buildSpecs builds and validates every point's spec; listed says the
// points were listed as scenarios (for the wording of problems).
func (sw *Sweep) buildSpecs(listed bool, add func(string, ...any)) {
	for i := range sw.Points {
		p := &sw.Points[i]
		spec, err := sw.Base.With(append(append([]Override(nil), sw.Set...), p.Set...))
		if err != nil {
			where := fmt.Sprintf("point %d (%s)", i, p.Name)
			if listed {
				where = fmt.Sprintf("scenarios[%d] (%s)", i, p.Name)
			}
			for _, pr := range err.(*Error).Problems {
				add("%s: %s", where, pr)
			}
			continue
		}
		p.Spec = spec
	}
}

// openSweepBase finds the base config: a path relative to the sweep
// file's directory wins over an embedded name.
func openSweepBase(arg, dir string) (*Base, error) {
	if dir != "" && !filepath.IsAbs(arg) {
		if p := filepath.Join(dir, arg); fileExists(p) {
			return OpenBase(p)
		}
	}
	return OpenBase(arg)
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// gridPoints expands grid: {path: [values]} into its cartesian product,
// the last parameter varying fastest.
func gridPoints(grid *yaml.Node, add func(string, ...any)) []SweepPoint {
	if grid.Kind != yaml.MappingNode || len(grid.Content) == 0 {
		add("grid: want a mapping of path: [values], got %s (line %d)", describeNode(grid), grid.Line)
		return nil
	}
	type param struct {
		path   string
		values []any
	}
	var params []param
	for i := 0; i+1 < len(grid.Content); i += 2 {
		k, v := grid.Content[i], grid.Content[i+1]
		if _, err := splitPath(k.Value); err != nil {
			add("grid: %v", err)
			continue
		}
		if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
			add("grid: %s: want a list of values such as [1, 2, 4], got %s (line %d)", k.Value, describeNode(v), v.Line)
			continue
		}
		p := param{path: k.Value}
		for _, e := range v.Content {
			var x any
			if err := e.Decode(&x); err != nil {
				add("grid: %s: %v (line %d)", k.Value, err, e.Line)
			}
			p.values = append(p.values, x)
		}
		params = append(params, p)
	}
	short := shortNames(func(yield func(string) bool) {
		for _, p := range params {
			if !yield(p.path) {
				return
			}
		}
	})
	n := 1
	for _, p := range params {
		n *= len(p.values)
	}
	if n > 100000 {
		add("grid: %d points: too many (at most 100000)", n)
		return nil
	}
	points := make([]SweepPoint, n)
	for i := range points {
		rest := i
		set := make([]Override, len(params))
		names := make([]string, len(params))
		for j := len(params) - 1; j >= 0; j-- {
			v := params[j].values[rest%len(params[j].values)]
			rest /= len(params[j].values)
			set[j] = Override{Path: params[j].path, Value: v}
			names[j] = short[j] + "=" + FormatValue(v)
		}
		points[i] = SweepPoint{Name: strings.Join(names, " "), Set: set}
	}
	return points
}

// shortNames names each path by its last key ("buffer" for
// stations[test].buffer), or in full where two last keys collide.
func shortNames(paths func(func(string) bool)) []string {
	var full, short []string
	count := map[string]int{}
	for p := range paths {
		full = append(full, p)
		s := p[strings.LastIndex(p, ".")+1:]
		short = append(short, s)
		count[s]++
	}
	for i, s := range short {
		if count[s] > 1 {
			short[i] = full[i]
		}
	}
	return short
}

// listedPoints reads scenarios: [{name, set}].
func listedPoints(list *yaml.Node, add func(string, ...any)) []SweepPoint {
	if list.Kind != yaml.SequenceNode || len(list.Content) == 0 {
		add("scenarios: want a list of {name: …, set: {path: value}}, got %s (line %d)", describeNode(list), list.Line)
		return nil
	}
	var points []SweepPoint
	seen := map[string]int{}
	for i, item := range list.Content {
		at := fmt.Sprintf("scenarios[%d]", i)
		if item.Kind != yaml.MappingNode {
			add("%s: want a mapping {name: …, set: …}, got %s (line %d)", at, describeNode(item), item.Line)
			continue
		}
		var p SweepPoint
		for j := 0; j+1 < len(item.Content); j += 2 {
			k, v := item.Content[j], item.Content[j+1]
			switch k.Value {
			case "name":
				p.Name = scalarText(v, at+".name", add)
			case "set":
				p.Set = overrides(v, at+".set", add)
			default:
				add("%s: unknown key %q (line %d; want name or set)", at, k.Value, k.Line)
			}
		}
		if p.Name == "" {
			add("%s: name: missing", at)
		} else if prev, dup := seen[p.Name]; dup {
			add("%s: name %q is already the name of scenarios[%d]", at, p.Name, prev)
		}
		seen[p.Name] = i
		points = append(points, p)
	}
	return points
}

// overrides reads a {path: value} mapping.
func overrides(m *yaml.Node, at string, add func(string, ...any)) []Override {
	if m.Kind != yaml.MappingNode {
		if m.Tag == "!!null" {
			return nil
		}
		add("%s: want a mapping of path: value, got %s (line %d)", at, describeNode(m), m.Line)
		return nil
	}
	var out []Override
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if _, err := splitPath(k.Value); err != nil {
			add("%s: %v", at, err)
			continue
		}
		var x any
		if err := v.Decode(&x); err != nil {
			add("%s: %s: %v (line %d)", at, k.Value, err, v.Line)
			continue
		}
		out = append(out, Override{Path: k.Value, Value: x})
	}
	return out
}

// scalarText returns a text scalar's value.
func scalarText(v *yaml.Node, at string, add func(string, ...any)) string {
	if v.Kind != yaml.ScalarNode {
		add("%s: want text, got %s (line %d)", at, describeNode(v), v.Line)
		return ""
	}
	return v.Value
}

// describeNode names a YAML node's kind for a message.
func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	if n.Tag == "!!null" {
		return "nothing"
	}
	return strconv.Quote(n.Value)
}

// FormatValue writes an override value compactly: text as it is, anything
// else as JSON (4, 0.95, true, {"dwell":"3m"}).
func FormatValue(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(jsonable(v)); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// ValueJSON returns an override value as compact JSON.
func ValueJSON(v any) ([]byte, error) { return json.Marshal(jsonable(v)) }

// jsonable turns the map[any]any YAML may produce into map[string]any.
func jsonable(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = jsonable(e)
		}
		return m
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = jsonable(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = jsonable(e)
		}
		return l
	}
	return v
}

// or returns s, or else def if s is empty.
func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
