package monitor

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// Deviation detection parameters of a Monitor.
const (
	// DeviationCapacity is the number of deviation events a host keeps;
	// older ones are dropped (the per-kind counters keep counting).
	DeviationCapacity = 1000
	// DefaultStaleTimeout is the silence after which an online edge node
	// is reported Stale by [Monitor.CheckStale].
	DefaultStaleTimeout = 10 * time.Second
	// FaultInterval is the least time between two ProtocolFault events of
	// one edge node; the faults in between are counted and summarised in
	// the next event.
	FaultInterval = 10 * time.Second
	// driftNoise is the relative measurement error assumed on cycle times
	// (Cycle/Total is in whole ms); it also lets a const cycle time be
	// watched.
	driftNoise = 0.01
	// maxFeed bounds the cycles one message may feed a drift detector; a
	// larger jump of the processed count restarts the baseline instead.
	maxFeed = 100000
)

// A Deviation is one deviation event the monitor raised: the event and the
// Sparkplug group of the edge node it concerns. Event.Device is "node" for
// an edge node and "node/device" for a device; Event.Time is ms since the
// Unix epoch times sim.Millisecond (the timestamp of the metric or message
// that triggered it, or the host's clock for a silence).
type Deviation struct {
	// Seq numbers the events a monitor raised, from 1.
	Seq   uint64
	Group string
	deviation.Event
}

// Ms returns the event's time in ms since the Unix epoch.
func (d Deviation) Ms() int64 { return int64(d.Time / sim.Millisecond) }

// String formats the deviation on one line: "2026-11-27T14:02:03.456Z
// plant/L1/placer CycleTimeDrift: cycle time ...".
func (d Deviation) String() string {
	return fmt.Sprintf("%s %s/%s %v: %s", time.UnixMilli(d.Ms()).UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		d.Group, d.Device, d.Kind, d.Reason)
}

// watchState holds the deviation detectors and the events they raised.
// Every method runs with the monitor's lock held.
type watchState struct {
	log      *zap.Logger
	model    *mirror.Model
	group    string // the model's group, for events added without one
	timeout  sim.Time
	stale    *deviation.StaleDetector // keyed by "group/node"
	faults   *deviation.FaultRecorder // keyed by "group/node"
	nodes    map[nodeKey]*watchNode
	models   []*deviation.Model // per station of the spec; nil: not watched
	stations map[string]int     // station id -> index in the spec

	ring   []Deviation // the last DeviationCapacity events, oldest at next when full
	next   int
	seq    uint64
	counts [deviation.ProtocolFault + 1]uint64
	buf    []deviation.Event // scratch for StaleDetector.Check
}

// watchNode is what the detectors know of one edge node.
type watchNode struct {
	key     string // "group/node", the detectors' key
	online  bool   // between an applied NBIRTH and its death
	born    bool   // an NBIRTH was applied once
	last    sim.Time
	devices map[string]*watchDevice
}

// watchDevice is one device of a node: its drift detector (a station of a
// modelled copy) and the baseline of its counters.
type watchDevice struct {
	online bool
	drift  *deviation.Drift // nil: not a modelled station
	// The counters at the last observation; based is false until the
	// first observation with both.
	count, total int64
	based        bool
}

// init sets the detectors up and reads the model of every station of the
// modelled line (a station whose model cannot be read is not watched); it
// fails if a model gives no valid drift detector.
func (s *watchState) init(model *mirror.Model, log *zap.Logger) error {
	s.log = log
	s.model = model
	s.group = model.Group
	s.timeout = sim.Time(DefaultStaleTimeout)
	s.stale = deviation.NewStaleDetector(s.timeout)
	s.faults = deviation.NewFaultRecorder(sim.Time(FaultInterval))
	s.nodes = map[nodeKey]*watchNode{}
	s.ring = make([]Deviation, 0, DeviationCapacity)
	spec := model.Spec
	if spec == nil {
		return nil
	}
	s.models = make([]*deviation.Model, len(spec.Stations))
	s.stations = make(map[string]int, len(spec.Stations))
	for i, st := range spec.Stations {
		s.stations[st.ID] = i
		if st.Conveyor != nil {
			continue // a conveyor's dwell is fixed; there is no cycle to watch
		}
		m, err := deviation.ModelOf(st.Cycle)
		if err != nil {
			log.Debug("monitor: cycle time not watched", zap.String("station", st.ID), zap.Error(err))
			continue
		}
		if _, err := deviation.NewDrift(st.ID, m, deviation.DriftConfig{Noise: driftNoise}); err != nil {
			return fmt.Errorf("station %s: %w", st.ID, err)
		}
		s.models[i] = &m
	}
	return nil
}

