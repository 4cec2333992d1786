package monitor

import (
	"math"
	"time"

	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
)

// RecentWindow is the span of the recent throughput in [LineKPI] and
// [StationKPI], measured on the line's clock (metric timestamps).
const RecentWindow = 15 * time.Minute

// trackRingSlots samples make up a recent window: one every
// RecentWindow/(trackRingSlots-1).
const trackRingSlots = 31

// trackRing keeps samples (time, cumulative count) at least a step apart,
// enough to cover RecentWindow, in a fixed array: pushing never allocates.
type trackRing struct {
	t       [trackRingSlots]uint64
	v       [trackRingSlots]int64
	head, n int
}

func (r *trackRing) push(t uint64, v int64) {
	step := uint64(RecentWindow/time.Millisecond) / (trackRingSlots - 1)
	if r.n > 0 {
		last := (r.head + r.n - 1) % trackRingSlots
		if t < r.t[last]+step {
			return
		}
	}
	i := (r.head + r.n) % trackRingSlots
	if r.n == trackRingSlots {
		r.head = (r.head + 1) % trackRingSlots
	} else {
		r.n++
	}
	r.t[i], r.v[i] = t, v
}

// rate returns the count per hour from the oldest sample within
// RecentWindow of now (the newest earlier one if none is) to (now, v),
// and the span it covers in ms; 0, 0 without an earlier sample.
func (r *trackRing) rate(now uint64, v int64) (perHour float64, spanMs uint64) {
	window := uint64(RecentWindow / time.Millisecond)
	for j := range r.n {
		i := (r.head + j) % trackRingSlots
		if r.t[i] < now && now-r.t[i] <= window {
			spanMs = now - r.t[i]
			return float64(v-r.v[i]) / float64(spanMs) * 3.6e6, spanMs
		}
	}
	for j := r.n - 1; j >= 0; j-- {
		i := (r.head + j) % trackRingSlots
		if r.t[i] < now {
			spanMs = now - r.t[i]
			return float64(v-r.v[i]) / float64(spanMs) * 3.6e6, spanMs
		}
	}
	return 0, 0
}

// KPIs are the live KPIs of every mirrored edge node, computed from what
// the host mirrors. Counts are increases over the time each line (or
// station) was observed: the host skips the jump of a counter across a time
// it could not see (a death, a sequence gap) and takes a decrease as a
// reset; times are metric timestamps (the line's clock), never the host's.
//
// OEE follows ISO 22400-2 as the simulator does (twin/kpi.go), with PackML
// states in place of the simulator's phases:
//
//   - planned production time is the observed time less Stopped (planned
//     maintenance, taken out of production on purpose) and less Held while
//     the station's Status/Held is true (held by command: a planned stop,
//     as the simulator's phase Held is);
//   - run time is planned time less the other Held time (breakdowns) and
//     Aborted (broken by command): the machine cannot produce through its
//     own fault;
//   - Execute and Suspended (starved, blocked: an external condition stops
//     it) count as run time, so waiting shows as a performance loss, not an
//     availability one; Aborting and Holding (a break or a hold waiting for
//     the current unit to be done) still run; any other state counts as run
//     time too;
//   - Availability = run / planned; Performance = processed / ideal output,
//     at most 1, where the ideal output is the design speed integrated over
//     run time, raised while the station's Status/Speed is above 1 (by the
//     modelled station's twin.Spec.SpeedBoost, else by the speed): running
//     faster than design raises the ideal rate for that time, running
//     slower is a speed loss (ISO 22400); Quality = (processed - defective)
//     / processed; OEE = A x P x Q.
//
// A multi-server station publishing "Server k/State" is measured per
// server: times are summed over servers and divided by their number, as the
// design speed covers all servers. Otherwise the station's own State is
// used (Execute while any server is). The design speed is the station's
// Admin/MachDesignSpeed (units/min at the design cycle, all servers) or,
// without it, the modelled station's (packml.DesignSpeed: servers x 60 /
// its ideal cycle with the arm's moves, 60 / pitch for a conveyor); without
// either, Performance and OEE are 0 and DesignPerMin is 0.
//
// Line OEE is measured on the constraint station, never averaged over
// stations: the modelled line's Spec.Constraint, else the station with the
// lowest design speed. Its availability is the constraint's; performance
// is (shipped + scrapped) over its design speed x run time, each second of
// run time raised by the line's speed-up then (the lowest design speed x
// speed-up over the stations, over the lowest design speed), at most 1;
// quality is
// Line/Good over shipped + scrapped (without Line/Good, shipped over
// shipped + scrapped: escaped defects then count as good).
type KPIs struct {
	// Lines are the KPIs of each edge node, by group and edge node id.
	Lines []LineKPI `json:"lines"`
}

