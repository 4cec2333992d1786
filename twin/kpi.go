package twin

import (
	"math"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/bottleneck"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// IdealCycle returns the ideal (design) time per unit of station i on one
// of its servers: the mean processing time plus the arm's load and unload
// moves, or the pitch of a conveyor.
func (s *Spec) IdealCycle(i int) sim.Time {
	st := &s.Stations[i]
	if st.Conveyor != nil {
		return st.Conveyor.Pitch
	}
	t := st.Cycle.MeanTime()
	if st.Arm != nil {
		for j := range s.Arms {
			if s.Arms[j].ID == st.Arm.ID {
				t += s.Arms[j].MoveTime(st.Arm.Load) + s.Arms[j].MoveTime(st.Arm.Unload)
			}
		}
	}
	return t
}

// Constraint returns the index of the station with the lowest design rate
// (ideal cycle divided by servers): the line's designed bottleneck, which
// paces it and on which line OEE is measured.
func (s *Spec) Constraint() int {
	best, worst := 0, -1.0
	for i := range s.Stations {
		per := s.IdealCycle(i).Seconds() / float64(s.Stations[i].Servers)
		if s.Stations[i].Conveyor != nil {
			per = s.IdealCycle(i).Seconds()
		}
		if per > worst {
			best, worst = i, per
		}
	}
	return best
}

// IdealPerHour returns the design rate of all copies of the line together,
// in units per hour: what the constraint makes with no losses.
func (s *Spec) IdealPerHour() float64 {
	i := s.Constraint()
	per := s.IdealCycle(i).Seconds()
	if s.Stations[i].Conveyor == nil {
		per /= float64(s.Stations[i].Servers)
	}
	return 3600 / per * float64(s.Lines)
}

func ratio(a, b float64) float64 {
	if b == 0 || math.IsNaN(a) || math.IsNaN(b) {
		return 0
	}
	return a / b
}

// Result returns the KPIs measured since the last ResetStats.
func (l *Line) Result() *Result {
	now := l.Now()
	s := l.merged()
	window := (now - s.since).Seconds()
	hours := window / 3600
	wipArea := s.wipArea // merged closes it at now
	out := s.shipped + s.scrapped
	r := &Result{
		Events:            l.Events(),
		ThroughputPerHour: ratio(float64(s.shipped), hours),
		GoodPerHour:       ratio(float64(s.good), hours),
		MeanFlowTimeS:     ratio(s.flowSum, float64(s.departures)),
		MeanWIP:           ratio(wipArea, window),
		Started:           s.started,
		Shipped:           s.shipped,
		Good:              s.good,
		Scrapped:          s.scrapped,
		EscapedDefects:    s.escaped,
		Reworked:          s.reworked,
		Yield:             ratio(float64(s.good), float64(out)),
		FirstPassYield:    ratio(float64(s.firstPass), float64(out)),
	}
	lambda := ratio(float64(s.departures), window)
	r.Little = LittleCheck{
		WIP:               r.MeanWIP,
		DeparturesPerHour: lambda * 3600,
		FlowTimeS:         r.MeanFlowTimeS,
		RelErr:            ratio(math.Abs(r.MeanWIP-lambda*r.MeanFlowTimeS), r.MeanWIP),
	}

	copies := float64(len(l.stations))
	agg := make([]stations.Stats, len(l.spec.Stations))
	for c := range l.stations {
		for i, st := range l.stations[c] {
			x := st.Stats()
			agg[i].Add(&x)
		}
	}
	if b := l.bottleneckShares(true); b != bottleneck.None {
		r.Bottleneck = l.spec.Stations[b].ID
	}
	extra := make([]float64, len(agg))
	for c := range l.stations {
		for i, st := range l.stations[c] {
			x := st.Stats()
			extra[i] += l.stationExtra(c, i, &x)
		}
	}
	for i := range agg {
		a := &agg[i]
		id := l.spec.Stations[i].ID
		sr := StationResult{
			ID:                id,
			Utilization:       a.Fraction(stations.Working),
			Handling:          a.Fraction(stations.Loading) + a.Fraction(stations.Unloading),
			Blocked:           a.Fraction(stations.Blocked),
			Starved:           a.Fraction(stations.Starved),
			Down:              a.Fraction(stations.Down),
			Maintenance:       a.Fraction(stations.Maintenance),
			Held:              a.Fraction(stations.Held),
			ThroughputPerHour: ratio(float64(a.Out), hours),
			Processed:         a.Processed,
			Defects:           a.Defects,
			Caught:            a.Caught,
			Scrapped:          a.Scrapped,
			Reworked:          a.Reworked,
			Failures:          a.Failures,
			MeanBuffer:        ratio(a.BufferArea, window*copies),
		}
		sr.OEE = l.stationOEE(i, a, extra[i])
		sr.BottleneckSole, sr.BottleneckShifting = l.bnSole[i], l.bnShift[i]
		r.Stations = append(r.Stations, sr)
	}
	r.Availability, r.Performance, r.Quality, r.OEE = l.lineOEE(agg, window, float64(s.good), float64(out))
	if l.spec.HasUpkeep() {
		r.Upkeep = l.upkeep(agg, r)
	}

	for j := range l.spec.Arms {
		var a robots.Stats
		for c := range l.arms {
			x := l.arms[c][j].Stats()
			a.Add(&x)
		}
		var total sim.Time
		for _, t := range a.PhaseTime {
			total += t
		}
		r.Arms = append(r.Arms, ArmResult{
			ID:          l.spec.Arms[j].ID,
			Utilization: ratio(float64(a.PhaseTime[robots.Moving]), float64(total)),
			Down:        ratio(float64(a.PhaseTime[robots.Down]), float64(total)),
			Moves:       a.Moves,
			MeanQueue:   ratio(a.QueueArea, window*copies),
		})
	}
	return r
}

// hoursPerYear is the hours of a year of 24/7 operation (365 days).
const hoursPerYear = 8760

// upkeep fills the upkeep KPIs of the result r, whose station results it
// completes, from the stations' statistics summed over copies (agg).
func (l *Line) upkeep(agg []stations.Stats, r *Result) *UpkeepResult {
	u := &UpkeepResult{}
	for i := range agg {
		a := &agg[i]
		u.MaintenanceActions += a.Maintenances
		u.Failures += a.Failures
		u.WearOuts += a.WearOuts
		u.UnplannedDownH += a.PhaseTime[stations.Down].Hours()
		u.PlannedDownH += a.PhaseTime[stations.Maintenance].Hours()
		sr := &r.Stations[i]
		sr.Maintenances = a.Maintenances
		if l.spec.Stations[i].Wear != nil {
			sr.WearOuts = a.WearOuts
			var sum float64
			var n int
			for c := range l.stations {
				st := l.stations[c][i]
				for k := range st.Servers() {
					sum += st.Health(k)
					n++
				}
			}
			sr.Health = ratio(sum, float64(n))
		}
	}
	if len(l.crews) == 0 {
		return u
	}
	var cs stations.CrewStats
	for _, c := range l.crews {
		x := c.Stats()
		cs.Add(&x)
	}
	window := (l.Now() - l.since()).Seconds()
	u.Crew = &CrewResult{
		Size:                 cs.Size,
		Utilization:          ratio(cs.Busy.Seconds(), float64(cs.Size)*window),
		TravelShare:          ratio(cs.Travel.Seconds(), cs.Busy.Seconds()),
		Jobs:                 cs.Jobs,
		WaitH:                cs.Wait.Hours(),
		MeanWaitS:            ratio(cs.Wait.Seconds(), float64(cs.Jobs)),
		MeanQueue:            ratio(cs.Queue, window),
		PeoplePerMillionGood: ratio(float64(cs.Size), r.GoodPerHour*hoursPerYear/1e6),
	}
	return u
}

// stationOEE follows ISO 22400-2 for one station over all its servers:
// planned production time excludes planned stops (maintenance and holds);
// availability is run time (planned time less breakdowns) over planned
// time; performance is ideal cycle x units processed over run time, where
// extra (seconds, see speedkpi.go) raises the run time by the speed-ups
// (ideal output integrates the commanded speed), and is at most 1;
// quality is good over processed.
func (l *Line) stationOEE(i int, a *stations.Stats, extra float64) float64 {
	var total sim.Time
	for _, t := range a.PhaseTime {
		total += t
	}
	planned := float64(total - a.PhaseTime[stations.Maintenance] - a.PhaseTime[stations.Held])
	run := planned - float64(a.PhaseTime[stations.Down])
	avail := ratio(run, planned)
	// A conveyor's server time is one lane: its ideal cycle is the pitch.
	perf := min(1, ratio(float64(l.spec.IdealCycle(i))*float64(a.Processed), run+extra*float64(sim.Second)))
	qual := ratio(float64(a.Processed-a.Bad), float64(a.Processed))
	return avail * perf * qual
}

// lineOEE follows ISO 22400-2 for the line, from line counts and times, on
// the constraint station (never an average of station OEEs): planned time
// is the window of every copy less the constraint's planned stops
// (maintenance and holds); run time takes off its breakdowns; performance
// is the constraint's ideal cycle x units out of the line over run time,
// the run time raised by the speed-ups of the line's stations (the ideal
// rate of the line at the commanded speeds, see speedkpi.go), and at most
// 1; quality is good over out.
func (l *Line) lineOEE(agg []stations.Stats, window, good, out float64) (a, p, q, oee float64) {
	return l.lineOEEFrom(&agg[l.spec.Constraint()], window, good, out)
}

// lineOEEFrom computes line OEE from the constraint's statistics summed
// over every copy of the line.
func (l *Line) lineOEEFrom(cs *stations.Stats, window, good, out float64) (a, p, q, oee float64) {
	c := l.spec.Constraint()
	copies := float64(len(l.stations))
	servers := float64(cs.Servers) / copies // per copy
	maint := (cs.PhaseTime[stations.Maintenance] + cs.PhaseTime[stations.Held]).Seconds() / servers
	down := cs.PhaseTime[stations.Down].Seconds() / servers
	planned := window*copies - maint
	run := planned - down
	ideal := l.spec.IdealCycle(c).Seconds()
	if l.spec.Stations[c].Conveyor == nil {
		ideal /= servers
	}
	a = ratio(run, planned)
	p = min(1, ratio(ideal*out, run+l.lineExtra()))
	q = ratio(good, out)
	return a, p, q, a * p * q
}