// node returns the state of an edge node, creating it.
func (s *watchState) node(group, node string) *watchNode {
	k := nodeKey{group, node}
	n := s.nodes[k]
	if n == nil {
		n = &watchNode{key: group + "/" + node, devices: map[string]*watchDevice{}}
		s.nodes[k] = n
	}
	return n
}

// device returns the state of a device, creating it with a drift detector
// when it is a station of a modelled copy.
func (s *watchState) device(n *watchNode, t sparkplug.Topic) *watchDevice {
	d := n.devices[t.Device]
	if d != nil {
		return d
	}
	d = &watchDevice{}
	n.devices[t.Device] = d
	if _, ok := s.model.CopyOf(t.Group, t.EdgeNode); !ok {
		return d
	}
	i, ok := s.stations[t.Device]
	if !ok || s.models[i] == nil {
		return d
	}
	dr, err := deviation.NewDrift(t.EdgeNode+"/"+t.Device, *s.models[i], deviation.DriftConfig{Noise: driftNoise})
	if err != nil { // checked in init
		s.log.Warn("monitor: drift detector", zap.String("device", t.Device), zap.Error(err))
		return d
	}
	d.drift = dr
	return d
}

// observe updates the detectors after the session applied (u.Err nil) or
// rejected (u.Err set) a message: a rejection is a ProtocolFault of the
// node; a death is Stale; an applied message keeps the node fresh; the
// counters of a station device feed its drift detector.
func (s *watchState) observe(u *mirror.Update) {
	t, err := u.Topic, u.Err
	if t.Type == sparkplug.STATE || t.Type == sparkplug.NCMD || t.Type == sparkplug.DCMD {
		return
	}
	hostNow := msTime(uint64(u.Time.UnixMilli()))
	if !u.NodeKnown {
		// A node the mirror does not hold: refused at a limit, or a
		// payload it could not read from a node it did not know. One
		// fault key serves them all, so made-up names cannot grow the
		// detectors.
		if err != nil {
			s.fault(hostNow, unknownNodes, t, err)
		}
		return
	}
	n := s.node(t.Group, t.EdgeNode)
	if err != nil {
		// Data from a node this host has not yet seen born is how a host
		// joins a running edge: the session asks for a rebirth, and that is
		// no fault of the node.
		if !n.born && errors.Is(err, sparkplug.ErrNotBorn) {
			return
		}
		// The session rejected the message: a protocol fault of the node.
		s.fault(hostNow, n.key, t, err)
		return
	}
	switch t.Type {
	case sparkplug.NDEATH:
		if u.NodeKnown && !u.Node.Online && n.online { // not a late Will of an older session
			s.nodeDied(n, t.Group, t.EdgeNode, msTime(u.Node.StaleSince), "NDEATH")
		}
		return
	case sparkplug.NBIRTH:
		n.online, n.born = true, true
		for _, d := range n.devices {
			d.online = false // until their DBIRTH
		}
	case sparkplug.DDEATH:
		d := s.device(n, t)
		if d.online {
			d.online = false
			since := hostNow
			if u.DeviceKnown && u.Device.StaleSince != 0 {
				since = msTime(u.Device.StaleSince)
			}
			s.addFor(t.Group, t.EdgeNode, deviation.Event{
				Time: since, Device: t.EdgeNode + "/" + t.Device, Kind: deviation.Stale,
				Reason: "device died (DDEATH)", Value: (hostNow - n.last).Seconds(), Limit: s.timeout.Seconds(),
			})
		}
	case sparkplug.DBIRTH, sparkplug.DDATA:
		d := s.device(n, t)
		if t.Type == sparkplug.DBIRTH {
			d.online = true
		}
		if d.drift != nil {
			s.cycles(u, d)
		}
	}
	if n.online {
		n.last = hostNow
		s.stale.Seen(n.key, hostNow)
	}
}

