// Package durflag is the one duration syntax of every command-line flag:
// sim.ParseDuration's (Go's units plus d for days and w for weeks), with
// defaults printed the way textfmt.Span writes them ("8h", "1d12h",
// "0.1s") rather than Go's "8h0m0s".
package durflag

import (
	"time"

	"github.com/spf13/pflag"

	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

// Wall is a pflag.Value for a wall-clock time.Duration.
type Wall struct{ p *time.Duration }

// Var defines a wall-clock duration flag on fs that stores into p, with
// default def.
func Var(fs *pflag.FlagSet, p *time.Duration, name string, def time.Duration, usage string) {
	*p = def
	fs.Var(Wall{p}, name, usage)
}

// String writes the value as textfmt.Span does; zero is "0", which pflag
// leaves out of the help text as the zero value.
func (w Wall) String() string {
	if w.p == nil || *w.p == 0 {
		return "0"
	}
	return textfmt.Span(sim.Time(*w.p))
}

// Set parses s with sim.ParseDuration; pflag names the flag in its error.
func (w Wall) Set(s string) error {
	t, err := sim.ParseDuration(s)
	if err != nil {
		return err
	}
	*w.p = time.Duration(t)
	return nil
}

// Type names the value in the help text.
func (Wall) Type() string { return "duration" }
