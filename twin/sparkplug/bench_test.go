package sparkplug

import (
	"math"
	"testing"
)

// benchDDATA is a typical device DDATA of a station: 20 metrics sent by
// alias with timestamps and no names or datatypes, one of them the PackML
// state name.
func benchDDATA() *Payload {
	const ts = 1700000000000
	p := &Payload{Timestamp: ts + 20, Seq: 42, HasSeq: true}
	for i := range 20 {
		m := Metric{Alias: uint64(10 + i), HasAlias: true, Timestamp: ts + uint64(i)}
		switch i % 5 {
		case 0:
			m.Value = Int32Value(int32(i * 1000))
		case 1:
			m.Value = Int64Value(int64(i) << 40)
		case 2:
			m.Value = DoubleValue(math.Pi * float64(i))
		case 3:
			m.Value = BooleanValue(i%2 == 1)
		case 4:
			m.Value = UInt64Value(uint64(i) * 123456789)
		}
		p.Metrics = append(p.Metrics, m)
	}
	p.Metrics[19].Value = StringValue("Execute")
	return p
}

func BenchmarkMarshalDDATA(b *testing.B) {
	p := benchDDATA()
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		buf, err = AppendMarshal(buf[:0], p)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkUnmarshalDDATA(b *testing.B) {
	data, err := Marshal(benchDDATA())
	if err != nil {
		b.Fatal(err)
	}
	var p Payload
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if err := Unmarshal(data, &p); err != nil {
			b.Fatal(err)
		}
	}
}
