package sparkplug

import (
	"reflect"
	"testing"
)

// samePayload reports whether two payloads are equal, treating nil and
// empty slices alike and comparing values bit for bit.
func samePayload(a, b *Payload) bool {
	if len(a.Metrics) != len(b.Metrics) || len(a.Body) != len(b.Body) {
		return false
	}
	if len(a.Metrics) > 0 && !reflect.DeepEqual(a.Metrics, b.Metrics) {
		return false
	}
	if len(a.Body) > 0 && string(a.Body) != string(b.Body) {
		return false
	}
	return a.Timestamp == b.Timestamp && a.Seq == b.Seq && a.HasSeq == b.HasSeq && a.UUID == b.UUID
}

// mustMarshal encodes p or fails the test.
func mustMarshal(tb testing.TB, p *Payload) []byte {
	tb.Helper()
	b, err := Marshal(p)
	if err != nil {
		tb.Fatalf("Marshal: %v", err)
	}
	return b
}

// mustUnmarshal decodes b or fails the test.
func mustUnmarshal(tb testing.TB, b []byte) *Payload {
	tb.Helper()
	var p Payload
	if err := Unmarshal(b, &p); err != nil {
		tb.Fatalf("Unmarshal(% x): %v", b, err)
	}
	return &p
}

// decodeMessage decodes the payload of a session message.
func decodeMessage(tb testing.TB, m Message) *Payload {
	tb.Helper()
	return mustUnmarshal(tb, m.Payload)
}

// metricNamed returns the metric of p with the given name.
func metricNamed(tb testing.TB, p *Payload, name string) Metric {
	tb.Helper()
	for _, m := range p.Metrics {
		if m.Name == name {
			return m
		}
	}
	tb.Fatalf("no metric %q in %+v", name, p.Metrics)
	return Metric{}
}
