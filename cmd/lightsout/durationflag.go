package main

import (
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

// durationFlag is a pflag.Value for simulated durations written as in
// configs ("7d", "8h", "90m", "2.5s"). Its zero value is "not set": String
// is then empty, so help shows no misleading default.
type durationFlag struct {
	t   sim.Time
	set bool
}

func (d *durationFlag) String() string {
	if !d.set {
		return ""
	}
	return textfmt.Span(d.t)
}

// Set parses s with sim.ParseDuration; pflag reports an error together
// with the flag's name.
func (d *durationFlag) Set(s string) error {
	t, err := sim.ParseDuration(s)
	if err != nil {
		return err
	}
	d.t, d.set = t, true
	return nil
}

func (d *durationFlag) Type() string { return "duration" }
