package sparkplug

import (
	"bytes"
	"errors"
	"math"
	"testing"
)

// goldenPayload is a small birth-like payload whose encoding is written out
// by hand in goldenBytes, field by field, from the protobuf wire format.
func goldenPayload() *Payload {
	return &Payload{
		Timestamp: 300,
		Metrics: []Metric{
			{Name: "a", Alias: 1, HasAlias: true, Timestamp: 300, Datatype: Int32, Value: Int32Value(-2)},
			{Name: "b", Datatype: Double, Value: DoubleValue(1.5)},
			{Alias: 2, HasAlias: true, Datatype: Boolean, Value: BooleanValue(true)},
			{Name: "s", Datatype: String, Value: StringValue("hi")},
			{Alias: 3, HasAlias: true, Datatype: Float, Value: FloatValue(0.5)},
			{Alias: 4, HasAlias: true, Datatype: UInt64, Value: UInt64Value(math.MaxUint64)},
		},
		Seq:    0,
		HasSeq: true,
	}
}

var goldenBytes = []byte{
	0x08, 0xAC, 0x02, // timestamp (1, varint) = 300: 0x2C|0x80, 300>>7 = 2
	0x12, 0x10, // metrics (2, bytes), 16 bytes
	0x0A, 0x01, 'a', // name (1, bytes) "a"
	0x10, 0x01, // alias (2, varint) 1
	0x18, 0xAC, 0x02, // timestamp (3, varint) 300
	0x20, 0x03, // datatype (4, varint) Int32
	0x50, 0xFE, 0xFF, 0xFF, 0xFF, 0x0F, // int_value (10, varint) 0xFFFFFFFE: -2 as uint32
	0x12, 0x0E, // metrics, 14 bytes
	0x0A, 0x01, 'b', // name "b"
	0x20, 0x0A, // datatype Double
	0x69, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF8, 0x3F, // double_value (13, fixed64) 1.5 = 0x3FF8000000000000 LE
	0x12, 0x06, // metrics, 6 bytes
	0x10, 0x02, // alias 2
	0x20, 0x0B, // datatype Boolean
	0x70, 0x01, // boolean_value (14, varint) true
	0x12, 0x09, // metrics, 9 bytes
	0x0A, 0x01, 's', // name "s"
	0x20, 0x0C, // datatype String
	0x7A, 0x02, 'h', 'i', // string_value (15, bytes) "hi"
	0x12, 0x09, // metrics, 9 bytes
	0x10, 0x03, // alias 3
	0x20, 0x09, // datatype Float
	0x65, 0x00, 0x00, 0x00, 0x3F, // float_value (12, fixed32) 0.5 = 0x3F000000 LE
	0x12, 0x0F, // metrics, 15 bytes
	0x10, 0x04, // alias 4
	0x20, 0x08, // datatype UInt64
	0x58, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, // long_value (11, varint) 2^64-1
	0x18, 0x00, // seq (3, varint) 0
}

// goldenDeath is an NDEATH payload: timestamp 300, bdSeq Int64 5, no seq.
var goldenDeath = []byte{
	0x08, 0xAC, 0x02, // timestamp 300
	0x12, 0x0B, // metrics, 11 bytes
	0x0A, 0x05, 'b', 'd', 'S', 'e', 'q', // name "bdSeq"
	0x20, 0x04, // datatype Int64
	0x58, 0x05, // long_value 5
}

func TestGoldenBytes(t *testing.T) {
	t.Run("marshal", func(t *testing.T) {
		if got := mustMarshal(t, goldenPayload()); !bytes.Equal(got, goldenBytes) {
			t.Errorf("Marshal =\n% X\nwant\n% X", got, goldenBytes)
		}
		death := &Payload{Timestamp: 300, Metrics: []Metric{{Name: "bdSeq", Datatype: Int64, Value: Int64Value(5)}}}
		if got := mustMarshal(t, death); !bytes.Equal(got, goldenDeath) {
			t.Errorf("Marshal(death) =\n% X\nwant\n% X", got, goldenDeath)
		}
	})
	t.Run("unmarshal", func(t *testing.T) {
		if got, want := mustUnmarshal(t, goldenBytes), goldenPayload(); !samePayload(got, want) {
			t.Errorf("Unmarshal =\n%+v\nwant\n%+v", got, want)
		}
	})
	t.Run("size", func(t *testing.T) {
		if n, err := Size(goldenPayload()); err != nil || n != len(goldenBytes) {
			t.Errorf("Size = %d, %v; want %d", n, err, len(goldenBytes))
		}
	})
}

