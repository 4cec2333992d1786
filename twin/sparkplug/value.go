package sparkplug

import (
	"fmt"
	"math"
	"strconv"
)

// A Value is the value of a metric: a small tagged union that never
// allocates for numbers and booleans. Build one with a constructor such as
// [Int32Value] or [DoubleValue]; the zero Value means "no value".
//
// A Value decoded from a metric that carries no datatype (as NDATA, DDATA,
// NCMD and DCMD metrics may) is untyped: its [Value.Type] is Unknown and it
// only remembers which protobuf field carried it. [Value.WithType] types it
// with the datatype from the birth certificate.
//
// Values are comparable with ==. Two values are equal when they have the
// same type and the same bits, so a NaN equals the same NaN and -0.0 differs
// from +0.0: exactly what change detection wants.
type Value struct {
	typ  DataType
	kind valueKind
	// bits holds integers (signed types sign-extended to 64 bits), the IEEE
	// bits of floats and doubles, and 0 or 1 for booleans. An untyped
	// int_value holds the raw uint32.
	bits uint64
	// str holds strings, bytes and verbatim DataSet/Template/extension
	// messages.
	str string
}

// Int8Value returns an Int8 value.
func Int8Value(v int8) Value { return Value{typ: Int8, kind: kindInt, bits: uint64(int64(v))} }

// Int16Value returns an Int16 value.
func Int16Value(v int16) Value { return Value{typ: Int16, kind: kindInt, bits: uint64(int64(v))} }

// Int32Value returns an Int32 value.
func Int32Value(v int32) Value { return Value{typ: Int32, kind: kindInt, bits: uint64(int64(v))} }

// Int64Value returns an Int64 value.
func Int64Value(v int64) Value { return Value{typ: Int64, kind: kindLong, bits: uint64(v)} }

// UInt8Value returns a UInt8 value.
func UInt8Value(v uint8) Value { return Value{typ: UInt8, kind: kindInt, bits: uint64(v)} }

// UInt16Value returns a UInt16 value.
func UInt16Value(v uint16) Value { return Value{typ: UInt16, kind: kindInt, bits: uint64(v)} }

// UInt32Value returns a UInt32 value.
func UInt32Value(v uint32) Value { return Value{typ: UInt32, kind: kindInt, bits: uint64(v)} }

// UInt64Value returns a UInt64 value.
func UInt64Value(v uint64) Value { return Value{typ: UInt64, kind: kindLong, bits: v} }

// DateTimeValue returns a DateTime value of ms milliseconds since the epoch.
func DateTimeValue(ms uint64) Value { return Value{typ: DateTime, kind: kindLong, bits: ms} }

// FloatValue returns a Float (32-bit) value.
func FloatValue(v float32) Value {
	return Value{typ: Float, kind: kindFloat, bits: uint64(math.Float32bits(v))}
}

// DoubleValue returns a Double (64-bit) value.
func DoubleValue(v float64) Value {
	return Value{typ: Double, kind: kindDouble, bits: math.Float64bits(v)}
}

// BooleanValue returns a Boolean value.
func BooleanValue(v bool) Value {
	var b uint64
	if v {
		b = 1
	}
	return Value{typ: Boolean, kind: kindBool, bits: b}
}

// StringValue returns a String value.
func StringValue(v string) Value { return Value{typ: String, kind: kindString, str: v} }

// TextValue returns a Text value.
func TextValue(v string) Value { return Value{typ: Text, kind: kindString, str: v} }

// UUIDValue returns a UUID value; the text is not checked.
func UUIDValue(v string) Value { return Value{typ: UUID, kind: kindString, str: v} }

// BytesValue returns a Bytes value holding a copy of b.
func BytesValue(b []byte) Value { return Value{typ: Bytes, kind: kindBytes, str: string(b)} }

// Type returns the datatype of v: Unknown for the zero Value and for an
// untyped value decoded from a metric without datatype.
func (v Value) Type() DataType { return v.typ }

// IsZero reports whether v holds no value at all.
func (v Value) IsZero() bool { return v.kind == kindNone }

// Int64 returns v as an int64 if it is an integer that fits.
func (v Value) Int64() (int64, bool) {
	switch v.typ {
	case Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32:
		return int64(v.bits), true
	case UInt64, DateTime:
		if v.bits <= math.MaxInt64 {
			return int64(v.bits), true
		}
	}
	return 0, false
}

// Uint64 returns v as a uint64 if it is a non-negative integer or a
// DateTime.
func (v Value) Uint64() (uint64, bool) {
	switch v.typ {
	case UInt8, UInt16, UInt32, UInt64, DateTime:
		return v.bits, true
	case Int8, Int16, Int32, Int64:
		if int64(v.bits) >= 0 {
			return v.bits, true
		}
	}
	return 0, false
}

// Float64 returns v as a float64 if it is a Float or a Double.
func (v Value) Float64() (float64, bool) {
	switch v.typ {
	case Float:
		return float64(math.Float32frombits(uint32(v.bits))), true
	case Double:
		return math.Float64frombits(v.bits), true
	}
	return 0, false
}

// Number returns any numeric value (integers, DateTime, Float, Double) as a
// float64, which may round large 64-bit integers. It suits KPIs and plots.
func (v Value) Number() (float64, bool) {
	switch v.typ {
	case Int8, Int16, Int32, Int64:
		return float64(int64(v.bits)), true
	case UInt8, UInt16, UInt32, UInt64, DateTime:
		return float64(v.bits), true
	}
	return v.Float64()
}