// unknownNodes is the fault recorder's key of the nodes the mirror does
// not hold (a node's key is "group/node", so it cannot clash).
const unknownNodes = "/"

// fault records a message on t rejected with err as a fault of key,
// raising its event unless the key had one within FaultInterval.
func (s *watchState) fault(t sim.Time, key string, topic sparkplug.Topic, err error) {
	if ev, ok := s.faults.RecordError(t, key, err); ok {
		ev.Device = topic.EdgeNode
		s.addFor(topic.Group, topic.EdgeNode, ev)
	}
}

// forget drops what the detectors keep of node k (the mirror forgot it).
func (s *watchState) forget(k nodeKey) {
	if n := s.nodes[k]; n != nil {
		s.stale.Forget(n.key)
		s.faults.Forget(n.key)
		delete(s.nodes, k)
	}
}

// nodeDied reports an edge node and its online devices stale at t.
func (s *watchState) nodeDied(n *watchNode, group, node string, t sim.Time, why string) {
	n.online = false
	if ev, ok := s.stale.MarkStale(n.key, t, "edge node died ("+why+")"); ok {
		ev.Device = node
		s.addFor(group, node, ev)
	}
	for _, id := range slices.Sorted(maps.Keys(n.devices)) {
		d := n.devices[id]
		if !d.online {
			continue
		}
		d.online = false
		s.addFor(group, node, deviation.Event{
			Time: t, Device: node + "/" + id, Kind: deviation.Stale,
			Reason: "edge node died (" + why + ")", Value: (t - n.last).Seconds(), Limit: s.timeout.Seconds(),
		})
	}
}

// cycles feeds the drift detector of a station device with the cycles
// processed since the last observation.
//
// The edge publishes counters, not individual cycles: between two
// observations the processed count moved by dn and the cumulative
// processing time by dt. Feeding the detector dn cycles of dt/dn each adds
// the same total to its running sums as the dn individual cycles would,
// so the CUSUM's drift term, sum(cycle - mean), agrees with the cycle-by-
// cycle one at every observation; only the noise within an interval is
// averaged away (which can only delay a false alarm, not cause one). The
// model expects mean/speed at a commanded speed, so measured cycles are
// scaled by the speed to compare them with the nominal mean.
func (s *watchState) cycles(u *mirror.Update, d *watchDevice) {
	t := u.Topic
	cm, ok1 := u.DeviceMetric(packml.MetricProcessed)
	tm, ok2 := u.DeviceMetric(packml.MetricCycleTotal)
	if !ok1 || !ok2 || cm.IsNull || tm.IsNull {
		return
	}
	count, ok1 := cm.Value.Int64()
	total, ok2 := tm.Value.Int64()
	if !ok1 || !ok2 {
		return
	}
	if !d.based || count < d.count || total < d.total || count-d.count > maxFeed {
		// First sight, or the counters went back (statistics reset, a
		// restarted edge): start again from here.
		d.count, d.total, d.based = count, total, true
		return
	}
	dn, dt := count-d.count, total-d.total
	if dn == 0 {
		return // the time may move ahead of the count; keep the baseline
	}
	d.count, d.total = count, total
	speed := 1.0
	if sm, ok := u.DeviceMetric(packml.MetricSpeed); ok && !sm.IsNull {
		if f, ok := sm.Value.Float64(); ok && f > 0 && !math.IsInf(f, 0) {
			speed = f
		}
	}
	cycle := sim.Time(float64(dt) * float64(sim.Millisecond) * speed / float64(dn))
	at := msTime(cm.Timestamp)
	for range dn {
		if ev, ok := d.drift.Observe(at, cycle); ok {
			s.addFor(t.Group, t.EdgeNode, ev)
		}
	}
}

