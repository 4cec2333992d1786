package monitor

import (
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/lightsout-sim/lightsout/twin/bottleneck"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
)

// trackDeviceClockMetrics returns the device metrics whose timestamps
// advance a line's clock when a DBIRTH or DDATA arrives.
func trackDeviceClockMetrics() [8]string {
	return [...]string{packml.MetricState, packml.MetricStateNumber, packml.MetricProcessed, packml.MetricDefective,
		packml.MetricScrapped, packml.MetricFailures, packml.MetricBuffer, packml.MetricMoves}
}

// trackNodeClockMetrics returns the node metrics whose timestamps advance a
// line's clock when an NBIRTH or NDATA arrives.
func trackNodeClockMetrics() [5]string {
	return [...]string{packml.MetricSimTime, packml.MetricShipped, packml.MetricGood, packml.MetricLineScrap, packml.MetricWIP}
}

// trackMaxServers bounds the "Server k/State" metrics looked for in a DBIRTH.
const trackMaxServers = 256

// trackState holds, per mirrored edge node, the time each device spent in
// each PackML state and the counters behind the KPIs. It is fed by observe
// with the monitor's lock held; Tree and KPIs read it.
type trackState struct {
	lines map[nodeKey]*trackLine
	// model is the modelled line (Spec nil: none) and ids its stations'
	// ids, in flow order: what the bottleneck detectors follow.
	model  *mirror.Model
	ids    []string
	window sim.Time // of the bottleneck detectors (0: the default)
}

// trackLine is one edge node (an ISA-95 line). All times are metric
// timestamps in ms since the epoch.
type trackLine struct {
	key     nodeKey
	born    bool      // an NBIRTH has been seen
	clock   uint64    // the latest metric timestamp seen from the node
	life    trackSpan // observed and unknown time of the node itself
	devices map[string]*trackDevice

	shipped, good, scrapped trackCounter
	hasGood                 bool
	wip                     int64     // the last Line/WIP
	recent                  trackRing // shipped units, for the recent throughput
	// epochs[e] holds the speed of each station (by device id, 1 when
	// absent) from the e-th speed change on: every machine's time is
	// accounted per epoch, so KPIs can raise the ideal rate for the time
	// a speed-up lasted (see kpi.go). At most trackMaxEpochs are kept;
	// later changes fold into the last.
	epochs []map[string]float64
	// ids are the modelled line's station ids (nil: the line is not
	// modelled); bn its bottleneck detector, made at the first state read
	// (bottleneck.go).
	ids    []string
	window sim.Time
	bn     *bottleneck.Detector
}

// trackMaxEpochs bounds the speed epochs kept per line.
const trackMaxEpochs = 1024

// epoch returns the current speed epoch (0 before any speed change).
func (lt *trackLine) epoch() int32 { return int32(max(len(lt.epochs)-1, 0)) }

// speedAt returns device id's speed in epoch e (1: nominal or unknown).
func (lt *trackLine) speedAt(e int32, id string) float64 {
	if int(e) < len(lt.epochs) {
		if f, ok := lt.epochs[e][id]; ok {
			return f
		}
	}
	return 1
}

// readControl reads a device's Status/Held and Status/Speed. A change of
// speed starts a new epoch for every device of the line; a change of
// hold re-keys the device's own time. Both at the metric's timestamp.
func (lt *trackLine) readControl(u *mirror.Update, d *trackDevice) {
	d.rekey(lt.clock, d.held, lt.epoch()) // a device new to the line
	if m, ok := u.DeviceMetric(packml.MetricHeld); ok && !m.IsNull {
		if h, ok := m.Value.Boolean(); ok && h != d.held {
			d.held = h
			d.rekey(m.Timestamp, h, lt.epoch())
		}
	}
	m, ok := u.DeviceMetric(packml.MetricSpeed)
	if !ok || m.IsNull {
		return
	}
	f, ok := m.Value.Number()
	if !ok || !(f > 0) || math.IsInf(f, 0) || f == lt.speedAt(lt.epoch(), d.id) {
		return
	}
	if len(lt.epochs) == 0 {
		lt.epochs = append(lt.epochs, map[string]float64{})
	}
	if len(lt.epochs) < trackMaxEpochs {
		lt.epochs = append(lt.epochs, maps.Clone(lt.epochs[len(lt.epochs)-1]))
	}
	lt.epochs[len(lt.epochs)-1][d.id] = f
	for _, o := range lt.devices {
		o.rekey(m.Timestamp, o.held, lt.epoch())
	}
}

