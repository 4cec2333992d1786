package sparkplug

import (
	"fmt"
	"slices"

	"google.golang.org/protobuf/encoding/protowire"
)

// Protobuf field numbers of Tahu's sparkplug_b.proto.
const (
	fieldPayloadTimestamp protowire.Number = 1
	fieldPayloadMetrics   protowire.Number = 2
	fieldPayloadSeq       protowire.Number = 3
	fieldPayloadUUID      protowire.Number = 4
	fieldPayloadBody      protowire.Number = 5

	fieldMetricName         protowire.Number = 1
	fieldMetricAlias        protowire.Number = 2
	fieldMetricTimestamp    protowire.Number = 3
	fieldMetricDatatype     protowire.Number = 4
	fieldMetricIsHistorical protowire.Number = 5
	fieldMetricIsTransient  protowire.Number = 6
	fieldMetricIsNull       protowire.Number = 7
	fieldMetricMetadata     protowire.Number = 8
	fieldMetricProperties   protowire.Number = 9
)

// Marshal encodes p as a Sparkplug B protobuf payload in a new slice of
// exactly the right size. It fails, without writing anything, if a metric's
// datatype is not a metric datatype or disagrees with its value; the error
// then matches [ErrDataType] or [ErrTypeMismatch].
func Marshal(p *Payload) ([]byte, error) {
	n, err := payloadSize(p)
	if err != nil {
		return nil, err
	}
	return appendPayload(make([]byte, 0, n), p), nil
}

// AppendMarshal appends the encoding of p to dst and returns the extended
// slice. It allocates only when dst lacks capacity, so a publisher that
// reuses its buffer encodes without allocating. On error dst is returned
// unchanged.
func AppendMarshal(dst []byte, p *Payload) ([]byte, error) {
	n, err := payloadSize(p)
	if err != nil {
		return dst, err
	}
	return appendPayload(slices.Grow(dst, n), p), nil
}

// Size returns the number of bytes Marshal would produce for p, or an
// error if p cannot be encoded.
func Size(p *Payload) (int, error) { return payloadSize(p) }

func payloadSize(p *Payload) (int, error) {
	n := 0
	if p.Timestamp != 0 {
		n += protowire.SizeTag(fieldPayloadTimestamp) + protowire.SizeVarint(p.Timestamp)
	}
	for i := range p.Metrics {
		m := &p.Metrics[i]
		if err := checkMetric(m); err != nil {
			return 0, fmt.Errorf("sparkplug: cannot encode metrics[%d] %q: %w", i, m.Name, err)
		}
		n += protowire.SizeTag(fieldPayloadMetrics) + protowire.SizeBytes(metricSize(m))
	}
	if p.HasSeq {
		n += protowire.SizeTag(fieldPayloadSeq) + protowire.SizeVarint(p.Seq)
	}
	if p.UUID != "" {
		n += protowire.SizeTag(fieldPayloadUUID) + protowire.SizeBytes(len(p.UUID))
	}
	if len(p.Body) > 0 {
		n += protowire.SizeTag(fieldPayloadBody) + protowire.SizeBytes(len(p.Body))
	}
	return n, nil
}

// checkMetric reports whether m's datatype and value can be encoded
// together.
func checkMetric(m *Metric) error {
	if m.Datatype == Unknown {
		return nil
	}
	if !m.Datatype.ValidMetric() {
		return fmt.Errorf("%w: %v", ErrDataType, m.Datatype)
	}
	v := m.Value
	if v.typ != Unknown {
		if v.typ != m.Datatype {
			return fmt.Errorf("%w: %v value for a %v metric", ErrTypeMismatch, v.typ, m.Datatype)
		}
		return nil
	}
	_, err := typed(v.kind, v.bits, v.str, m.Datatype)
	return err
}

