package configs

// A lesson's callouts and commands, checked against the lesson's line (see
// lesson.go for the lesson file).

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"go.yaml.in/yaml/v3"
)

// calloutFields reads a callout's {station, text}.
func calloutFields(v *yaml.Node, path string, spec *twin.Spec, add func(string, ...any)) (station, text string) {
	if v.Kind != yaml.MappingNode {
		add("%s: want {station: ID, text: ...}, got %s (line %d)", path, describeNode(v), v.Line)
		return "", ""
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, x := v.Content[i], v.Content[i+1]
		switch k.Value {
		case "station":
			station = scalarText(x, path+".station", add)
			if station != "" && spec != nil {
				if msg := noStation(spec, station); msg != "" {
					add("%s.station: %s (line %d)", path, msg, x.Line)
				}
			}
		case "text":
			text = strings.TrimSpace(scalarText(x, path+".text", add))
		default:
			add("%s: unknown key %q (line %d; want station and text)", path, k.Value, k.Line)
		}
	}
	if station == "" {
		add("%s.station: missing: the station the callout points at (line %d)", path, v.Line)
	}
	if text == "" {
		add("%s.text: missing: what the callout says (line %d)", path, v.Line)
	}
	return station, text
}

// commandWords are the commands a lesson's do can give, as "kind target [arg]".
var commandWords = map[string]twin.CommandKind{
	"break": twin.BreakStation, "repair": twin.RepairStation, "break-arm": twin.BreakArm, "repair-arm": twin.RepairArm,
	"set-buffer": twin.SetBuffer, "hold": twin.HoldStation, "unhold": twin.UnholdStation, "reset": twin.ResetStation,
	"speed": twin.SetSpeed, "maintain": twin.MaintainStation, "dispatch": twin.DispatchCrew,
}

// parseLessonCommand reads "kind target [arg]" for copy line (from 1) of
// spec's line and checks it as the line would; msg says what is wrong.
func parseLessonCommand(s string, line int, spec *twin.Spec) (c twin.Command, msg string) {
	words := strings.Fields(s)
	if len(words) == 0 {
		return c, "empty: want a command such as \"break placer\""
	}
	kind, ok := commandWords[words[0]]
	if !ok {
		names := slices.Sorted(func(yield func(string) bool) {
			for k := range commandWords {
				if !yield(k) {
					return
				}
			}
		})
		return c, fmt.Sprintf("unknown command %q (want one of %s)", words[0], strings.Join(names, ", "))
	}
	c = twin.Command{Kind: kind, Line: line - 1}
	if len(words) < 2 {
		return c, fmt.Sprintf("%s needs a target: %q", words[0], words[0]+" ID")
	}
	c.Target = words[1]
	args := words[2:]
	arg := ""
	if len(args) > 0 {
		arg = args[0]
	}
	tooMany := func(n int) string {
		if len(args) > n {
			return fmt.Sprintf("%q: too many words after %s %s", s, words[0], words[1])
		}
		return ""
	}
	switch kind {
	case twin.BreakStation, twin.RepairStation, twin.MaintainStation, twin.DispatchCrew:
		if arg != "" {
			n, err := strconv.Atoi(arg)
			if err != nil || n < 1 {
				return c, fmt.Sprintf("server %q: want a server number, from 1", arg)
			}
			c.Server = n - 1
		}
		msg = tooMany(1)
	case twin.SetBuffer:
		if arg == "" {
			return c, "set-buffer needs a capacity: \"set-buffer " + c.Target + " 8\" (or inf)"
		}
		if err := c.Capacity.UnmarshalText([]byte(arg)); err != nil || stations.CheckCapacity(c.Capacity) != nil {
			return c, fmt.Sprintf("capacity %q: want 0 to %d, or inf", arg, stations.MaxCapacity)
		}
		msg = tooMany(1)
	case twin.SetSpeed:
		f, err := strconv.ParseFloat(arg, 64)
		if arg == "" || err != nil {
			return c, "speed needs a relative speed: \"speed " + c.Target + " 1.5\" (1 is nominal)"
		}
		if err := stations.CheckSpeed(f); err != nil {
			return c, err.Error()
		}
		c.Speed = f
		msg = tooMany(1)
	default:
		msg = tooMany(0)
	}
	if msg != "" || spec == nil {
		return c, msg
	}
	return c, checkLessonCommand(c, spec)
}

// checkLessonCommand checks a command against the line as Line.Do would
// before the line runs: its target exists, with that server, and can take it.
func checkLessonCommand(c twin.Command, spec *twin.Spec) string {
	if c.Kind == twin.BreakArm || c.Kind == twin.RepairArm {
		var ids []string
		for _, a := range spec.Arms {
			if a.ID == c.Target {
				return ""
			}
			ids = append(ids, a.ID)
		}
		if len(ids) == 0 {
			return fmt.Sprintf("no arm %q: %s has no arms", c.Target, spec.Name)
		}
		return fmt.Sprintf("no arm %q in %s (arms: %s)", c.Target, spec.Name, strings.Join(ids, ", "))
	}
	if msg := noStation(spec, c.Target); msg != "" {
		return msg
	}
	line, err := twin.NewLine(spec, spec.Run.Seed, nil)
	if err != nil {
		return err.Error()
	}
	if err := line.Do(c); err != nil {
		return err.Error()
	}
	return ""
}

// noStation says that spec has no station id, with a guess, or "" when it has.
func noStation(spec *twin.Spec, id string) string {
	var ids []string
	for _, s := range spec.Stations {
		if s.ID == id {
			return ""
		}
		ids = append(ids, s.ID)
	}
	best, bestD := "", max(1, len(id)/3)+1
	for _, s := range ids {
		if d := editDistance(id, s); d < bestD {
			best, bestD = s, d
		}
	}
	if best != "" {
		return fmt.Sprintf("no station %q in %s (did you mean %q?)", id, spec.Name, best)
	}
	return fmt.Sprintf("no station %q in %s (stations: %s)", id, spec.Name, strings.Join(ids, ", "))
}
