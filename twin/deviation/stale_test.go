package deviation

import (
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// A scenario log: devices report, fall silent, are reported stale once, and
// are cleared when they report again.
func TestStaleScenario(t *testing.T) {
	s := NewStaleDetector(10 * sim.Second)
	var log []string
	seen := func(dev string, at sim.Time) {
		if s.Seen(dev, at*sim.Second) {
			log = append(log, (at*sim.Second).String()+" cleared "+dev)
		}
	}
	check := func(at sim.Time) {
		for _, e := range s.Check(at*sim.Second, nil) {
			log = append(log, e.Time.String()+" stale "+e.Device)
		}
	}
	seen("st1", 0)
	seen("st2", 0)
	seen("arm1", 1)
	check(5)
	seen("st1", 8)
	check(11) // st2 silent 11 s, arm1 10 s (not more than the timeout)
	check(12) // arm1 now 11 s; st2 not again
	check(15)
	seen("st2", 16)
	check(30) // all three silent: st1 22 s, st2 14 s; arm1 already stale
	seen("arm1", 31)
	seen("arm1", 20) // an older report does not move it back
	check(40)
	want := []string{
		"11s stale st2",
		"12s stale arm1",
		"16s cleared st2",
		"30s stale st1",
		"30s stale st2",
		"31s cleared arm1",
	}
	if strings.Join(log, "\n") != strings.Join(want, "\n") {
		t.Errorf("log:\n%s\nwant:\n%s", strings.Join(log, "\n"), strings.Join(want, "\n"))
	}
	if !s.IsStale("st1") || s.IsStale("arm1") || s.IsStale("nobody") {
		t.Errorf("IsStale: st1 %v arm1 %v nobody %v", s.IsStale("st1"), s.IsStale("arm1"), s.IsStale("nobody"))
	}
}

// The clock is the latest time seen from any device: a replay needs no wall clock.
func TestStaleLatestTimeSeen(t *testing.T) {
	s := NewStaleDetector(10 * sim.Second)
	s.Seen("a", 0)
	s.Seen("b", 25*sim.Second)
	evs := s.Check(0, nil)
	if len(evs) != 1 || evs[0].Device != "a" || evs[0].Kind != Stale || evs[0].Value != 25 || evs[0].Limit != 10 {
		t.Fatalf("events %v", evs)
	}
	if want := "no report for 25s (timeout 10s), last at 0s"; evs[0].Reason != want {
		t.Errorf("reason %q, want %q", evs[0].Reason, want)
	}
}

// A death certificate marks a device stale at once, once.
func TestStaleMarkStale(t *testing.T) {
	s := NewStaleDetector(10 * sim.Second)
	s.Seen("st1", sim.Second)
	e, ok := s.MarkStale("st1", 2*sim.Second, "NDEATH from edge node line1")
	if !ok || e.Device != "st1" || e.Reason != "NDEATH from edge node line1" || e.Time != 2*sim.Second {
		t.Fatalf("MarkStale = %v, %v", e, ok)
	}
	if _, ok := s.MarkStale("st1", 3*sim.Second, "again"); ok {
		t.Error("second MarkStale raised an event")
	}
	if evs := s.Check(50*sim.Second, nil); len(evs) != 0 {
		t.Errorf("Check after MarkStale: %v", evs)
	}
	if !s.Seen("st1", 60*sim.Second) {
		t.Error("Seen after MarkStale did not clear")
	}
	s.Forget("st1")
	if evs := s.Check(sim.Hour, nil); len(evs) != 0 {
		t.Errorf("forgotten device reported: %v", evs)
	}
}

func TestStaleRejectsBadTimeout(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewStaleDetector(0) did not panic")
		}
	}()
	NewStaleDetector(0)
}
