// Package textfmt writes figures for people to read in a terminal: simulated
// spans the way configs write them ("1d12h"), numbers with their thousands
// grouped ("1,234,567.8"), percentages, amounts of memory ("1.2 TB"), and
// tables whose columns line up.
//
// The batch, sweep and bench reports and the command line share these, so
// that a figure reads the same wherever it is printed. The package keeps no
// state; a [Table] is not safe for concurrent use.
package textfmt
