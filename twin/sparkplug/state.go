package sparkplug

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// A State is the JSON payload of a host application's STATE message on
// spBv1.0/STATE/<host id>: {"online":true,"timestamp":1700000000000}.
// The birth (online) and the death registered as MQTT Will (offline) carry
// the same timestamp: the time of the CONNECT.
type State struct {
	// Online is true in the birth certificate, false in the death.
	Online bool
	// Timestamp is in ms since the epoch (UTC).
	Timestamp uint64
}

// MarshalState encodes s as the compact JSON STATE payload.
func MarshalState(s State) []byte { return AppendState(nil, s) }

// AppendState appends the JSON encoding of s to dst.
func AppendState(dst []byte, s State) []byte {
	dst = append(dst, `{"online":`...)
	dst = strconv.AppendBool(dst, s.Online)
	dst = append(dst, `,"timestamp":`...)
	dst = strconv.AppendUint(dst, s.Timestamp, 10)
	return append(dst, '}')
}

// UnmarshalState decodes a STATE payload. It needs a JSON object with a
// boolean "online" and a non-negative integer "timestamp" (key names are
// case sensitive); other keys, such as the "bdSeq" of pre-release 3.0
// drafts, are ignored. The error matches [ErrInvalidState].
func UnmarshalState(b []byte) (State, error) {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("ONLINE")) || bytes.Equal(b, []byte("OFFLINE")) {
		return State{}, fmt.Errorf("%w: %q is a Sparkplug 2.x STATE payload, 3.0 uses JSON", ErrInvalidState, b)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return State{}, fmt.Errorf("%w: %v", ErrInvalidState, err)
	}
	if obj == nil {
		return State{}, fmt.Errorf("%w: not a JSON object", ErrInvalidState)
	}
	var s State
	raw, ok := obj["online"]
	if !ok {
		return State{}, fmt.Errorf("%w: no \"online\" key", ErrInvalidState)
	}
	switch string(bytes.TrimSpace(raw)) {
	case "true":
		s.Online = true
	case "false":
	default:
		return State{}, fmt.Errorf("%w: \"online\" is %s, want true or false", ErrInvalidState, raw)
	}
	raw, ok = obj["timestamp"]
	if !ok {
		return State{}, fmt.Errorf("%w: no \"timestamp\" key", ErrInvalidState)
	}
	ts, err := strconv.ParseUint(string(bytes.TrimSpace(raw)), 10, 64)
	if err != nil {
		return State{}, fmt.Errorf("%w: \"timestamp\" is %s, want milliseconds as a non-negative integer", ErrInvalidState, raw)
	}
	s.Timestamp = ts
	return s, nil
}
