package configs

import (
	"errors"
	"fmt"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// sweepFile holds the keys of a sweep file that need the base config
// before they can be used.
type sweepFile struct {
	base             string
	grid, scenarios  *yaml.Node
	duration, warmup *sim.Time
	seed             *uint64
	replications     *int
	// text holds the duration and warmup as written, for messages.
	text map[string]string
}

// decodeSweep reads the top-level keys of a sweep file: those that stand
// alone into sw, the others into the sweepFile returned.
func decodeSweep(top *yaml.Node, sw *Sweep, add func(string, ...any)) sweepFile {
	f := sweepFile{text: map[string]string{}}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		switch k.Value {
		case "name":
			sw.Name = scalarText(v, k.Value, add)
		case "description":
			sw.Description = scalarText(v, k.Value, add)
		case "base":
			f.base = scalarText(v, k.Value, add)
		case "duration", "warmup":
			t, err := sim.ParseDuration(v.Value)
			switch {
			case v.Kind == yaml.ScalarNode && errors.Is(err, sim.ErrTooLong):
				add("%s: %v (line %d)", k.Value, err, v.Line)
			case v.Kind != yaml.ScalarNode || err != nil:
				add("%s: want a duration such as 8h, got %s (line %d)", k.Value, describeNode(v), v.Line)
			case t < 0:
				add("%s: %s is negative", k.Value, v.Value)
			case k.Value == "duration":
				f.duration, f.text[k.Value] = &t, v.Value
			default:
				f.warmup, f.text[k.Value] = &t, v.Value
			}
		case "seed":
			n, err := strconv.ParseUint(v.Value, 10, 64)
			if v.Kind != yaml.ScalarNode || err != nil {
				add("seed: want a whole number >= 0, got %s (line %d)", describeNode(v), v.Line)
			}
			f.seed = &n
		case "replications":
			n, err := strconv.Atoi(v.Value)
			switch {
			case v.Kind != yaml.ScalarNode || err != nil || n < 1:
				add("replications: want a whole number >= 1, got %s (line %d)", describeNode(v), v.Line)
			case n > twin.MaxReplications:
				add("replications: %d: at most %d (line %d)", n, twin.MaxReplications, v.Line)
			}
			f.replications = &n
		case "set":
			sw.Set = overrides(v, "set", add)
		case "grid":
			f.grid = v
		case "scenarios":
			f.scenarios = v
		default:
			add("unknown key %q (line %d; want one of base, description, duration, grid, name, replications, scenarios, seed, set, warmup)", k.Value, k.Line)
		}
	}
	return f
}

// settings sets the run settings: the file's, or else run's (the base
// config's run section, with the sweep's set applied).
func (sw *Sweep) settings(f sweepFile, run *twin.RunSpec, add func(string, ...any)) {
	sw.Duration, sw.Warmup, sw.Seed, sw.Replications = run.Duration, run.Warmup, run.Seed, run.Replications
	if f.duration != nil {
		sw.Duration = *f.duration
	}
	if f.warmup != nil {
		sw.Warmup = *f.warmup
	}
	if f.seed != nil {
		sw.Seed = *f.seed
	}
	if f.replications != nil {
		sw.Replications = *f.replications
	}
	if sw.Duration <= 0 {
		add("duration: must be positive (set it here or in the base config's run.duration)")
	} else if sw.Warmup >= sw.Duration {
		add("warmup: %s is not shorter than the duration %s",
			or(f.text["warmup"], sw.Warmup.String()), or(f.text["duration"], sw.Duration.String()))
	}
	sw.Replications = max(sw.Replications, 1)
}

// buildSpecs builds and validates every point's spec; listed says the
// points were listed as scenarios (for the wording of problems).
func (sw *Sweep) buildSpecs(listed bool, add func(string, ...any)) {
	for i := range sw.Points {
		p := &sw.Points[i]
		spec, err := sw.Base.With(append(append([]Override(nil), sw.Set...), p.Set...))
		if err != nil {
			where := fmt.Sprintf("point %d (%s)", i+1, p.Name)
			if listed {
				where = fmt.Sprintf("scenarios[%d] (%s)", i, p.Name)
			}
			for _, pr := range err.(*Error).Problems {
				add("%s: %s", where, pr)
			}
			continue
		}
		p.Spec = spec
	}
}

// overrides reads a {path: value} mapping.
func overrides(m *yaml.Node, at string, add func(string, ...any)) []Override {
	if m.Kind != yaml.MappingNode {
		if m.Tag == "!!null" {
			return nil
		}
		add("%s: want a mapping of path: value, got %s (line %d)", at, describeNode(m), m.Line)
		return nil
	}
	var out []Override
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if _, err := splitPath(k.Value); err != nil {
			add("%s: %v", at, err)
			continue
		}
		var x any
		if err := v.Decode(&x); err != nil {
			add("%s: %s: %v (line %d)", at, k.Value, err, v.Line)
			continue
		}
		out = append(out, Override{Path: k.Value, Value: x})
	}
	return out
}

// scalarText returns a text scalar's value.
func scalarText(v *yaml.Node, at string, add func(string, ...any)) string {
	if v.Kind != yaml.ScalarNode {
		add("%s: want text, got %s (line %d)", at, describeNode(v), v.Line)
		return ""
	}
	return v.Value
}

// describeNode names a YAML node's kind for a message.
func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	if n.Tag == "!!null" {
		return "nothing"
	}
	return strconv.Quote(n.Value)
}

// or returns s, or else def if s is empty.
func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
