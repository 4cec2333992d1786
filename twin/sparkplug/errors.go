package sparkplug

import (
	"errors"
	"fmt"
)

// Decoding errors. Every error returned by [Unmarshal] matches ErrMalformed
// and exactly one of the more precise sentinels below it.
var (
	// ErrMalformed matches every payload decoding error.
	ErrMalformed = errors.New("malformed Sparkplug B payload")
	// ErrTruncated reports a varint, fixed-width value or length-delimited
	// field that runs past the end of its message.
	ErrTruncated = errors.New("truncated field")
	// ErrWireType reports a known field sent with a wire type its
	// declaration does not allow, or an invalid tag.
	ErrWireType = errors.New("bad tag or wire type")
	// ErrDataType reports a datatype that is not a Sparkplug metric type.
	ErrDataType = errors.New("invalid datatype")
	// ErrTypeMismatch reports a metric value carried in a field that its
	// datatype does not use, or a value whose type disagrees with the
	// metric's datatype.
	ErrTypeMismatch = errors.New("value does not match datatype")
	// ErrRange reports an integer too large for its datatype.
	ErrRange = errors.New("value out of range for datatype")
)

// Other errors.
var (
	// ErrInvalidTopic matches every topic parsing or validation error.
	ErrInvalidTopic = errors.New("invalid Sparkplug topic")
	// ErrInvalidState matches every STATE payload decoding error.
	ErrInvalidState = errors.New("invalid STATE payload")
	// ErrProtocol matches every Sparkplug session rule broken by a peer,
	// as reported by the host session (twin/sparkplug/host) and
	// [EdgeSession.HandleCommand].
	ErrProtocol = errors.New("Sparkplug protocol error")
	// ErrSession reports a session method called in a state that does not
	// allow it, such as data before birth. It is a programming error of the
	// caller, not a fault of a peer.
	ErrSession = errors.New("Sparkplug session misuse")
)

// A DecodeError describes where a payload failed to decode. It matches
// [ErrMalformed] and its Err with errors.Is.
type DecodeError struct {
	// Offset is the byte offset in the payload where the problem starts.
	Offset int
	// Field names the field being decoded, such as "metrics[3].int_value".
	Field string
	// Err is one of the precise sentinels ([ErrTruncated], [ErrWireType],
	// [ErrDataType], [ErrTypeMismatch], [ErrRange]).
	Err error
	// Detail is a short human explanation, possibly empty.
	Detail string
}

// Error implements error.
func (e *DecodeError) Error() string {
	s := fmt.Sprintf("sparkplug: malformed payload at byte %d (%s): %v", e.Offset, e.Field, e.Err)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unwrap returns ErrMalformed and the precise sentinel.
func (e *DecodeError) Unwrap() []error { return []error{ErrMalformed, e.Err} }

// A TopicError explains why a topic or one of its ids is invalid. It
// matches [ErrInvalidTopic] with errors.Is.
type TopicError struct {
	// Topic is the topic text, or the formatted topic when validating a
	// [Topic] value.
	Topic string
	// Reason says what is wrong, e.g. `group id contains '+'`.
	Reason string
}

// Error implements error.
func (e *TopicError) Error() string {
	return fmt.Sprintf("sparkplug: invalid topic %q: %s", e.Topic, e.Reason)
}

// Unwrap returns ErrInvalidTopic.
func (e *TopicError) Unwrap() error { return ErrInvalidTopic }

// A ProtocolError is a Sparkplug rule broken by the peer that sent a message.
// It matches [ErrProtocol] and Kind with errors.Is.
type ProtocolError struct {
	// Topic is the topic the offending message arrived on.
	Topic string
	// Kind is one of the Err* protocol sentinels such as [ErrSeqGap].
	Kind error
	// Detail is a short human explanation.
	Detail string
}

// Protocol fault kinds reported by the sessions inside a [ProtocolError].
var (
	// ErrSeqGap reports a seq that is not the previous one plus one
	// (mod 256), or a seq missing where one is required.
	ErrSeqGap = errors.New("sequence gap")
	// ErrNotBorn reports data, a device birth or a device death from an edge
	// node or device the host has no current birth for. For an edge node the
	// host has never seen born (a host joining a running edge node) the
	// error is no ProtocolError: it matches ErrNotBorn but not
	// [ErrProtocol].
	ErrNotBorn = errors.New("message before birth")
	// ErrUnknownMetric reports an alias or name that the birth did not
	// define.
	ErrUnknownMetric = errors.New("unknown metric alias or name")
	// ErrBadBirth reports a birth certificate that breaks a birth rule
	// (missing bdSeq, missing name or datatype, duplicate alias...).
	ErrBadBirth = errors.New("invalid birth certificate")
	// ErrBadDeath reports a death certificate without a usable bdSeq.
	ErrBadDeath = errors.New("invalid death certificate")
	// ErrBadCommand reports a command that names no known metric or carries
	// an incompatible value.
	ErrBadCommand = errors.New("invalid command")
)

// Error implements error.
func (e *ProtocolError) Error() string {
	return fmt.Sprintf("sparkplug: %v on %s: %s", e.Kind, e.Topic, e.Detail)
}

// Unwrap returns ErrProtocol and Kind.
func (e *ProtocolError) Unwrap() []error { return []error{ErrProtocol, e.Kind} }
