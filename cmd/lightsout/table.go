package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"
)

// table collects rows of cells and writes them aligned: the first column
// left-aligned, the others right-aligned (numbers line up on their last
// digit).
type table struct {
	w    io.Writer
	rows [][]string
}

func newTable(w io.Writer) *table { return &table{w: w} }

// row adds a row.
func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

// flush writes the rows with text/tabwriter.
func (t *table) flush() error {
	const pad = 2
	width := 0
	for _, r := range t.rows {
		width = max(width, utf8.RuneCountInString(r[0]))
	}
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, pad, ' ', tabwriter.AlignRight)
	for _, r := range t.rows {
		first := r[0] + strings.Repeat(" ", width-utf8.RuneCountInString(r[0]))
		fmt.Fprintf(tw, "%s\t%s\t\n", first, strings.Join(r[1:], "\t"))
	}
	tw.Flush()
	// Right alignment pads every cell on the left, the first one too: drop
	// that padding, and the spaces that end lines with empty last cells.
	var out strings.Builder
	for line := range strings.Lines(buf.String()) {
		line = strings.TrimSuffix(line, "\n")
		out.WriteString(strings.TrimRight(line[min(pad, len(line)):], " ") + "\n")
	}
	_, err := io.WriteString(t.w, out.String())
	return err
}

// flushLeft writes the rows with every column left-aligned (for text).
func (t *table) flushLeft() error {
	tw := tabwriter.NewWriter(t.w, 0, 0, 2, ' ', 0)
	for _, r := range t.rows {
		fmt.Fprintln(tw, strings.TrimRight(strings.Join(r, "\t"), "\t"))
	}
	return tw.Flush()
}