// TestRoundTripDataTypes encodes one metric of every basic datatype, with
// edge values, and checks it decodes to the same value: typed when the
// datatype travels, untyped (and then typed by WithType) when it does not.
func TestRoundTripDataTypes(t *testing.T) {
	cases := []struct {
		name string
		dt   DataType
		v    Value
	}{
		{"Int8 min", Int8, Int8Value(math.MinInt8)},
		{"Int8 -1", Int8, Int8Value(-1)},
		{"Int8 max", Int8, Int8Value(math.MaxInt8)},
		{"Int16 min", Int16, Int16Value(math.MinInt16)},
		{"Int16 -87", Int16, Int16Value(-87)},
		{"Int16 max", Int16, Int16Value(math.MaxInt16)},
		{"Int32 min", Int32, Int32Value(math.MinInt32)},
		{"Int32 -1", Int32, Int32Value(-1)},
		{"Int32 max", Int32, Int32Value(math.MaxInt32)},
		{"Int64 min", Int64, Int64Value(math.MinInt64)},
		{"Int64 max", Int64, Int64Value(math.MaxInt64)},
		{"UInt8 max", UInt8, UInt8Value(math.MaxUint8)},
		{"UInt16 max", UInt16, UInt16Value(math.MaxUint16)},
		{"UInt32 max", UInt32, UInt32Value(math.MaxUint32)},
		{"UInt64 zero", UInt64, UInt64Value(0)},
		{"UInt64 max", UInt64, UInt64Value(math.MaxUint64)},
		{"Float", Float, FloatValue(-3.25)},
		{"Float NaN", Float, FloatValue(float32(math.NaN()))},
		{"Float +Inf", Float, FloatValue(float32(math.Inf(1)))},
		{"Float -0", Float, FloatValue(float32(math.Copysign(0, -1)))},
		{"Double", Double, DoubleValue(math.Pi)},
		{"Double NaN", Double, DoubleValue(math.NaN())},
		{"Double +Inf", Double, DoubleValue(math.Inf(1))},
		{"Double -Inf", Double, DoubleValue(math.Inf(-1))},
		{"Double smallest", Double, DoubleValue(math.SmallestNonzeroFloat64)},
		{"Boolean true", Boolean, BooleanValue(true)},
		{"Boolean false", Boolean, BooleanValue(false)},
		{"String", String, StringValue("Élan/ça ✓")},
		{"String empty", String, StringValue("")},
		{"Text empty", Text, TextValue("")},
		{"UUID", UUID, UUIDValue("0d2a1d3e-57b0-4a3c-9c7e-2f4a1e0b8c11")},
		{"DateTime", DateTime, DateTimeValue(1700000000123)},
		{"Bytes", Bytes, BytesValue([]byte{0, 1, 2, 0xFF})},
		{"null Int32", Int32, Value{}},
		{"null String", String, Value{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := Metric{Name: "m", Alias: 7, HasAlias: true, Timestamp: 1, Datatype: c.dt, Value: c.v, IsNull: c.v.IsZero()}
			in := &Payload{Timestamp: 2, Metrics: []Metric{m}, Seq: 255, HasSeq: true}
			out := mustUnmarshal(t, mustMarshal(t, in))
			if !samePayload(in, out) {
				t.Fatalf("typed round trip: got %+v, want %+v", out.Metrics[0], m)
			}

			// Without datatype on the wire, as in DATA messages.
			m.Datatype = Unknown
			in.Metrics[0] = m
			out = mustUnmarshal(t, mustMarshal(t, in))
			got := out.Metrics[0].Value
			if !c.v.IsZero() && got.Type() != Unknown {
				t.Fatalf("untyped decode has type %v", got.Type())
			}
			typed, err := got.WithType(c.dt)
			if err != nil {
				t.Fatalf("WithType(%v): %v", c.dt, err)
			}
			if typed != c.v {
				t.Fatalf("untyped round trip: got %v, want %v", typed, c.v)
			}
			if out.Metrics[0].IsNull != c.v.IsZero() {
				t.Fatalf("IsNull = %v", out.Metrics[0].IsNull)
			}
		})
	}
}

