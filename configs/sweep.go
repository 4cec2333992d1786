package configs

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
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
func SweepNames() []string { return embeddedNames(shippedSweeps, "sweeps") }

// SweepSource returns the YAML text of the embedded sweep called name
// (with or without ".yaml"), comments included. An unknown name gives an
// [*Error] listing the known ones.
func SweepSource(name string) ([]byte, error) {
	return embeddedSource(shippedSweeps, "sweeps", "sweep", name)
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
