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
type Line struct {
	spec  *Spec
	seed  uint64
	eng   *sim.Engine
	units stations.Units
	// stations[c][i] is station i of copy c; arms[c][j] likewise.
	stations [][]*stations.Station
	arms     [][]*robots.Arm
	sensors  *sensor.Writer
	crews    []*stations.Crew   // one per copy, or one shared; nil without a crew
	perCopy  int                // stations in one copy of the line
	log      []TimedCommand     // commands given, in order
	ctrl     []Controller       // the controllers, in the order Control was called
	cond     []ConditionReading // condition readings kept for a controller (nil: none kept)

	stats lineStats
	speed speedLedger // the extra ideal output of speed-ups (speedkpi.go)
	// bn holds each copy's bottleneck detector; bnSole and bnShift are
	// scratch space for their shares (bottleneck.go).
	bn              []*bottleneck.Detector
	bnSole, bnShift []float64
	view            viewStats
	series          *seriesRecorder // nil unless RecordSeries was called
}

// lineStats are the line-wide streaming statistics since the warm-up.
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
// Validate) with random streams derived from seed. When trace is not nil,
// sensor readings are written to it as JSON lines; call Close at the end.
func NewLine(spec *Spec, seed uint64, trace io.Writer) (*Line, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	l := &Line{spec: spec, seed: seed, eng: sim.NewEngine(1024), perCopy: len(spec.Stations)}
	if trace != nil {
		l.sensors = sensor.NewWriter(trace, sensor.Spec{
			Latency: spec.Sensors.Latency, Noise: spec.Sensors.Noise, Dropout: spec.Sensors.Dropout,
		}, sim.NewStream(seed, "sensors"))
	}
	l.view.init(spec.Lines * len(spec.Stations))
	l.wire(seed, true)
	l.speed.reset(len(l.stations), l.perCopy)
	return l, nil
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
			crew = stations.NewCrew(l.eng, cs.Size, cs.Travel, sim.NewStream(seed, stream), jobs)
			l.crews = append(l.crews, crew)
		}
		arms := make([]*robots.Arm, len(spec.Arms))
		for j := range spec.Arms {
			a := &spec.Arms[j]
			arms[j] = robots.New(a, c, l.eng, sim.NewStream(seed, name("arm", a.ID, "fail")))
			if a.Wear != nil {
				arms[j].SetWear(sim.NewStream(seed, name("arm", a.ID, "wear")), sim.NewStream(seed, name("arm", a.ID, "condition")),
					robots.Sensing(sensing), (*observer)(l).armCondition)
			}
		}
		sts := make([]*stations.Station, len(spec.Stations))
		for i := range spec.Stations {
			s := &spec.Stations[i]
			cfg := stations.Config{
				Spec: s, Line: c, Index: i, Engine: l.eng, Units: &l.units, Obs: (*observer)(l),
				Streams: stations.Streams{
					Cycle:   sim.NewStream(seed, name(s.ID, "cycle")),
					Fail:    sim.NewStream(seed, name(s.ID, "fail")),
					Quality: sim.NewStream(seed, name(s.ID, "quality")),
				},
				Crew: crew, Sensing: sensing, Activity: (*observer)(l),
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
			stations.NewSource(l.eng, sim.NewStream(seed, name("source")), spec.Source.Interarrival, sts[0]).Start()
		}
		if start {
			for _, st := range sts {
				st.Start()
			}
		}
		l.stations = append(l.stations, sts)
		l.arms = append(l.arms, arms)
	}
}

// Spec returns the line's description.
func (l *Line) Spec() *Spec { return l.spec }

// Now returns the simulated time.
func (l *Line) Now() sim.Time { return l.eng.Now() }

// Events returns the number of events run.
func (l *Line) Events() uint64 { return l.eng.Events() }

// RunUntil advances the simulation to time t.
func (l *Line) RunUntil(t sim.Time) { l.eng.RunUntil(t) }

// RunFor advances the simulation by d.
func (l *Line) RunFor(d sim.Time) { l.eng.RunUntil(l.eng.Now() + d) }

// ResetStats starts every statistic afresh at the current time: the end of
// the warm-up. The state of the line is untouched.
func (l *Line) ResetStats() {
	for _, c := range l.ctrl {
		if r, ok := c.(interface{ ResetStats() }); ok {
			r.ResetStats()
		}
	}
	now := l.eng.Now()
	l.stats = lineStats{since: now, wip: l.stats.wip, wipSince: now,
		shippedTotal: l.stats.shippedTotal, scrappedTotal: l.stats.scrappedTotal}
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

// Close writes the sensor readings due by now and flushes the trace.
func (l *Line) Close() error {
	if l.sensors == nil {
		return nil
	}
	return l.sensors.Close(l.eng.Now())
}

// slot returns the index of a station among all copies' stations.
func (l *Line) slot(st *stations.Station) int {
	return st.Line()*l.perCopy + st.Index()
}

func (l *Line) wipChange(delta int) {
	now := l.eng.Now()
	l.stats.wipArea += float64(l.stats.wip) * (now - l.stats.wipSince).Seconds()
	l.stats.wipSince = now
	l.stats.wip += delta
	if l.series != nil {
		l.series.wipChange(now, delta)
	}
}
