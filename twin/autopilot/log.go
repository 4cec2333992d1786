package autopilot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Decision is one entry of the decision log: an action a policy took (or
// an operator's hold or release), when, and whether it was applied.
type Decision struct {
	// Seq numbers the log's entries from 1, in order.
	Seq uint64
	// At is the observation's time.
	At     sim.Time
	Policy string
	Action Action
	// Applied says the action was handed on to be done; NotApplied says
	// why not (one of the NotApplied… values, or "invalid: " and the
	// problem) and is empty when it was.
	Applied    bool
	NotApplied string
}

// Why an action was not applied.
const (
	NotAppliedRecommendOnly = "recommend_only" // the pilot only recommends
	NotAppliedHeld          = "held"           // an operator hold came while the policy decided
	NotAppliedCap           = "cap"            // the cap on actions per hour was reached
	NotAppliedInvalid       = "invalid"        // prefix: the action does not fit the observation
)

// decisionJSON is a Decision as the log serves it: snake_case, times and
// durations in seconds, lines and servers counted from 1.
type decisionJSON struct {
	Seq          uint64   `json:"seq"`
	Time         float64  `json:"time_s"`
	Policy       string   `json:"policy"`
	Action       string   `json:"action"`
	Line         int      `json:"line,omitempty"`
	Target       string   `json:"target,omitempty"`
	Server       int      `json:"server,omitempty"`
	Speed        *float64 `json:"speed,omitempty"`
	From         string   `json:"from,omitempty"`
	Units        int      `json:"units,omitempty"`
	FromCapacity *int     `json:"from_capacity,omitempty"`
	ToCapacity   *int     `json:"to_capacity,omitempty"`
	Reason       string   `json:"reason"`
	Numbers      []Number `json:"numbers"`
	Applied      bool     `json:"applied"`
	NotApplied   string   `json:"not_applied,omitempty"`
}

// MarshalJSON writes the decision as the log serves it: snake_case fields,
// time_s in seconds, line and server counted from 1 (absent for an
// operator's hold or release), the speed for set_speed, from, units and
// the two capacities for move_buffer, numbers as [{"name":…,"value":…}].
func (d Decision) MarshalJSON() ([]byte, error) {
	a := &d.Action
	j := decisionJSON{Seq: d.Seq, Time: d.At.Seconds(), Policy: d.Policy, Action: a.Kind.String(),
		Reason: a.Reason, Numbers: a.Numbers, Applied: d.Applied, NotApplied: d.NotApplied}
	if j.Numbers == nil {
		j.Numbers = []Number{}
	}
	switch a.Kind {
	case Hold, Release:
	default:
		j.Line, j.Target = a.Line+1, a.Target
	}
	switch a.Kind {
	case Maintain, Dispatch:
		j.Server = a.Server + 1
	case SetSpeed:
		j.Speed = &a.Speed
	case MoveBuffer:
		j.From, j.Units, j.FromCapacity, j.ToCapacity = a.From, a.Units, &a.FromCapacity, &a.ToCapacity
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a decision as MarshalJSON writes it (a client of
// the log's endpoint), strictly.
func (d *Decision) UnmarshalJSON(b []byte) error {
	var j decisionJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("autopilot decision: %w", err)
	}
	kind, err := ParseActionKind(j.Action)
	if err != nil {
		return fmt.Errorf("autopilot decision %d: %w", j.Seq, err)
	}
	a := Action{Kind: kind, Line: max(j.Line-1, 0), Target: j.Target, Server: max(j.Server-1, 0), From: j.From,
		Units: j.Units, Reason: j.Reason, Numbers: j.Numbers}
	if j.Speed != nil {
		a.Speed = *j.Speed
	}
	if j.FromCapacity != nil {
		a.FromCapacity = *j.FromCapacity
	}
	if j.ToCapacity != nil {
		a.ToCapacity = *j.ToCapacity
	}
	*d = Decision{Seq: j.Seq, At: sim.Seconds(j.Time), Policy: j.Policy, Action: a, Applied: j.Applied, NotApplied: j.NotApplied}
	return nil
}

// String describes the decision on one line.
func (d Decision) String() string {
	s := fmt.Sprintf("%v %s: %v: %s", d.At, d.Policy, d.Action, d.Action.Reason)
	if !d.Applied {
		s += " (not applied: " + d.NotApplied + ")"
	}
	return s
}

// Log keeps the latest decisions, at most its size, in a ring: old ones
// make way for new ones. It is safe for concurrent use (a pilot writes, an
// HTTP handler reads); adding to it allocates nothing once every slot has
// held a decision with as many numbers.
type Log struct {
	mu    sync.Mutex
	ring  []Decision
	total uint64
}

// NewLog returns a log of at most size decisions (at least 1).
func NewLog(size int) *Log { return &Log{ring: make([]Decision, max(size, 1))} }

// Size returns how many decisions the log keeps.
func (l *Log) Size() int { return len(l.ring) }

// add appends d, numbering it, and copies its numbers into the log's own
// storage; it returns d's number.
func (l *Log) add(d Decision) uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.total++
	slot := &l.ring[(l.total-1)%uint64(len(l.ring))]
	nums := append(slot.Action.Numbers[:0], d.Action.Numbers...)
	*slot = d
	slot.Seq = l.total
	slot.Action.Numbers = nums
	return l.total
}

// Total returns the number of decisions ever added (the last one's Seq).
func (l *Log) Total() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.total
}

// Since appends to dst copies of the decisions kept whose Seq is more
// than seq, oldest first, and returns the result; Since(0, nil) gives all
// that are kept. The copies are the caller's.
func (l *Log) Since(seq uint64, dst []Decision) []Decision {
	dst, _ = l.since(seq, dst)
	return dst
}

// since is Since, also returning Total at the same moment.
func (l *Log) since(seq uint64, dst []Decision) ([]Decision, uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := uint64(len(l.ring))
	first := uint64(1)
	if l.total > n {
		first = l.total - n + 1
	}
	first = max(first, seq+1)
	for s := first; s <= l.total; s++ {
		d := l.ring[(s-1)%n]
		d.Action.Numbers = append([]Number(nil), d.Action.Numbers...)
		dst = append(dst, d)
	}
	return dst, l.total
}