// LineKPI holds one edge node's KPIs.
type LineKPI struct {
	// Group is the edge node's Sparkplug group.
	Group string `json:"group"`
	// EdgeNode is the edge node's id.
	EdgeNode string `json:"edge_node"`
	// Online says the edge node is born and not dead.
	Online bool `json:"online"`
	// ObservedS is the time the counts and rates are over, in seconds: from
	// when the host first saw the line to its latest metric, less the time
	// the node was dead or not yet born.
	ObservedS float64 `json:"observed_s"`
	// Shipped is the increase of Line/Shipped over the observed time.
	Shipped int64 `json:"shipped"`
	// Scrapped is the increase of Line/Scrapped over the observed time.
	Scrapped int64 `json:"scrapped"`
	// Good is the increase of Line/Good over the observed time (0 without
	// Line/Good).
	Good int64 `json:"good"`
	// HasGood says the node publishes Line/Good.
	HasGood bool `json:"has_good"`
	// ThroughputPerHour is shipped units per observed hour.
	ThroughputPerHour float64 `json:"throughput_per_hour"`
	// GoodPerHour is good units per observed hour (0 without Line/Good).
	GoodPerHour float64 `json:"good_per_hour"`
	// RecentPerHour is shipped units per hour over the last RecentS
	// seconds.
	RecentPerHour float64 `json:"recent_per_hour"`
	// RecentS is the span of RecentPerHour in seconds of the line's clock:
	// about RecentWindow (15 minutes), less on a young line; 0 before a
	// second sample.
	RecentS float64 `json:"recent_s"`
	// WIP is the current Line/WIP.
	WIP int64 `json:"wip"`
	// Yield is Good / (Shipped + Scrapped), 0 without Line/Good.
	Yield float64 `json:"yield"`
	// Constraint is the station line OEE is measured on ("" if unknown).
	Constraint string `json:"constraint"`
	// Bottleneck is the average bottleneck over the last
	// Config.BottleneckWindow (an hour unless set) of the
	// line's clock and MomentaryBottleneck the momentary one, by the active
	// period method as the simulator names them (bottleneck.go); "" when
	// none is known or the line is not modelled.
	Bottleneck string `json:"bottleneck"`
	// MomentaryBottleneck is the station that is the bottleneck now, by the
	// active period method; "" when none is known or the line is not
	// modelled.
	MomentaryBottleneck string `json:"momentary_bottleneck"`
	// Availability is the constraint station's availability, 0 to 1.
	Availability float64 `json:"availability"`
	// Performance is shipped plus scrapped units over the constraint's
	// design speed times its run time (raised by any speed-up), 0 to 1.
	Performance float64 `json:"performance"`
	// Quality is good units over shipped plus scrapped (shipped over
	// shipped plus scrapped without Line/Good), 0 to 1.
	Quality float64 `json:"quality"`
	// OEE is Availability x Performance x Quality, 0 to 1.
	OEE float64 `json:"oee"`
	// Stations are the node's stations, in the modelled flow order, else
	// by id.
	Stations []StationKPI `json:"stations"`
}

// StationKPI holds one station's KPIs. Times are per server (summed over
// servers, divided by their number), in seconds.
type StationKPI struct {
	// ID is the station's device id.
	ID string `json:"id"`
	// State is the name of the station's current (or last known) PackML
	// state.
	State string `json:"state"`
	// StateNumber is State's PackML number.
	StateNumber int32 `json:"state_number"`
	// Stale says the station went silent for longer than the host allows.
	Stale bool `json:"stale"`
	// Servers is the number of servers the times are divided by (1 unless
	// the station publishes Server k/State).
	Servers int `json:"servers"`
	// Processed is the increase of ProdProcessedCount over the observed
	// time.
	Processed int64 `json:"processed"`
	// Defective is the increase of ProdDefectiveCount over the observed
	// time.
	Defective int64 `json:"defective"`
	// ThroughputPerHour is processed units per observed hour.
	ThroughputPerHour float64 `json:"throughput_per_hour"`
	// RecentPerHour is processed units per hour over the last RecentS
	// seconds.
	RecentPerHour float64 `json:"recent_per_hour"`
	// RecentS is the span of RecentPerHour in seconds of the line's clock
	// (about RecentWindow, 15 minutes).
	RecentS float64 `json:"recent_s"`
	// DesignPerMin is the design speed used for Performance (0: unknown).
	DesignPerMin float64 `json:"design_per_min"`
	// ObservedS is the time with a known state since the host first saw
	// the station, in seconds.
	ObservedS float64 `json:"observed_s"`
	// PlannedS is ObservedS less Stopped and commanded Held time, in
	// seconds.
	PlannedS float64 `json:"planned_s"`
	// RunS is PlannedS less breakdowns (other Held time) and Aborted, in
	// seconds.
	RunS float64 `json:"run_s"`
	// Availability is RunS over PlannedS, 0 to 1.
	Availability float64 `json:"availability"`
	// Performance is Processed over the design speed integrated over run
	// time, 0 to 1.
	Performance float64 `json:"performance"`
	// Quality is Processed less Defective over Processed, 0 to 1 (0 before
	// the first unit).
	Quality float64 `json:"quality"`
	// OEE is Availability x Performance x Quality, 0 to 1.
	OEE float64 `json:"oee"`
}

