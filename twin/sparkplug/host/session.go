package host

import (
	"errors"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// ActionKind says what a host application must do after a message.
type ActionKind uint8

// Actions.
const (
	// ActionNone: nothing to do.
	ActionNone ActionKind = iota
	// ActionRebirth: publish Action.Request, an NCMD asking the edge node
	// for a new birth sequence.
	ActionRebirth
)

// String returns "none" or "rebirth".
func (k ActionKind) String() string {
	if k == ActionRebirth {
		return "rebirth"
	}
	return "none"
}

// An Action is what [Session] asks its caller to do.
type Action struct {
	Kind            ActionKind
	Group, EdgeNode string
	// Request is the message to publish for ActionRebirth.
	Request sparkplug.Message
}

// Stats counts what a [Session] has seen, for metrics endpoints (and
// /api/state's stats, in snake_case).
type Stats struct {
	// Messages counts every message given to Receive or Apply.
	Messages uint64 `json:"messages"`
	// BadTopics counts messages rejected before the session rules because
	// their topic did not parse.
	BadTopics uint64 `json:"bad_topics"`
	// Malformed counts messages rejected before the session rules because
	// their payload failed to decode (protobuf or STATE JSON).
	Malformed uint64 `json:"malformed"`
	// ProtocolErrors counts every rule broken by an edge node; the next
	// counters break some of them down.
	ProtocolErrors uint64 `json:"protocol_errors"`
	// SeqGaps counts messages whose seq was not the previous one plus one
	// (mod 256), or lacked one.
	SeqGaps uint64 `json:"seq_gaps"`
	// UnknownMetrics counts messages naming a metric alias or name the
	// birth did not define.
	UnknownMetrics uint64 `json:"unknown_metrics"`
	// NotBorn counts messages from an edge node or device the session
	// holds as not born (after its death).
	NotBorn uint64 `json:"not_born"`
	// BadBirths counts birth certificates that broke a birth rule (missing
	// bdSeq, name or datatype, duplicate alias...).
	BadBirths uint64 `json:"bad_births"`
	// IgnoredDeaths counts NDEATHs whose bdSeq did not match the current
	// birth (a late Will of an older session) or that named an unknown node.
	IgnoredDeaths uint64 `json:"ignored_deaths"`
	// Joins counts data, device births and device deaths from edge nodes
	// this session has never seen born: how a host that joins a running
	// edge node first hears of it. The session asks for a rebirth; it is no
	// protocol error (not in ProtocolErrors or NotBorn).
	Joins uint64 `json:"joins"`
	// Dropped counts data messages ignored while waiting for a rebirth or
	// from a refused edge node.
	Dropped uint64 `json:"dropped"`
	// RebirthRequests counts rebirth actions returned.
	RebirthRequests uint64 `json:"rebirth_requests"`
	// RebirthsSuppressed counts rebirth requests withheld because the
	// session's budget ([Config.RebirthBurst]) was spent. Requests
	// withheld by the per-node interval are the normal pace and are not
	// counted.
	RebirthsSuppressed uint64 `json:"rebirths_suppressed"`
	// PayloadLimit counts the messages refused for a payload larger than
	// [Config.MaxPayload].
	PayloadLimit uint64 `json:"payload_limit"`
	// NodeLimit counts the messages refused because they would mirror
	// more edge nodes than [Config.MaxNodes].
	NodeLimit uint64 `json:"node_limit"`
	// DeviceLimit counts the messages refused because they would mirror
	// more devices on an edge node than [Config.MaxDevices].
	DeviceLimit uint64 `json:"device_limit"`
	// MetricLimit counts the messages refused for carrying more metrics
	// than [Config.MaxMetrics].
	MetricLimit uint64 `json:"metric_limit"`
	// MemoryLimit counts the messages refused because the mirror would
	// take more memory than [Config.MaxBytes].
	MemoryLimit uint64 `json:"memory_limit"`
	// Evicted counts the edge nodes removed from the session: silent for
	// longer than the caller allows ([Session.EvictIdle]), or holding
	// nothing and giving their place to a new node at MaxNodes.
	Evicted uint64 `json:"evicted"`
}

// Hits returns how many messages were refused at limit l.
func (s *Stats) Hits(l Limit) uint64 {
	if p := s.hits(l); p != nil {
		return *p
	}
	return 0
}

// hits returns the counter of limit l.
func (s *Stats) hits(l Limit) *uint64 {
	switch l {
	case LimitPayload:
		return &s.PayloadLimit
	case LimitNodes:
		return &s.NodeLimit
	case LimitDevices:
		return &s.DeviceLimit
	case LimitMetrics:
		return &s.MetricLimit
	case LimitMemory:
		return &s.MemoryLimit
	}
	return nil
}

type hostMetric struct {
	name      string
	alias     uint64
	hasAlias  bool
	datatype  sparkplug.DataType
	value     sparkplug.Value
	isNull    bool
	timestamp uint64
	owner     *hostDevice // nil for node metrics
}

type hostDevice struct {
	id         string
	online     bool
	stale      bool
	staleSince uint64
	byName     map[string]*hostMetric
	bytes      int64 // the estimated size of byName
}

type nodeKey struct{ group, node string }

type hostNode struct {
	key         nodeKey
	online      bool // an NBIRTH has been applied and no matching NDEATH since
	seenBorn    bool // an NBIRTH has arrived once, valid or not
	refused     bool // a birth broke a limit: ignored until its next NBIRTH
	stale       bool
	staleSince  uint64
	birthTime   uint64 // host time of the last NBIRTH
	heard       uint64 // host time of the last message
	bdSeq       uint64
	hasBdSeq    bool
	lastSeq     uint8
	awaiting    bool // a rebirth was requested; data is dropped until NBIRTH
	requested   bool // a rebirth request was sent at lastRequest
	lastRequest uint64
	byName      map[string]*hostMetric
	aliases     map[uint64]*hostMetric
	devices     map[string]*hostDevice
	own         int64 // the estimated size of byName
	bytes       int64 // the estimated size of the node, its devices and metrics
}

// A Session is the Sparkplug host application side: it mirrors every
// edge node and device it hears from and applies the session rules.
//
//   - NBIRTH and DBIRTH define metrics (name, alias, datatype) and their
//     values; an NBIRTH leaves the node's devices stale until their DBIRTH.
//     An NBIRTH without a seq or a bdSeq is refused and asks for a rebirth.
//   - NDATA and DDATA must carry seq = previous + 1 (mod 256). On a gap the
//     session asks for a rebirth and drops data until the new NBIRTH
//     (a reorder timeout of zero).
//   - Data from an edge node the session has never seen born asks for a
//     rebirth: that is how a host joins a running edge node, and it is
//     counted in [Stats.Joins], not as a protocol error.
//   - Data from a node that has died since its birth, for an unborn device,
//     or naming an alias the birth did not define is a protocol error and
//     asks for a rebirth.
//   - An NDEATH whose bdSeq matches the NBIRTH marks the node and all its
//     devices offline and stale; one with another bdSeq is a late Will from
//     an older session and is ignored. A DDEATH marks its device offline
//     and stale.
//
// What it mirrors and the rebirths it asks for are bounded by its
// [Config]; nodes that fell silent are removed with
// [Session.EvictIdle]. A Session is not safe for concurrent use.
type Session struct {
	cfg   Config
	nodes map[nodeKey]*hostNode
	// order holds the nodes in the order they were first seen, and
	// empties the nodes that held nothing when made, oldest first (from
	// emptyAt); both may hold removed nodes, skipped and compacted away.
	order   []*hostNode
	empties []*hostNode
	emptyAt int
	removed []NodeID // removed since the last call of Removed
	size    Size
	tokens  float64 // the rebirth budget left
	refill  uint64  // host time the budget was last refilled
	stats   Stats
	buf     sparkplug.Payload
	// scratch holds validated DATA updates before they are applied.
	scratch []pendingUpdate
}

type pendingUpdate struct {
	m         *hostMetric
	value     sparkplug.Value
	isNull    bool
	timestamp uint64
	skip      bool
}

// NewSession returns an empty host session. Zero fields of cfg take
// their defaults; it panics if cfg does not validate (see
// [Config.Validate]).
func NewSession(cfg Config) *Session {
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	cfg = cfg.WithDefaults()
	return &Session{cfg: cfg, nodes: map[nodeKey]*hostNode{}, tokens: float64(cfg.RebirthBurst)}
}

// Config returns the session's configuration, defaults filled in.
func (h *Session) Config() Config { return h.cfg }

// Stats returns the counters so far.
func (h *Session) Stats() Stats { return h.stats }

// Size returns how much the session mirrors now.
func (h *Session) Size() Size { return h.size }

// Receive parses topic and decodes payload, then applies the message as
// [Session.Apply] does; now is the host's clock in ms since the epoch.
// Topic and payload errors are counted and returned (matching
// [sparkplug.ErrInvalidTopic], [sparkplug.ErrMalformed] or
// [sparkplug.ErrInvalidState]). A payload over MaxPayload, or with more
// than MaxMetrics metrics, is refused before it is decoded (a
// [*LimitError]). STATE messages of host applications are
// checked and otherwise ignored.
func (h *Session) Receive(topic string, payload []byte, now uint64) (Action, error) {
	t, err := sparkplug.ParseTopic(topic)
	if err != nil {
		h.stats.Messages++
		h.stats.BadTopics++
		return Action{}, err
	}
	if len(payload) > h.cfg.MaxPayload {
		h.stats.Messages++
		return Action{}, h.refuse(t, LimitPayload, int64(len(payload)), int64(h.cfg.MaxPayload), now)
	}
	if t.Type == sparkplug.STATE {
		h.stats.Messages++
		if _, err := sparkplug.UnmarshalState(payload); err != nil {
			h.stats.Malformed++
			return Action{}, err
		}
		return Action{}, nil
	}
	if n := sparkplug.CountMetrics(payload); n > h.cfg.MaxMetrics {
		h.stats.Messages++
		return Action{}, h.refuse(t, LimitMetrics, int64(n), int64(h.cfg.MaxMetrics), now)
	}
	if err := sparkplug.Unmarshal(payload, &h.buf); err != nil {
		h.stats.Messages++
		h.stats.Malformed++
		return Action{}, err
	}
	return h.Apply(t, &h.buf, now)
}

// Apply applies one decoded message. It returns the action the caller must
// take (publish a rebirth request) and, for a broken rule, an error
// matching [sparkplug.ErrProtocol] and a precise kind such as
// [sparkplug.ErrSeqGap]; both may be set. Data from an edge node never seen
// born returns a rebirth request and an error that matches
// [sparkplug.ErrNotBorn] but not ErrProtocol. A message over a limit
// returns a [*LimitError]. p is not retained.
func (h *Session) Apply(t sparkplug.Topic, p *sparkplug.Payload, now uint64) (Action, error) {
	h.stats.Messages++
	if len(p.Metrics) > h.cfg.MaxMetrics {
		return Action{}, h.refuse(t, LimitMetrics, int64(len(p.Metrics)), int64(h.cfg.MaxMetrics), now)
	}
	var (
		act Action
		err error
	)
	switch t.Type {
	case sparkplug.NBIRTH:
		act, err = h.nodeBirth(t, p, now)
	case sparkplug.NDEATH:
		err = h.nodeDeath(t, p, now)
	case sparkplug.DBIRTH, sparkplug.DDEATH, sparkplug.NDATA, sparkplug.DDATA:
		act, err = h.sequenced(t, p, now)
	}
	if err != nil {
		h.count(err)
	}
	return act, err
}

// count counts a protocol error by kind.
func (h *Session) count(err error) {
	var pe *sparkplug.ProtocolError
	if !errors.As(err, &pe) {
		return
	}
	h.stats.ProtocolErrors++
	switch {
	case errors.Is(err, sparkplug.ErrSeqGap):
		h.stats.SeqGaps++
	case errors.Is(err, sparkplug.ErrUnknownMetric):
		h.stats.UnknownMetrics++
	case errors.Is(err, sparkplug.ErrNotBorn):
		h.stats.NotBorn++
	case errors.Is(err, sparkplug.ErrBadBirth):
		h.stats.BadBirths++
	}
}

// rebirth returns a rebirth action for n unless one was sent less than the
// rebirth interval ago or the session's budget is spent, and makes n drop
// data until its NBIRTH.
func (h *Session) rebirth(n *hostNode, now uint64) Action {
	n.awaiting = true
	if n.requested && now >= n.lastRequest && now-n.lastRequest < h.cfg.RebirthInterval {
		return Action{}
	}
	if !h.spend(now) {
		h.stats.RebirthsSuppressed++
		return Action{}
	}
	req, err := sparkplug.RebirthRequest(n.key.group, n.key.node, now)
	if err != nil {
		return Action{}
	}
	n.requested, n.lastRequest = true, now
	h.stats.RebirthRequests++
	return Action{Kind: ActionRebirth, Group: n.key.group, EdgeNode: n.key.node, Request: req}
}

// ConnectionLost marks every known edge node and device stale and offline,
// as the specification requires when the host loses its MQTT connection.
// After reconnecting, publish [Session.RebirthAll] (or let the first
// data of each node trigger a rebirth request).
func (h *Session) ConnectionLost(now uint64) {
	for _, n := range h.nodes {
		n.markDead(now)
	}
}

// RebirthAll returns a rebirth request for every known edge node that is
// neither online nor refused, in the order the nodes were first seen, as
// far as the session's rebirth budget goes. Call it once the host is
// connected again: it also restarts every node's silence from now, since
// the host heard nothing while it was away.
func (h *Session) RebirthAll(now uint64) []Action {
	var out []Action
	for _, n := range h.order {
		if h.nodes[n.key] != n {
			continue // removed
		}
		n.heard = now
		if n.online || n.refused {
			continue
		}
		n.requested = false
		if a := h.rebirth(n, now); a.Kind == ActionRebirth {
			out = append(out, a)
		}
	}
	return out
}

// markDead takes the node and its devices offline and stale from now (a
// death, or the host losing its connection); what was stale stays stale
// from its earlier time.
func (n *hostNode) markDead(now uint64) {
	n.online, n.awaiting, n.requested = false, false, false
	if !n.stale {
		n.stale, n.staleSince = true, now
	}
	for _, d := range n.devices {
		d.online = false
		if !d.stale {
			d.stale, d.staleSince = true, now
		}
	}
}
