package sparkplug

import "fmt"

// A MetricID names a metric defined on an [EdgeSession]. It is only
// meaningful to the session that returned it.
type MetricID int32

// EdgeConfig identifies an edge node.
type EdgeConfig struct {
	// Group and EdgeNode are the Sparkplug group and edge node ids.
	Group, EdgeNode string
	// FirstBdSeq is the bdSeq of the first MQTT session. The specification
	// starts at 0; a node that persists its counter across restarts passes
	// the next value here.
	FirstBdSeq uint8
}

type edgeMetric struct {
	name      string
	device    int // -1 for node metrics
	alias     uint64
	hasAlias  bool
	datatype  DataType
	value     Value
	isNull    bool
	timestamp uint64
}

type edgeDevice struct {
	id      string
	metrics []MetricID
	byName  map[string]MetricID
	born    bool
}

// An EdgeSession holds the Sparkplug session rules of one edge node: the
// bdSeq number of each MQTT session, the seq counter, metric aliases and the
// current value of every metric, so that births always carry current values.
// It builds the messages; an MQTT adapter publishes them.
//
// A session is driven in this order: define metrics and devices, call
// [EdgeSession.Connect] before every connection attempt and register the
// returned NDEATH as the MQTT Will of that attempt; when the broker accepts
// it (a successful CONNACK) call [EdgeSession.Accepted] and publish
// [EdgeSession.Birth]; then [EdgeSession.Data], [EdgeSession.DeviceDeath],
// [EdgeSession.DeviceBirth] and [EdgeSession.HandleCommand] as things
// happen, and [EdgeSession.Death] before a clean disconnect. After a lost
// connection, call Connect again for each new attempt.
//
// bdSeq goes up once per MQTT session the broker accepted, not once per
// attempt: Connect reuses the bdSeq of the previous attempt until an
// attempt is accepted, so an outage of any length moves it by one.
//
// Aliases are assigned in definition order, starting at 1 for bdSeq, and
// are unique across the node and all its devices. "Node Control/Rebirth" has
// no alias, as the specification requires.
//
// An EdgeSession is not safe for concurrent use.
type EdgeSession struct {
	group, node string
	metrics     []edgeMetric
	nodeMetrics []MetricID
	nodeByName  map[string]MetricID
	devices     []edgeDevice
	deviceIndex map[string]int
	nextAlias   uint64

	bdSeq uint8
	// spent says a broker accepted a CONNECT whose Will carried bdSeq: the
	// next Connect moves to the next bdSeq.
	spent     bool
	connected bool // a Will is built for the current MQTT session
	born      bool // NBIRTH published in the current MQTT session
	seq       uint8
	bdSeqID   MetricID
	rebirthID MetricID

	scratch []Metric
}

// NewEdgeSession returns a session for the edge node cfg names, with the
// two metrics every NBIRTH carries already defined: "bdSeq" (Int64) and
// "Node Control/Rebirth" (Boolean false).
func NewEdgeSession(cfg EdgeConfig) (*EdgeSession, error) {
	if err := NodeTopic(cfg.Group, NBIRTH, cfg.EdgeNode).Validate(); err != nil {
		return nil, err
	}
	s := &EdgeSession{
		group:       cfg.Group,
		node:        cfg.EdgeNode,
		nodeByName:  map[string]MetricID{},
		deviceIndex: map[string]int{},
		nextAlias:   1,
		bdSeq:       cfg.FirstBdSeq,
	}
	s.bdSeqID = s.define(-1, BdSeqMetric, Int64, Int64Value(int64(cfg.FirstBdSeq)), true)
	s.rebirthID = s.define(-1, RebirthMetric, Boolean, BooleanValue(false), false)
	return s, nil
}

// Group returns the group id.
func (s *EdgeSession) Group() string { return s.group }

// EdgeNode returns the edge node id.
func (s *EdgeSession) EdgeNode() string { return s.node }

// BdSeq returns the bdSeq of the current (or, before the first Connect,
// the first) MQTT session or connection attempt.
func (s *EdgeSession) BdSeq() uint8 { return s.bdSeq }

// NextSeq returns the seq the next published message will carry.
func (s *EdgeSession) NextSeq() uint8 { return s.seq }

// Born reports whether the NBIRTH of the current MQTT session has been
// built.
func (s *EdgeSession) Born() bool { return s.born }

func (s *EdgeSession) define(device int, name string, t DataType, v Value, alias bool) MetricID {
	id := MetricID(len(s.metrics))
	m := edgeMetric{name: name, device: device, datatype: t, value: v, isNull: v.IsZero()}
	if alias {
		m.alias, m.hasAlias = s.nextAlias, true
		s.nextAlias++
	}
	s.metrics = append(s.metrics, m)
	if device < 0 {
		s.nodeMetrics = append(s.nodeMetrics, id)
		s.nodeByName[name] = id
	} else {
		d := &s.devices[device]
		d.metrics = append(d.metrics, id)
		d.byName[name] = id
	}
	return id
}