// kpiRatio is a / b, 0 when b is not positive or the result not finite.
func kpiRatio(a, b float64) float64 {
	if b <= 0 {
		return 0
	}
	r := a / b
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return 0
	}
	return r
}

// KPIs returns the live KPIs of every edge node in v (a view of the
// mirror the monitor observes), sorted by group and edge node id;
// stations in the modelled flow order, else by id.
func (m *Monitor) KPIs(v *mirror.View) KPIs {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.kpisFrom(m.treeLocked(v))
}

// TreeAndKPIs returns the tree and the KPIs of v, computed together.
func (m *Monitor) TreeAndKPIs(v *mirror.View) (Tree, KPIs) {
	m.mu.Lock()
	defer m.mu.Unlock()
	tree := m.treeLocked(v)
	return tree, m.kpisFrom(tree)
}

// kpisFrom computes the KPIs of the lines of tree. m.mu is held.
func (m *Monitor) kpisFrom(tree Tree) KPIs {
	out := KPIs{Lines: []LineKPI{}}
	for _, a := range tree.Areas {
		for _, ln := range a.Lines {
			lt := m.track.lines[nodeKey{a.Name, ln.Name}]
			out.Lines = append(out.Lines, m.lineKPI(lt, &ln))
		}
	}
	return out
}

func (m *Monitor) lineKPI(lt *trackLine, ln *LineNode) LineKPI {
	k := LineKPI{Group: lt.key.group, EdgeNode: lt.key.node, Online: ln.Online,
		Shipped: lt.shipped.inc, Scrapped: lt.scrapped.inc, Good: lt.good.inc, HasGood: lt.hasGood,
		Stations: []StationKPI{}}
	obs := lt.clock - lt.life.first - min(lt.clock-lt.life.first, lt.life.unknownAt(lt.clock))
	k.ObservedS = trackSeconds(obs)
	hours := k.ObservedS / 3600
	k.ThroughputPerHour = kpiRatio(float64(k.Shipped), hours)
	if k.HasGood {
		k.GoodPerHour = kpiRatio(float64(k.Good), hours)
	}
	rate, span := lt.recent.rate(lt.clock, lt.shipped.inc)
	k.RecentPerHour, k.RecentS = rate, trackSeconds(span)
	k.WIP = lt.wip
	k.Bottleneck, k.MomentaryBottleneck = lt.bottlenecks()
	outCount := float64(k.Shipped + k.Scrapped)
	if k.HasGood {
		k.Yield = kpiRatio(float64(k.Good), outCount)
	}

	// Stations: in the spec's flow order when modelled, then the others.
	_, modelled := m.cfg.Model.CopyOf(lt.key.group, lt.key.node)
	constraint := ""
	if modelled {
		spec := m.cfg.Model.Spec
		constraint = spec.Stations[spec.Constraint()].ID
	}
	for _, cell := range ln.Cells {
		for _, dn := range cell.Devices {
			d := lt.devices[dn.ID]
			if dn.Kind != "station" || d == nil {
				continue
			}
			k.Stations = append(k.Stations, m.stationKPI(lt, d, dn.Stale, modelled))
		}
	}
	var con *StationKPI
	for i := range k.Stations {
		s := &k.Stations[i]
		if constraint == "" && s.DesignPerMin > 0 && (con == nil || s.DesignPerMin < con.DesignPerMin) {
			con = s
		}
		if s.ID == constraint {
			con = s
		}
	}
	if con == nil {
		return k
	}
	k.Constraint = con.ID
	good := float64(k.Shipped)
	if k.HasGood {
		good = float64(k.Good)
	}
	k.Availability = con.Availability
	k.Performance = min(1, kpiRatio(outCount, con.DesignPerMin/60*m.lineIdealRunS(lt, &k, con, modelled)))
	k.Quality = kpiRatio(good, outCount)
	k.OEE = k.Availability * k.Performance * k.Quality
	return k
}