// TestSignedIntForms: the specification carries Int8, Int16 and Int32 in
// the uint32 int_value. We write two's complement sign-extended to 32 bits
// (as Tahu does) and read both that and the masked width-only form.
func TestSignedIntForms(t *testing.T) {
	cases := []struct {
		name string
		dt   DataType
		wire []byte // varint of int_value
		want Value
	}{
		{"Int8 -1 sign-extended", Int8, []byte{0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, Int8Value(-1)},
		{"Int8 -1 masked", Int8, []byte{0xFF, 0x01}, Int8Value(-1)},
		{"Int16 -87 sign-extended", Int16, []byte{0xA9, 0xFF, 0xFF, 0xFF, 0x0F}, Int16Value(-87)},
		{"Int16 -87 masked", Int16, []byte{0xA9, 0xFF, 0x03}, Int16Value(-87)},
		{"Int32 -1", Int32, []byte{0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, Int32Value(-1)},
		{"Int32 -1 as 64-bit varint", Int32, []byte{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}, Int32Value(-1)},
		{"UInt32 max", UInt32, []byte{0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, UInt32Value(math.MaxUint32)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			metric := append([]byte{0x20, byte(c.dt), 0x50}, c.wire...)
			b := append([]byte{0x12, byte(len(metric))}, metric...)
			p := mustUnmarshal(t, b)
			if got := p.Metrics[0].Value; got != c.want {
				t.Fatalf("decoded %v, want %v", got, c.want)
			}
		})
	}
	t.Run("encoder sign-extends", func(t *testing.T) {
		p := &Payload{Metrics: []Metric{{Value: Int8Value(-1)}}}
		want := []byte{0x12, 0x06, 0x50, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}
		if got := mustMarshal(t, p); !bytes.Equal(got, want) {
			t.Fatalf("got % X, want % X", got, want)
		}
	})
}

// TestUInt32InLongValue: Tahu's decoder accepts a UInt32 sent in
// long_value, so do we, when it fits.
func TestUInt32InLongValue(t *testing.T) {
	b := []byte{0x12, 0x08, 0x20, 0x07, 0x58, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}
	if got := mustUnmarshal(t, b).Metrics[0].Value; got != UInt32Value(math.MaxUint32) {
		t.Fatalf("got %v", got)
	}
	b = []byte{0x12, 0x08, 0x20, 0x07, 0x58, 0x80, 0x80, 0x80, 0x80, 0x10}
	var p Payload
	if err := Unmarshal(b, &p); !errors.Is(err, ErrRange) {
		t.Fatalf("2^32 in long_value for UInt32: err = %v, want ErrRange", err)
	}
}

// TestUnknownFieldsSkipped adds unknown fields of every wire type at the
// payload and metric levels (including the payload's extension range) and
// checks they are skipped without changing the result.
func TestUnknownFieldsSkipped(t *testing.T) {
	unknown := []byte{
		0x30, 0x96, 0x01, // field 6, varint 150
		0x3D, 1, 2, 3, 4, // field 7, fixed32
		0x41, 1, 2, 3, 4, 5, 6, 7, 8, // field 8, fixed64
		0xAA, 0x06, 0x03, 'x', 'y', 'z', // field 101, bytes "xyz"
		0xA3, 0x01, 0x08, 0x01, 0xA4, 0x01, // field 20, group holding field 1 = 1
		0xF8, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, // field 2^29-1, varint 1
	}
	base := goldenPayload()
	var b []byte
	b = append(b, unknown...)
	for i := range base.Metrics {
		m := appendMetric(nil, &base.Metrics[i])
		m = append(m, 0xA0, 0x01, 0x05) // metric field 20, varint 5
		m = append(m, 0xAA, 0x01, 0x00) // metric field 21, empty bytes
		b = append(b, 0x12, byte(len(m)))
		b = append(b, m...)
	}
	b = append(b, 0x08, 0xAC, 0x02, 0x18, 0x00)
	b = append(b, unknown...)
	if got := mustUnmarshal(t, b); !samePayload(got, base) {
		t.Fatalf("got %+v, want %+v", got, base)
	}
}

// TestLastFieldWins: protobuf keeps the last occurrence of a scalar and of
// a oneof member.
func TestLastFieldWins(t *testing.T) {
	b := []byte{
		0x08, 0x01, 0x08, 0x02, // timestamp 1 then 2
		0x12, 0x09,
		0x50, 0x07, // int_value 7
		0x7A, 0x01, 'x', // string_value "x"
		0x20, 0x0C, // datatype String (after the value)
		0x10, 0x09, // alias 9
	}
	p := mustUnmarshal(t, b)
	if p.Timestamp != 2 {
		t.Errorf("timestamp %d, want 2", p.Timestamp)
	}
	if m := p.Metrics[0]; m.Value != StringValue("x") || m.Alias != 9 {
		t.Errorf("metric %+v", m)
	}
}

func TestUnmarshalMalformed(t *testing.T) {
	metric := func(content ...byte) []byte { return append([]byte{0x12, byte(len(content))}, content...) }
	cases := []struct {
		name string
		b    []byte
		want error
	}{
		{"truncated timestamp varint", []byte{0x08, 0x80}, ErrTruncated},
		{"varint longer than 10 bytes", []byte{0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}, ErrWireType},
		{"truncated tag", []byte{0x80}, ErrTruncated},
		{"field number zero", []byte{0x00, 0x01}, ErrWireType},
		{"metrics length past end", []byte{0x12, 0x05, 0x0A, 0x01}, ErrTruncated},
		{"metrics length overflows int", []byte{0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}, ErrTruncated},
		{"timestamp as bytes", []byte{0x0A, 0x00}, ErrWireType},
		{"metrics as varint", []byte{0x10, 0x01}, ErrWireType},
		{"seq as fixed64", []byte{0x19, 1, 2, 3, 4, 5, 6, 7, 8}, ErrWireType},
		{"metrics as group", []byte{0x13, 0x14}, ErrWireType},
		{"stray end group", []byte{0x0C}, ErrWireType},
		{"unknown group without end", []byte{0x33, 0x08, 0x01}, ErrTruncated},
		{"unknown group wrong end", []byte{0x33, 0x3C}, ErrWireType},
		{"reserved wire type 6", []byte{0x36}, ErrWireType},
		{"name as varint", metric(0x08, 0x01), ErrWireType},
		{"name past end", metric(0x0A, 0x09, 'a'), ErrTruncated},
		{"alias truncated", metric(0x10), ErrTruncated},
		{"datatype as fixed32", metric(0x25, 0, 0, 0, 0), ErrWireType},
		{"float_value as varint", metric(0x60, 0x01), ErrWireType},
		{"float_value truncated", metric(0x65, 0x00, 0x00), ErrTruncated},
		{"double_value as fixed32", metric(0x6D, 0, 0, 0, 0), ErrWireType},
		{"double_value truncated", metric(0x69, 0, 0, 0, 0, 0, 0, 0), ErrTruncated},
		{"string_value as varint", metric(0x78, 0x01), ErrWireType},
		{"nested garbage in metric", metric(0xFF, 0xFF), ErrTruncated},
		{"garbage in properties", metric(0x4A, 0x02, 0x0F, 0xFF), ErrWireType},
		{"garbage in dataset_value", metric(0x20, 0x10, 0x8A, 0x01, 0x01, 0x80), ErrTruncated},
		{"datatype 99", metric(0x20, 0x63, 0x50, 0x01), ErrDataType},
		{"datatype PropertySet", metric(0x20, 0x14), ErrDataType},
		{"Int32 in long_value", metric(0x20, 0x03, 0x58, 0x01), ErrTypeMismatch},
		{"Double in float_value", metric(0x20, 0x0A, 0x65, 0, 0, 0, 0), ErrTypeMismatch},
		{"String in int_value", metric(0x20, 0x0C, 0x50, 0x01), ErrTypeMismatch},
		{"Boolean in string_value", metric(0x20, 0x0B, 0x7A, 0x00), ErrTypeMismatch},
		{"Int8 value 300", metric(0x20, 0x01, 0x50, 0xAC, 0x02), ErrRange},
		{"Int16 value 70000", metric(0x20, 0x02, 0x50, 0xF0, 0xA2, 0x04), ErrRange},
		{"UInt8 value 256", metric(0x20, 0x05, 0x50, 0x80, 0x02), ErrRange},
		{"UInt16 value -1", metric(0x20, 0x06, 0x50, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F), ErrRange},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := Payload{Timestamp: 9, Metrics: make([]Metric, 0, 4)}
			err := Unmarshal(c.b, &p)
			if !errors.Is(err, ErrMalformed) || !errors.Is(err, c.want) {
				t.Fatalf("Unmarshal(% X) = %v; want ErrMalformed and %v", c.b, err, c.want)
			}
			var de *DecodeError
			if !errors.As(err, &de) || de.Offset < 0 || de.Offset > len(c.b) {
				t.Fatalf("error %v is not a DecodeError with an offset inside the input", err)
			}
			if p.Timestamp != 0 || len(p.Metrics) != 0 {
				t.Fatalf("payload not reset on error: %+v", p)
			}
		})
	}
}

