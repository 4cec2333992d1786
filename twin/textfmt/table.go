package textfmt

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"
)

// Table collects rows of cells and writes them with their columns lined
// up. Add rows with Row, then write them once with Flush or FlushLeft.
type Table struct {
	w    io.Writer
	rows [][]string
}

// NewTable returns an empty table that writes to w.
func NewTable(w io.Writer) *Table { return &Table{w: w} }

// Row adds a row of cells.
func (t *Table) Row(cells ...string) { t.rows = append(t.rows, cells) }

// Flush writes the rows with the first column left-aligned and the others
// right-aligned, so that numbers line up on their last digit; columns are
// two spaces apart and no line ends in spaces.
func (t *Table) Flush() error {
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

// FlushLeft writes the rows with every column left-aligned, for text.
func (t *Table) FlushLeft() error {
	tw := tabwriter.NewWriter(t.w, 0, 0, 2, ' ', 0)
	for _, r := range t.rows {
		fmt.Fprintln(tw, strings.TrimRight(strings.Join(r, "\t"), "\t"))
	}
	return tw.Flush()
}
