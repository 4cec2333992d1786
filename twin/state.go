package twin

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// State is a plain, serialisable description of a line at one moment: what
// a twin host can assemble from what it mirrors (buffer levels, station and
// arm states, elapsed cycle times, counters). NewLineFromState builds a line
// that starts from it. Stations and arms left out are taken as empty and idle.
type State struct {
	// Time is the simulated time of the state.
	Time     sim.Time    `json:"time_s"`
	Stations []StationAt `json:"stations"`
	Arms     []ArmAt     `json:"arms,omitempty"`
	Counters Counters    `json:"counters"`
}

// StationAt is one station (of one copy of the line) in a State.
type StationAt struct {
	// Line is the copy of the line, from 0; ID names the station.
	Line int    `json:"line"`
	ID   string `json:"id"`
	// Buffer is the number of units waiting (rework queue included), of
	// which BufferDefective carry a defect.
	Buffer          int `json:"buffer"`
	BufferDefective int `json:"buffer_defective,omitempty"`
	// Servers are the machines, in order (none for a conveyor; missing ones
	// are starved and empty).
	Servers []ServerAt `json:"servers,omitempty"`
	// Riding are a conveyor's units, from the exit.
	Riding []RideAt `json:"riding,omitempty"`
	// Held says the station is held (it starts no new cycle); Speed is its
	// relative speed (0 means 1, nominal).
	Held  bool    `json:"held,omitempty"`
	Speed float64 `json:"speed,omitempty"`
}

// ServerAt is one server in a State.
type ServerAt struct {
	// Phase is the server's phase, written as its name ("Working").
	Phase  stations.Phase `json:"phase"`
	Broken bool           `json:"broken,omitempty"`
	// Unit says the server holds a unit; Defective, that it carries a defect.
	Unit      bool `json:"unit,omitempty"`
	Defective bool `json:"defective,omitempty"`
	// Elapsed is the processing already done on the unit.
	Elapsed sim.Time `json:"elapsed_s,omitempty"`
	// Damage is 1 - health of a server of a worn station: 0 (or absent)
	// new, 1 worn out.
	Damage float64 `json:"damage,omitempty"`
}

// RideAt is one unit on a conveyor in a State.
type RideAt struct {
	Remaining sim.Time `json:"remaining_s"`
	Defective bool     `json:"defective,omitempty"`
}

// ArmAt is one arm in a State.
type ArmAt struct {
	Line   int          `json:"line"`
	ID     string       `json:"id"`
	Phase  robots.Phase `json:"phase"` // written "Idle", "Moving" or "Down"
	Broken bool         `json:"broken,omitempty"`
	// Damage is 1 - health of a worn arm: 0 (or absent) new, 1 worn out.
	Damage float64 `json:"damage,omitempty"`
}

// Counters are a line's output counters in a State, over all copies.
type Counters struct {
	// Shipped and Scrapped count since the start of the run.
	Shipped  int64 `json:"shipped"`
	Scrapped int64 `json:"scrapped"`
	// Good counts good units shipped since the statistics were last reset
	// (the start, without a warm-up).
	Good int64 `json:"good"`
}

// State returns the line's state now. Units a station's arm is carrying to
// the next buffer count on the server they left (phase Unloading).
func (l *Line) State() State {
	m := l.merged()
	s := State{Time: l.Now(), Counters: Counters{
		Shipped: m.shippedTotal, Scrapped: m.scrappedTotal, Good: m.good}}
	for c := range l.stations {
		for _, st := range l.stations[c] {
			sa := StationAt{Line: c, ID: st.ID(), Buffer: st.BufferLen(), Held: st.Held()}
			if sp := st.Speed(); sp != 1 {
				sa.Speed = sp
			}
			for i := range sa.Buffer {
				if st.BufferUnit(i) {
					sa.BufferDefective++
				}
			}
			if st.Spec().Conveyor != nil {
				for i := range st.Inside() {
					_, d := st.Riding(i)
					sa.Riding = append(sa.Riding, RideAt{Remaining: st.RideLeft(i), Defective: d})
				}
			} else {
				for k := range st.Servers() {
					v := st.Server(k)
					sa.Servers = append(sa.Servers, ServerAt{Phase: v.Phase, Broken: v.Broken,
						Unit: v.Unit, Defective: v.Defective, Elapsed: st.Elapsed(k), Damage: 1 - st.Health(k)})
				}
			}
			s.Stations = append(s.Stations, sa)
		}
		for _, a := range l.arms[c] {
			s.Arms = append(s.Arms, ArmAt{Line: c, ID: a.ID(), Phase: a.Phase(), Broken: a.Broken(), Damage: 1 - a.Health()})
		}
	}
	return s
}

