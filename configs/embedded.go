package configs

import (
	"embed"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/lightsout-sim/lightsout/twin"
)

// Default is the name of the embedded config used when none is given.
const Default = "phone-factory"

// shipped holds the configs that ship with Lightsout. It is read-only.
//
//go:embed *.yaml
var shipped embed.FS

// Names returns the names of the embedded configs ("demo-line",
// "phone-factory", …), sorted.
func Names() []string { return embeddedNames(shipped, ".") }

// embeddedNames returns the names of the YAML files in directory dir of
// fsys, without ".yaml", sorted.
func embeddedNames(fsys fs.FS, dir string) []string {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		panic("configs: reading the embedded " + dir + ": " + err.Error()) // cannot happen with embed.FS
	}
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok && !e.IsDir() {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// embeddedSource returns the text of the YAML file called name (with or
// without ".yaml") in directory dir of fsys; an unknown name gives an
// [*Error] saying there is no embedded kind of that name and listing the
// known ones.
func embeddedSource(fsys fs.FS, dir, kind, name string) ([]byte, error) {
	n := strings.TrimSuffix(name, ".yaml")
	var data []byte
	err := fs.ErrNotExist
	if !strings.ContainsAny(n, `/\`) {
		data, err = fs.ReadFile(fsys, path.Join(dir, n+".yaml"))
	}
	if err != nil {
		return nil, &Error{File: name, Problems: []string{
			"no embedded " + kind + " of that name (embedded: " + strings.Join(embeddedNames(fsys, dir), ", ") + ")"}, Err: fs.ErrNotExist}
	}
	return data, nil
}

// Source returns the YAML text of the embedded config called name (with or
// without ".yaml"). An unknown name gives an [*Error] listing the known ones.
func Source(name string) ([]byte, error) { return embeddedSource(shipped, ".", "config", name) }

// Embedded parses the embedded config called name (with or without
// ".yaml"); see [Parse]. Messages name the file as "<name>.yaml".
func Embedded(name string) (*twin.Spec, error) {
	data, err := Source(name)
	if err != nil {
		return nil, err
	}
	return Parse(strings.TrimSuffix(name, ".yaml")+".yaml", data)
}

// Title returns the first line of the description of the embedded config
// called name, for a listing; the error is Embedded's for a config that is
// unknown or invalid.
func Title(name string) (string, error) {
	spec, err := Embedded(name)
	if err != nil {
		return "", err
	}
	first, _, _ := strings.Cut(strings.TrimSpace(spec.Description), "\n")
	return first, nil
}

// Resolve loads the config named by the argument of a --config flag: a
// path to a file on disk, or else the name of an embedded config; an empty
// argument means [Default]. A file on disk wins over an embedded config of
// the same name. When arg is neither, the [*Error] lists the embedded names.
func Resolve(arg string) (*twin.Spec, error) {
	if arg == "" {
		arg = Default
	}
	fi, statErr := os.Stat(arg)
	if statErr == nil && !fi.IsDir() {
		return Load(arg)
	}
	if isEmbedded(arg) {
		return Embedded(arg)
	}
	if statErr == nil { // a directory
		return Load(arg)
	}
	return nil, &Error{File: arg, Problems: []string{
		"no such file, nor an embedded config (embedded: " + strings.Join(Names(), ", ") + ")"}, Err: statErr}
}

// isEmbedded reports whether name (with or without ".yaml") is an embedded config.
func isEmbedded(name string) bool {
	n := strings.TrimSuffix(name, ".yaml")
	for _, e := range Names() {
		if e == n {
			return true
		}
	}
	return false
}
