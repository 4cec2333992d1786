package edge_test

import (
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
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
