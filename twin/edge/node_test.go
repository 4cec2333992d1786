package edge_test

import (
	"slices"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// The core check of the issue: at quiet points the host's mirror equals
// the line's true counts, buffers and states.
func TestMirrorMatchesLine(t *testing.T) {
	for _, tc := range []struct {
		config string
		copy   int
	}{{"demo-line", 0}, {"phone-factory", 1}} {
		t.Run(tc.config, func(t *testing.T) {
			f := MustFixture(t, tc.config, tc.copy)
			f.checkMirror(t)
			for i := range 60 {
				f.step(t, 20*sim.Second)
				if i%10 == 9 {
					f.checkMirror(t)
				}
			}
			if f.int(t, "", "Line/Shipped") == 0 {
				t.Error("nothing shipped in 20 minutes")
			}
		})
	}
}

// Failed connection attempts reuse the Will's bdSeq; an accepted one spends
// it, and the births and the next session follow.
func TestBdSeqCountsAcceptedConnections(t *testing.T) {
	f := MustFixture(t, "demo-line", 0) // connected and born: bdSeq 0
	will := func() int64 {
		t.Helper()
		m, err := f.node.Connect(f.now())
		if err != nil {
			t.Fatal(err)
		}
		var p sparkplug.Payload
		if err := sparkplug.Unmarshal(m.Payload, &p); err != nil || len(p.Metrics) != 1 {
			t.Fatalf("Will %v, %+v", err, p)
		}
		v, _ := p.Metrics[0].Value.Int64()
		return v
	}
	got := []int64{will(), will(), will()} // after a lost connection; the third is accepted
	f.node.Accepted()
	got = append(got, will()) // after losing that one too
	if want := []int64{1, 1, 1, 2}; !slices.Equal(got, want) {
		t.Fatalf("Will bdSeqs %v, want %v", got, want)
	}
	if b := f.node.Session().BdSeq(); b != 2 {
		t.Fatalf("session bdSeq %d, want 2", b)
	}
}
