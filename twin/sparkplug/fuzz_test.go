package sparkplug_test

import (
	"errors"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/sparkplugtest"
)

// FuzzUnmarshal feeds arbitrary bytes to Unmarshal. It must never panic;
// an error must match ErrMalformed; and a payload that decodes must
// re-encode to bytes that decode to the same payload and re-encode
// identically.
func FuzzUnmarshal(f *testing.F) {
	seeds := [][]byte{sparkplug.GoldenBytes, sparkplug.GoldenDeath, sparkplugtest.Marshal(f, sparkplug.BenchDDATA()), {}}
	edge := sparkplugtest.NewEdge(f, 0)
	will, births := sparkplugtest.ConnectAndBirth(f, edge, t0)
	seeds = append(seeds, will.Payload)
	for _, m := range births {
		seeds = append(seeds, m.Payload)
	}
	req, _ := sparkplug.RebirthRequest(sparkplugtest.Group, sparkplugtest.EdgeNode, t0)
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
		var p sparkplug.Payload
		if err := sparkplug.Unmarshal(b, &p); err != nil {
			if !errors.Is(err, sparkplug.ErrMalformed) {
				t.Fatalf("error %v does not match ErrMalformed", err)
			}
			return
		}
		enc, err := sparkplug.Marshal(&p)
		if err != nil {
			t.Fatalf("decoded payload does not re-encode: %v\n%+v", err, p)
		}
		var q sparkplug.Payload
		if err := sparkplug.Unmarshal(enc, &q); err != nil {
			t.Fatalf("re-encoded payload does not decode: %v", err)
		}
		if !sparkplug.SamePayload(&p, &q) {
			t.Fatalf("round trip changed the payload:\n%+v\n%+v", p, q)
		}
		enc2, err := sparkplug.Marshal(&q)
		if err != nil || string(enc2) != string(enc) {
			t.Fatalf("encoding is not stable: % X vs % X (%v)", enc, enc2, err)
		}
	})
}
