package configs

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"

	"github.com/lightsout-sim/lightsout/twin"
)

// flowCommaHint explains the usual cause of a distribution cut in two: in a
// YAML flow mapping ({a: 1, b: 2}) a comma ends a plain value.
const flowCommaHint = `inside { } a comma ends a value, so quote a distribution with several parameters, e.g. mttr: "lognormal(8m,4m)"`

// problem is one message about the field at path ("" for the top level).
type problem struct {
	path string
	msg  string
	// typeErr marks a value that could not be decoded: validation messages
	// about the same field would only repeat it.
	typeErr bool
}

// problems collects the problems of one config in the order found.
type problems struct {
	list []problem
	// undecodable holds the paths of the fields whose values could not be
	// decoded, and at holds every path with a problem: both are looked up
	// once per problem, so a config with many stations and many problems
	// is checked in time proportional to the problems, not its square.
	undecodable, at map[string]bool
	// lookups counts the lookups in them, for a test of that claim.
	lookups int
}

func (ps *problems) add(path, msg string, typeErr bool) {
	if ps.at == nil {
		ps.at, ps.undecodable = map[string]bool{}, map[string]bool{}
	}
	ps.list = append(ps.list, problem{path: path, msg: msg, typeErr: typeErr})
	ps.at[path] = true
	if typeErr && path != "" {
		ps.undecodable[path] = true
	}
}

// has reports whether there is a problem about the field at path.
func (ps *problems) has(path string) bool {
	ps.lookups++
	return ps.at[path]
}

// sort orders the problems as the fields appear in a config (top-level
// keys, then station by station, each in schema order), keeping the order
// found among problems about the same field.
func (ps *problems) sort() {
	type keyed struct {
		key []int // computed once per problem, not once per comparison
		p   problem
	}
	root := reflect.TypeFor[twin.Spec]()
	list := make([]keyed, len(ps.list))
	for i, p := range ps.list {
		list[i] = keyed{pathKey(root, p.path), p}
	}
	slices.SortStableFunc(list, func(a, b keyed) int { return slices.Compare(a.key, b.key) })
	for i := range list {
		ps.list[i] = list[i].p
	}
}

// lines formats the problems as "path: message".
func (ps *problems) lines() []string {
	out := make([]string, len(ps.list))
	for i, p := range ps.list {
		if p.path == "" {
			out[i] = p.msg
		} else {
			out[i] = p.path + ": " + p.msg
		}
	}
	return out
}

// unknownNullKeys reports unknown keys whose value is empty (null). Viper
// drops such keys of nested mappings before decoding, so the strict decoder
// never sees them.
func (ps *problems) unknownNullKeys(v *viper.Viper) {
	root := reflect.TypeFor[twin.Spec]()
	for _, k := range v.AllKeys() {
		if v.Get(k) != nil {
			continue
		}
		parts := strings.Split(k, keyDelim)
		t := root
		for i, part := range parts {
			f, ok := field(t, part)
			if !ok {
				ps.add(strings.Join(parts[:i], "."), unknownKey(t, part), false)
				break
			}
			t = f
		}
	}
}

// decode adds the problems of a mapstructure decoding error.
func (ps *problems) decode(err error) {
	if err == nil {
		return
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			ps.decode(e)
		}
		return
	}
	de, ok := err.(*mapstructure.DecodeError)
	if !ok {
		if inner := errors.Unwrap(err); inner != nil {
			ps.decode(inner) // viper's "decoding failed due to the following error(s)"
		} else {
			ps.add("", err.Error(), true)
		}
		return
	}
	inner := de.Unwrap()
	if _, ok := inner.(interface{ Unwrap() []error }); ok {
		ps.decode(inner)
		return
	}
	path := de.Name()
	if keys, ok := strings.CutPrefix(inner.Error(), "has invalid keys: "); ok {
		t := typeAt(reflect.TypeFor[twin.Spec](), path)
		for _, k := range strings.Split(keys, ", ") {
			msg := unknownKey(t, k)
			if strings.HasSuffix(k, ")") {
				msg = fmt.Sprintf("unknown key %q (the end of a value cut at a comma? quote the value)", k)
			}
			ps.add(path, msg, false)
		}
		return
	}
	msg := describeDecodeError(inner)
	if strings.HasSuffix(msg, "missing closing parenthesis") {
		msg += " (" + flowCommaHint + ")"
	}
	ps.add(path, msg, true)
}

