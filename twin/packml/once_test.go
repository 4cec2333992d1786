package packml_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/packml"
)

// contractWords returns the strings that only this package may spell in
// non-test code: every metric name of the contract that cannot be taken
// for an ordinary word, the per-server prefix, and every PackML state name
// that is not also a word the window or the model uses on its own
// ("Idle" is an arm phase, "Held" a label of the window).
func contractWords() map[string]bool {
	words := map[string]bool{"Server ": true}
	for _, m := range packml.Metrics() {
		if strings.Contains(m.Name, "/") || m.Name == packml.MetricStateNumber {
			words[m.Name] = true
		}
	}
	for s := packml.Undefined; s <= packml.Complete; s++ {
		switch s {
		case packml.Idle, packml.Held, packml.Stopped:
		default:
			words[s.String()] = true
		}
	}
	for _, a := range packml.ActionNames() {
		a, _ := packml.ParseAction(a)
		words[a.Metric()] = true
	}
	return words
}

// Each metric name, PackML state and command encoding is written once, in
// this package: no other non-test Go file of the module has them as string
// literals (it imports them from here instead).
func TestContractWrittenOnce(t *testing.T) {
	words := contractWords()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	self, _ := filepath.Abs(".")
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") || path == self {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			for w := range words {
				if s == w || w == "Server " && strings.HasPrefix(s, w) {
					rel, _ := filepath.Rel(root, path)
					t.Errorf("%s:%d: %q is the contract's: import it from twin/packml", rel, fset.Position(lit.Pos()).Line, s)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
