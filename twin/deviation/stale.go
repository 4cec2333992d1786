package deviation

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// StaleDetector notices devices that have stopped reporting. Each device is
// reported once when it goes stale and cleared when it reports again. Time
// is relative to the latest time seen, from any device or from Check, so a
// replay run as fast as possible behaves like the live run. The zero value
// is not usable: create one with NewStaleDetector. Not safe for concurrent use.
type StaleDetector struct {
	timeout sim.Time
	latest  sim.Time
	devices map[string]*staleState
}

type staleState struct {
	last  sim.Time
	stale bool
}

// NewStaleDetector returns a detector that calls a device stale once it has
// been silent for more than timeout. It panics if timeout is not positive.
func NewStaleDetector(timeout sim.Time) *StaleDetector {
	if timeout <= 0 {
		panic(fmt.Sprintf("deviation: stale timeout %v must be positive", timeout))
	}
	return &StaleDetector{timeout: timeout, devices: make(map[string]*staleState)}
}

// Timeout returns the silence after which a device is stale.
func (s *StaleDetector) Timeout() sim.Time { return s.timeout }

// Seen records that device reported at t. It returns true if the device
// was stale and is now cleared. Only a device's first report allocates.
func (s *StaleDetector) Seen(device string, t sim.Time) (cleared bool) {
	s.latest = max(s.latest, t)
	st, ok := s.devices[device]
	if !ok {
		s.devices[device] = &staleState{last: t}
		return false
	}
	st.last = max(st.last, t)
	cleared = st.stale
	st.stale = false
	return cleared
}

// MarkStale marks device stale at t for a known reason, such as a Sparkplug
// death certificate, and returns the event, or false if it already was
// stale. A later Seen clears it as usual.
func (s *StaleDetector) MarkStale(device string, t sim.Time, reason string) (Event, bool) {
	s.latest = max(s.latest, t)
	st, ok := s.devices[device]
	if !ok {
		st = &staleState{last: t}
		s.devices[device] = st
	}
	if st.stale {
		return Event{}, false
	}
	st.stale = true
	return Event{Time: t, Device: device, Kind: Stale, Reason: reason,
		Value: (s.latest - st.last).Seconds(), Limit: s.timeout.Seconds()}, true
}

// Check advances the detector's clock to now (if later than any time seen)
// and appends to dst an event for every device that has newly gone stale,
// in device order. It allocates only if dst must grow.
func (s *StaleDetector) Check(now sim.Time, dst []Event) []Event {
	s.latest = max(s.latest, now)
	start := len(dst)
	for name, st := range s.devices {
		silent := s.latest - st.last
		if st.stale || silent <= s.timeout {
			continue
		}
		st.stale = true
		dst = append(dst, Event{
			Time:   s.latest,
			Device: name,
			Kind:   Stale,
			Reason: fmt.Sprintf("no report for %v (timeout %v), last at %v", silent, s.timeout, st.last),
			Value:  silent.Seconds(),
			Limit:  s.timeout.Seconds(),
		})
	}
	slices.SortFunc(dst[start:], func(a, b Event) int { return cmp.Compare(a.Device, b.Device) })
	return dst
}

// IsStale reports whether device is currently stale. Unknown devices are not.
func (s *StaleDetector) IsStale(device string) bool {
	st, ok := s.devices[device]
	return ok && st.stale
}

// Forget drops a device, for instance when its node is removed from the mirror.
func (s *StaleDetector) Forget(device string) { delete(s.devices, device) }
