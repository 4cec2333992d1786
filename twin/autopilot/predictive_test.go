package autopilot

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// testLine returns an observation of one copy of a line of three stations
// in flow order, cut (30s), press (60s, the constraint) and pack (20s),
// each with a buffer of 50 holding 10 units, all working, each with a
// vibration sensor limited at 5 and no readings.
func testLine(now sim.Time) Observation {
	st := func(id string, index int, cycle sim.Time) Machine {
		return Machine{ID: id, Kind: Station, Index: index, State: Working, Buffer: 10, Capacity: 50, Servers: 1, Speed: 1,
			DesignCycle: cycle, Sensors: []Sensor{{Name: "vibration", Limit: 5, Rising: true}}}
	}
	return Observation{Now: now, Machines: []Machine{
		st("cut", 0, 30*sim.Second), st("press", 1, 60*sim.Second), st("pack", 2, 20*sim.Second),
	}}
}

// wearing gives machine m's sensor readings every 15 minutes for 6 hours up
// to now, on a line that reaches the limit 5 after rul.
func wearing(m *Machine, now, rul sim.Time) {
	const slope = 0.25 // per hour
	rs := m.Sensors[0].Readings[:0]
	for t := now - 6*sim.Hour; t <= now; t += 15 * sim.Minute {
		rs = append(rs, Reading{At: t, Value: 5 - slope*(rul+now-t).Hours()})
	}
	m.Sensors[0].Readings = rs
}

func decide(t *testing.T, p Policy, obs *Observation) []Action {
	t.Helper()
	acts, err := p.Decide(context.Background(), obs, nil)
	if err != nil {
		t.Fatal(err)
	}
	return acts
}

func describe(acts []Action) string {
	var s []string
	for _, a := range acts {
		s = append(s, a.String())
	}
	return strings.Join(s, "; ")
}

func number(a Action, name string) (float64, bool) {
	for _, n := range a.Numbers {
		if n.Name == name {
			return n.Value, true
		}
	}
	return 0, false
}

func TestPredictiveDueAndLead(t *testing.T) {
	pp := DefaultParams().Predictive
	now := 10 * sim.Hour
	obs := testLine(now)
	wearing(&obs.Machines[0], now, 3*sim.Hour) // cut: due (lead 4h)
	wearing(&obs.Machines[2], now, 7*sim.Hour) // pack: not yet, and working
	pol := newPredictive(pp)
	acts := decide(t, pol, &obs)
	if got := describe(acts); got != "maintain cut server 1 on line 1" {
		t.Fatalf("got %q, want cut maintained", got)
	}
	a := acts[0]
	if a.Reason != ReasonDue {
		t.Errorf("reason %q, want %q", a.Reason, ReasonDue)
	}
	if rul, _ := number(a, "rul_s"); rul < 2.9*3600 || rul > 3.1*3600 {
		t.Errorf("rul_s %v, want about 3h", rul)
	}
	var names []string
	for _, n := range a.Numbers {
		names = append(names, n.Name)
	}
	if got := strings.Join(names, ","); got != "rul_s,lead_s,level,limit,slope_per_h,readings,reading_age_s,constraint" {
		t.Errorf("numbers %s", got)
	}
	// Asked once: not again within the retry time, again after it.
	obs.Now += pp.Epoch
	for i := range obs.Machines {
		obs.Machines[i].Sensors[0].Readings = nil
	}
	if acts := decide(t, pol, &obs); len(acts) != 0 {
		t.Errorf("asked again at once: %s", describe(acts))
	}
	obs.Now = now + pp.Retry
	if got := describe(decide(t, pol, &obs)); got != "maintain cut server 1 on line 1" {
		t.Errorf("after the retry time: %q, want cut again", got)
	}
	// Maintained (its counter moved): the history starts afresh, nothing to do.
	obs.Now += pp.Epoch
	obs.Machines[0].Maintained++
	if acts := decide(t, pol, &obs); len(acts) != 0 {
		t.Errorf("after the maintenance: %s", describe(acts))
	}
}

func TestPredictiveOpportunistic(t *testing.T) {
	pp := DefaultParams().Predictive // lead 4h, opportunistic 24h
	pp.MaintenanceTime = 45 * sim.Minute
	now := 10 * sim.Hour
	cases := []struct {
		name    string
		machine int
		state   State
		buffers [3]int // units waiting at cut, press, pack
		want    string
		cover   float64
	}{
		{"working: wait", 0, Working, [3]int{10, 200, 10}, "", 0},
		{"starved upstream, constraint covered", 0, Starved, [3]int{0, 70, 10}, "maintain cut server 1 on line 1", 70 * 60},
		{"starved upstream, constraint not covered", 0, Starved, [3]int{0, 40, 10}, "", 0},
		{"blocked downstream, room after the constraint", 2, Blocked, [3]int{10, 10, 0}, "maintain pack server 1 on line 1", 50 * 60},
		{"blocked downstream, no room", 2, Blocked, [3]int{10, 10, 45}, "", 0},
		{"the constraint itself starved", 1, Starved, [3]int{0, 0, 0}, "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			obs := testLine(now)
			for i, b := range c.buffers {
				obs.Machines[i].Buffer = b
			}
			if c.buffers[1] > 50 {
				obs.Machines[1].Capacity = 300
			}
			m := &obs.Machines[c.machine]
			m.State = c.state
			wearing(m, now, 10*sim.Hour)
			acts := decide(t, newPredictive(pp), &obs)
			if got := describe(acts); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
			if c.want == "" {
				return
			}
			if acts[0].Reason != ReasonOpportunistic {
				t.Errorf("reason %q", acts[0].Reason)
			}
			if cv, ok := number(acts[0], "cover_s"); !ok || cv != c.cover {
				t.Errorf("cover_s %v, want %v", cv, c.cover)
			}
		})
	}
	// Stale data (of the machine or of the constraint) is no ground for
	// an opportunity.
	for _, stale := range []int{0, 1} {
		obs := testLine(now)
		obs.Machines[0].State, obs.Machines[1].Capacity, obs.Machines[1].Buffer = Starved, 300, 200
		obs.Machines[stale].Stale = true
		wearing(&obs.Machines[0], now, 10*sim.Hour)
		if acts := decide(t, newPredictive(pp), &obs); len(acts) != 0 {
			t.Errorf("machine %d stale: %s", stale, describe(acts))
		}
	}
}