// NewLineFromState builds the line described by spec, with random streams
// derived from seed, whose clock starts at st.Time and whose stations and
// arms hold the units and phases st describes; run it on with RunUntil.
// Its statistics start at st.Time; its lifetime counters at st's.
//
// The state does not record every random draw, so the line continues as a
// fresh sample of what may follow, not as the run st came from:
//   - a unit mid-cycle gets a freshly drawn cycle time minus its elapsed
//     processing, at least stations.MinRemaining;
//   - a server or arm down by random failure gets a fresh repair draw (one
//     broken by command stays down until repaired by command);
//   - busy time to the next failure is drawn afresh;
//   - an arm's move under way starts over: the stations ask their arms
//     again for the loads and unloads pending;
//   - a unit waiting at a conveyor's exit (or that the arm is carrying
//     away) passes that station's defect draw and inspection again;
//   - units are born at st.Time (flow times count from it), rework passes
//     are forgotten and the rework queue joins the buffer;
//   - buffer capacities are the spec's (a SetBuffer command is not kept);
//     holds and speeds are kept.
func NewLineFromState(spec *Spec, st State, seed uint64) (*Line, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if err := st.Validate(spec); err != nil {
		return nil, err
	}
	l := newLine(spec, seed, false, false)
	l.RunUntil(st.Time)
	for _, lc := range l.copies {
		lc.stats = lineStats{since: st.Time, wipSince: st.Time}
	}
	// The lifetime counters are the line's: copy 0 holds them.
	l.copies[0].stats.shippedTotal, l.copies[0].stats.scrappedTotal = st.Counters.Shipped, st.Counters.Scrapped
	l.wire(seed, false)
	l.speed.reset(len(l.stations), l.perCopy)
	if err := l.preload(st, seed); err != nil {
		return nil, err
	}
	for c := range l.stations {
		sts := l.stations[c]
		for i := len(sts) - 1; i >= 0; i-- {
			sts[i].StartPreloaded()
		}
	}
	return l, nil
}

// armRepair repairs an arm that a State shows down by random failure: the
// fork breaks it at the start and repairs it after a fresh repair draw (it
// reports Broken meanwhile).
type armRepair struct{ a *robots.Arm }

// Handle implements sim.Handler.
func (h armRepair) Handle(*sim.Engine, int64) {
	if h.a.Phase() == robots.Down {
		_ = h.a.Repair() // cannot fail: the arm is down
	}
}

// preload puts st's units, phases and breaks into the unstarted line.
func (l *Line) preload(st State, seed uint64) error {
	for _, aa := range st.Arms {
		a := l.arms[aa.Line][l.arm(aa.Line, aa.ID)]
		a.SetHealth(1 - aa.Damage)
		if aa.Phase != robots.Down && !aa.Broken {
			continue
		}
		if err := a.Break(); err != nil {
			return err
		}
		if !aa.Broken {
			rng := sim.NewStream(seed, fmt.Sprintf("L%d/arm/%s/fork-repair", aa.Line+1, aa.ID))
			l.copies[aa.Line].eng.Schedule(a.Spec().MTTR.Sample(rng), armRepair{a}, 0)
		}
	}
	for _, sa := range st.Stations {
		s := l.station(sa.Line, sa.ID)
		if sa.Speed != 0 {
			l.closeSpeedSegment(sa.Line, s.Index())
			if err := s.SetSpeed(sa.Speed); err != nil {
				return err
			}
		}
		if sa.Held {
			s.Hold()
		}
		s.PreloadBuffer(sa.Buffer, sa.BufferDefective)
		for k, sv := range sa.Servers {
			s.PreloadServer(k, stations.ServerPreload{Phase: sv.Phase, Broken: sv.Broken,
				Unit: sv.Unit, Defective: sv.Defective, Elapsed: sv.Elapsed})
			s.SetHealth(k, 1-sv.Damage)
		}
		for _, r := range sa.Riding {
			s.PreloadRiding(r.Remaining, r.Defective)
		}
	}
	return nil
}

