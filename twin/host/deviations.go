package host

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// Deviation detection parameters of a Host.
const (
	// DeviationCapacity is the number of deviation events a host keeps;
	// older ones are dropped (the per-kind counters keep counting).
	DeviationCapacity = 1000
	// DefaultStaleTimeout is the silence after which an online edge node
	// is reported Stale by [Host.CheckStale].
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

// A Deviation is one deviation event the host raised: the event and the
// Sparkplug group of the edge node it concerns. Event.Device is "node" for
// an edge node and "node/device" for a device; Event.Time is ms since the
// Unix epoch times sim.Millisecond (the timestamp of the metric or message
// that triggered it, or the host's clock for a silence).
type Deviation struct {
	// Seq numbers the events a host raised, from 1.
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
// Every method runs with h.mu held.
type watchState struct {
	log      *zap.Logger
	group    string // the host's group filter, for events added without one
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

// init sets the detectors up and reads the model of every station of
// Config.Spec (a station whose model cannot be read is not watched); it
// fails if a model gives no valid drift detector.
func (s *watchState) init(h *Host) error {
	s.log = h.log
	s.group = h.cfg.Group
	s.timeout = sim.Time(DefaultStaleTimeout)
	s.stale = deviation.NewStaleDetector(s.timeout)
	s.faults = deviation.NewFaultRecorder(sim.Time(FaultInterval))
	s.nodes = map[nodeKey]*watchNode{}
	s.ring = make([]Deviation, 0, DeviationCapacity)
	spec := h.cfg.Spec
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
			h.log.Debug("host: cycle time not watched", zap.String("station", st.ID), zap.Error(err))
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
func (s *watchState) device(h *Host, n *watchNode, t sparkplug.Topic) *watchDevice {
	d := n.devices[t.Device]
	if d != nil {
		return d
	}
	d = &watchDevice{}
	n.devices[t.Device] = d
	if _, ok := h.CopyOf(t.Group, t.EdgeNode); !ok {
		return d
	}
	i, ok := s.stations[t.Device]
	if !ok || s.models[i] == nil {
		return d
	}
	dr, err := deviation.NewDrift(t.EdgeNode+"/"+t.Device, *s.models[i], deviation.DriftConfig{Noise: driftNoise})
	if err != nil { // checked in init
		s.log.Warn("host: drift detector", zap.String("device", t.Device), zap.Error(err))
		return d
	}
	d.drift = dr
	return d
}

// observe updates the detectors after the session applied (err nil) or
// rejected (err set) a message on topic t at host time now: a rejection is
// a ProtocolFault of the node; a death is Stale; an applied message keeps
// the node fresh; the counters of a station device feed its drift
// detector. h.mu is held; reading the session allocates nothing for data.
func (s *watchState) observe(h *Host, t sparkplug.Topic, now time.Time, err error) {
	if t.Type == sparkplug.STATE || t.Type == sparkplug.NCMD || t.Type == sparkplug.DCMD {
		return
	}
	hostNow := msTime(uint64(now.UnixMilli()))
	n := s.node(t.Group, t.EdgeNode)
	if err != nil {
		// Data from a node this host has not yet seen born is how a host
		// joins a running edge: the session asks for a rebirth, and that is
		// no fault of the node.
		if !n.born && errors.Is(err, sparkplug.ErrNotBorn) {
			return
		}
		// The session rejected the message: a protocol fault of the node.
		if ev, ok := s.faults.RecordError(hostNow, n.key, err); ok {
			ev.Device = t.EdgeNode
			s.addFor(t.Group, t.EdgeNode, ev)
		}
		return
	}
	switch t.Type {
	case sparkplug.NDEATH:
		v, ok := h.sess.Node(t.Group, t.EdgeNode)
		if ok && !v.Online && n.online { // not a late Will of an older session
			s.nodeDied(n, t.Group, t.EdgeNode, msTime(v.StaleSince), "NDEATH")
		}
		return
	case sparkplug.NBIRTH:
		n.online, n.born = true, true
		for _, d := range n.devices {
			d.online = false // until their DBIRTH
		}
	case sparkplug.DDEATH:
		d := s.device(h, n, t)
		if d.online {
			d.online = false
			since := hostNow
			if v, ok := h.sess.Node(t.Group, t.EdgeNode); ok {
				for _, dv := range v.Devices {
					if dv.ID == t.Device && dv.StaleSince != 0 {
						since = msTime(dv.StaleSince)
					}
				}
			}
			s.addFor(t.Group, t.EdgeNode, deviation.Event{
				Time: since, Device: t.EdgeNode + "/" + t.Device, Kind: deviation.Stale,
				Reason: "device died (DDEATH)", Value: (hostNow - n.last).Seconds(), Limit: s.timeout.Seconds(),
			})
		}
	case sparkplug.DBIRTH, sparkplug.DDATA:
		d := s.device(h, n, t)
		if t.Type == sparkplug.DBIRTH {
			d.online = true
		}
		if d.drift != nil {
			s.cycles(h, t, d)
		}
	}
	if n.online {
		n.last = hostNow
		s.stale.Seen(n.key, hostNow)
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
func (s *watchState) cycles(h *Host, t sparkplug.Topic, d *watchDevice) {
	cm, ok1 := h.sess.Metric(t.Group, t.EdgeNode, t.Device, packml.MetricProcessed)
	tm, ok2 := h.sess.Metric(t.Group, t.EdgeNode, t.Device, packml.MetricCycleTotal)
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
	if sm, ok := h.sess.Metric(t.Group, t.EdgeNode, t.Device, packml.MetricSpeed); ok && !sm.IsNull {
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
// at host time now, and the nodes the session took offline without a
// death the host saw (the host's connection was lost).
func (s *watchState) checkStale(h *Host, now time.Time) {
	t := msTime(uint64(now.UnixMilli()))
	var lost []nodeKey
	for k, n := range s.nodes {
		if !n.online {
			continue
		}
		if v, ok := h.sess.Metric(k.group, k.node, "", sparkplug.BdSeqMetric); ok && v.Stale {
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
// the host's group. ev.Time is ms since the Unix epoch times
// sim.Millisecond (see msTime), ev.Device "node" or "node/device". h.mu is
// held; it neither blocks nor publishes.
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
	s.log.Info("host: deviation", zap.String("group", group), zap.String("node", node),
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

// Deviations returns the deviation events the host keeps (the last
// [DeviationCapacity]), oldest first.
func (h *Host) Deviations() []Deviation {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.watch.events(math.MinInt64)
}

// DeviationCounts returns how many events of each kind the host has
// raised, including those no longer kept.
func (h *Host) DeviationCounts() map[deviation.Kind]uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[deviation.Kind]uint64, len(h.watch.counts))
	for k, n := range h.watch.counts {
		out[deviation.Kind(k)] = n
	}
	return out
}

// CheckStale reports Stale events for the edge nodes that were online and
// have sent nothing for longer than [DefaultStaleTimeout] by the host's
// clock, and for those the host took offline when it lost its
// connection. Call it periodically (every second or so) while connected.
func (h *Host) CheckStale() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.watch.checkStale(h, h.cfg.Now())
}

// DeviationsJSON is the document GET /api/deviations returns.
type DeviationsJSON struct {
	// Counts are the events raised per kind, including those dropped.
	Counts map[string]uint64 `json:"counts"`
	// Events are the kept events at or after ?since, oldest first.
	Events []DeviationJSON `json:"events"`
}

// DeviationJSON is one event in [DeviationsJSON].
type DeviationJSON struct {
	Seq    uint64    `json:"seq"`
	Time   time.Time `json:"time"`
	Ms     int64     `json:"ms"`
	Group  string    `json:"group,omitempty"`
	Device string    `json:"device"`
	Kind   string    `json:"kind"`
	Reason string    `json:"reason"`
	Value  any       `json:"value"`
	Limit  any       `json:"limit"`
}

// watchRoutes adds this file's HTTP routes to mux:
//
//	GET /api/deviations[?since=<ms>]  the kept deviation events (DeviationsJSON)
//	POST /api/command                 send a command (CommandRequest), see command.go
func (h *Host) watchRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/deviations", h.serveDeviations)
	h.commandRoutes(mux)
}

func (h *Host) serveDeviations(w http.ResponseWriter, r *http.Request) {
	since := int64(math.MinInt64)
	q := r.URL.Query()
	for k, vs := range q {
		if k != "since" {
			writeJSON(w, http.StatusBadRequest, errorJSON{Error: fmt.Sprintf("%s: unknown query parameter (want since)", k)})
			return
		}
		if len(vs) != 1 {
			writeJSON(w, http.StatusBadRequest, errorJSON{Error: "since: give it once"})
			return
		}
		v, err := strconv.ParseInt(vs[0], 10, 64)
		if err != nil || v < 0 {
			writeJSON(w, http.StatusBadRequest, errorJSON{Error: fmt.Sprintf("since: want ms since the Unix epoch, got %q", vs[0])})
			return
		}
		since = v
	}
	h.mu.Lock()
	evs := h.watch.events(since)
	counts := h.watch.counts
	h.mu.Unlock()
	doc := DeviationsJSON{Counts: map[string]uint64{}, Events: make([]DeviationJSON, 0, len(evs))}
	for k, n := range counts {
		doc.Counts[deviation.Kind(k).String()] = n
	}
	for _, d := range evs {
		doc.Events = append(doc.Events, DeviationJSON{
			Seq: d.Seq, Time: time.UnixMilli(d.Ms()).UTC(), Ms: d.Ms(), Group: d.Group,
			Device: d.Device, Kind: d.Kind.String(), Reason: d.Reason,
			Value: watchFloat(d.Value), Limit: watchFloat(d.Limit),
		})
	}
	writeJSON(w, http.StatusOK, doc)
}

// watchFloat returns f as JSON can carry it: NaN and infinities as strings.
func watchFloat(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return f
}
