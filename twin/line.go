package twin

import (
	"fmt"
	"io"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/bottleneck"
	"github.com/lightsout-sim/lightsout/twin/sensor"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Line is a running simulation of a line: every copy of it, its stations,
// arms and source, and the line-wide statistics. It is not safe for
// concurrent use.
//
// The copies run on one engine, or, when built with
// LineOptions.CopyEngines and sharing nothing, each on its own (see
// NewLineWith). Either way every statistic is gathered per copy and the
// copies' figures are added in copy order when read, so the two give the
// same results, byte for byte.
type Line struct {
	spec *Spec
	seed uint64
	// copies[c] is copy c as it runs; engs the distinct engines, in copy
	// order (one, or one per copy).
	copies []*lineCopy
	engs   []*sim.Engine
	pool   *copyPool // runs the engines at once; nil: one after another
	// gaps, when the copies will run at once, keep each copy's objects
	// off the cache lines of another's (see spread); nil otherwise.
	gaps []cacheGap
	// stations[c][i] is station i of copy c; arms[c][j] likewise.
	stations [][]*stations.Station
	arms     [][]*robots.Arm
	sensors  *sensor.Writer
	crews    []*stations.Crew   // one per copy, or one shared; nil without a crew
	perCopy  int                // stations in one copy of the line
	log      []TimedCommand     // commands given, in order
	ctrl     []Controller       // the controllers, in the order Control was called
	cond     []ConditionReading // condition readings kept for a controller (nil: none kept)

	speed speedLedger // the extra ideal output of speed-ups (speedkpi.go), per copy
	// bn holds each copy's bottleneck detector; bnSole and bnShift are
	// scratch space for their shares (bottleneck.go).
	bn              []*bottleneck.Detector
	bnSole, bnShift []float64
}

// lineCopy is one copy of the line as it runs: the engine it runs on (the
// line's only one when the copies share it), its pool of units and the
// statistics it gathers. Its observer (observer.go) is the same memory.
type lineCopy struct {
	l      *Line
	c      int // its index, from 0
	eng    *sim.Engine
	units  stations.Units
	stats  lineStats
	view   viewStats
	series *seriesRecorder // nil unless RecordSeries was called
}

// lineStats are one copy's streaming statistics since the warm-up.
type lineStats struct {
	since                       sim.Time
	wip                         int
	wipArea                     float64 // unit-seconds
	wipSince                    sim.Time
	started, shipped, good      int64
	escaped, scrapped, reworked int64
	firstPass                   int64
	// Lifetime counters, never reset: what the line's counters show.
	shippedTotal, scrappedTotal int64
	departures                  int64
	flowSum                     float64 // seconds
}

// NewLine builds the line described by spec (which must have passed
// Validate) with random streams derived from seed, every copy on one
// engine. When trace is not nil, sensor readings are written to it as JSON
// lines; call Close at the end.
func NewLine(spec *Spec, seed uint64, trace io.Writer) (*Line, error) {
	return NewLineWith(spec, seed, LineOptions{Trace: trace})
}

// LineOptions say how NewLineWith builds a line.
type LineOptions struct {
	// Trace, when not nil, receives the sensor readings as JSON lines;
	// call Close at the end.
	Trace io.Writer
	// CopyEngines runs each copy of the line on its own engine when the
	// copies share nothing: more than one copy, no shared crew and no
	// trace (the trace interleaves the copies' readings in time order).
	// Such a line takes no Controller and keeps no condition readings
	// (Control and KeepConditions panic): a controller acts on every copy
	// between their events, so it needs them on one engine. The results
	// are the same either way.
	CopyEngines bool
	// Workers is how many copies RunUntil runs at once, each on its own
	// goroutine, when they have their own engines; 0 or 1 runs them one
	// after another. It never changes the results. Close stops the
	// goroutines.
	Workers int
}

// NewLineWith builds the line described by spec (which must have passed
// Validate) with random streams derived from seed, as opt says. The random
// streams are named per copy, so a copy draws the same numbers on its own
// engine as on a shared one, and runs the same events in the same order:
// an engine runs events by time and then by scheduling order, and a copy
// that shares nothing schedules its events in the same order whatever else
// runs beside it.
func NewLineWith(spec *Spec, seed uint64, opt LineOptions) (*Line, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	own := opt.CopyEngines && opt.Trace == nil && !(spec.Crew != nil && spec.Crew.Shared)
	l := newLine(spec, seed, own, own && opt.Workers > 1)
	if opt.Trace != nil {
		l.sensors = sensor.NewWriter(opt.Trace, sensor.Spec{
			Latency: spec.Sensors.Latency, Noise: spec.Sensors.Noise, Dropout: spec.Sensors.Dropout,
		}, sim.NewStream(seed, "sensors"))
	}
	l.wire(seed, true)
	l.speed.reset(len(l.stations), l.perCopy)
	if opt.Workers > 1 && len(l.engs) > 1 {
		l.pool = newCopyPool(l.engs, opt.Workers)
	}
	return l, nil
}

// engineRoom is the room for pending events a line's engines start with,
// all together.
const engineRoom = 1024

// newLine returns the line's skeleton: its copies with their engines (one
// each with own, else one shared) and their snapshot statistics, with no
// machines yet. With spread, the copies will run at once: their objects
// are kept apart in memory (see spread).
func newLine(spec *Spec, seed uint64, own, spread bool) *Line {
	l := &Line{spec: spec, seed: seed, perCopy: len(spec.Stations)}
	if spread && spec.Lines > 1 {
		l.gaps = make([]cacheGap, 0, 3*spec.Lines)
	}
	own = own && spec.Lines > 1
	if !own {
		l.engs = []*sim.Engine{sim.NewEngine(engineRoom)}
	}
	for c := range spec.Lines {
		if own {
			l.engs = append(l.engs, sim.NewEngine(max(engineRoom/spec.Lines, 1)))
		}
		eng := l.engs[len(l.engs)-1]
		lc := &lineCopy{l: l, c: c, eng: eng}
		l.copies = append(l.copies, lc)
		l.spread()
	}
	return l
}

// wire builds every copy's arms, stations and source, with random streams
// named per copy and entity and derived from seed. With start, each copy's
// stations start right after its source (a new line); without, the caller
// preloads and starts them (a line forked from a State).
func (l *Line) wire(seed uint64, start bool) {
	spec := l.spec
	armIndex := map[string]int{}
	for j := range spec.Arms {
		armIndex[spec.Arms[j].ID] = j
	}
	stIndex := map[string]int{}
	for i := range spec.Stations {
		stIndex[spec.Stations[i].ID] = i
	}
	sensing := stations.Sensing{Latency: spec.Sensors.Latency, Noise: spec.Sensors.Noise, Dropout: spec.Sensors.Dropout}
	l.newDetectors(0)
	var crew *stations.Crew
	for c := 0; c < spec.Lines; c++ {
		eng, obs := l.copies[c].eng, (*observer)(l.copies[c])
		name := func(parts ...string) string {
			s := fmt.Sprintf("L%d", c+1)
			for _, p := range parts {
				s += "/" + p
			}
			return s
		}
		if cs := spec.Crew; cs != nil && (c == 0 || !cs.Shared) {
			jobs, stream, copies := 0, name("crew"), 1
			if cs.Shared {
				stream, copies = "crew", spec.Lines
			}
			for i := range spec.Stations {
				jobs += (spec.Stations[i].Servers + 1) * copies
			}
			crew = stations.NewCrew(eng, cs.Size, cs.Travel, sim.NewStream(seed, stream), jobs)
			l.crews = append(l.crews, crew)
		}
		arms := make([]*robots.Arm, len(spec.Arms))
		for j := range spec.Arms {
			a := &spec.Arms[j]
			arms[j] = robots.New(a, c, eng, sim.NewStream(seed, name("arm", a.ID, "fail")))
			if a.Wear != nil {
				arms[j].SetWear(sim.NewStream(seed, name("arm", a.ID, "wear")), sim.NewStream(seed, name("arm", a.ID, "condition")),
					robots.Sensing(sensing), obs.armCondition)
			}
		}
		sts := make([]*stations.Station, len(spec.Stations))
		for i := range spec.Stations {
			s := &spec.Stations[i]
			cfg := stations.Config{
				Spec: s, Line: c, Index: i, Engine: eng, Units: &l.copies[c].units, Obs: obs,
				Streams: stations.Streams{
					Cycle:   sim.NewStream(seed, name(s.ID, "cycle")),
					Fail:    sim.NewStream(seed, name(s.ID, "fail")),
					Quality: sim.NewStream(seed, name(s.ID, "quality")),
				},
				Crew: crew, Sensing: sensing, Activity: obs,
			}
			if s.Wear != nil {
				cfg.Streams.Wear = sim.NewStream(seed, name(s.ID, "wear"))
				cfg.Streams.Condition = sim.NewStream(seed, name(s.ID, "condition"))
			}
			if s.Arm != nil {
				cfg.Loader = arms[armIndex[s.Arm.ID]]
			}
			sts[i] = stations.New(cfg)
		}
		for i, st := range sts {
			if i+1 < len(sts) {
				st.SetNext(sts[i+1])
			}
			if in := spec.Stations[i].Inspect; in != nil && in.ReworkTarget() != "" {
				st.SetRework(sts[stIndex[in.ReworkTarget()]])
			}
		}
		if spec.Source.Interarrival.IsZero() {
			sts[0].SetUnlimited()
		} else {
			stations.NewSource(eng, sim.NewStream(seed, name("source")), spec.Source.Interarrival, sts[0]).Start()
		}
		if start {
			for _, st := range sts {
				st.Start()
			}
		}
		l.stations = append(l.stations, sts)
		l.arms = append(l.arms, arms)
		l.spread()
	}
}

// Spec returns the line's description.
func (l *Line) Spec() *Spec { return l.spec }

// Now returns the simulated time.
func (l *Line) Now() sim.Time { return l.engs[0].Now() }

// Events returns the number of events run, by every copy together.
func (l *Line) Events() uint64 {
	var n uint64
	for _, e := range l.engs {
		n += e.Events()
	}
	return n
}

// Engines returns the number of engines the copies run on: 1, or one per
// copy (see LineOptions.CopyEngines).
func (l *Line) Engines() int { return len(l.engs) }

// RunUntil advances the simulation to time t: each engine in turn, or
// LineOptions.Workers of them at once, returning when all are at t.
func (l *Line) RunUntil(t sim.Time) {
	if l.pool != nil {
		l.pool.runUntil(t)
		return
	}
	for _, e := range l.engs {
		e.RunUntil(t)
	}
}

// RunFor advances the simulation by d.
func (l *Line) RunFor(d sim.Time) { l.RunUntil(l.Now() + d) }

// ResetStats starts every statistic afresh at the current time: the end of
// the warm-up. The state of the line is untouched.
func (l *Line) ResetStats() {
	for _, c := range l.ctrl {
		if r, ok := c.(interface{ ResetStats() }); ok {
			r.ResetStats()
		}
	}
	now := l.Now()
	for _, lc := range l.copies {
		s := &lc.stats
		*s = lineStats{since: now, wip: s.wip, wipSince: now, shippedTotal: s.shippedTotal, scrappedTotal: s.scrappedTotal}
	}
	for c := range l.stations {
		for _, st := range l.stations[c] {
			st.ResetStats()
		}
		for _, a := range l.arms[c] {
			a.ResetStats()
		}
	}
	for _, cr := range l.crews {
		cr.ResetStats()
	}
	l.speed.reset(len(l.stations), l.perCopy)
	for _, d := range l.bn {
		d.Reset(now)
	}
}

// Close writes the sensor readings due by now, flushes the trace and
// stops the goroutines that run the copies (LineOptions.Workers).
func (l *Line) Close() error {
	l.stopWorkers()
	if l.sensors == nil {
		return nil
	}
	return l.sensors.Close(l.Now())
}

// stopWorkers ends the goroutines that run the copies, if any; RunUntil
// then runs the copies one after another.
func (l *Line) stopWorkers() {
	if l.pool != nil {
		l.pool.stop()
		l.pool = nil
	}
}

// since returns the time the statistics were last reset.
func (l *Line) since() sim.Time { return l.copies[0].stats.since }

// merged returns the statistics of every copy added up in copy order, with
// the WIP area closed at now (wipSince = now).
func (l *Line) merged() lineStats {
	now := l.Now()
	m := lineStats{since: l.since(), wipSince: now}
	for _, lc := range l.copies {
		s := &lc.stats
		m.wip += s.wip
		m.wipArea += s.wipArea + float64(s.wip)*(now-s.wipSince).Seconds()
		m.started += s.started
		m.shipped += s.shipped
		m.good += s.good
		m.escaped += s.escaped
		m.scrapped += s.scrapped
		m.reworked += s.reworked
		m.firstPass += s.firstPass
		m.shippedTotal += s.shippedTotal
		m.scrappedTotal += s.scrappedTotal
		m.departures += s.departures
		m.flowSum += s.flowSum
	}
	return m
}

func (lc *lineCopy) wipChange(delta int) {
	now := lc.eng.Now()
	s := &lc.stats
	s.wipArea += float64(s.wip) * (now - s.wipSince).Seconds()
	s.wipSince = now
	s.wip += delta
	if lc.series != nil {
		lc.series.wipChange(now, delta)
	}
}