// rekey closes the current segments of the device's machines at at and
// accounts the time from then on to hold and speed epoch e.
func (d *trackDevice) rekey(at uint64, held bool, e int32) {
	d.main.rekey(at, held, e)
	for k := range d.servers {
		d.servers[k].rekey(at, held, e)
	}
}

// trackDevice is one device: its state history, per-server ones for a
// multi-server station, and its counters.
type trackDevice struct {
	id      string
	main    trackMachine
	servers []trackMachine
	// serverNames caches "Server k/State" and "Server k/StateNumber".
	serverNames          [][2]string
	processed, defective trackCounter
	recent               trackRing // processed units
	station, arm         bool      // it publishes ProdProcessedCount, Counts/Moves
	design               float64   // its Admin/MachDesignSpeed (0: none)
	held                 bool      // its last Status/Held
	bnIndex              int       // its index in the modelled line (-1: none)
	idealRunS            float64   // run time weighted by speed-ups (kpi.go), per server
}

// trackSpan keeps the time a line or device was observed versus unknown (dead,
// stale or before its first birth). Times are ms.
type trackSpan struct {
	first    uint64 // when the line was first seen
	observed bool
	staleAt  uint64 // when it stopped being observed
	unknown  uint64 // unknown time before staleAt
}

// trackMachine accumulates the time one machine (a device or one server of
// it) spent in each PackML state.
type trackMachine struct {
	trackSpan
	known  bool // a state has been read
	name   string
	number int32
	since  uint64 // when the current state began (last change)
	seg    uint64 // start of the current observed, unaccounted segment
	// held and epoch key the current segment: the station was held by
	// command; the line's speed epoch.
	held  bool
	epoch int32
	acc   []trackBucket
}

// trackBucket is the time accumulated in one PackML state, while held by
// command or not, in one speed epoch, in ms.
type trackBucket struct {
	name   string
	number int32
	held   bool
	epoch  int32
	ms     uint64
}

// trackCounter turns a published counter into its increase over observed
// time: a decrease is a reset (the counter restarted from 0), and the jump over
// a gap in observation is skipped (rebase).
type trackCounter struct {
	last int64
	has  bool
	inc  int64
}

func (c *trackCounter) update(v int64) {
	switch {
	case !c.has:
		c.has = true
	case v >= c.last:
		c.inc += v - c.last
	default:
		c.inc += v
	}
	c.last = v
}

// rebase takes v as the new reference without counting the change.
func (c *trackCounter) rebase(v int64) { c.last, c.has = v, true }

func (s *trackState) init(model *mirror.Model, window sim.Time) {
	s.lines = map[nodeKey]*trackLine{}
	s.model, s.ids, s.window = model, modelStations(model), window
}

