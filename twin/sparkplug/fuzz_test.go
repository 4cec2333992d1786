package sparkplug

import (
	"errors"
	"testing"
)

// FuzzUnmarshal feeds arbitrary bytes to Unmarshal. It must never panic;
// an error must match ErrMalformed; and a payload that decodes must
// re-encode to bytes that decode to the same payload and re-encode
// identically.
func FuzzUnmarshal(f *testing.F) {
	seeds := [][]byte{goldenBytes, goldenDeath, mustMarshal(f, benchDDATA()), {}}
	edge := newTestEdge(f, 0)
	will, births := connectAndBirth(f, edge, t0)
	seeds = append(seeds, will.Payload)
	for _, m := range births {
		seeds = append(seeds, m.Payload)
	}
	req, _ := RebirthRequest(testGroup, testNode, t0)
	seeds = append(seeds, req.Payload)
	for _, s := range seeds {
		f.Add(s)
		for _, cut := range []int{1, 2, 3, len(s) / 2, len(s) - 1} {
			if cut > 0 && cut < len(s) {
				f.Add(s[:cut])
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var p Payload
		if err := Unmarshal(b, &p); err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not match ErrMalformed", err)
			}
			return
		}
		enc, err := Marshal(&p)
		if err != nil {
			t.Fatalf("decoded payload does not re-encode: %v\n%+v", err, p)
		}
		var q Payload
		if err := Unmarshal(enc, &q); err != nil {
			t.Fatalf("re-encoded payload does not decode: %v", err)
		}
		if !samePayload(&p, &q) {
			t.Fatalf("round trip changed the payload:\n%+v\n%+v", p, q)
		}
		enc2, err := Marshal(&q)
		if err != nil || string(enc2) != string(enc) {
			t.Fatalf("encoding is not stable: % X vs % X (%v)", enc, enc2, err)
		}
	})
}
