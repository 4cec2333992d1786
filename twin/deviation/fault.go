package deviation

import (
	"fmt"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// FaultRecorder turns protocol errors (sequence gaps, malformed payloads,
// unknown aliases, ...) into events, counting every fault but raising at
// most one event per device per interval, so a flood of bad messages gives a
// trickle of events. Create it with NewFaultRecorder; not safe for
// concurrent use.
type FaultRecorder struct {
	interval sim.Time
	devices  map[string]*faultState
}

type faultState struct {
	count      int64 // faults ever recorded
	suppressed int64 // faults since the last event
	last       sim.Time
}

// NewFaultRecorder returns a recorder that raises at most one event per
// device per interval; interval 0 raises one per fault.
func NewFaultRecorder(interval sim.Time) *FaultRecorder {
	return &FaultRecorder{interval: max(interval, 0), devices: make(map[string]*faultState)}
}

// Record counts a fault on device at t, described by reason (a sentence
// such as "seq gap: got 7, want 5"). It returns an event unless one was
// raised for device less than the interval before t; the event's reason
// says how many faults were suppressed since the last one.
func (f *FaultRecorder) Record(t sim.Time, device, reason string) (Event, bool) {
	st, ok := f.devices[device]
	if !ok {
		st = &faultState{}
		f.devices[device] = st
	}
	st.count++
	if ok && t-st.last < f.interval {
		st.suppressed++
		return Event{}, false
	}
	if ok && st.suppressed > 0 {
		reason = fmt.Sprintf("%s (%d more suppressed since %v)", reason, st.suppressed, st.last)
	}
	st.last, st.suppressed = t, 0
	return Event{Time: t, Device: device, Kind: ProtocolFault, Reason: reason, Value: float64(st.count)}, true
}

// RecordError is Record with the error's message as the reason.
func (f *FaultRecorder) RecordError(t sim.Time, device string, err error) (Event, bool) {
	return f.Record(t, device, err.Error())
}

// Count returns the number of faults recorded for device.
func (f *FaultRecorder) Count(device string) int64 {
	if st, ok := f.devices[device]; ok {
		return st.count
	}
	return 0
}

// Forget drops what the recorder keeps of device, for instance when its
// node is removed from the mirror.
func (f *FaultRecorder) Forget(device string) { delete(f.devices, device) }
