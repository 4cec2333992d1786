package twin

import (
	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/bottleneck"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// HistoryBucket is the span of simulated time one point of the throughput
// history covers, and HistoryLen the number of points kept (24 h).
const (
	HistoryBucket = 5 * sim.Minute
	HistoryLen    = 288
)

// viewStats is what a copy of the line keeps only for snapshots: recent
// output per bucket of simulated time. (When each station's sensors last
// fired, the stations keep themselves.)
type viewStats struct {
	bucket        int64 // index of the current bucket (now / HistoryBucket)
	shipped, good [HistoryLen]int32
}

// advance moves the history to the bucket holding now, clearing the ones skipped.
func (v *viewStats) advance(now sim.Time) {
	b := int64(now / HistoryBucket)
	for v.bucket < b {
		v.bucket++
		i := v.bucket % HistoryLen
		v.shipped[i], v.good[i] = 0, 0
		if b-v.bucket > HistoryLen {
			v.bucket = b - HistoryLen
		}
	}
}

// Snapshot is a picture of the line at one moment: plain values only, safe
// to keep and read after the line moves on. SnapshotInto fills one, reusing
// its slices, so a view can take one every frame without allocating.
type Snapshot struct {
	Now    sim.Time
	Events uint64
	// Lines is the number of copies; Stations and Arms hold each copy's in
	// turn: station i of copy c is Stations[c*len(spec.Stations)+i].
	Lines    int
	Stations []StationState
	Arms     []ArmState
	Line     LineState
	// History is good units per hour in each HistoryBucket of the last 24
	// simulated hours, oldest first; the last point is the bucket in progress,
	// scaled by the share of it elapsed. HistoryShipped likewise counts every
	// shipped unit.
	History, HistoryShipped []float64
	// Log is the number of commands given so far.
	Log int
	// Crews are the maintenance crews: one per copy of the line, or one
	// shared by all (none without a crew block).
	Crews []CrewState
}

// CrewState is one maintenance crew in a Snapshot.
type CrewState struct {
	// Line is the copy of the line the crew serves, from 0; -1 when it
	// serves them all.
	Line int
	// Size is its members, Busy those on a job (travelling or at work),
	// Queued the jobs waiting for a free member.
	Size, Busy, Queued int
	// Members says where each member is and what it does.
	Members []stations.MemberView
}

// StationState is one station in a Snapshot.
type StationState struct {
	Line, Index int
	ID          string
	Conveyor    bool
	Servers     []stations.ServerView
	// Buffer is the units waiting (rework queue included); BufferDefective
	// says which of the first ones are defective, oldest first (at most
	// MaxUnitsShown). Rework is how many of them are in the rework queue,
	// which Capacity does not bound.
	Buffer          int
	Rework          int
	BufferDefective []bool
	Capacity        stations.Capacity
	// Held says the station is held: it starts no new unit. Speed is its
	// relative speed, 1 being nominal (see stations.Station.SetSpeed).
	Held  bool
	Speed float64
	// Riding holds a conveyor's units from the exit: the share of each ride
	// done and whether the unit is defective (at most MaxUnitsShown).
	Riding      []Riding
	Inside      int
	Counts      StationCounts
	Utilization float64
	Handling    float64
	Blocked     float64
	Starved     float64
	Down        float64
	Maintenance float64
	OEE         float64
	// BottleneckShare is the share of the last BottleneckWindow the station
	// was the sole or a shifting bottleneck, over all copies.
	BottleneckShare float64
	LastIn          sim.Time // photo-eye at the buffer entry last fired (-1: never)
	LastOut         sim.Time // photo-eye at the buffer exit
	LastCheck       sim.Time // last inspection verdict
	LastPass        bool
	IdealCycle      sim.Time
	Inspects        bool
	DefectSource    bool // the station can create defects
	// Upkeep holds each server's health, condition reading and crew
	// state for a station with wear or a crew (nil otherwise). Health is
	// the truth, for the view and the KPIs; a policy sees readings only.
	Upkeep []stations.UpkeepView
	// CanMaintain says the station takes MaintainStation commands.
	CanMaintain bool
}

// MaxUnitsShown bounds the units listed per buffer or conveyor in a Snapshot.
const MaxUnitsShown = 120

// Riding is one unit on a conveyor.
type Riding struct {
	Progress  float64
	Defective bool
}

// StationCounts are a station's counters since the statistics were last reset.
type StationCounts struct {
	Processed, Out, Defects, Caught, Reworked, Scrapped, Failures int64
	// WearOuts counts servers whose health was used up; Maintenances the
	// maintenance actions (calendar windows, on-demand maintenances).
	WearOuts, Maintenances int64
	// CycleTotal is the sum of the cycle times of the Processed units.
	CycleTotal sim.Time
}

// ArmState is one arm in a Snapshot.
type ArmState struct {
	Line   int
	ID     string
	Phase  robots.Phase
	Broken bool
	// Station is the index (in flow order) of the station the current move
	// serves, -1 when idle; Server is its server; Loading says the move goes
	// from the buffer into the machine (else from the machine to the next
	// buffer); Progress is the share of the move done.
	Station, Server int
	Loading         bool
	Progress        float64
	Waiting         int
	Moves           int64
	Utilization     float64
	Down            float64
	// Worn says the arm wears; Upkeep is then its health, condition
	// reading and upkeep (the truth, for the view and the KPIs; a policy
	// sees readings only), and CanMaintain says it takes maintain commands.
	// A maintenance shows as Down with Upkeep.Maintaining.
	Worn        bool
	Upkeep      robots.UpkeepView
	CanMaintain bool

	// MoveSince, MoveDone and MoveTime time the move (robots.Arm.MoveClock):
	// when it last started moving (or stopped), how much of it was done
	// then, and how long the whole move takes; zero when idle.
	MoveSince, MoveDone, MoveTime sim.Time
}

// LineState holds line-wide figures in a Snapshot, over all copies, since
// the statistics were last reset (the start, for a view).
type LineState struct {
	WIP                                     int
	Started, Shipped, Good, Scrapped        int64
	Escaped, Reworked                       int64
	ThroughputPerHour, GoodPerHour          float64
	Yield, FirstPassYield                   float64
	OEE, Availability, Performance, Quality float64
	// Bottleneck is the index (flow order) of the average bottleneck over
	// all copies in the last BottleneckWindow (the active period method,
	// package bottleneck): what the view, the top bar and the OEE panel
	// name. Momentary is copy 0's momentary bottleneck now. Either is the
	// number of stations when there is none. Constraint is the designed
	// bottleneck (the lowest design rate), on which line OEE is measured.
	Bottleneck, Momentary, Constraint int
	BottleneckWindow                  sim.Time
	TargetPerHour                     float64
	IdealPerHour                      float64
	Elapsed                           sim.Time // since the statistics were reset
}

// Snapshot returns a new Snapshot of the line.
func (l *Line) Snapshot() *Snapshot {
	s := &Snapshot{}
	l.SnapshotInto(s)
	return s
}

// SnapshotInto fills s with the line's state now, reusing s's slices.
func (l *Line) SnapshotInto(s *Snapshot) {
	now := l.Now()
	s.Now, s.Events, s.Lines, s.Log = now, l.Events(), len(l.stations), len(l.log)
	n := len(l.spec.Stations)
	s.Stations = resize(s.Stations, len(l.stations)*n)
	b := l.bottleneckShares(false)
	if b == bottleneck.None {
		b = n
	}
	s.Line.Bottleneck = b
	for c := range l.stations {
		for i, st := range l.stations[c] {
			ss := &s.Stations[c*n+i]
			l.fillStation(ss, st)
			ss.BottleneckShare = l.bnSole[i] + l.bnShift[i]
		}
	}
	m := len(l.spec.Arms)
	s.Arms = resize(s.Arms, len(l.arms)*m)
	for c := range l.arms {
		for j, a := range l.arms[c] {
			l.fillArm(&s.Arms[c*m+j], a)
		}
	}
	l.fillLine(&s.Line)
	l.fillHistory(s)
	l.fillCrews(s)
}

func (l *Line) fillCrews(s *Snapshot) {
	s.Crews = resize(s.Crews, len(l.crews))
	for i, c := range l.crews {
		cs := &s.Crews[i]
		cs.Line = i
		if l.spec.Crew.Shared {
			cs.Line = -1
		}
		cs.Size, cs.Queued, cs.Busy = c.Size(), c.Queued(), 0
		cs.Members = resize(cs.Members, c.Size())
		for m := range cs.Members {
			cs.Members[m] = c.Member(m)
			if cs.Members[m].Busy {
				cs.Busy++
			}
		}
	}
}

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

func (l *Line) fillStation(ss *StationState, st *stations.Station) {
	spec := st.Spec()
	ss.Line, ss.Index, ss.ID = st.Line(), st.Index(), spec.ID
	ss.Conveyor = spec.Conveyor != nil
	ss.Servers = resize(ss.Servers, st.Servers())
	for k := range ss.Servers {
		ss.Servers[k] = st.Server(k)
	}
	ss.Buffer, ss.Capacity, ss.Inside = st.BufferLen(), st.Capacity(), st.Inside()
	ss.Rework = st.ReworkLen()
	ss.Held, ss.Speed = st.Held(), st.Speed()
	ss.BufferDefective = resize(ss.BufferDefective, min(ss.Buffer, MaxUnitsShown))
	for i := range ss.BufferDefective {
		ss.BufferDefective[i] = st.BufferUnit(i)
	}
	ss.Riding = resize(ss.Riding, min(ss.Inside, MaxUnitsShown))
	for i := range ss.Riding {
		p, d := st.Riding(i)
		ss.Riding[i] = Riding{Progress: p, Defective: d}
	}
	if _, ok := st.Upkeep(0); ok {
		ss.Upkeep = resize(ss.Upkeep, st.Servers())
		for k := range ss.Upkeep {
			ss.Upkeep[k], _ = st.Upkeep(k)
		}
	} else {
		ss.Upkeep = ss.Upkeep[:0]
	}
	ss.CanMaintain = spec.CanMaintain()
	x := st.Stats()
	ss.Counts = StationCounts{Processed: x.Processed, Out: x.Out, Defects: x.Defects, Caught: x.Caught,
		Reworked: x.Reworked, Scrapped: x.Scrapped, Failures: x.Failures, CycleTotal: x.CycleTotal,
		WearOuts: x.WearOuts, Maintenances: x.Maintenances}
	ss.Utilization = x.Fraction(stations.Working)
	ss.Handling = x.Fraction(stations.Loading) + x.Fraction(stations.Unloading)
	ss.Blocked = x.Fraction(stations.Blocked)
	ss.Starved = x.Fraction(stations.Starved)
	ss.Down = x.Fraction(stations.Down)
	ss.Maintenance = x.Fraction(stations.Maintenance)
	ss.OEE = l.stationOEE(st.Index(), &x, l.stationExtra(st.Line(), st.Index(), &x))
	ss.LastIn, ss.LastOut = st.LastIn(), st.LastOut()
	ss.LastCheck, ss.LastPass = st.LastCheck()
	ss.IdealCycle = l.spec.IdealCycle(st.Index())
	ss.Inspects = spec.Inspect != nil
	ss.DefectSource = spec.DefectRate > 0
}

func (l *Line) fillArm(as *ArmState, a *robots.Arm) {
	as.Line, as.ID, as.Phase, as.Broken = a.Line(), a.ID(), a.Phase(), a.Broken()
	as.Station, as.Server, as.Loading, as.Progress = -1, 0, false, 0
	as.MoveSince, as.MoveDone, as.MoveTime = 0, 0, 0
	if h, arg, p := a.Move(); h != nil {
		if st, ok := h.(*stations.Station); ok {
			as.Station = st.Index()
			as.Server, as.Loading = stations.ArmMove(arg)
			as.Progress = p
			as.MoveSince, as.MoveDone, as.MoveTime, _ = a.MoveClock()
		}
	}
	as.Waiting = a.Waiting()
	x := a.Stats()
	as.Moves = x.Moves
	var total sim.Time
	for _, t := range x.PhaseTime {
		total += t
	}
	as.Utilization = ratio(float64(x.PhaseTime[robots.Moving]), float64(total))
	as.Down = ratio(float64(x.PhaseTime[robots.Down]), float64(total))
	as.Upkeep, as.Worn = a.Upkeep()
	as.CanMaintain = a.Spec().CanMaintain()
}

func (l *Line) fillLine(ls *LineState) {
	now := l.Now()
	m := l.merged()
	st := &m
	window := (now - st.since).Seconds()
	hours := window / 3600
	out := float64(st.shipped + st.scrapped)
	*ls = LineState{
		Bottleneck: ls.Bottleneck, Momentary: len(l.spec.Stations), BottleneckWindow: l.BottleneckWindow(),
		WIP: st.wip, Started: st.started, Shipped: st.shipped, Good: st.good,
		Scrapped: st.scrapped, Escaped: st.escaped, Reworked: st.reworked,
		ThroughputPerHour: ratio(float64(st.shipped), hours),
		GoodPerHour:       ratio(float64(st.good), hours),
		Yield:             ratio(float64(st.good), out),
		FirstPassYield:    ratio(float64(st.firstPass), out),
		Constraint:        l.spec.Constraint(),
		TargetPerHour:     l.spec.TargetPerHour,
		IdealPerHour:      l.spec.IdealPerHour(),
		Elapsed:           now - st.since,
	}
	if m := l.bn[0].Momentary(); m != bottleneck.None {
		ls.Momentary = m
	}
	c := ls.Constraint
	var agg stations.Stats
	for k := range l.stations {
		x := l.stations[k][c].Stats()
		agg.Add(&x)
	}
	ls.Availability, ls.Performance, ls.Quality, ls.OEE = l.lineOEEFrom(&agg, window, float64(st.good), out)
}

func (l *Line) fillHistory(s *Snapshot) {
	now := l.Now()
	for _, lc := range l.copies {
		lc.view.advance(now)
	}
	bucket := l.copies[0].view.bucket
	s.History = resize(s.History, HistoryLen)
	s.HistoryShipped = resize(s.HistoryShipped, HistoryLen)
	perHour := float64(sim.Hour) / float64(HistoryBucket)
	for k := range HistoryLen {
		b := bucket - int64(HistoryLen-1-k)
		if b < 0 {
			s.History[k], s.HistoryShipped[k] = 0, 0
			continue
		}
		i := b % HistoryLen
		scale := perHour
		if k == HistoryLen-1 { // the bucket in progress
			done := now - sim.Time(b)*HistoryBucket
			if done <= 0 {
				s.History[k], s.HistoryShipped[k] = 0, 0
				continue
			}
			scale = float64(sim.Hour) / float64(done)
		}
		var good, shipped int32
		for _, lc := range l.copies {
			good += lc.view.good[i]
			shipped += lc.view.shipped[i]
		}
		s.History[k] = float64(good) * scale
		s.HistoryShipped[k] = float64(shipped) * scale
	}
}
