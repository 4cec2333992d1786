package stations

import (
	"fmt"
	"strings"
)

// Phase is what one server of a station is doing. The phases of a station's
// servers, weighted by time, give its utilization and its blocked, starved
// and down fractions. Its text form (String, MarshalText) is its name, so
// JSON and logs say "Blocked", not 4.
type Phase uint8

// The phases of a server.
const (
	Starved     Phase = iota // idle: nothing to work on
	Loading                  // waiting for or being loaded by its arm
	Working                  // processing a unit
	Unloading                // waiting for or being unloaded by its arm
	Blocked                  // done, but the next buffer is full
	Down                     // failed, being repaired
	Maintenance              // planned maintenance
	Held                     // idle because the station is held (see Station.Hold)
	NumPhases   = 8
)

var phaseNames = [NumPhases]string{"Starved", "Loading", "Working", "Unloading", "Blocked", "Down", "Maintenance", "Held"}

// String returns the phase's name ("Blocked").
func (p Phase) String() string {
	if int(p) < NumPhases {
		return phaseNames[p]
	}
	return "Phase(?)"
}

// ParsePhase returns the phase named s ("Blocked"); names are
// case-sensitive, as String writes them.
func ParsePhase(s string) (Phase, error) {
	for p := range Phase(NumPhases) {
		if phaseNames[p] == s {
			return p, nil
		}
	}
	return 0, fmt.Errorf("unknown station phase %q (want %s)", s, strings.Join(phaseNames[:], ", "))
}

// MarshalText writes the phase's name; it fails for a phase out of range.
func (p Phase) MarshalText() ([]byte, error) {
	if int(p) >= NumPhases {
		return nil, fmt.Errorf("station phase %d out of range", p)
	}
	return []byte(phaseNames[p]), nil
}

// UnmarshalText reads a phase's name, as ParsePhase does.
func (p *Phase) UnmarshalText(b []byte) error {
	v, err := ParsePhase(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// Active reports whether the phase counts towards a station being the
// bottleneck: it is busy or unavailable, neither starved nor blocked. A
// held server is not active: it waits on a command, not on its own work.
func (p Phase) Active() bool {
	return p == Working || p == Loading || p == Unloading || p == Down || p == Maintenance
}

// HoldsUnit reports whether a server in this phase holds a unit: it is
// being loaded, works on one, waits to be unloaded or is blocked with it.
func (p Phase) HoldsUnit() bool {
	return p == Loading || p == Working || p == Unloading || p == Blocked
}