func checkDefinition(name string, t DataType, initial Value) error {
	if name == "" {
		return fmt.Errorf("%w: empty metric name", ErrSession)
	}
	if !t.ValidMetric() || t == DataSet || t == Template {
		return fmt.Errorf("%w: metric %q: datatype %v is not supported", ErrSession, name, t)
	}
	if !initial.IsZero() && initial.Type() != t {
		return fmt.Errorf("%w: metric %q: initial %v for datatype %v", ErrTypeMismatch, name, initial, t)
	}
	return nil
}

// AddNodeMetric defines an edge-node-level metric with its datatype and
// initial value (the zero Value for null). The NBIRTH must carry every
// metric of the session, so node metrics can only be added while the node
// is not born in the current MQTT session.
func (s *EdgeSession) AddNodeMetric(name string, t DataType, initial Value) (MetricID, error) {
	if err := checkDefinition(name, t, initial); err != nil {
		return -1, err
	}
	if s.born {
		return -1, fmt.Errorf("%w: node metric %q added after NBIRTH", ErrSession, name)
	}
	if _, dup := s.nodeByName[name]; dup {
		return -1, fmt.Errorf("%w: node metric %q defined twice", ErrSession, name)
	}
	return s.define(-1, name, t, initial, true), nil
}

// AddDevice defines a device of the edge node. A device added after the
// NBIRTH is announced by [EdgeSession.DeviceBirth].
func (s *EdgeSession) AddDevice(id string) error {
	if err := DeviceTopic(s.group, DBIRTH, s.node, id).Validate(); err != nil {
		return err
	}
	if _, dup := s.deviceIndex[id]; dup {
		return fmt.Errorf("%w: device %q defined twice", ErrSession, id)
	}
	s.deviceIndex[id] = len(s.devices)
	s.devices = append(s.devices, edgeDevice{id: id, byName: map[string]MetricID{}})
	return nil
}

// AddDeviceMetric defines a metric of a device, which must not have been
// born yet in the current MQTT session.
func (s *EdgeSession) AddDeviceMetric(device, name string, t DataType, initial Value) (MetricID, error) {
	if err := checkDefinition(name, t, initial); err != nil {
		return -1, err
	}
	di, ok := s.deviceIndex[device]
	if !ok {
		return -1, fmt.Errorf("%w: unknown device %q", ErrSession, device)
	}
	d := &s.devices[di]
	if d.born {
		return -1, fmt.Errorf("%w: metric %q added to device %q after its DBIRTH", ErrSession, name, device)
	}
	if _, dup := d.byName[name]; dup {
		return -1, fmt.Errorf("%w: metric %q defined twice on device %q", ErrSession, name, device)
	}
	return s.define(di, name, t, initial, true), nil
}

// Lookup returns the metric named name of device (empty for a node
// metric).
func (s *EdgeSession) Lookup(device, name string) (MetricID, bool) {
	if device == "" {
		id, ok := s.nodeByName[name]
		return id, ok
	}
	di, ok := s.deviceIndex[device]
	if !ok {
		return -1, false
	}
	id, ok := s.devices[di].byName[name]
	return id, ok
}

// Alias returns the alias of a metric; ok is false for "Node Control/Rebirth"
// and unknown ids.
func (s *EdgeSession) Alias(id MetricID) (alias uint64, ok bool) {
	if id < 0 || int(id) >= len(s.metrics) {
		return 0, false
	}
	m := &s.metrics[id]
	return m.alias, m.hasAlias
}

// Value returns the current value of a metric: the zero Value if it is
// null or the id is unknown.
func (s *EdgeSession) Value(id MetricID) Value {
	if id < 0 || int(id) >= len(s.metrics) {
		return Value{}
	}
	return s.metrics[id].value
}

// Connect prepares a connection attempt and returns the NDEATH to register
// as its Will (QoS 1, not retained): a payload with the timestamp now and
// the single metric bdSeq, and no seq. Call it before every attempt.
//
// The first call uses [EdgeConfig.FirstBdSeq]. A later call adds one
// (wrapping 255 to 0) only when the broker accepted an earlier attempt
// since the previous bdSeq was taken ([EdgeSession.Accepted], or a
// [EdgeSession.Birth], which implies it); otherwise the attempt reuses the
// pending bdSeq, as no broker holds a Will with it. Devices and node
// become unborn until [EdgeSession.Birth].
func (s *EdgeSession) Connect(now uint64) (Message, error) {
	if s.spent {
		s.bdSeq++
		s.spent = false
	}
	s.connected, s.born = true, false
	for i := range s.devices {
		s.devices[i].born = false
	}
	s.metrics[s.bdSeqID].value = Int64Value(int64(s.bdSeq))
	return s.deathMessage(now)
}

// Accepted records that the broker accepted the connection attempt that
// the last [EdgeSession.Connect] prepared (a successful CONNACK): its Will,
// and so its bdSeq, is now registered, and the next Connect takes the next
// bdSeq. Call it before the next Connect; it does nothing when no attempt
// is pending (before the first Connect, after [EdgeSession.Death]).
func (s *EdgeSession) Accepted() {
	if s.connected {
		s.spent = true
	}
}

