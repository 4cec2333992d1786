package stations

// Phase is what one server of a station is doing. The phases of a station's
// servers, weighted by time, give its utilization and its blocked, starved
// and down fractions.
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
	NumPhases   = 7
)

var phaseNames = [NumPhases]string{"Starved", "Loading", "Working", "Unloading", "Blocked", "Down", "Maintenance"}

// String returns the phase's name ("Blocked").
func (p Phase) String() string {
	if int(p) < NumPhases {
		return phaseNames[p]
	}
	return "Phase(?)"
}

// Active reports whether the phase counts towards a station being the
// bottleneck: it is busy or unavailable, neither starved nor blocked.
func (p Phase) Active() bool {
	return p == Working || p == Loading || p == Unloading || p == Down || p == Maintenance
}
