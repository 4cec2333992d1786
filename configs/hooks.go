package configs

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-viper/mapstructure/v2"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// numberHook handles YAML numbers written where the target needs more care
// than mapstructure gives it: a bare number for a duration or distribution
// is refused (3 could mean 3s or 3 ns); a capacity is a non-negative whole
// number (mapstructure would turn -1 into Inf); a fraction is refused for a
// whole-number field (mapstructure would truncate 2.5 servers to 2).
func numberHook(from, to reflect.Value) (any, error) {
	num, isNum := number(from)
	if !isNum {
		return from.Interface(), nil
	}
	n := formatNumber(num)
	t := to.Type()
	if math.IsNaN(num) || math.IsInf(num, 0) {
		return nonFinite(num, t)
	}
	switch t {
	case reflect.TypeFor[sim.Dist]():
		return nil, fmt.Errorf("%s has no unit: write a duration such as %ss, or a distribution such as exp(%ss)", n, n, n)
	case reflect.TypeFor[sim.Time]():
		return nil, fmt.Errorf("%s has no unit: write a duration such as %ss", n, n)
	case reflect.TypeFor[stations.Capacity]():
		switch {
		case num != math.Trunc(num):
			return nil, fmt.Errorf("capacity %s is not a whole number", n)
		case num < 0:
			return nil, fmt.Errorf("capacity %s is negative (write inf for an unbounded buffer)", n)
		case num > math.MaxInt32:
			return nil, fmt.Errorf("capacity %s is too large (write inf for an unbounded buffer)", n)
		}
		return stations.Capacity(num), nil
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		switch {
		case num != math.Trunc(num):
			return nil, fmt.Errorf("%s is not a whole number", n)
		case num < 0 && !to.CanInt():
			return nil, fmt.Errorf("%s is negative: want a whole number >= 0", n)
		case math.Abs(num) > math.MaxInt32:
			return nil, fmt.Errorf("%s is too large", n)
		}
	}
	return from.Interface(), nil
}

// nonFinite handles a YAML .nan, .inf or -.inf decoded into a field of
// type t: .inf is an unbounded capacity, and a NaN or an infinity
// anywhere else is a problem (a NaN would compare false with every bound
// and pass for zero). Fields of other types are left to the decoder.
func nonFinite(num float64, t reflect.Type) (any, error) {
	if t == reflect.TypeFor[stations.Capacity]() && math.IsInf(num, 1) {
		return stations.Inf, nil
	}
	yaml := map[bool]string{true: ".inf", false: "-.inf"}[num > 0]
	if math.IsNaN(num) {
		yaml = ".nan"
	}
	if want := textWant(t); want != "" {
		return nil, fmt.Errorf("want %s, got %s", want, yaml)
	}
	switch t.Kind() {
	case reflect.Float32, reflect.Float64, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return nil, fmt.Errorf("%s is not a finite number", yaml)
	}
	return nil, fmt.Errorf("want %s, got %s", describeType(t), yaml)
}

// formatNumber writes a YAML number as the user would: 99999999999, not 1e+11.
func formatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// number returns the value of a numeric YAML scalar.
func number(v reflect.Value) (float64, bool) {
	switch {
	case v.CanInt():
		return float64(v.Int()), true
	case v.CanUint():
		return float64(v.Uint()), true
	case v.CanFloat():
		return v.Float(), true
	}
	return 0, false
}

// shapeHook refuses a value of the wrong shape for a structured field (text
// where a mapping or list is expected), with a message that says what the
// field wants; mapstructure's own message names only Go kinds.
func shapeHook(from, to reflect.Value) (any, error) {
	t := to.Type()
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if from.Type() == t || (from.Kind() == reflect.Pointer && from.Type().Elem() == t) {
		return from.Interface(), nil
	}
	if want := textWant(t); want != "" {
		// The text hook has already turned any string into t.
		return nil, fmt.Errorf("want %s, got %s", want, describeValue(from.Interface()))
	}
	switch t.Kind() {
	case reflect.Struct:
		if from.Kind() != reflect.Map {
			return nil, fmt.Errorf("want a mapping of keys (%s), got %s",
				strings.Join(keys(t), ", "), describeValue(from.Interface()))
		}
	case reflect.Slice:
		if from.Kind() != reflect.Slice {
			return nil, fmt.Errorf("want a list (one \"- \" item per entry), got %s", describeValue(from.Interface()))
		}
	}
	return from.Interface(), nil
}

// textWant says what a field read from text wants ("" if t is not read
// from text).
func textWant(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[sim.Dist]():
		return "a duration such as 3s or a distribution such as exp(3s)"
	case reflect.TypeFor[sim.Time]():
		return "a duration such as 3s"
	case reflect.TypeFor[stations.Capacity]():
		return "a whole number or inf"
	}
	return ""
}

// describeDecodeError rewrites a mapstructure error about one value in the
// words of a config file.
func describeDecodeError(err error) string {
	var ute *mapstructure.UnconvertibleTypeError
	if errors.As(err, &ute) {
		return fmt.Sprintf("want %s, got %s", describeType(ute.Expected.Type()), describeValue(ute.Value))
	}
	var pe *mapstructure.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("want %s, got %s", describeType(pe.Expected.Type()), describeValue(pe.Value))
	}
	return err.Error()
}

// describeType says what kind of YAML value a field of type t takes.
func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "a whole number"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number >= 0"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map, reflect.Pointer:
		return "a mapping of keys"
	}
	return t.String()
}

// describeValue names a decoded YAML value for a message.
func describeValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "nothing"
	case string:
		return fmt.Sprintf("the text %q", x)
	case bool:
		return fmt.Sprintf("%v", x)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Map:
		return "a mapping"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	if n, ok := number(rv); ok {
		return "the number " + formatNumber(n)
	}
	return fmt.Sprintf("%v", v)
}