func (m *Monitor) stationKPI(lt *trackLine, d *trackDevice, stale bool, modelled bool) StationKPI {
	s := StationKPI{ID: d.id, State: d.main.name, StateNumber: d.main.number, Stale: stale,
		Processed: d.processed.inc, Defective: d.defective.inc}
	machines := d.servers
	if len(machines) == 0 {
		machines = []trackMachine{d.main}
	}
	n := float64(len(machines))
	s.Servers = len(machines)
	var observed, stopped, down uint64
	boost := m.boostOf(d.id, modelled)
	var ideal float64 // run time x the speed-up of its epoch, ms
	for i := range machines {
		mc := &machines[i]
		observed += mc.observedAt(lt.clock)
		mc.each(lt.clock, func(b *trackBucket) {
			switch {
			case b.name == stoppedName || b.name == heldName && b.held:
				stopped += b.ms
			case b.name == heldName || b.name == abortedName:
				down += b.ms
			default:
				ideal += float64(b.ms) * boost(lt.speedAt(b.epoch, d.id))
			}
		})
	}
	s.ObservedS = trackSeconds(observed) / n
	s.PlannedS = trackSeconds(observed-min(observed, stopped)) / n
	s.RunS = s.PlannedS - trackSeconds(down)/n
	s.Availability = kpiRatio(s.RunS, s.PlannedS)
	d.idealRunS = ideal / 1000 / n

	s.ThroughputPerHour = kpiRatio(float64(s.Processed), trackSeconds(d.main.observedAt(lt.clock))/3600)
	rate, span := d.recent.rate(lt.clock, d.processed.inc)
	s.RecentPerHour, s.RecentS = rate, trackSeconds(span)

	s.DesignPerMin = m.designPerMin(d, modelled)
	s.Performance = min(1, kpiRatio(float64(s.Processed), s.DesignPerMin/60*d.idealRunS))
	if s.Processed > 0 {
		s.Quality = max(0, kpiRatio(float64(s.Processed-s.Defective), float64(s.Processed)))
	}
	s.OEE = s.Availability * s.Performance * s.Quality
	return s
}

// designPerMin returns a station's design speed in units/min: its
// Admin/MachDesignSpeed, else that of the modelled station
// (packml.DesignSpeed), else 0.
func (m *Monitor) designPerMin(d *trackDevice, modelled bool) float64 {
	if d.design > 0 {
		return d.design
	}
	if !modelled {
		return 0
	}
	spec := m.cfg.Model.Spec
	for i := range spec.Stations {
		if spec.Stations[i].ID == d.id {
			return packml.DesignSpeed(spec, i)
		}
	}
	return 0
}

// The PackML states the KPIs sort time by.
var (
	stoppedName = packml.Stopped.String()
	heldName    = packml.Held.String()
	abortedName = packml.Aborted.String()
)

// boostOf returns how a relative speed raises device id's ideal rate: as
// the modelled station's (twin.Spec.SpeedBoost: the arm's moves do not
// speed up), else by the speed itself; never below 1, so a slow-down is a
// speed loss.
func (m *Monitor) boostOf(id string, modelled bool) func(f float64) float64 {
	if modelled {
		spec := m.cfg.Model.Spec
		for i := range spec.Stations {
			if spec.Stations[i].ID == id {
				return func(f float64) float64 { return spec.SpeedBoost(i, f) }
			}
		}
	}
	return func(f float64) float64 { return max(1, f) }
}

// lineIdealRunS returns the constraint's run time, per server, with each
// second weighted by how much the speeds of that time raised the line's
// ideal rate: the lowest design speed x speed-up of its stations then,
// over the lowest design speed at nominal speeds (at least 1).
func (m *Monitor) lineIdealRunS(lt *trackLine, k *LineKPI, con *StationKPI, modelled bool) float64 {
	d := lt.devices[con.ID]
	if d == nil {
		return con.RunS
	}
	base := 0.0
	for i := range k.Stations {
		if v := k.Stations[i].DesignPerMin; v > 0 && (base == 0 || v < base) {
			base = v
		}
	}
	boosts := make([]func(float64) float64, len(k.Stations))
	for i := range k.Stations {
		boosts[i] = m.boostOf(k.Stations[i].ID, modelled)
	}
	lineBoost := func(e int32) float64 {
		rate := 0.0
		for i := range k.Stations {
			s := &k.Stations[i]
			if s.DesignPerMin <= 0 {
				continue
			}
			if r := s.DesignPerMin * boosts[i](lt.speedAt(e, s.ID)); rate == 0 || r < rate {
				rate = r
			}
		}
		return max(1, kpiRatio(rate, base))
	}
	machines := d.servers
	if len(machines) == 0 {
		machines = []trackMachine{d.main}
	}
	var ideal float64
	for i := range machines {
		machines[i].each(lt.clock, func(b *trackBucket) {
			if b.name != stoppedName && b.name != heldName && b.name != abortedName {
				ideal += float64(b.ms) * lineBoost(b.epoch)
			}
		})
	}
	return ideal / 1000 / float64(len(machines))
}
