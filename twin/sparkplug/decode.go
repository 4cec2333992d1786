package sparkplug

import (
	"errors"
	"io"
	"strconv"

	"google.golang.org/protobuf/encoding/protowire"
)

// Unmarshal decodes a Sparkplug B payload into p, reusing the capacity of
// p.Metrics: the metrics of a previous decode into p are overwritten, so copy
// what must outlive the next call. Nothing in p aliases b. It never panics,
// whatever b holds.
//
// Decoding follows protobuf rules: unknown fields are skipped, the last
// occurrence of a scalar field or of a value oneof member wins, and a uint32
// field sent as a wider varint keeps its low 32 bits. It is stricter than a
// generic protobuf parser where Sparkplug gives a reason to be: a known
// field with the wrong wire type, a metric datatype outside the Sparkplug
// enum, a value in a field its datatype does not use, or an integer too
// large for its datatype is an error. When a metric has a datatype, its
// Value is typed (Int8, Int16 and Int32 are read from int_value as two's
// complement, sign-extended or not); without one the Value stays untyped.
//
// The error is a [*DecodeError] matching [ErrMalformed]. On error p is
// reset to an empty payload.
func Unmarshal(b []byte, p *Payload) error {
	p.Reset()
	if err := decodePayload(b, p); err != nil {
		p.Reset()
		return err
	}
	return nil
}

// CountMetrics counts the metrics of an encoded payload without decoding
// them, so that a host can refuse a payload with too many before it
// decodes it. It stops at the first malformed field ([Unmarshal] reports
// it) and never panics.
func CountMetrics(b []byte) int {
	n := 0
	for len(b) > 0 {
		num, typ, m := protowire.ConsumeTag(b)
		if m < 0 {
			break
		}
		b = b[m:]
		m = protowire.ConsumeFieldValue(num, typ, b)
		if m < 0 {
			break
		}
		b = b[m:]
		if num == fieldPayloadMetrics {
			n++
		}
	}
	return n
}

func decodePayload(b []byte, p *Payload) error {
	for off := 0; off < len(b); {
		num, typ, n := protowire.ConsumeTag(b[off:])
		if n < 0 {
			return parseError(off, "payload tag", n)
		}
		at := off
		off += n
		switch num {
		case fieldPayloadTimestamp:
			v, n, err := consumeVarint(b, off, typ, "timestamp")
			if err != nil {
				return err
			}
			p.Timestamp, off = v, off+n
		case fieldPayloadSeq:
			v, n, err := consumeVarint(b, off, typ, "seq")
			if err != nil {
				return err
			}
			p.Seq, p.HasSeq, off = v, true, off+n
		case fieldPayloadMetrics:
			v, n, err := consumeBytes(b, off, typ, "metrics")
			if err != nil {
				return err
			}
			p.Metrics = append(p.Metrics, Metric{})
			i := len(p.Metrics) - 1
			if err := decodeMetric(v, off+n-len(v), i, &p.Metrics[i]); err != nil {
				return err
			}
			off += n
		case fieldPayloadUUID:
			v, n, err := consumeBytes(b, off, typ, "uuid")
			if err != nil {
				return err
			}
			p.UUID, off = string(v), off+n
		case fieldPayloadBody:
			v, n, err := consumeBytes(b, off, typ, "body")
			if err != nil {
				return err
			}
			p.Body, off = append([]byte(nil), v...), off+n
		default:
			m := protowire.ConsumeFieldValue(num, typ, b[off:])
			if m < 0 {
				return parseError(at, "unknown field "+strconv.Itoa(int(num)), m)
			}
			off += m
		}
	}
	return nil
}

// checkFields verifies that b is a well-formed sequence of protobuf fields,
// as an embedded message must be. The contents are not interpreted.
func checkFields(b []byte, base int, field string) error {
	for off := 0; off < len(b); {
		_, _, n := protowire.ConsumeField(b[off:])
		if n < 0 {
			return parseError(base+off, field, n)
		}
		off += n
	}
	return nil
}

// consumeVarint reads a varint field value at b[off:], checking that the
// wire type is varint.
func consumeVarint(b []byte, off int, typ protowire.Type, field string) (uint64, int, error) {
	if typ != protowire.VarintType {
		return 0, 0, wireTypeError(off, field, typ)
	}
	v, n := protowire.ConsumeVarint(b[off:])
	if n < 0 {
		return 0, 0, parseError(off, field, n)
	}
	return v, n, nil
}

// consumeBytes reads a length-delimited field value at b[off:], checking
// that the wire type is bytes. The returned slice aliases b.
func consumeBytes(b []byte, off int, typ protowire.Type, field string) ([]byte, int, error) {
	if typ != protowire.BytesType {
		return nil, 0, wireTypeError(off, field, typ)
	}
	v, n := protowire.ConsumeBytes(b[off:])
	if n < 0 {
		return nil, 0, parseError(off, field, n)
	}
	return v, n, nil
}

// rebase moves a DecodeError produced inside a metric to payload offsets
// and names its field.
func rebase(err error, base int, field string) error {
	var de *DecodeError
	if errors.As(err, &de) {
		de.Offset += base
		de.Field = field
	}
	return err
}

func wireTypeError(off int, field string, typ protowire.Type) error {
	return &DecodeError{Offset: off, Field: field, Err: ErrWireType, Detail: "wire type " + strconv.Itoa(int(typ))}
}

// parseError converts a negative protowire length into a DecodeError.
func parseError(off int, field string, n int) error {
	err := protowire.ParseError(n)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return &DecodeError{Offset: off, Field: field, Err: ErrTruncated}
	}
	return &DecodeError{Offset: off, Field: field, Err: ErrWireType, Detail: err.Error()}
}

// sentinel returns the precise decoding sentinel an error from typed wraps.
func sentinel(err error) error {
	for _, s := range []error{ErrDataType, ErrTypeMismatch, ErrRange} {
		if errors.Is(err, s) {
			return s
		}
	}
	return ErrTypeMismatch
}

// detail returns the explanation after the sentinel in an error from typed.
func detail(err error) string {
	s := err.Error()
	if i := len(sentinel(err).Error()) + 2; i <= len(s) {
		return s[i:]
	}
	return s
}
