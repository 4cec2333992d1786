// Package sparkplug speaks Eclipse Sparkplug B 3.0 without touching the
// network: the topic namespace, the protobuf payload, the host STATE message
// and the session rules of an edge node. The host application's session
// is package twin/sparkplug/host, built on this one.
//
// The package is the first brick of the live twin. An MQTT adapter elsewhere
// moves bytes; everything that decides what those bytes are lives here, as
// plain values and state machines that tests and replays can drive directly:
//
//   - [Topic] and [ParseTopic] build and read spBv1.0 topics.
//   - [Payload], [Metric] and [Value] model the Sparkplug B payload;
//     [Marshal], [AppendMarshal] and [Unmarshal] encode it with
//     google.golang.org/protobuf/encoding/protowire (no generated code).
//   - [State], [MarshalState] and [UnmarshalState] handle the host's JSON
//     STATE payload.
//   - [EdgeSession] numbers bdSeq (once per accepted MQTT connection) and
//     seq, assigns aliases and builds NBIRTH/DBIRTH/NDATA/DDATA/DDEATH/NDEATH
//     messages and rebirths.
//   - [NewMessage], [RebirthRequest] and [StateMessage] build messages
//     with the QoS and retain flag of their type; [ProtocolError] and its
//     kinds ([ErrSeqGap], [ErrNotBorn] ...) name the session rules a peer
//     breaks, for both sessions.
//
// DATA and command metrics carry their datatype, which Sparkplug 3.0
// allows but does not ask for (tck-id-payloads-metric-datatype-not-req):
// common clients need it, and the interoperability test
// (host/interop_test.go) exchanges payloads with Eclipse Tahu's
// JavaScript library, which reads
// values only through their datatype. Otherwise the sessions keep to the
// specification's MUSTs: commands go by alias alone when the birth gave
// one, and "Node Control/Rebirth" has no alias.
//
// Timestamps are milliseconds since the Unix epoch and are always passed in
// by the caller: nothing here reads the wall clock, so a recorded session
// replays byte for byte.
//
// Decoding never panics. Every decoding problem is a [*DecodeError] that
// matches [ErrMalformed] with errors.Is, plus a more precise sentinel
// ([ErrTruncated], [ErrWireType], [ErrDataType], [ErrTypeMismatch],
// [ErrRange]), so a host can count faults by kind. Protocol faults found by
// the sessions match [ErrProtocol].
//
// An EdgeSession is not safe for concurrent use; wrap it in a mutex if
// several goroutines share one.
package sparkplug
