package api

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The token is compared in constant time: tokenMatches compares hashes
// with crypto/subtle, and no code of the package compares a token with ==
// or != (but with "", to see whether there is one).
func TestTokenIsComparedInConstantTime(t *testing.T) {
	g := newGuard(Policy{Token: "s3cret-token"})
	for given, want := range map[string]bool{"s3cret-token": true, "s3cret-toke": false, "s3cret-tokenn": false,
		"S3cret-token": false, "": false} {
		if got := g.tokenMatches(given); got != want {
			t.Errorf("tokenMatches(%q) = %v", given, got)
		}
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	sawSubtle := false
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		text := func(n ast.Node) string {
			return string(src[fset.Position(n.Pos()).Offset:fset.Position(n.End()).Offset])
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				if n.Name.Name == "tokenMatches" {
					sawSubtle = strings.Contains(text(n.Body), "subtle.ConstantTimeCompare(")
				}
			case *ast.BinaryExpr:
				if n.Op != token.EQL && n.Op != token.NEQ {
					return true
				}
				x, y := text(n.X), text(n.Y)
				if strings.HasPrefix(x, "subtle.ConstantTimeCompare(") {
					return true
				}
				if (strings.Contains(strings.ToLower(x+y), "token") || strings.Contains(x+y, "given")) && x != `""` && y != `""` {
					t.Errorf("%s: %s compares a token with %s", fset.Position(n.Pos()), text(n), n.Op)
				}
			}
			return true
		})
	}
	if !sawSubtle {
		t.Error("tokenMatches does not call subtle.ConstantTimeCompare")
	}
}
