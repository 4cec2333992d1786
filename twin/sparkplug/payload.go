package sparkplug

// A Payload is a Sparkplug B payload (Tahu's Payload message): a timestamp,
// a sequence number and a list of metrics. Zero fields are left off the
// wire. The zero Payload is valid and empty.
type Payload struct {
	// Timestamp is when the message was published, in ms since the epoch;
	// 0 means absent.
	Timestamp uint64
	// Metrics are the metrics in order.
	Metrics []Metric
	// Seq is the message sequence number, meaningful when HasSeq is set.
	// Edge nodes count it 0-255 and wrap; NDEATH, NCMD, DCMD and STATE
	// carry none.
	Seq    uint64
	HasSeq bool
	// UUID and Body are the optional uuid (4) and body (5) fields; Lightsout
	// does not use them but keeps them through a decode and re-encode.
	UUID string
	Body []byte
}

// A Metric is one metric of a [Payload] (Tahu's Payload.Metric message).
// Metadata (8) and properties (9) are checked for well-formedness when
// decoding and then dropped.
type Metric struct {
	// Name is the metric name, e.g. "Node Control/Rebirth"; empty means
	// absent, as in DATA messages that use aliases.
	Name string
	// Alias is the numeric alias, meaningful when HasAlias is set.
	Alias    uint64
	HasAlias bool
	// Timestamp is when the value was sampled, in ms since the epoch;
	// 0 means absent.
	Timestamp uint64
	// Datatype is the datatype sent on the wire; Unknown means absent.
	// Births must send it. The specification says DATA and CMD messages
	// should not; Lightsout's sessions send it in them too, for clients
	// that read a value only through its datatype.
	Datatype DataType
	// IsHistorical marks a value that is not the current one; IsTransient
	// one that historians should not store.
	IsHistorical bool
	IsTransient  bool
	// IsNull says the value is explicitly null; Value is then normally
	// zero.
	IsNull bool
	// Value is the metric value. When Datatype is set, a decoded Value has
	// that type; otherwise it is untyped (see [Value.WithType]).
	Value Value
}

// Reset empties p but keeps the capacity of its metric slice, so a decoder
// loop can reuse one Payload.
func (p *Payload) Reset() {
	*p = Payload{Metrics: p.Metrics[:0]}
}
