package host

import (
	"errors"
	"fmt"
)

// ErrLimit matches every message a [Session] refuses because it would take
// the session over one of its limits ([Config]).
var ErrLimit = errors.New("over the host's limit")

// A LimitError is a message a [Session] refused at one of its limits.
// It matches [ErrLimit] with errors.Is.
type LimitError struct {
	// Topic is the topic the message arrived on.
	Topic string
	// Limit is the limit the message would have broken.
	Limit Limit
	// Got is what the message needed: bytes of payload, metrics in the
	// message, bytes mirrored; Max is the limit.
	Got, Max int64
}

// Error implements error.
func (e *LimitError) Error() string {
	var what string
	switch e.Limit {
	case LimitPayload:
		what = fmt.Sprintf("payload of %d bytes, over the limit of %d (max payload)", e.Got, e.Max)
	case LimitNodes:
		what = fmt.Sprintf("a new edge node beyond the limit of %d nodes (max nodes)", e.Max)
	case LimitDevices:
		what = fmt.Sprintf("a new device beyond the limit of %d devices per edge node (max devices)", e.Max)
	case LimitMetrics:
		what = fmt.Sprintf("%d metrics in one message, over the limit of %d (max metrics)", e.Got, e.Max)
	default:
		what = fmt.Sprintf("the mirror would take about %d bytes, over the limit of %d (max memory)", e.Got, e.Max)
	}
	return "sparkplug: " + e.Topic + " refused: " + what
}

// Unwrap returns ErrLimit.
func (e *LimitError) Unwrap() error { return ErrLimit }
