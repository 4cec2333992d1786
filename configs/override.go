package configs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lightsout-sim/lightsout/twin"
)

// Override sets the value at one config path, as "path = value" does. The
// path addresses the YAML of a config: keys joined by dots, and list items
// selected in brackets by position or by id:
//
//	lines
//	run.duration
//	stations[test].buffer
//	stations[2].servers
//	stations[test].inspect.detect
//	arms[arm-1].speed
//
// Value is a YAML value as decoded into any (a number, text, true/false, a
// mapping or a list); the strict decoding of [Parse] checks it.
type Override struct {
	Path  string
	Value any
}

// ParseOverride reads "path=value", the value written in YAML
// ("stations[test].buffer=6", "arms[arm-1].speed=2", "run.duration=8h").
func ParseOverride(s string) (Override, error) {
	path, val, ok := strings.Cut(s, "=")
	path = strings.TrimSpace(path)
	if !ok || path == "" {
		return Override{}, fmt.Errorf("%q: want path=value, e.g. stations[test].buffer=6", s)
	}
	var v any
	if err := yaml.Unmarshal([]byte(val), &v); err != nil {
		return Override{}, fmt.Errorf("%q: the value is not YAML: %v", s, err)
	}
	return Override{Path: path, Value: v}, nil
}

// Base is a config read once to which different overrides can be applied
// ([Base.With]). It is safe for concurrent use.
type Base struct {
	name string
	data []byte
	tree map[string]any
}

// OpenBase reads the config named as by [Resolve] (a file on disk, else an
// embedded name; "" means [Default]) and checks that it is a YAML mapping.
// Problems are reported as an [*Error].
func OpenBase(arg string) (*Base, error) {
	if arg == "" {
		arg = Default
	}
	name, data, err := readSource(arg)
	if err != nil {
		return nil, err
	}
	return NewBase(name, data)
}

// NewBase makes a Base of the config text data; name is used in messages.
func NewBase(name string, data []byte) (*Base, error) {
	var tree map[string]any
	if err := yaml.Unmarshal(data, &tree); err != nil || tree == nil {
		_, perr := Parse(name, data) // the usual wording of the problem
		if perr == nil {
			perr = &Error{File: name, Problems: []string{"not a YAML mapping"}, Err: err}
		}
		return nil, perr
	}
	return &Base{name: name, data: data, tree: tree}, nil
}

// readSource finds a config as Resolve does and returns its display name
// and text.
func readSource(arg string) (string, []byte, error) {
	fi, statErr := os.Stat(arg)
	if statErr == nil && !fi.IsDir() {
		data, err := os.ReadFile(arg)
		if err != nil {
			return "", nil, &Error{File: arg, Problems: []string{"cannot read: " + err.Error()}, Err: err}
		}
		return arg, data, nil
	}
	if isEmbedded(arg) {
		data, err := Source(arg)
		return strings.TrimSuffix(arg, ".yaml") + ".yaml", data, err
	}
	if statErr == nil {
		return "", nil, &Error{File: arg, Problems: []string{"is a directory, not a config file"}}
	}
	return "", nil, &Error{File: arg, Problems: []string{
		"no such file, nor an embedded config (embedded: " + strings.Join(Names(), ", ") + ")"}, Err: fs.ErrNotExist}
}

// Name returns the config's name as used in messages.
func (b *Base) Name() string { return b.name }

// Data returns the config's text. The slice is the Base's own: do not modify it.
func (b *Base) Data() []byte { return b.data }

// With returns the validated spec of the config with the overrides applied
// in order. A path that does not exist is a problem naming the path and
// what exists there; the value is then checked by the same strict decoding
// and validation as [Parse], whose problems about an overridden field end
// with "(set by path)". Problems are reported as an [*Error].
func (b *Base) With(set []Override) (*twin.Spec, error) {
	if len(set) == 0 {
		return Parse(b.name, b.data)
	}
	tree := deepCopy(b.tree).(map[string]any)
	var problems []string
	resolved := make([]string, len(set))
	for i, o := range set {
		p, err := apply(tree, o)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		resolved[i] = p
	}
	if len(problems) > 0 {
		return nil, &Error{File: b.name, Problems: problems}
	}
	data, err := yaml.Marshal(tree)
	if err != nil {
		return nil, &Error{File: b.name, Problems: []string{"cannot write the overridden config: " + err.Error()}, Err: err}
	}
	spec, err := Parse(b.name, data)
	var ce *Error
	if errors.As(err, &ce) {
		for i, pr := range ce.Problems {
			for j, r := range resolved {
				if r != "" && (strings.HasPrefix(pr, r+": ") || strings.HasPrefix(pr, r+".") || strings.HasPrefix(pr, r+"[")) {
					ce.Problems[i] = pr + " (set by " + set[j].Path + ")"
				}
			}
		}
	}
	return spec, err
}

