package configs

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// MaxPoints is the most points a sweep may have, as a grid or as a list
// of scenarios.
const MaxPoints = 100_000

// gridPoints expands grid: {path: [values]} into its cartesian product,
// the last parameter varying fastest.
func gridPoints(grid *yaml.Node, add func(string, ...any)) []SweepPoint {
	if grid.Kind != yaml.MappingNode || len(grid.Content) == 0 {
		add("grid: want a mapping of path: [values], got %s (line %d)", describeNode(grid), grid.Line)
		return nil
	}
	type param struct {
		path   string
		values []any
	}
	var params []param
	for i := 0; i+1 < len(grid.Content); i += 2 {
		k, v := grid.Content[i], grid.Content[i+1]
		if _, err := splitPath(k.Value); err != nil {
			add("grid: %v", err)
			continue
		}
		if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
			add("grid: %s: want a list of values such as [1, 2, 4], got %s (line %d)", k.Value, describeNode(v), v.Line)
			continue
		}
		p := param{path: k.Value}
		for _, e := range v.Content {
			var x any
			if err := e.Decode(&x); err != nil {
				add("grid: %s: %v (line %d)", k.Value, err, e.Line)
			}
			p.values = append(p.values, x)
		}
		params = append(params, p)
	}
	short := shortNames(func(yield func(string) bool) {
		for _, p := range params {
			if !yield(p.path) {
				return
			}
		}
	})
	n := 1
	for _, p := range params {
		if n *= len(p.values); n > MaxPoints { // checked as it grows: the product could overflow
			add("grid: more than %d points: too many (the lists' lengths multiply)", MaxPoints)
			return nil
		}
	}
	points := make([]SweepPoint, n)
	for i := range points {
		rest := i
		set := make([]Override, len(params))
		names := make([]string, len(params))
		for j := len(params) - 1; j >= 0; j-- {
			v := params[j].values[rest%len(params[j].values)]
			rest /= len(params[j].values)
			set[j] = Override{Path: params[j].path, Value: v}
			names[j] = short[j] + "=" + FormatValue(v)
		}
		points[i] = SweepPoint{Name: strings.Join(names, " "), Set: set}
	}
	return points
}

// shortNames names each path by its last key ("buffer" for
// stations[test].buffer), or in full where two last keys collide.
func shortNames(paths func(func(string) bool)) []string {
	var full, short []string
	count := map[string]int{}
	for p := range paths {
		full = append(full, p)
		s := p[strings.LastIndex(p, ".")+1:]
		short = append(short, s)
		count[s]++
	}
	for i, s := range short {
		if count[s] > 1 {
			short[i] = full[i]
		}
	}
	return short
}

// listedPoints reads scenarios: [{name, set}].
func listedPoints(list *yaml.Node, add func(string, ...any)) []SweepPoint {
	if list.Kind != yaml.SequenceNode || len(list.Content) == 0 {
		add("scenarios: want a list of {name: …, set: {path: value}}, got %s (line %d)", describeNode(list), list.Line)
		return nil
	}
	if len(list.Content) > MaxPoints {
		add("scenarios: %d points: too many (at most %d)", len(list.Content), MaxPoints)
		return nil
	}
	var points []SweepPoint
	seen := map[string]int{}
	for i, item := range list.Content {
		at := fmt.Sprintf("scenarios[%d]", i)
		if item.Kind != yaml.MappingNode {
			add("%s: want a mapping {name: …, set: …}, got %s (line %d)", at, describeNode(item), item.Line)
			continue
		}
		var p SweepPoint
		for j := 0; j+1 < len(item.Content); j += 2 {
			k, v := item.Content[j], item.Content[j+1]
			switch k.Value {
			case "name":
				p.Name = scalarText(v, at+".name", add)
			case "set":
				p.Set = overrides(v, at+".set", add)
			default:
				add("%s: unknown key %q (line %d; want name or set)", at, k.Value, k.Line)
			}
		}
		if p.Name == "" {
			add("%s: name: missing", at)
		} else if prev, dup := seen[p.Name]; dup {
			add("%s: name %q is already the name of scenarios[%d]", at, p.Name, prev)
		}
		seen[p.Name] = i
		points = append(points, p)
	}
	return points
}
