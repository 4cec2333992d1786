package configs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Values returns the value each of the sweep's Params takes at point i, in
// order, as compact JSON: the point's own override, else the sweep's set,
// else the base config's value (null where the base has none).
func (s *Sweep) Values(i int) ([]json.RawMessage, error) {
	p := &s.Points[i]
	values := make([]json.RawMessage, 0, len(s.Params))
	for _, path := range s.Params {
		v, ok := overrideOf(p.Set, path)
		if !ok {
			if v, ok = overrideOf(s.Set, path); !ok {
				v, _ = s.Base.Lookup(path)
			}
		}
		js, err := ValueJSON(v)
		if err != nil {
			return nil, fmt.Errorf("point %s: %s: %w", p.Name, path, err)
		}
		values = append(values, js)
	}
	return values, nil
}

// overrideOf returns the value the last override of path in set gives it.
func overrideOf(set []Override, path string) (any, bool) {
	for i := len(set) - 1; i >= 0; i-- {
		if set[i].Path == path {
			return set[i].Value, true
		}
	}
	return nil, false
}

// FormatValue writes an override value compactly: text as it is, anything
// else as JSON (4, 0.95, true, {"dwell":"3m"}).
func FormatValue(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(jsonable(v)); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// ValueJSON returns an override value as compact JSON.
func ValueJSON(v any) ([]byte, error) { return json.Marshal(jsonable(v)) }

// jsonable turns the map[any]any YAML may produce into map[string]any.
func jsonable(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = jsonable(e)
		}
		return m
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = jsonable(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = jsonable(e)
		}
		return l
	}
	return v
}