// Boolean returns v if it is a Boolean.
func (v Value) Boolean() (bool, bool) {
	if v.typ == Boolean {
		return v.bits != 0, true
	}
	return false, false
}

// Text returns v if it is a String, Text or UUID.
func (v Value) Text() (string, bool) {
	switch v.typ {
	case String, Text, UUID:
		return v.str, true
	}
	return "", false
}

// Bytes returns a copy of v if it is carried in bytes_value (Bytes, File
// and the array types).
func (v Value) Bytes() ([]byte, bool) {
	if v.typ != Unknown && v.kind == kindBytes {
		return []byte(v.str), true
	}
	return nil, false
}

// Len returns the length in bytes of what v carries beyond its fixed size:
// a string, UUID or bytes value, or a DataSet, Template or extension value
// kept verbatim, typed or not; 0 for numbers, booleans and the zero Value.
func (v Value) Len() int { return len(v.str) }

// WithType returns v typed as t. A value that already has type t is
// returned as is. An untyped value is converted if the field that carried
// it is the one t uses and its number fits t: an int_value for Int8/Int16
// accepts both the sign-extended and the masked two's complement forms
// (0xFFFFFFA9 and 0xFFA9 both mean Int16 -87). The error matches
// [ErrTypeMismatch], [ErrRange] or [ErrDataType].
func (v Value) WithType(t DataType) (Value, error) {
	if v.typ == t && t != Unknown {
		return v, nil
	}
	if v.typ != Unknown {
		return Value{}, fmt.Errorf("%w: %v value for a %v metric", ErrTypeMismatch, v.typ, t)
	}
	return typed(v.kind, v.bits, v.str, t)
}

// typed builds a value of datatype t from the raw contents of oneof member
// k, applying the Sparkplug conversion rules.
func typed(k valueKind, bits uint64, s string, t DataType) (Value, error) {
	if !t.ValidMetric() {
		return Value{}, fmt.Errorf("%w: %v", ErrDataType, t)
	}
	switch k {
	case kindNone:
		return Value{}, nil
	case kindExtension:
		// Third-party extension values may stand for any datatype.
		return Value{typ: t, kind: k, str: s}, nil
	}
	want := kindOf(t)
	if t == UInt32 && k == kindLong {
		// Tahu's decoder accepts a UInt32 sent in long_value, as some
		// encoders do; so do we when it fits.
		if bits > math.MaxUint32 {
			return Value{}, fmt.Errorf("%w: %d in long_value for UInt32", ErrRange, bits)
		}
		return Value{typ: t, kind: kindInt, bits: bits}, nil
	}
	if k != want {
		return Value{}, fmt.Errorf("%w: %v metric carried in %s", ErrTypeMismatch, t, k.fieldName())
	}
	u := uint32(bits)
	switch t {
	case Int8:
		if u > math.MaxUint8 && u < 0xFFFFFF80 {
			return Value{}, fmt.Errorf("%w: %#x for Int8", ErrRange, u)
		}
		return Int8Value(int8(u)), nil
	case Int16:
		if u > math.MaxUint16 && u < 0xFFFF8000 {
			return Value{}, fmt.Errorf("%w: %#x for Int16", ErrRange, u)
		}
		return Int16Value(int16(u)), nil
	case Int32:
		return Int32Value(int32(u)), nil
	case UInt8:
		if u > math.MaxUint8 {
			return Value{}, fmt.Errorf("%w: %d for UInt8", ErrRange, u)
		}
	case UInt16:
		if u > math.MaxUint16 {
			return Value{}, fmt.Errorf("%w: %d for UInt16", ErrRange, u)
		}
	case Boolean:
		if bits != 0 {
			bits = 1
		}
	}
	if k == kindInt {
		bits = uint64(u)
	}
	return Value{typ: t, kind: k, bits: bits, str: s}, nil
}

// wireBits returns the number to put on the wire for an int, long, float,
// double or boolean value.
func (v Value) wireBits() uint64 {
	if v.kind == kindInt {
		// Signed 8/16/32-bit values travel sign-extended to 32 bits, as
		// Tahu writes them: Int8 -1 is 0xFFFFFFFF.
		return uint64(uint32(v.bits))
	}
	return v.bits
}

// String formats v for logs and tests, e.g. `Int32(-5)`, `String("ok")`,
// or `untyped int_value(4294967295)`.
func (v Value) String() string {
	if v.kind == kindNone {
		return "<none>"
	}
	if v.typ == Unknown {
		switch v.kind {
		case kindString, kindBytes, kindDataSet, kindTemplate, kindExtension:
			return "untyped " + v.kind.fieldName() + "(" + strconv.Itoa(len(v.str)) + " bytes)"
		}
		return "untyped " + v.kind.fieldName() + "(" + strconv.FormatUint(v.bits, 10) + ")"
	}
	var s string
	switch v.typ {
	case Int8, Int16, Int32, Int64:
		s = strconv.FormatInt(int64(v.bits), 10)
	case UInt8, UInt16, UInt32, UInt64, DateTime:
		s = strconv.FormatUint(v.bits, 10)
	case Float:
		s = strconv.FormatFloat(float64(math.Float32frombits(uint32(v.bits))), 'g', -1, 32)
	case Double:
		s = strconv.FormatFloat(math.Float64frombits(v.bits), 'g', -1, 64)
	case Boolean:
		s = strconv.FormatBool(v.bits != 0)
	case String, Text, UUID:
		s = strconv.Quote(v.str)
	default:
		s = strconv.Itoa(len(v.str)) + " bytes"
	}
	return v.typ.String() + "(" + s + ")"
}