// TestUnmarshalEveryPrefix decodes every prefix of valid payloads: each one
// either decodes or fails with ErrMalformed, and never panics.
func TestUnmarshalEveryPrefix(t *testing.T) {
	for _, full := range [][]byte{goldenBytes, goldenDeath} {
		var p Payload
		for i := range full {
			err := Unmarshal(full[:i], &p)
			if err != nil && !errors.Is(err, ErrMalformed) {
				t.Fatalf("prefix %d: %v does not match ErrMalformed", i, err)
			}
		}
	}
}

func TestMarshalErrors(t *testing.T) {
	cases := []struct {
		name string
		m    Metric
		want error
	}{
		{"value type differs from datatype", Metric{Datatype: Int64, Value: Int32Value(1)}, ErrTypeMismatch},
		{"invalid datatype", Metric{Datatype: 77, Value: Int32Value(1)}, ErrDataType},
		{"property datatype", Metric{Datatype: PropertySet}, ErrDataType},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &Payload{Metrics: []Metric{c.m}}
			if _, err := Marshal(p); !errors.Is(err, c.want) {
				t.Errorf("Marshal err = %v, want %v", err, c.want)
			}
			dst := []byte("keep")
			got, err := AppendMarshal(dst, p)
			if err == nil || string(got) != "keep" {
				t.Errorf("AppendMarshal = %q, %v; want dst unchanged and an error", got, err)
			}
		})
	}
}

