package sparkplug

// A Message is one MQTT publication ready to hand to a client: the topic,
// the encoded payload, and the QoS and retain flag the specification
// requires for its type. The caller owns Payload.
type Message struct {
	Topic   Topic
	Payload []byte
	QoS     byte
	Retain  bool
}

// RebirthMetric is the name of the node control metric that asks an edge
// node for a new birth sequence.
const RebirthMetric = "Node Control/Rebirth"

// BdSeqMetric is the name of the birth/death sequence metric that pairs an
// NBIRTH with its NDEATH.
const BdSeqMetric = "bdSeq"

// DeviceRebirthMetric is the name of the optional device control metric
// that asks for a new DBIRTH of one device.
const DeviceRebirthMetric = "Device Control/Rebirth"

// NewMessage encodes p for topic t with the QoS and retain flag the
// specification gives t's type. p is not retained.
func NewMessage(t Topic, p *Payload) (Message, error) {
	b, err := Marshal(p)
	if err != nil {
		return Message{}, err
	}
	return Message{Topic: t, Payload: b, QoS: t.Type.QoS(), Retain: t.Type.Retain()}, nil
}

// A NamedValue is a metric name and a value to write, as a host
// application's NCMD or DCMD carries them (twin/sparkplug/host builds
// the command from the birth it mirrors). The zero Value writes null.
type NamedValue struct {
	Name  string
	Value Value
}

// RebirthRequest returns the NCMD a host application publishes to ask an
// edge node for a new NBIRTH and DBIRTHs: one Boolean metric
// "Node Control/Rebirth" = true, sent by name, with a timestamp and no seq.
func RebirthRequest(group, edgeNode string, now uint64) (Message, error) {
	t := NodeTopic(group, NCMD, edgeNode)
	if err := t.Validate(); err != nil {
		return Message{}, err
	}
	p := Payload{
		Timestamp: now,
		Metrics: []Metric{{
			Name:      RebirthMetric,
			Timestamp: now,
			Datatype:  Boolean,
			Value:     BooleanValue(true),
		}},
	}
	return NewMessage(t, &p)
}

// StateMessage returns a host application's STATE message: the birth when
// s.Online is set, the death (to register as MQTT Will) otherwise. Both are
// QoS 1 and retained.
func StateMessage(hostID string, s State) (Message, error) {
	t := StateTopic(hostID)
	if err := t.Validate(); err != nil {
		return Message{}, err
	}
	return Message{Topic: t, Payload: MarshalState(s), QoS: 1, Retain: true}, nil
}
