package twin

import (
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// How a commanded speed enters OEE (ISO 22400-2 performance): the ideal
// rate of a station is its design rate times its relative speed when the
// speed is above 1, and its design rate otherwise. Running faster than
// design raises the ideal output for that time, so performance (actual
// over ideal output) cannot exceed 1 through a speed-up; running slower
// leaves the ideal rate alone, so a slow-down shows as a speed loss.
//
// The ideal output is the integral of the ideal rate over run time. It is
// kept as extra run time: while a station runs at a raised ideal rate f
// times its design rate, each second of run time counts f seconds of
// design run time. At nominal speed the extra is exactly 0, so a run with
// no speed-up gives exactly the KPIs it gave before speeds existed.

// IdealCycleAt returns the ideal cycle of station i at relative speed f:
// its processing time (a conveyor's pitch) divided by max(1, f), plus its
// arm's moves, which the speed does not change.
func (s *Spec) IdealCycleAt(i int, f float64) sim.Time {
	if f <= 1 {
		return s.IdealCycle(i)
	}
	st := &s.Stations[i]
	if st.Conveyor != nil {
		return sim.Time(float64(st.Conveyor.Pitch) / f)
	}
	proc := st.Cycle.MeanTime()
	return s.IdealCycle(i) - proc + sim.Time(float64(proc)/f)
}

// SpeedBoost returns the factor by which a speed of f raises station i's
// ideal rate: 1 at or below nominal speed, else design cycle over the
// cycle at speed f (at most f: the arm's moves do not speed up).
func (s *Spec) SpeedBoost(i int, f float64) float64 {
	if f <= 1 {
		return 1
	}
	return float64(s.IdealCycle(i)) / float64(s.IdealCycleAt(i, f))
}

// perServerCycle is station i's ideal time per unit with all its servers
// (a conveyor has one lane) at speed f.
func (s *Spec) perServerCycle(i int, f float64) float64 {
	per := s.IdealCycleAt(i, f).Seconds()
	if s.Stations[i].Conveyor == nil {
		per /= float64(s.Stations[i].Servers)
	}
	return per
}

// lineBoost returns the factor by which the speeds of one copy's stations
// raise the line's ideal rate: the rate of the slowest station at those
// speeds (speed-ups only) over the design rate of the constraint. It is 1
// when no station is sped up, and never below 1.
func (l *Line) lineBoost(c int) float64 {
	worst := 0.0
	boosted := false
	for i, st := range l.stations[c] {
		f := st.Speed()
		boosted = boosted || f > 1
		worst = max(worst, l.spec.perServerCycle(i, f))
	}
	if !boosted {
		return 1
	}
	return max(1, l.spec.perServerCycle(l.spec.Constraint(), 1)/worst)
}

// speedLedger holds, per copy of the line, the extra design run time that
// speed-ups gave over the closed segments of constant speeds since the
// statistics were reset, and where the open segment began. Every speed
// change closes the segments of its station and copy.
type speedLedger struct {
	// stExtra[c*n+i], stMark[c*n+i]: station i of copy c, run time summed
	// over servers, in seconds.
	stExtra, stMark []float64
	// lineExtra[c], lineMark[c]: the line's run time (its constraint's,
	// per server) of copy c, in seconds.
	lineExtra, lineMark []float64
}

func (g *speedLedger) reset(copies, n int) {
	g.stExtra = resize(g.stExtra, copies*n)
	g.stMark = resize(g.stMark, copies*n)
	g.lineExtra = resize(g.lineExtra, copies)
	g.lineMark = resize(g.lineMark, copies)
	clear(g.stExtra)
	clear(g.stMark)
	clear(g.lineExtra)
	clear(g.lineMark)
}

// runTime is a station's run time summed over servers, in seconds:
// its time less planned stops (maintenance, holds) and breakdowns.
func runTime(x *stations.Stats) float64 {
	var total sim.Time
	for _, t := range x.PhaseTime {
		total += t
	}
	return (total - x.PhaseTime[stations.Maintenance] - x.PhaseTime[stations.Held] - x.PhaseTime[stations.Down]).Seconds()
}

// lineRun is copy c's run time on the constraint so far, per server, in
// seconds: the time since the reset less the constraint's stops.
func (l *Line) lineRun(c int) float64 {
	x := l.stations[c][l.spec.Constraint()].Stats()
	return l.copies[c].constraintRun(&x)
}

// constraintRun is the per-server run time of the copy's constraint whose
// statistics are x, in seconds, as lineOEEFrom counts it.
func (lc *lineCopy) constraintRun(x *stations.Stats) float64 {
	servers := float64(x.Servers)
	window := (lc.eng.Now() - lc.stats.since).Seconds()
	stops := (x.PhaseTime[stations.Maintenance] + x.PhaseTime[stations.Held] + x.PhaseTime[stations.Down]).Seconds()
	return window - stops/servers
}

// closeSpeedSegment closes the open segments of station i of copy c and
// of copy c's line: call it just before the station's speed changes.
func (l *Line) closeSpeedSegment(c, i int) {
	g := &l.speed
	k := c*l.perCopy + i
	x := l.stations[c][i].Stats()
	run := runTime(&x)
	g.stExtra[k] += (l.spec.SpeedBoost(i, l.stations[c][i].Speed()) - 1) * (run - g.stMark[k])
	g.stMark[k] = run
	lr := l.lineRun(c)
	g.lineExtra[c] += (l.lineBoost(c) - 1) * (lr - g.lineMark[c])
	g.lineMark[c] = lr
}

// stationExtra returns the extra design run time of station i of copy c
// up to now, given its statistics x now.
func (l *Line) stationExtra(c, i int, x *stations.Stats) float64 {
	g := &l.speed
	k := c*l.perCopy + i
	f := l.spec.SpeedBoost(i, l.stations[c][i].Speed())
	if f == 1 {
		return g.stExtra[k]
	}
	return g.stExtra[k] + (f-1)*(runTime(x)-g.stMark[k])
}

// lineExtra returns the extra design run time of every copy of the line
// together up to now.
func (l *Line) lineExtra() float64 {
	g := &l.speed
	var sum float64
	for c := range l.stations {
		sum += g.lineExtra[c]
		if f := l.lineBoost(c); f != 1 {
			sum += (f - 1) * (l.lineRun(c) - g.lineMark[c])
		}
	}
	return sum
}