// Death returns the NDEATH to publish before an intentional disconnect. It
// carries the bdSeq of the current session, like the Will; the session is
// then disconnected until the next [EdgeSession.Connect].
func (s *EdgeSession) Death(now uint64) (Message, error) {
	if !s.connected {
		return Message{}, fmt.Errorf("%w: NDEATH without a connected session", ErrSession)
	}
	s.connected, s.born = false, false
	for i := range s.devices {
		s.devices[i].born = false
	}
	return s.deathMessage(now)
}

func (s *EdgeSession) deathMessage(now uint64) (Message, error) {
	p := Payload{Timestamp: now, Metrics: s.scratch[:0]}
	p.Metrics = append(p.Metrics, Metric{Name: BdSeqMetric, Datatype: Int64, Value: Int64Value(int64(s.bdSeq))})
	s.scratch = p.Metrics[:0]
	return NewMessage(NodeTopic(s.group, NDEATH, s.node), &p)
}

// nextSeq returns the seq for the next message and advances the counter,
// wrapping 255 to 0.
func (s *EdgeSession) nextSeq() uint64 {
	q := s.seq
	s.seq++
	return uint64(q)
}

// Birth returns the birth sequence of the current MQTT session: an NBIRTH
// with seq 0, bdSeq, "Node Control/Rebirth" = false and every node metric
// with name, alias, datatype, timestamp and current value, followed by one
// DBIRTH per device in definition order. Calling it again in the same
// session is a rebirth: the seq restarts at 0 and bdSeq stays the same.
// A birth is published on an accepted connection, so Birth also does what
// [EdgeSession.Accepted] does.
func (s *EdgeSession) Birth(now uint64) ([]Message, error) {
	if !s.connected {
		return nil, fmt.Errorf("%w: NBIRTH before Connect", ErrSession)
	}
	s.seq = 0
	s.born, s.spent = true, true
	s.metrics[s.rebirthID].value = BooleanValue(false)
	out := make([]Message, 0, 1+len(s.devices))
	msg, err := s.birthMessage(NodeTopic(s.group, NBIRTH, s.node), s.nodeMetrics, now)
	if err != nil {
		return nil, err
	}
	out = append(out, msg)
	for i := range s.devices {
		s.devices[i].born = false
		msg, err := s.DeviceBirth(s.devices[i].id, now)
		if err != nil {
			return nil, err
		}
		out = append(out, msg)
	}
	return out, nil
}

// Rebirth is Birth: the full birth sequence again, in the same MQTT
// session.
func (s *EdgeSession) Rebirth(now uint64) ([]Message, error) { return s.Birth(now) }

// DeviceBirth returns the DBIRTH of one device, for a device added or
// reconnected after the NBIRTH.
func (s *EdgeSession) DeviceBirth(device string, now uint64) (Message, error) {
	di, ok := s.deviceIndex[device]
	if !ok {
		return Message{}, fmt.Errorf("%w: unknown device %q", ErrSession, device)
	}
	if !s.born {
		return Message{}, fmt.Errorf("%w: DBIRTH of %q before NBIRTH", ErrSession, device)
	}
	d := &s.devices[di]
	d.born = true
	return s.birthMessage(DeviceTopic(s.group, DBIRTH, s.node, device), d.metrics, now)
}

func (s *EdgeSession) birthMessage(t Topic, ids []MetricID, now uint64) (Message, error) {
	p := Payload{Timestamp: now, Metrics: s.scratch[:0]}
	for _, id := range ids {
		m := &s.metrics[id]
		ts := m.timestamp
		if ts == 0 {
			ts = now
		}
		p.Metrics = append(p.Metrics, Metric{
			Name:      m.name,
			Alias:     m.alias,
			HasAlias:  m.hasAlias,
			Timestamp: ts,
			Datatype:  m.datatype,
			IsNull:    m.isNull,
			Value:     m.value,
		})
	}
	s.scratch = p.Metrics[:0]
	p.Seq, p.HasSeq = s.nextSeq(), true
	return NewMessage(t, &p)
}

// DeviceDeath returns the DDEATH of a device that the edge node lost
// contact with. The device needs a new [EdgeSession.DeviceBirth] before it
// reports data again.
func (s *EdgeSession) DeviceDeath(device string, now uint64) (Message, error) {
	di, ok := s.deviceIndex[device]
	if !ok {
		return Message{}, fmt.Errorf("%w: unknown device %q", ErrSession, device)
	}
	d := &s.devices[di]
	if !d.born {
		return Message{}, fmt.Errorf("%w: DDEATH of unborn device %q", ErrSession, device)
	}
	d.born = false
	p := Payload{Timestamp: now, Seq: s.nextSeq(), HasSeq: true}
	return NewMessage(DeviceTopic(s.group, DDEATH, s.node, device), &p)
}
