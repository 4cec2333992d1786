package configs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

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
