package deviation

import (
	"errors"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Faults are counted one by one but raise at most one event per device per
// interval; the next event says how many were held back.
func TestFaultRecorderRateLimit(t *testing.T) {
	f := NewFaultRecorder(10 * sim.Second)
	var log []string
	rec := func(at sim.Time, dev, reason string) {
		if e, ok := f.Record(at*sim.Second, dev, reason); ok {
			log = append(log, e.String())
		}
	}
	rec(0, "line1", "seq gap: got 7, want 5")
	rec(1, "line1", "seq gap: got 9, want 8")
	rec(2, "line1/st2", "malformed payload: truncated field")
	rec(5, "line1", "seq gap: got 12, want 10")
	rec(10, "line1", "seq gap: got 20, want 13")
	rec(11, "line1", "seq gap: got 22, want 21")
	rec(25, "line1", "unknown alias 42")
	want := []string{
		"0s line1 ProtocolFault: seq gap: got 7, want 5",
		"2s line1/st2 ProtocolFault: malformed payload: truncated field",
		"10s line1 ProtocolFault: seq gap: got 20, want 13 (2 more suppressed since 0s)",
		"25s line1 ProtocolFault: unknown alias 42 (1 more suppressed since 10s)",
	}
	if strings.Join(log, "\n") != strings.Join(want, "\n") {
		t.Errorf("log:\n%s\nwant:\n%s", strings.Join(log, "\n"), strings.Join(want, "\n"))
	}
	if f.Count("line1") != 6 || f.Count("line1/st2") != 1 || f.Count("other") != 0 {
		t.Errorf("counts %d %d %d", f.Count("line1"), f.Count("line1/st2"), f.Count("other"))
	}
}

func TestFaultRecorderNoInterval(t *testing.T) {
	f := NewFaultRecorder(0)
	for i := range 3 {
		e, ok := f.RecordError(sim.Second, "n", errors.New("bad"))
		if !ok || e.Value != float64(i+1) || e.Reason != "bad" {
			t.Fatalf("fault %d: %v %v", i, e, ok)
		}
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{CycleTimeDrift: "CycleTimeDrift", OutputOutsideBand: "OutputOutsideBand",
		Stale: "Stale", ProtocolFault: "ProtocolFault", 9: "Kind(9)"} {
		if k.String() != want {
			t.Errorf("%d.String() = %q, want %q", k, k.String(), want)
		}
		if b, _ := k.MarshalText(); string(b) != want {
			t.Errorf("%d.MarshalText() = %q", k, b)
		}
	}
}
