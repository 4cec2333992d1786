// Package pilotflags holds the one set of autopilot flags shared by the
// commands that can run one: batch, sweep, twin, demo-twin and the window.
package pilotflags

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
)

// Flags are the values of the autopilot flags. Register them on a flag
// set, parse it, then call [Flags.Check] and [Flags.New].
type Flags struct {
	// Name is the policy's name ("none", "predictive", "forecast"); empty
	// when no autopilot runs.
	Name string
	// Params are the --autopilot-param values, as name=value.
	Params []string
	// RecommendOnly logs decisions without applying them.
	RecommendOnly bool
	// MaxPerHour caps the actions applied in any simulated hour.
	MaxPerHour int
}

// Register adds --autopilot, --autopilot-param, --recommend-only and
// --max-actions-per-hour to fs.
func (f *Flags) Register(fs *pflag.FlagSet) {
	g := autopilot.DefaultGuard()
	fs.StringVar(&f.Name, "autopilot", "", "run an autopilot policy: "+strings.Join(autopilot.Names(), ", ")+" (default: none runs; the line's calendar maintenance only)")
	fs.StringArrayVar(&f.Params, "autopilot-param", nil, "set a policy parameter, name=value (repeatable; e.g. predictive.lead=6h; names: "+strings.Join(autopilot.ParamNames(), ", ")+")")
	fs.BoolVar(&f.RecommendOnly, "recommend-only", false, "log the autopilot's decisions without applying them")
	fs.IntVar(&f.MaxPerHour, "max-actions-per-hour", g.MaxPerHour, "the most autopilot actions applied in any simulated hour")
}

// Spec returns the autopilot block the flags describe, to set on a line's
// config in place of its own; nil without --autopilot.
func (f *Flags) Spec() *twin.AutopilotSpec {
	if !f.Enabled() {
		return nil
	}
	return &twin.AutopilotSpec{Policy: f.Name, Params: f.Params, RecommendOnly: f.RecommendOnly, MaxActionsPerHour: f.MaxPerHour}
}

// Enabled reports whether an autopilot was asked for.
func (f *Flags) Enabled() bool { return f.Name != "" }

// Config is what the flags describe: the policy, its parameters and the
// guard rails, checked.
type Config struct {
	Name   string
	Params autopilot.Params
	Guard  autopilot.Guard
}

// Check returns the configuration the flags describe and every problem
// with them, each naming its flag. The configuration is good only without
// problems. Without --autopilot, the other flags are refused if given a
// value (they would do nothing).
func (f *Flags) Check() (Config, []string) {
	c := Config{Name: f.Name, Params: autopilot.DefaultParams(), Guard: autopilot.DefaultGuard()}
	c.Guard.RecommendOnly = f.RecommendOnly
	c.Guard.MaxPerHour = f.MaxPerHour
	var problems []string
	bad := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	if f.Name == "" {
		if len(f.Params) > 0 {
			bad("--autopilot-param: needs --autopilot")
		}
		if f.RecommendOnly {
			bad("--recommend-only: needs --autopilot")
		}
		return c, problems
	}
	known := false
	for _, n := range autopilot.Names() {
		known = known || n == f.Name
	}
	if !known {
		bad("--autopilot %q: want one of %s", f.Name, strings.Join(autopilot.Names(), ", "))
	}
	for _, p := range f.Params {
		name, value, ok := strings.Cut(p, "=")
		if !ok {
			bad("--autopilot-param %q: want name=value", p)
			continue
		}
		if err := c.Params.Set(strings.TrimSpace(name), strings.TrimSpace(value)); err != nil {
			bad("--autopilot-param %s: %v", p, err)
		}
	}
	if err := c.Params.Validate(); err != nil {
		bad("--autopilot-param: %v", err)
	}
	if f.MaxPerHour < 1 || f.MaxPerHour > autopilot.MaxActionsPerHour {
		bad("--max-actions-per-hour %d: want 1 to %d", f.MaxPerHour, autopilot.MaxActionsPerHour)
	}
	return c, problems
}

// New builds the pilot of a checked configuration. eval is needed by the
// forecast policy only (nil otherwise).
func (c Config) New(eval autopilot.Evaluator) (*autopilot.Pilot, error) {
	p, err := autopilot.New(c.Name, c.Params, eval)
	if err != nil {
		return nil, err
	}
	return autopilot.NewPilot(p, c.Guard)
}