// observe updates the tracks after one message.
func (s *trackState) observe(u *mirror.Update) {
	t := u.Topic
	switch t.Type {
	case sparkplug.NBIRTH, sparkplug.NDATA, sparkplug.NDEATH, sparkplug.DBIRTH, sparkplug.DDATA, sparkplug.DDEATH:
	default:
		return
	}
	if u.Err != nil && t.Type != sparkplug.NBIRTH && t.Type != sparkplug.DBIRTH {
		return // rejected: nothing changed in the mirror
	}
	key := nodeKey{t.Group, t.EdgeNode}
	lt := s.lines[key]
	if t.Type == sparkplug.NBIRTH && (!u.NodeKnown || !u.Node.Online) {
		return // the birth was rejected
	}
	if lt == nil {
		if t.Type != sparkplug.NBIRTH {
			return
		}
		lt = &trackLine{key: key, devices: map[string]*trackDevice{}}
		if _, ok := s.model.CopyOf(t.Group, t.EdgeNode); ok {
			lt.ids, lt.window = s.ids, s.window
		}
		s.lines[key] = lt
	}
	switch t.Type {
	case sparkplug.NBIRTH:
		lt.nodeBirth(u)
	case sparkplug.NDATA:
		lt.nodeData(u)
	case sparkplug.NDEATH:
		if u.NodeKnown && u.Node.Stale {
			lt.death()
		}
	case sparkplug.DBIRTH:
		if u.DeviceKnown && u.Device.Online {
			lt.deviceBirth(u)
		}
	case sparkplug.DDATA:
		if d := lt.devices[t.Device]; d != nil && u.DeviceKnown {
			lt.deviceData(u, d)
		}
	case sparkplug.DDEATH:
		if d := lt.devices[t.Device]; d != nil {
			d.markStale(lt.clock)
		}
	}
}

// connectionLost marks every line and device as no longer observed, from
// its last clock. The host calls it when its MQTT connection drops.
func (s *trackState) connectionLost() {
	for _, lt := range s.lines {
		lt.death()
	}
}

// tick advances the line's clock to the timestamp of metric m if it is
// later (ok false: no such metric).
func (lt *trackLine) tick(m host.MetricView, ok bool) {
	if ok && m.Timestamp > lt.clock {
		lt.clock = m.Timestamp
	}
}

func (lt *trackLine) nodeBirth(u *mirror.Update) {
	prev := lt.clock
	first := !lt.born
	lt.born = true
	for _, name := range trackNodeClockMetrics() {
		lt.tick(u.NodeMetric(name))
	}
	if first {
		lt.life = trackSpan{first: lt.clock, observed: true}
	} else {
		lt.life.stop(prev)
		lt.life.resume(lt.clock)
	}
	// Whatever happened since the last applied message is unknown until
	// each device's DBIRTH; counters restart from the birth's values.
	for _, d := range lt.devices {
		d.markStale(prev)
	}
	g, _ := intMetric(u.NodeMetric(packml.MetricShipped))
	lt.shipped.rebase(g)
	g, _ = intMetric(u.NodeMetric(packml.MetricLineScrap))
	lt.scrapped.rebase(g)
	g, lt.hasGood = intMetric(u.NodeMetric(packml.MetricGood))
	lt.good.rebase(g)
	lt.wip, _ = intMetric(u.NodeMetric(packml.MetricWIP))
	lt.recent.push(lt.clock, lt.shipped.inc)
}

func (lt *trackLine) nodeData(u *mirror.Update) {
	for _, name := range trackNodeClockMetrics() {
		lt.tick(u.NodeMetric(name))
	}
	if v, ok := intMetric(u.NodeMetric(packml.MetricShipped)); ok {
		lt.shipped.update(v)
	}
	if v, ok := intMetric(u.NodeMetric(packml.MetricLineScrap)); ok {
		lt.scrapped.update(v)
	}
	if v, ok := intMetric(u.NodeMetric(packml.MetricGood)); ok {
		lt.good.update(v)
	}
	if v, ok := intMetric(u.NodeMetric(packml.MetricWIP)); ok {
		lt.wip = v
	}
	lt.recent.push(lt.clock, lt.shipped.inc)
}

// death marks the node and every device as unobserved from the last clock.
func (lt *trackLine) death() {
	lt.life.stop(lt.clock)
	for _, d := range lt.devices {
		d.markStale(lt.clock)
	}
}

// intMetric reads an integer metric (ok false: no such metric, or null).
func intMetric(m host.MetricView, ok bool) (int64, bool) {
	if !ok || m.IsNull {
		return 0, false
	}
	return m.Value.Int64()
}

