package sparkplug

import (
	"reflect"
	"testing"
)

// t0 is the time the tests start at, in ms since the epoch.
const t0 = uint64(1_700_000_000_000)

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
