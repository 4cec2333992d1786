package deviation

import (
	"fmt"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Kind says what sort of deviation an Event reports.
type Kind uint8

// The kinds of deviation.
const (
	// CycleTimeDrift: a device's cycle time has drifted from the model's
	// distribution. Value is the CUSUM statistic, Limit its decision interval.
	CycleTimeDrift Kind = iota
	// OutputOutsideBand: cumulative good output left the forecast band.
	// Value is the observed output, Limit the band edge it crossed.
	OutputOutsideBand
	// Stale: a device has not reported for longer than its timeout.
	// Value is the silence in seconds, Limit the timeout in seconds.
	Stale
	// ProtocolFault: a device or node broke the protocol (sequence gap,
	// malformed payload, ...). Value is the device's fault count so far,
	// Limit is 0.
	ProtocolFault
)

// String returns the kind's name ("CycleTimeDrift").
func (k Kind) String() string {
	switch k {
	case CycleTimeDrift:
		return "CycleTimeDrift"
	case OutputOutsideBand:
		return "OutputOutsideBand"
	case Stale:
		return "Stale"
	case ProtocolFault:
		return "ProtocolFault"
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// MarshalText writes the kind's name, so JSON shows "Stale", not 2.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Event is one deviation: when it was detected, on which device, what kind
// and why. Value and Limit carry the numbers behind the reason; their meaning
// depends on Kind (see the Kind constants).
type Event struct {
	Time   sim.Time
	Device string
	Kind   Kind
	Reason string
	Value  float64
	Limit  float64
}

// String formats the event on one line: "1m2s st3 CycleTimeDrift: cycle time ...".
func (e Event) String() string {
	return fmt.Sprintf("%v %s %v: %s", e.Time, e.Device, e.Kind, e.Reason)
}
