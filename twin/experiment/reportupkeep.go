package experiment

import (
	"github.com/lightsout-sim/lightsout/twin"
)

// UpkeepSummary holds the wear, maintenance and crew KPIs over
// replications, for a line with wear or a crew; see twin.UpkeepResult.
type UpkeepSummary struct {
	MaintenanceActions Estimate `json:"maintenance_actions"`
	Failures           Estimate `json:"failures"`
	WearOuts           Estimate `json:"wear_outs"`
	UnplannedDownH     Estimate `json:"unplanned_down_h"`
	PlannedDownH       Estimate `json:"planned_down_h"`
	// Crew is given when the line has a crew.
	Crew *CrewSummary `json:"crew,omitempty"`
}

// CrewSummary holds the crew's KPIs over replications; see
// twin.CrewResult.
type CrewSummary struct {
	// Size is the crew's members (the same in every run).
	Size                 int      `json:"size"`
	Utilization          Estimate `json:"utilization"`
	TravelShare          Estimate `json:"travel_share"`
	Jobs                 Estimate `json:"jobs"`
	WaitH                Estimate `json:"wait_h"`
	MeanWaitS            Estimate `json:"mean_wait_s"`
	MeanQueue            Estimate `json:"mean_queue"`
	PeoplePerMillionGood Estimate `json:"people_per_million_good"`
}

// AutopilotSummary counts what the autopilot flying the line did, over
// replications; see twin.AutopilotResult.
type AutopilotSummary struct {
	// Policy is the policy's name.
	Policy       string   `json:"policy"`
	Epochs       Estimate `json:"epochs"`
	Decisions    Estimate `json:"decisions"`
	Applied      Estimate `json:"applied"`
	Recommended  Estimate `json:"recommended"`
	Capped       Estimate `json:"capped"`
	Held         Estimate `json:"held"`
	Invalid      Estimate `json:"invalid"`
	Errors       Estimate `json:"errors"`
	Maintains    Estimate `json:"maintains"`
	Dispatches   Estimate `json:"dispatches"`
	SpeedChanges Estimate `json:"speed_changes"`
	BufferMoves  Estimate `json:"buffer_moves"`
	Refused      Estimate `json:"refused"`
}

type batchUpkeepStats struct {
	maint, fails, worn, unplanned, planned Stat
	crew                                   *batchCrewStats
}

type batchCrewStats struct {
	size                                      int
	util, travel, jobs, wait, meanWait, queue Stat
	peoplePerMillion                          Stat
}

func (s *batchUpkeepStats) add(u *twin.UpkeepResult) {
	s.maint.Add(float64(u.MaintenanceActions))
	s.fails.Add(float64(u.Failures))
	s.worn.Add(float64(u.WearOuts))
	s.unplanned.Add(u.UnplannedDownH)
	s.planned.Add(u.PlannedDownH)
	if c := u.Crew; c != nil {
		if s.crew == nil {
			s.crew = &batchCrewStats{size: c.Size}
		}
		s.crew.util.Add(c.Utilization)
		s.crew.travel.Add(c.TravelShare)
		s.crew.jobs.Add(float64(c.Jobs))
		s.crew.wait.Add(c.WaitH)
		s.crew.meanWait.Add(c.MeanWaitS)
		s.crew.queue.Add(c.MeanQueue)
		s.crew.peoplePerMillion.Add(c.PeoplePerMillionGood)
	}
}

func (s *batchUpkeepStats) summary() *UpkeepSummary {
	u := &UpkeepSummary{
		MaintenanceActions: s.maint.Estimate(),
		Failures:           s.fails.Estimate(),
		WearOuts:           s.worn.Estimate(),
		UnplannedDownH:     s.unplanned.Estimate(),
		PlannedDownH:       s.planned.Estimate(),
	}
	if c := s.crew; c != nil {
		u.Crew = &CrewSummary{
			Size:                 c.size,
			Utilization:          c.util.Estimate(),
			TravelShare:          c.travel.Estimate(),
			Jobs:                 c.jobs.Estimate(),
			WaitH:                c.wait.Estimate(),
			MeanWaitS:            c.meanWait.Estimate(),
			MeanQueue:            c.queue.Estimate(),
			PeoplePerMillionGood: c.peoplePerMillion.Estimate(),
		}
	}
	return u
}

type batchAutopilotStats struct {
	policy                                                  string
	epochs, decisions, applied, recommended, capped, held   Stat
	invalid, errors, maintains, dispatches, speeds, buffers Stat
	refused                                                 Stat
}

func (s *batchAutopilotStats) add(a *twin.AutopilotResult) {
	if s.policy == "" {
		s.policy = a.Policy
	}
	for _, p := range []struct {
		s *Stat
		n int64
	}{
		{&s.epochs, a.Epochs}, {&s.decisions, a.Decisions}, {&s.applied, a.Applied},
		{&s.recommended, a.Recommended}, {&s.capped, a.Capped}, {&s.held, a.Held},
		{&s.invalid, a.Invalid}, {&s.errors, a.Errors}, {&s.maintains, a.Maintains},
		{&s.dispatches, a.Dispatches}, {&s.speeds, a.SpeedChanges}, {&s.buffers, a.BufferMoves},
		{&s.refused, a.Refused},
	} {
		p.s.Add(float64(p.n))
	}
}

func (s *batchAutopilotStats) summary() *AutopilotSummary {
	return &AutopilotSummary{
		Policy:       s.policy,
		Epochs:       s.epochs.Estimate(),
		Decisions:    s.decisions.Estimate(),
		Applied:      s.applied.Estimate(),
		Recommended:  s.recommended.Estimate(),
		Capped:       s.capped.Estimate(),
		Held:         s.held.Estimate(),
		Invalid:      s.invalid.Estimate(),
		Errors:       s.errors.Estimate(),
		Maintains:    s.maintains.Estimate(),
		Dispatches:   s.dispatches.Estimate(),
		SpeedChanges: s.speeds.Estimate(),
		BufferMoves:  s.buffers.Estimate(),
		Refused:      s.refused.Estimate(),
	}
}
