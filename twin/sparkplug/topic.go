package sparkplug

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Namespace is the first topic level of every Sparkplug B message.
const Namespace = "spBv1.0"

// MessageType is the Sparkplug verb in a topic: NBIRTH, NDATA, STATE...
// The zero value is invalid.
type MessageType uint8

// Sparkplug message types.
const (
	NBIRTH MessageType = iota + 1
	NDEATH
	DBIRTH
	DDEATH
	NDATA
	DDATA
	NCMD
	DCMD
	STATE
)

// String returns the verb as it appears in topics, e.g. "NBIRTH".
func (t MessageType) String() string {
	switch t {
	case NBIRTH:
		return "NBIRTH"
	case NDEATH:
		return "NDEATH"
	case DBIRTH:
		return "DBIRTH"
	case DDEATH:
		return "DDEATH"
	case NDATA:
		return "NDATA"
	case DDATA:
		return "DDATA"
	case NCMD:
		return "NCMD"
	case DCMD:
		return "DCMD"
	case STATE:
		return "STATE"
	}
	return "MessageType(" + strconv.Itoa(int(t)) + ")"
}

// ParseMessageType returns the message type named s, which is case
// sensitive as topics are.
func ParseMessageType(s string) (MessageType, bool) {
	for t := NBIRTH; t <= STATE; t++ {
		if t.String() == s {
			return t, true
		}
	}
	return 0, false
}

// IsDevice reports whether topics of type t carry a device id (DBIRTH,
// DDEATH, DDATA, DCMD).
func (t MessageType) IsDevice() bool {
	return t == DBIRTH || t == DDEATH || t == DDATA || t == DCMD
}

// HasSeq reports whether payloads of type t carry a seq number: every
// message an edge node publishes except its NDEATH.
func (t MessageType) HasSeq() bool {
	switch t {
	case NBIRTH, DBIRTH, NDATA, DDATA, DDEATH:
		return true
	}
	return false
}

// QoS returns the MQTT QoS the specification requires for type t: 1 for
// the NDEATH Will and for STATE, 0 for everything else.
func (t MessageType) QoS() byte {
	if t == NDEATH || t == STATE {
		return 1
	}
	return 0
}

// Retain reports whether messages of type t are published retained: only
// STATE is.
func (t MessageType) Retain() bool { return t == STATE }

// A Topic is a parsed Sparkplug topic:
// spBv1.0/<Group>/<Type>/<EdgeNode>[/<Device>] or, for STATE,
// spBv1.0/STATE/<HostID>.
type Topic struct {
	// Namespace is always [Namespace]; String writes it when empty.
	Namespace string
	// Group is the group id (empty for STATE).
	Group string
	// Type is the message type.
	Type MessageType
	// EdgeNode is the edge node id (empty for STATE).
	EdgeNode string
	// Device is the device id, set exactly for DBIRTH, DDEATH, DDATA and
	// DCMD.
	Device string
	// HostID is the host application id of a STATE topic.
	HostID string
}

// NodeTopic returns the topic of an edge-node-level message.
func NodeTopic(group string, t MessageType, edgeNode string) Topic {
	return Topic{Namespace: Namespace, Group: group, Type: t, EdgeNode: edgeNode}
}

// DeviceTopic returns the topic of a device-level message.
func DeviceTopic(group string, t MessageType, edgeNode, device string) Topic {
	return Topic{Namespace: Namespace, Group: group, Type: t, EdgeNode: edgeNode, Device: device}
}

// StateTopic returns the STATE topic of a host application.
func StateTopic(hostID string) Topic {
	return Topic{Namespace: Namespace, Type: STATE, HostID: hostID}
}

// String formats the topic. It does not validate: see [Topic.Validate].
func (t Topic) String() string {
	ns := t.Namespace
	if ns == "" {
		ns = Namespace
	}
	if t.Type == STATE {
		return ns + "/STATE/" + t.HostID
	}
	s := ns + "/" + t.Group + "/" + t.Type.String() + "/" + t.EdgeNode
	if t.Device != "" {
		s += "/" + t.Device
	}
	return s
}