// Lookup returns the value at path in the config (after no override), and
// whether there is one.
func (b *Base) Lookup(path string) (any, bool) {
	steps, err := splitPath(path)
	if err != nil {
		return nil, false
	}
	var cur any = b.tree
	for _, s := range steps {
		switch {
		case s.key != "":
			m, ok := cur.(map[string]any)
			if !ok {
				return nil, false
			}
			if cur, ok = m[s.key]; !ok {
				return nil, false
			}
		default:
			l, ok := cur.([]any)
			if !ok {
				return nil, false
			}
			i := selectItem(l, s.sel)
			if i < 0 {
				return nil, false
			}
			cur = l[i]
		}
	}
	return cur, true
}

// step is one step of a path: a mapping key, or a list selection.
type step struct {
	key string // "" for a selection
	sel string // a position or an id
}

// splitPath splits "stations[test].inspect.detect" into steps.
func splitPath(path string) ([]step, error) {
	if path == "" {
		return nil, errors.New("empty path")
	}
	var out []step
	for _, part := range strings.Split(path, ".") {
		key, rest, _ := strings.Cut(part, "[")
		if key == "" {
			return nil, fmt.Errorf("%s: empty key (keys are joined by single dots)", path)
		}
		out = append(out, step{key: key})
		if rest == "" {
			if strings.Contains(part, "[") {
				return nil, fmt.Errorf("%s: empty [ ]", path)
			}
			continue
		}
		for _, sel := range strings.Split(rest, "[") {
			s, ok := strings.CutSuffix(sel, "]")
			if !ok || s == "" || strings.Contains(s, "]") {
				return nil, fmt.Errorf("%s: malformed selection [%s (want [id] or [position])", path, sel)
			}
			out = append(out, step{sel: s})
		}
	}
	return out, nil
}

// selectItem returns the index in l of the item sel selects (a position, or
// the item whose id is sel), -1 if none.
func selectItem(l []any, sel string) int {
	if n, err := strconv.Atoi(sel); err == nil {
		if n >= 0 && n < len(l) {
			return n
		}
		return -1
	}
	for i, it := range l {
		if m, ok := it.(map[string]any); ok && fmt.Sprint(m["id"]) == sel {
			return i
		}
	}
	return -1
}

// apply sets o's value in tree and returns the path in the form problems
// use ("stations[5].buffer").
func apply(tree map[string]any, o Override) (string, error) {
	steps, err := splitPath(o.Path)
	if err != nil {
		return "", err
	}
	fail := func(format string, a ...any) (string, error) {
		return "", fmt.Errorf("%s: %s", o.Path, fmt.Sprintf(format, a...))
	}
	t := reflect.TypeFor[twin.Spec]()
	var cur any = tree
	var done strings.Builder // the resolved path so far
	for i, s := range steps {
		last := i == len(steps)-1
		if s.key != "" {
			m, ok := cur.(map[string]any)
			if !ok {
				return fail("%s is not a mapping", orTop(done.String()))
			}
			ft, known := field(t, s.key)
			if !known {
				return fail("%s: %s", orTop(done.String()), unknownKey(t, s.key))
			}
			if done.Len() > 0 {
				done.WriteByte('.')
			}
			done.WriteString(s.key)
			t = ft
			if last {
				m[s.key] = o.Value
				break
			}
			next, present := m[s.key]
			if !present || next == nil {
				if structType(t) == nil {
					return fail("%s is not in the config: add the list first", done.String())
				}
				next = map[string]any{}
				m[s.key] = next
			}
			cur = next
			continue
		}
		l, ok := cur.([]any)
		if !ok || t == nil || t.Kind() != reflect.Slice {
			return fail("%s is not a list: [%s] selects nothing", orTop(done.String()), s.sel)
		}
		t = t.Elem()
		k := selectItem(l, s.sel)
		if k < 0 {
			return fail("%s", noItem(done.String(), l, s.sel))
		}
		fmt.Fprintf(&done, "[%d]", k)
		if last {
			l[k] = o.Value
			break
		}
		cur = l[k]
	}
	return done.String(), nil
}

// noItem words a selection that selects nothing, listing what there is.
func noItem(list string, l []any, sel string) string {
	if _, err := strconv.Atoi(sel); err == nil {
		return fmt.Sprintf("%s has %d items: [%s] is out of range (0-%d)", list, len(l), sel, len(l)-1)
	}
	var ids []string
	for _, it := range l {
		if m, ok := it.(map[string]any); ok && m["id"] != nil {
			ids = append(ids, fmt.Sprint(m["id"]))
		}
	}
	msg := fmt.Sprintf("%s has no item with id %q", list, sel)
	if len(ids) == 0 {
		return msg + " (its items have no ids: select by position)"
	}
	best, bestD := "", max(1, len(sel)/3)+1
	for _, id := range ids {
		if d := editDistance(sel, id); d < bestD {
			best, bestD = id, d
		}
	}
	if best != "" {
		return msg + fmt.Sprintf(" (did you mean %q?)", best)
	}
	return msg + " (ids: " + strings.Join(ids, ", ") + ")"
}

func orTop(p string) string {
	if p == "" {
		return "the top level"
	}
	return p
}

// deepCopy copies a YAML tree of maps and lists.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = deepCopy(e)
		}
		return l
	}
	return v
}