func TestAppendMarshalDoesNotAllocate(t *testing.T) {
	p := benchDDATA()
	buf := make([]byte, 0, 1024)
	allocs := testing.AllocsPerRun(100, func() {
		var err error
		buf, err = AppendMarshal(buf[:0], p)
		if err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("AppendMarshal allocates %v times per call, want 0", allocs)
	}
}

func TestUnmarshalReusesMetrics(t *testing.T) {
	b := mustMarshal(t, benchDDATA())
	var p Payload
	if err := Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		if err := Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
	})
	// Only the one string value ("Execute") is allocated.
	if allocs != 1 {
		t.Errorf("Unmarshal of an alias-only DDATA allocates %v times per call, want 1", allocs)
	}
}

func TestValueAccessors(t *testing.T) {
	if v, ok := Int8Value(-3).Int64(); !ok || v != -3 {
		t.Errorf("Int8(-3).Int64() = %v, %v", v, ok)
	}
	if _, ok := Int8Value(-3).Uint64(); ok {
		t.Error("Int8(-3).Uint64() ok")
	}
	if _, ok := UInt64Value(math.MaxUint64).Int64(); ok {
		t.Error("UInt64(max).Int64() ok")
	}
	if v, ok := UInt32Value(7).Number(); !ok || v != 7 {
		t.Errorf("UInt32(7).Number() = %v, %v", v, ok)
	}
	if v, ok := FloatValue(0.25).Float64(); !ok || v != 0.25 {
		t.Errorf("Float(0.25).Float64() = %v, %v", v, ok)
	}
	if v, ok := BooleanValue(true).Boolean(); !ok || !v {
		t.Errorf("Boolean(true).Boolean() = %v, %v", v, ok)
	}
	if v, ok := TextValue("x").Text(); !ok || v != "x" {
		t.Errorf("Text(x).Text() = %v, %v", v, ok)
	}
	if v, ok := BytesValue([]byte{1}).Bytes(); !ok || !bytes.Equal(v, []byte{1}) {
		t.Errorf("Bytes.Bytes() = %v, %v", v, ok)
	}
	if _, err := Int32Value(1).WithType(Int64); !errors.Is(err, ErrTypeMismatch) {
		t.Errorf("retyping a typed value: %v", err)
	}
	for v, want := range map[Value]string{
		Int32Value(-5):           "Int32(-5)",
		StringValue("ok"):        `String("ok")`,
		{}:                       "<none>",
		{kind: kindInt, bits: 4}: "untyped int_value(4)",
	} {
		if got := v.String(); got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	}
}