// checkStale reports the online nodes silent for longer than the timeout
// at host time now, and the nodes the mirror (view v) took offline without
// a death the monitor saw (the host's connection was lost).
func (s *watchState) checkStale(v *mirror.View, now time.Time) {
	t := msTime(uint64(now.UnixMilli()))
	var lost []nodeKey
	for k, n := range s.nodes {
		if !n.online {
			continue
		}
		if nv, ok := v.Node(k.group, k.node); ok && nv.Stale {
			lost = append(lost, k)
		}
	}
	slices.SortFunc(lost, func(a, b nodeKey) int {
		return cmp.Or(strings.Compare(a.group, b.group), strings.Compare(a.node, b.node))
	})
	for _, k := range lost {
		s.nodeDied(s.nodes[k], k.group, k.node, t, "host connection lost")
	}
	s.buf = s.stale.Check(t, s.buf[:0])
	for _, ev := range s.buf {
		group, node, _ := strings.Cut(ev.Device, "/")
		ev.Device = node
		s.addFor(group, node, ev)
	}
}

// add records an event raised elsewhere (the forecast's output band) for
// the model's group. ev.Time is ms since the Unix epoch times
// sim.Millisecond (see msTime), ev.Device "node" or "node/device".
func (s *watchState) add(ev deviation.Event) { s.addFor(s.group, "", ev) }

// addFor records an event of an edge node of group.
func (s *watchState) addFor(group, node string, ev deviation.Event) {
	s.seq++
	d := Deviation{Seq: s.seq, Group: group, Event: ev}
	if len(s.ring) < cap(s.ring) {
		s.ring = append(s.ring, d)
	} else {
		s.ring[s.next] = d
		s.next = (s.next + 1) % len(s.ring)
	}
	if int(ev.Kind) < len(s.counts) {
		s.counts[ev.Kind]++
	}
	s.log.Info("monitor: deviation", zap.String("group", group), zap.String("node", node),
		zap.String("device", ev.Device), zap.Stringer("kind", ev.Kind), zap.String("reason", ev.Reason))
}

// events returns the kept events at or after since (ms), oldest first.
func (s *watchState) events(since int64) []Deviation {
	out := make([]Deviation, 0, len(s.ring))
	for i := range s.ring {
		d := s.ring[(s.next+i)%len(s.ring)]
		if d.Ms() >= since {
			out = append(out, d)
		}
	}
	return out
}

// msTime converts ms since the Unix epoch to the detectors' time.
func msTime(ms uint64) sim.Time {
	return sim.Time(min(ms, math.MaxInt64/uint64(sim.Millisecond))) * sim.Millisecond
}

// Deviations returns the deviation events the monitor keeps (the last
// [DeviationCapacity]), oldest first.
func (m *Monitor) Deviations() []Deviation {
	return m.DeviationsSince(math.MinInt64)
}

// DeviationsSince returns the kept deviation events at or after since (ms
// since the Unix epoch), oldest first.
func (m *Monitor) DeviationsSince(since int64) []Deviation {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.watch.events(since)
}

// DeviationCounts returns how many events of each kind the monitor has
// raised, including those no longer kept.
func (m *Monitor) DeviationCounts() map[deviation.Kind]uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[deviation.Kind]uint64, len(m.watch.counts))
	for k, n := range m.watch.counts {
		out[deviation.Kind(k)] = n
	}
	return out
}

// CheckStale reports Stale events for the edge nodes that were online and
// have sent nothing for longer than [DefaultStaleTimeout] by the host's
// clock now, and for those the mirror (view v) took offline when the host
// lost its connection. Call it periodically (every second or so) while
// connected.
func (m *Monitor) CheckStale(v *mirror.View, now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.watch.checkStale(v, now)
}

// Add records a deviation raised elsewhere (the forecast's output band)
// for the model's group: ev.Time is ms since the Unix epoch times
// sim.Millisecond, ev.Device "node" or "node/device".
func (m *Monitor) Add(ev deviation.Event) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.watch.add(ev)
}
