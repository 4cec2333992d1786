package sim_test

import (
	"encoding/json"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Times are JSON numbers of seconds that read back to the nanosecond,
// also past 2^53 ns (where a float64 of nanoseconds is inexact).
func TestTimeJSONIsExactSeconds(t *testing.T) {
	for _, c := range []struct {
		t    sim.Time
		json string
	}{
		{0, "0"},
		{sim.Second, "1"},
		{1500 * sim.Millisecond, "1.5"},
		{8 * sim.Hour, "28800"},
		{1, "0.000000001"},
		{-2 * sim.Second, "-2"},
		{sim.MaxSpan + 123456789, "3153600000.123456789"},
		{sim.Forever, "9223372036.854775807"},
	} {
		b, err := json.Marshal(c.t)
		if err != nil || string(b) != c.json {
			t.Errorf("Marshal(%d) = %s, %v; want %s", int64(c.t), b, err, c.json)
		}
		var back sim.Time
		if err := json.Unmarshal(b, &back); err != nil || back != c.t {
			t.Errorf("Unmarshal(%s) = %d, %v; want %d", b, int64(back), err, int64(c.t))
		}
	}
	for in, want := range map[string]sim.Time{`"8h"`: 8 * sim.Hour, `"1d"`: sim.Day, `2.5e1`: 25 * sim.Second, `0.1234567891`: 123456789} {
		var got sim.Time
		if err := json.Unmarshal([]byte(in), &got); err != nil || got != want {
			t.Errorf("Unmarshal(%s) = %d, %v; want %d", in, int64(got), err, int64(want))
		}
	}
	for _, in := range []string{`"8"`, `"soon"`, `1e300`, `true`} {
		var got sim.Time
		if err := json.Unmarshal([]byte(in), &got); err == nil {
			t.Errorf("Unmarshal(%s) = %d, want an error", in, int64(got))
		}
	}
}
