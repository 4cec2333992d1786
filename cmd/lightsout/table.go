package main

import (
	"io"

	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

// table forwards to textfmt.Table for whatif.go, which is being rewired
// onto the new twin packages; new code uses textfmt.Table directly.
type table struct{ t *textfmt.Table }

func newTable(w io.Writer) *table { return &table{textfmt.NewTable(w)} }

// row adds a row; see textfmt.Table.Row.
func (t *table) row(cells ...string) { t.t.Row(cells...) }

// flush writes the rows aligned; see textfmt.Table.Flush.
func (t *table) flush() error { return t.t.Flush() }
