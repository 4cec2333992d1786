package configs

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// The spec types describe the config schema through their mapstructure
// tags; the helpers below read it to word messages ("did you mean") and to
// order problems as a config is laid out.

// structType returns t, or the type t points to, if that is a struct; nil otherwise.
func structType(t reflect.Type) reflect.Type {
	if t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	return t
}

// tagName returns the config key of a struct field ("" if it has none).
func tagName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
	if name == "-" || !f.IsExported() {
		return ""
	}
	return name
}

// keys returns the config keys of struct type t, in field order.
func keys(t reflect.Type) []string {
	var out []string
	if t = structType(t); t != nil {
		for i := range t.NumField() {
			if k := tagName(t.Field(i)); k != "" {
				out = append(out, k)
			}
		}
	}
	return out
}

// fieldIndex returns the position of the field with config key k in the
// struct type t (or pointer to one), or -1 if there is none.
func fieldIndex(t reflect.Type, k string) int {
	if t = structType(t); t != nil {
		for i := range t.NumField() {
			if tagName(t.Field(i)) == k {
				return i
			}
		}
	}
	return -1
}

// field returns the type of the field with config key k in the struct type
// t (or pointer to one); ok is false if there is no such key.
func field(t reflect.Type, k string) (ft reflect.Type, ok bool) {
	i := fieldIndex(t, k)
	if i < 0 {
		return nil, false
	}
	return structType(t).Field(i).Type, true
}

// walkPath follows a mapstructure path such as "stations[2].inspect" from
// the type root, calling step with the field position (-1 for a key the
// schema lacks) or list index of each step. It returns the type reached,
// or nil if the path leaves the schema.
func walkPath(root reflect.Type, path string, step func(int)) reflect.Type {
	t := root
	if path == "" {
		return t
	}
	for _, part := range strings.Split(path, ".") {
		name, rest, _ := strings.Cut(part, "[")
		step(fieldIndex(t, name))
		t, _ = field(t, name)
		for _, idx := range strings.Split(rest, "[") {
			n, err := strconv.Atoi(strings.TrimSuffix(idx, "]"))
			if err != nil {
				continue
			}
			step(n)
			if t != nil && t.Kind() == reflect.Slice {
				t = t.Elem()
			} else {
				t = nil
			}
		}
	}
	return t
}

// typeAt returns the type at a mapstructure path from root, or nil.
func typeAt(root reflect.Type, path string) reflect.Type {
	return walkPath(root, path, func(int) {})
}

// pathKey returns a sort key for a mapstructure path: the position of each
// field in its struct (keys the schema lacks after the known ones) and each
// list index, so that problems sort in the order a config is laid out.
func pathKey(root reflect.Type, path string) []int {
	var key []int
	walkPath(root, path, func(i int) {
		if i < 0 {
			i = math.MaxInt32
		}
		key = append(key, i)
	})
	return key
}

// unknownKey words the problem of key k in a mapping of type t: it suggests
// the nearest known key when one is close, or else lists them all.
func unknownKey(t reflect.Type, k string) string {
	msg := fmt.Sprintf("unknown key %q", k)
	known := keys(t)
	if len(known) == 0 {
		return msg
	}
	best, bestD := "", max(1, len(k)/3)+1
	for _, c := range known {
		if d := editDistance(k, c); d < bestD {
			best, bestD = c, d
		}
	}
	if best != "" {
		return msg + fmt.Sprintf(" (did you mean %q?)", best)
	}
	sort.Strings(known)
	return msg + " (want one of " + strings.Join(known, ", ") + ")"
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