func TestPredictiveConstraintFirst(t *testing.T) {
	pp := DefaultParams().Predictive
	now := 10 * sim.Hour
	ref := func(id string) MachineRef { return MachineRef{ID: id} }

	// A busy crew with the constraint behind another machine: send it first, once.
	obs := testLine(now)
	obs.Machines[1].State = WaitingForCrew
	obs.Crews = []Crew{{Line: -1, Size: 1, Busy: 1, Queue: []MachineRef{ref("cut"), ref("pack"), ref("press")}}}
	pol := newPredictive(pp)
	acts := decide(t, pol, &obs)
	if got := describe(acts); got != "dispatch press server 1 on line 1" {
		t.Fatalf("got %q, want press dispatched", got)
	}
	if pos, _ := number(acts[0], "queue_position"); pos != 3 || acts[0].Reason != ReasonConstraint {
		t.Errorf("queue_position %v, reason %q", pos, acts[0].Reason)
	}
	obs.Now += pp.Epoch
	if acts := decide(t, pol, &obs); len(acts) != 0 {
		t.Errorf("dispatched again at once: %s", describe(acts))
	}

	// The constraint already first, or a member free: nothing to do.
	for _, crew := range []Crew{
		{Line: 0, Size: 1, Busy: 1, Queue: []MachineRef{ref("press"), ref("cut")}},
		{Line: 0, Size: 2, Busy: 1, Queue: []MachineRef{ref("cut"), ref("press")}},
		{Line: 1, Size: 1, Busy: 1, Queue: []MachineRef{ref("cut"), ref("press")}}, // another copy's crew: no such machines
	} {
		obs := testLine(now)
		obs.Crews = []Crew{crew}
		if crew.Line == 1 {
			obs.Crews[0].Queue = []MachineRef{{Line: 1, ID: "cut"}, {Line: 1, ID: "press"}}
		}
		if acts := decide(t, newPredictive(pp), &obs); len(acts) != 0 {
			t.Errorf("crew %+v: %s", crew, describe(acts))
		}
	}

	// Two machines due with the crew busy: the constraint first, sent first.
	obs = testLine(now)
	obs.Crews = []Crew{{Line: -1, Size: 1, Busy: 1, Queue: []MachineRef{{ID: "pack"}}}}
	wearing(&obs.Machines[0], now, 1*sim.Hour)
	wearing(&obs.Machines[1], now, 3*sim.Hour)
	acts = decide(t, newPredictive(pp), &obs)
	want := "maintain press server 1 on line 1; dispatch press server 1 on line 1; maintain cut server 1 on line 1"
	if got := describe(acts); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if c, _ := number(acts[0], "constraint"); c != 1 {
		t.Errorf("constraint number %v on %v", c, acts[0])
	}
}

// TestPredictiveNoReadings: machines whose sensors say nothing (never
// read, or every reading lost) are left alone: no estimate, no action.
func TestPredictiveNoReadings(t *testing.T) {
	obs := testLine(10 * sim.Hour)
	obs.Machines[0].Sensors[0].Readings = []Reading{{At: sim.Hour, Value: 4.9}, {At: 2 * sim.Hour, Value: 4.95}}
	if acts := decide(t, newPredictive(DefaultParams().Predictive), &obs); len(acts) != 0 {
		t.Errorf("two readings: %s", describe(acts))
	}
}

// TestPredictiveBrokenNumbers: readings that are not numbers are skipped,
// and a sensor with no finite limit gives no estimate, rather than a
// maintenance now.
func TestPredictiveBrokenNumbers(t *testing.T) {
	now := 10 * sim.Hour
	obs := testLine(now)
	wearing(&obs.Machines[0], now, 20*sim.Hour)
	rs := obs.Machines[0].Sensors[0].Readings
	rs[3].Value, rs[9].Value, rs[15].Value = math.NaN(), math.Inf(1), math.Inf(-1)
	obs.Machines[1].Sensors[0].Limit = math.NaN()
	wearing(&obs.Machines[1], now, sim.Hour)
	pol := newPredictive(DefaultParams().Predictive)
	if acts := decide(t, pol, &obs); len(acts) != 0 {
		t.Errorf("got %s", describe(acts))
	}
	l := pol.tr.tracks[0].life
	if !l.OK || l.Readings != 22 || l.RUL < 19*sim.Hour || l.RUL > 21*sim.Hour {
		t.Errorf("cut with 3 broken readings of 25: %+v, want 22 fitted and about 20h", l)
	}
}