// Validate checks st against spec: known stations and arms, copies, server
// indexes and phases, units within capacity. Errors name the field.
func (st *State) Validate(spec *Spec) error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("state.%s: %s", field, fmt.Sprintf(format, args...)))
	}
	if st.Time < 0 {
		bad("time", "%v is negative", st.Time)
	}
	seen := map[[2]any]bool{}
	for i, sa := range st.Stations {
		f := fmt.Sprintf("stations[%d]", i)
		if sa.Line < 0 || sa.Line >= spec.Lines {
			bad(f+".line", "%d is not a copy of the line (0 to %d)", sa.Line, spec.Lines-1)
			continue
		}
		var ss *stations.Spec
		for j := range spec.Stations {
			if spec.Stations[j].ID == sa.ID {
				ss = &spec.Stations[j]
			}
		}
		if ss == nil {
			bad(f+".id", "unknown station %q", sa.ID)
			continue
		}
		key := [2]any{sa.Line, sa.ID}
		if seen[key] {
			bad(f+".id", "station %q of line %d given twice", sa.ID, sa.Line)
		}
		seen[key] = true
		validateStation(f, sa, ss, bad)
	}
	for i, aa := range st.Arms {
		f := fmt.Sprintf("arms[%d]", i)
		switch {
		case aa.Line < 0 || aa.Line >= spec.Lines:
			bad(f+".line", "%d is not a copy of the line (0 to %d)", aa.Line, spec.Lines-1)
		case !spec.hasArm(aa.ID):
			bad(f+".id", "unknown arm %q", aa.ID)
		}
		if aa.Phase >= robots.NumPhases {
			bad(f+".phase", "unknown arm phase %d", aa.Phase)
		}
		if !(aa.Damage >= 0 && aa.Damage <= 1) {
			bad(f+".damage", "%v: want 0 (new) to 1 (worn out)", aa.Damage)
		}
	}
	return errors.Join(errs...)
}

func (s *Spec) hasArm(id string) bool {
	for j := range s.Arms {
		if s.Arms[j].ID == id {
			return true
		}
	}
	return false
}

func validateStation(f string, sa StationAt, ss *stations.Spec, bad func(field, format string, args ...any)) {
	if sa.Buffer < 0 {
		bad(f+".buffer", "%d is negative", sa.Buffer)
	} else if lim := int(ss.Buffer) + ss.Servers; ss.Buffer != stations.Inf && sa.Buffer > lim {
		// A buffer takes one unit more per idle machine (it passes through).
		bad(f+".buffer", "%d units exceed %s's capacity %d plus its %d server(s)", sa.Buffer, sa.ID, int(ss.Buffer), ss.Servers)
	}
	if sa.Speed != 0 {
		if err := stations.CheckSpeed(sa.Speed); err != nil {
			bad(f+".speed", "%v", err)
		}
	}
	if sa.BufferDefective < 0 || sa.BufferDefective > max(sa.Buffer, 0) {
		bad(f+".buffer_defective", "%d is not between 0 and buffer %d", sa.BufferDefective, sa.Buffer)
	}
	if ss.Conveyor != nil {
		if len(sa.Servers) > 0 {
			bad(f+".servers", "%s is a conveyor: give its units in riding", sa.ID)
		}
		if len(sa.Riding) > ss.Conveyor.Capacity {
			bad(f+".riding", "%d units exceed %s's capacity %d", len(sa.Riding), sa.ID, ss.Conveyor.Capacity)
		}
		for r, ride := range sa.Riding {
			if ride.Remaining < 0 {
				bad(fmt.Sprintf("%s.riding[%d].remaining", f, r), "%v is negative", ride.Remaining)
			}
		}
		return
	}
	if len(sa.Riding) > 0 {
		bad(f+".riding", "%s is not a conveyor", sa.ID)
	}
	if len(sa.Servers) > ss.Servers {
		bad(f+".servers", "%d servers given, %s has %d", len(sa.Servers), sa.ID, ss.Servers)
	}
	for k, sv := range sa.Servers {
		g := fmt.Sprintf("%s.servers[%d]", f, k)
		p := sv.Phase
		switch {
		case p >= stations.NumPhases:
			bad(g+".phase", "unknown phase %d", p)
		case (p == stations.Starved || p == stations.Held) && sv.Unit:
			bad(g+".unit", "a %s server holds no unit", strings.ToLower(p.String()))
		case p == stations.Held && !sa.Held:
			bad(g+".phase", "a server is Held only in a held station (set held)")
		case p.HoldsUnit() && !sv.Unit:
			bad(g+".unit", "a server in phase %s holds a unit", p)
		}
		if sv.Elapsed < 0 {
			bad(g+".elapsed", "%v is negative", sv.Elapsed)
		}
		if !(sv.Damage >= 0 && sv.Damage <= 1) {
			bad(g+".damage", "%v: want 0 (new) to 1 (worn out)", sv.Damage)
		}
	}
}
