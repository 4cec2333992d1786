package sparkplug

import (
	"errors"
	"strconv"

	"google.golang.org/protobuf/encoding/protowire"
)

// metricDecoder decodes one Payload.Metric message. The value oneof is
// collected raw and typed at the end, because the datatype may come after
// the value on the wire.
type metricDecoder struct {
	b     []byte // the metric message
	base  int    // offset of b in the payload, for error offsets
	index int    // index of the metric in the payload, for error fields
	m     *Metric

	kind    valueKind
	bits    uint64
	str     string
	valueAt int // payload offset of the value field's tag
	dtAt    int // payload offset of the datatype field's tag
}

// decodeMetric decodes one Payload.Metric message b found at byte base of
// the payload.
func decodeMetric(b []byte, base, index int, m *Metric) error {
	d := metricDecoder{b: b, base: base, index: index, m: m, valueAt: base, dtAt: base}
	for off := 0; off < len(b); {
		num, typ, n := protowire.ConsumeTag(b[off:])
		if n < 0 {
			return parseError(base+off, d.field("tag"), n)
		}
		at := off
		off += n
		var err error
		if num >= protowire.Number(kindInt) && num <= protowire.Number(kindExtension) {
			n, err = d.value(num, typ, off, at)
		} else {
			n, err = d.attribute(num, typ, off, at)
		}
		if err != nil {
			return err
		}
		off += n
	}
	return d.finish()
}

// field names a metric field in errors, e.g. "metrics[3].alias".
func (d *metricDecoder) field(name string) string {
	return "metrics[" + strconv.Itoa(d.index) + "]." + name
}

// attribute decodes a field other than the value oneof at b[off:], whose
// tag starts at b[at:], and returns the length of its value.
func (d *metricDecoder) attribute(num protowire.Number, typ protowire.Type, off, at int) (int, error) {
	m := d.m
	switch num {
	case fieldMetricName:
		v, n, err := consumeBytes(d.b, off, typ, "")
		if err != nil {
			return 0, rebase(err, d.base, d.field("name"))
		}
		m.Name = string(v)
		return n, nil
	case fieldMetricAlias, fieldMetricTimestamp, fieldMetricDatatype,
		fieldMetricIsHistorical, fieldMetricIsTransient, fieldMetricIsNull:
		v, n, err := consumeVarint(d.b, off, typ, "")
		if err != nil {
			return 0, rebase(err, d.base, d.field(metricFieldName(num)))
		}
		switch num {
		case fieldMetricAlias:
			m.Alias, m.HasAlias = v, true
		case fieldMetricTimestamp:
			m.Timestamp = v
		case fieldMetricDatatype:
			// A uint32 field keeps the low 32 bits of a wider varint.
			m.Datatype, d.dtAt = DataType(uint32(v)), d.base+at
		case fieldMetricIsHistorical:
			m.IsHistorical = v != 0
		case fieldMetricIsTransient:
			m.IsTransient = v != 0
		case fieldMetricIsNull:
			m.IsNull = v != 0
		}
		return n, nil
	case fieldMetricMetadata, fieldMetricProperties:
		v, n, err := consumeBytes(d.b, off, typ, "")
		if err != nil {
			return 0, rebase(err, d.base, d.field(metricFieldName(num)))
		}
		return n, checkFields(v, d.base+off+n-len(v), d.field(metricFieldName(num)))
	}
	n := protowire.ConsumeFieldValue(num, typ, d.b[off:])
	if n < 0 {
		return 0, parseError(d.base+at, d.field("unknown field "+strconv.Itoa(int(num))), n)
	}
	return n, nil
}

// value decodes a member of the value oneof (fields 10 to 19); the last one
// on the wire wins.
func (d *metricDecoder) value(num protowire.Number, typ protowire.Type, off, at int) (int, error) {
	k := valueKind(num)
	name := func() string { return d.field(k.fieldName()) }
	var (
		bits uint64
		str  string
		n    int
	)
	switch k {
	case kindInt, kindLong, kindBool:
		v, m, err := consumeVarint(d.b, off, typ, "")
		if err != nil {
			return 0, rebase(err, d.base, name())
		}
		bits, n = v, m
		if k == kindInt {
			bits = uint64(uint32(v))
		} else if k == kindBool && v != 0 {
			bits = 1
		}
	case kindFloat:
		if typ != protowire.Fixed32Type {
			return 0, wireTypeError(d.base+at, name(), typ)
		}
		v, m := protowire.ConsumeFixed32(d.b[off:])
		if m < 0 {
			return 0, parseError(d.base+off, name(), m)
		}
		bits, n = uint64(v), m
	case kindDouble:
		if typ != protowire.Fixed64Type {
			return 0, wireTypeError(d.base+at, name(), typ)
		}
		v, m := protowire.ConsumeFixed64(d.b[off:])
		if m < 0 {
			return 0, parseError(d.base+off, name(), m)
		}
		bits, n = v, m
	default: // string, bytes, DataSet, Template, extension
		v, m, err := consumeBytes(d.b, off, typ, "")
		if err != nil {
			return 0, rebase(err, d.base, name())
		}
		if k >= kindDataSet {
			// Embedded messages are kept verbatim but must be well formed.
			if err := checkFields(v, d.base+off+m-len(v), name()); err != nil {
				return 0, err
			}
		}
		str, n = string(v), m
	}
	d.kind, d.bits, d.str, d.valueAt = k, bits, str, d.base+at
	return n, nil
}

// finish types the value with the metric's datatype, if it has one.
func (d *metricDecoder) finish() error {
	if d.m.Datatype == Unknown {
		d.m.Value = Value{kind: d.kind, bits: d.bits, str: d.str}
		return nil
	}
	v, err := typed(d.kind, d.bits, d.str, d.m.Datatype)
	if err != nil {
		at := d.valueAt
		if errors.Is(err, ErrDataType) {
			at = d.dtAt
		}
		return &DecodeError{Offset: at, Field: d.field(d.kind.fieldName()), Err: sentinel(err), Detail: detail(err)}
	}
	d.m.Value = v
	return nil
}

func metricFieldName(num protowire.Number) string {
	switch num {
	case fieldMetricAlias:
		return "alias"
	case fieldMetricTimestamp:
		return "timestamp"
	case fieldMetricDatatype:
		return "datatype"
	case fieldMetricIsHistorical:
		return "is_historical"
	case fieldMetricIsTransient:
		return "is_transient"
	case fieldMetricIsNull:
		return "is_null"
	case fieldMetricMetadata:
		return "metadata"
	case fieldMetricProperties:
		return "properties"
	}
	return "field " + strconv.Itoa(int(num))
}