// Validate reports whether t is a well-formed Sparkplug B topic: the
// namespace is spBv1.0, the ids are non-empty valid UTF-8 without '/', '+',
// '#' or NUL, and a device id is present exactly for device message types.
// The error is a [*TopicError].
func (t Topic) Validate() error {
	if t.Namespace != "" && t.Namespace != Namespace {
		return &TopicError{Topic: t.String(), Reason: "namespace is " + strconv.Quote(t.Namespace) + ", want " + Namespace}
	}
	if t.Type == STATE {
		if t.Group != "" || t.EdgeNode != "" || t.Device != "" {
			return &TopicError{Topic: t.String(), Reason: "STATE topic has a group, edge node or device id"}
		}
		return checkID(t, "host id", t.HostID)
	}
	if t.Type < NBIRTH || t.Type > DCMD {
		return &TopicError{Topic: t.String(), Reason: "unknown message type"}
	}
	if t.HostID != "" {
		return &TopicError{Topic: t.String(), Reason: "host id on a " + t.Type.String() + " topic"}
	}
	if err := checkID(t, "group id", t.Group); err != nil {
		return err
	}
	if err := checkID(t, "edge node id", t.EdgeNode); err != nil {
		return err
	}
	if t.Type.IsDevice() {
		return checkID(t, "device id", t.Device)
	}
	if t.Device != "" {
		return &TopicError{Topic: t.String(), Reason: t.Type.String() + " topic must not have a device id"}
	}
	return nil
}

// ValidateID reports whether id may be used as a group, edge node, device
// or host id. what names the id in the error, e.g. "group id".
func ValidateID(what, id string) error {
	return checkID(Topic{}, what, id)
}

func checkID(t Topic, what, id string) error {
	reason := ""
	switch {
	case id == "":
		reason = what + " is empty"
	case !utf8.ValidString(id):
		reason = what + " is not valid UTF-8"
	default:
		if i := strings.IndexAny(id, "/+#\x00"); i >= 0 {
			c := id[i]
			if c == 0 {
				reason = what + " contains NUL"
			} else {
				reason = what + " contains '" + string(c) + "'"
			}
		}
	}
	if reason == "" {
		return nil
	}
	s := id
	if t.Type != 0 {
		s = t.String()
	}
	return &TopicError{Topic: s, Reason: reason}
}

// ParseTopic parses a Sparkplug B topic and validates it as
// [Topic.Validate] does. The error is a [*TopicError] naming the problem.
func ParseTopic(s string) (Topic, error) {
	parts := strings.Split(s, "/")
	if parts[0] != Namespace {
		return Topic{}, &TopicError{Topic: s, Reason: "namespace is " + strconv.Quote(parts[0]) + ", want " + Namespace}
	}
	if len(parts) == 3 && parts[1] == "STATE" {
		t := Topic{Namespace: Namespace, Type: STATE, HostID: parts[2]}
		if err := checkID(t, "host id", t.HostID); err != nil {
			return Topic{}, &TopicError{Topic: s, Reason: err.(*TopicError).Reason}
		}
		return t, nil
	}
	if len(parts) < 4 || len(parts) > 5 {
		return Topic{}, &TopicError{Topic: s, Reason: "want spBv1.0/group/TYPE/edge node[/device] or spBv1.0/STATE/host id, got " + strconv.Itoa(len(parts)) + " levels"}
	}
	typ, ok := ParseMessageType(parts[2])
	if !ok || typ == STATE {
		return Topic{}, &TopicError{Topic: s, Reason: "unknown message type " + strconv.Quote(parts[2])}
	}
	t := Topic{Namespace: Namespace, Group: parts[1], Type: typ, EdgeNode: parts[3]}
	if len(parts) == 5 {
		t.Device = parts[4]
		if !typ.IsDevice() {
			return Topic{}, &TopicError{Topic: s, Reason: typ.String() + " topic must not have a device id"}
		}
	} else if typ.IsDevice() {
		return Topic{}, &TopicError{Topic: s, Reason: typ.String() + " topic needs a device id"}
	}
	if err := t.Validate(); err != nil {
		return Topic{}, &TopicError{Topic: s, Reason: err.(*TopicError).Reason}
	}
	return t, nil
}
