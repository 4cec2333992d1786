package sparkplugtest

import (
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// TestUntyped: a value made untyped keeps its field and bits, as a metric
// sent without a datatype decodes, and WithType gives it back.
func TestUntyped(t *testing.T) {
	for v, want := range map[sparkplug.Value]string{
		sparkplug.Int64Value(5):        "untyped long_value(5)",
		sparkplug.FloatValue(0):        "untyped float_value(0)",
		sparkplug.DoubleValue(3.5):     "untyped double_value(4615063718147915776)",
		sparkplug.StringValue("fast"):  "untyped string_value(4 bytes)",
		sparkplug.BooleanValue(true):   "untyped boolean_value(1)",
		sparkplug.Int32Value(-2):       "untyped int_value(4294967294)",
		sparkplug.UInt64Value(1 << 63): "untyped long_value(9223372036854775808)",
	} {
		u := Untyped(t, v)
		if u.Type() != sparkplug.Unknown || u.String() != want {
			t.Errorf("Untyped(%v) = %v, want %s", v, u, want)
		}
		if back, err := u.WithType(v.Type()); err != nil || back != v {
			t.Errorf("Untyped(%v).WithType(%v) = %v, %v", v, v.Type(), back, err)
		}
	}
}