func metricSize(m *Metric) int {
	n := 0
	if m.Name != "" {
		n += 1 + protowire.SizeBytes(len(m.Name))
	}
	if m.HasAlias {
		n += 1 + protowire.SizeVarint(m.Alias)
	}
	if m.Timestamp != 0 {
		n += 1 + protowire.SizeVarint(m.Timestamp)
	}
	if m.Datatype != Unknown {
		n += 1 + protowire.SizeVarint(uint64(m.Datatype))
	}
	if m.IsHistorical {
		n += 2
	}
	if m.IsTransient {
		n += 2
	}
	if m.IsNull {
		n += 2
	}
	v := &m.Value
	if v.kind == kindNone {
		return n
	}
	n += protowire.SizeTag(protowire.Number(v.kind))
	switch v.kind {
	case kindInt, kindLong, kindBool:
		n += protowire.SizeVarint(v.wireBits())
	case kindFloat:
		n += 4
	case kindDouble:
		n += 8
	default:
		n += protowire.SizeBytes(len(v.str))
	}
	return n
}

func appendPayload(b []byte, p *Payload) []byte {
	if p.Timestamp != 0 {
		b = protowire.AppendTag(b, fieldPayloadTimestamp, protowire.VarintType)
		b = protowire.AppendVarint(b, p.Timestamp)
	}
	for i := range p.Metrics {
		m := &p.Metrics[i]
		b = protowire.AppendTag(b, fieldPayloadMetrics, protowire.BytesType)
		b = protowire.AppendVarint(b, uint64(metricSize(m)))
		b = appendMetric(b, m)
	}
	if p.HasSeq {
		b = protowire.AppendTag(b, fieldPayloadSeq, protowire.VarintType)
		b = protowire.AppendVarint(b, p.Seq)
	}
	if p.UUID != "" {
		b = protowire.AppendTag(b, fieldPayloadUUID, protowire.BytesType)
		b = protowire.AppendString(b, p.UUID)
	}
	if len(p.Body) > 0 {
		b = protowire.AppendTag(b, fieldPayloadBody, protowire.BytesType)
		b = protowire.AppendBytes(b, p.Body)
	}
	return b
}

func appendBool(b []byte, num protowire.Number) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return append(b, 1)
}

func appendMetric(b []byte, m *Metric) []byte {
	if m.Name != "" {
		b = protowire.AppendTag(b, fieldMetricName, protowire.BytesType)
		b = protowire.AppendString(b, m.Name)
	}
	if m.HasAlias {
		b = protowire.AppendTag(b, fieldMetricAlias, protowire.VarintType)
		b = protowire.AppendVarint(b, m.Alias)
	}
	if m.Timestamp != 0 {
		b = protowire.AppendTag(b, fieldMetricTimestamp, protowire.VarintType)
		b = protowire.AppendVarint(b, m.Timestamp)
	}
	if m.Datatype != Unknown {
		b = protowire.AppendTag(b, fieldMetricDatatype, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(m.Datatype))
	}
	if m.IsHistorical {
		b = appendBool(b, fieldMetricIsHistorical)
	}
	if m.IsTransient {
		b = appendBool(b, fieldMetricIsTransient)
	}
	if m.IsNull {
		b = appendBool(b, fieldMetricIsNull)
	}
	v := &m.Value
	num := protowire.Number(v.kind)
	switch v.kind {
	case kindNone:
	case kindInt, kindLong, kindBool:
		b = protowire.AppendTag(b, num, protowire.VarintType)
		b = protowire.AppendVarint(b, v.wireBits())
	case kindFloat:
		b = protowire.AppendTag(b, num, protowire.Fixed32Type)
		b = protowire.AppendFixed32(b, uint32(v.bits))
	case kindDouble:
		b = protowire.AppendTag(b, num, protowire.Fixed64Type)
		b = protowire.AppendFixed64(b, v.bits)
	default:
		b = protowire.AppendTag(b, num, protowire.BytesType)
		b = protowire.AppendString(b, v.str)
	}
	return b
}