// presence reports what only the keys present in the file can tell: a 0
// that Defaults would silently replace (servers: 0 would become 1 server),
// and an inspection without a detection probability (it would catch nothing).
func (ps *problems) presence(settings map[string]any) {
	zero := func(m map[string]any, key string) bool {
		n, ok := number(reflect.ValueOf(m[key]))
		return ok && n == 0
	}
	const atLeast1 = "0: need at least 1 (omit the key for the default, 1)"
	if zero(settings, "lines") {
		ps.add("lines", atLeast1, false)
	}
	if run, ok := settings["run"].(map[string]any); ok && zero(run, "replications") {
		ps.add("run.replications", atLeast1, false)
	}
	list, _ := settings["stations"].([]any)
	for i, s := range list {
		st, ok := s.(map[string]any)
		if !ok {
			continue
		}
		path := fmt.Sprintf("stations[%d]", i)
		if zero(st, "servers") {
			ps.add(path+".servers", atLeast1, false)
		}
		if in, ok := st["inspect"].(map[string]any); ok {
			if in["detect"] == nil {
				ps.add(path+".inspect.detect", "missing: the probability that the inspection catches a defect (0.95 catches 95%)", false)
			}
			of, _ := in["on_fail"].(string)
			if zero(in, "max_rework") && strings.HasPrefix(of, "rework:") {
				ps.add(path+".inspect.max_rework", "0 with on_fail rework would mean the default, 2; "+
					"write on_fail: scrap to never rework, or omit max_rework", false)
			}
		}
		if c, ok := st["conveyor"].(map[string]any); ok && zero(c, "capacity") {
			ps.add(path+".conveyor.capacity", "0: a conveyor must hold at least 1 unit "+
				"(omit the key for the default, dwell / pitch)", false)
		}
	}
}

// dependsOn names, for a field, the field beside it whose absence
// validation reports through it: a conveyor or an mtbf that could not be
// decoded is missing, and the station would be said to lack a cycle, or
// to have an mttr without an mtbf.
var dependsOn = map[string]string{"cycle": "conveyor", "mttr": "mtbf"}

// validate adds the problems of Spec.Validate, leaving out those about a
// field whose value could not be decoded (they would repeat the problem)
// and those that follow from a field beside it that could not be (see
// dependsOn).
func (ps *problems) validate(err error) {
	if err == nil {
		return
	}
	var msgs []string
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			msgs = append(msgs, strings.Split(e.Error(), "\n")...)
		}
	} else {
		msgs = strings.Split(err.Error(), "\n")
	}
	troubled := map[string]bool{} // fields with a decoding problem at or inside them
	for _, p := range ps.list {
		for end := len(p.path); end > 0; end-- {
			if end == len(p.path) || p.path[end] == '.' || p.path[end] == '[' {
				troubled[p.path[:end]] = true
			}
		}
	}
	for _, m := range msgs {
		path, msg, ok := strings.Cut(m, ": ")
		if !ok {
			path, msg = "", m
		}
		parent, key := "", path
		if i := strings.LastIndexByte(path, '.'); i >= 0 {
			parent, key = path[:i+1], path[i+1:]
		}
		if other, ok := dependsOn[key]; ok && troubled[parent+other] {
			continue
		}
		if !ps.undecoded(path) {
			ps.add(path, msg, false)
		}
	}
}

// undecoded reports whether path is, or lies inside, a field whose value
// could not be decoded: it looks up path and each field above it
// ("stations[2].inspect", "stations[2]", "stations").
func (ps *problems) undecoded(path string) bool {
	if path == "" {
		return false
	}
	for end := len(path); end > 0; end-- {
		if end < len(path) && path[end] != '.' && path[end] != '[' {
			continue
		}
		ps.lookups++
		if ps.undecodable[path[:end]] {
			return true
		}
	}
	return false
}
