package robots

import "fmt"

// Phase is what an arm is doing. Its text form (String, MarshalText) is
// its name, so JSON and logs say "Moving", not 1.
type Phase uint8

// The phases of an arm.
const (
	Idle      Phase = iota // waiting for a request
	Moving                 // picking, moving or placing a unit
	Down                   // failed, being repaired
	NumPhases = 3
)

var phaseNames = [NumPhases]string{"Idle", "Moving", "Down"}

// String returns the phase's name ("Moving").
func (p Phase) String() string {
	if int(p) < NumPhases {
		return phaseNames[p]
	}
	return "Phase(?)"
}

// ParsePhase returns the phase named s ("Moving"); names are
// case-sensitive, as String writes them.
func ParsePhase(s string) (Phase, error) {
	for p := range Phase(NumPhases) {
		if phaseNames[p] == s {
			return p, nil
		}
	}
	return 0, fmt.Errorf("unknown arm phase %q (want Idle, Moving or Down)", s)
}

// MarshalText writes the phase's name; it fails for a phase out of range.
func (p Phase) MarshalText() ([]byte, error) {
	if int(p) >= NumPhases {
		return nil, fmt.Errorf("arm phase %d out of range", p)
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