// designSpeed reads a device's Admin/MachDesignSpeed, 0 when it has none.
func designSpeed(u *mirror.Update) float64 {
	m, ok := u.DeviceMetric(packml.MetricDesignSpeed)
	if !ok || m.IsNull {
		return 0
	}
	if v, ok := m.Value.Number(); ok && v > 0 && !math.IsInf(v, 0) {
		return v
	}
	return 0
}

func (lt *trackLine) deviceBirth(u *mirror.Update) {
	id := u.Topic.Device
	for _, name := range trackDeviceClockMetrics() {
		lt.tick(u.DeviceMetric(name))
	}
	d := lt.devices[id]
	seen := d != nil && d.main.observed // no gap: count what changed
	if d == nil {
		d = &trackDevice{id: id, bnIndex: slices.Index(lt.ids, id)}
		d.main.start(lt.life.first, lt.clock)
		lt.devices[id] = d
	} else {
		d.main.resume(lt.clock)
		for k := range d.servers {
			d.servers[k].resume(lt.clock)
		}
	}
	_, d.station = u.DeviceMetric(packml.MetricProcessed)
	_, d.arm = u.DeviceMetric(packml.MetricMoves)
	d.design = designSpeed(u)
	// Servers: "Server 1/State", "Server 2/State" ... as the birth defines.
	k := 0
	for ; k < trackMaxServers; k++ {
		if k >= len(d.serverNames) {
			d.serverNames = append(d.serverNames, [2]string{packml.ServerMetric(k+1, packml.MetricState),
				packml.ServerMetric(k+1, packml.MetricStateNumber)})
		}
		if _, ok := u.DeviceMetric(d.serverNames[k][0]); !ok {
			break
		}
		if k >= len(d.servers) {
			d.servers = append(d.servers, trackMachine{})
			d.servers[k].start(lt.life.first, lt.clock)
		}
	}
	d.servers = d.servers[:k]
	for _, c := range [...]struct {
		name string
		c    *trackCounter
	}{{packml.MetricProcessed, &d.processed}, {packml.MetricDefective, &d.defective}} {
		v, _ := intMetric(u.DeviceMetric(c.name))
		if seen {
			c.c.update(v)
		} else {
			c.c.rebase(v)
		}
	}
	d.recent.push(lt.clock, d.processed.inc)
	lt.readControl(u, d)
	lt.readStates(u, d)
}

func (lt *trackLine) deviceData(u *mirror.Update, d *trackDevice) {
	for _, name := range trackDeviceClockMetrics() {
		lt.tick(u.DeviceMetric(name))
	}
	if v, ok := intMetric(u.DeviceMetric(packml.MetricProcessed)); ok {
		d.processed.update(v)
	}
	if v, ok := intMetric(u.DeviceMetric(packml.MetricDefective)); ok {
		d.defective.update(v)
	}
	if v := designSpeed(u); v > 0 {
		d.design = v
	}
	d.recent.push(lt.clock, d.processed.inc)
	lt.readControl(u, d)
	lt.readStates(u, d)
}

// readStates applies the device's (and its servers') current State and
// StateNumber metrics.
func (lt *trackLine) readStates(u *mirror.Update, d *trackDevice) {
	lt.readState(u, packml.MetricState, packml.MetricStateNumber, &d.main)
	for k := range d.servers {
		lt.readState(u, d.serverNames[k][0], d.serverNames[k][1], &d.servers[k])
	}
	lt.readActivity(d)
}

func (lt *trackLine) readState(u *mirror.Update, nameMetric, numberMetric string, st *trackMachine) {
	name, okName := u.DeviceMetric(nameMetric)
	num, okNum := u.DeviceMetric(numberMetric)
	if !okName && !okNum {
		return
	}
	var (
		s  string
		n  int64
		ts uint64
	)
	if okName {
		s, _ = name.Value.Text()
		ts = name.Timestamp
	}
	if okNum {
		n, _ = num.Value.Int64()
		ts = max(ts, num.Timestamp)
	}
	if s == "" {
		s = "State(" + strconv.FormatInt(n, 10) + ")"
	}
	lt.clock = max(lt.clock, ts)
	st.set(s, int32(n), ts)
}
