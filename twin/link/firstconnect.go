package link

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/eclipse/paho.golang/autopaho"
)

// firstConnect follows the attempts before the first connection: it keeps
// the last failure and stops Dial on one that retrying cannot fix.
type firstConnect struct {
	mu     sync.Mutex
	done   bool  // connected once: later failures are retried
	last   error // the last failure
	fatal  error // a failure retrying cannot fix
	giveUp context.CancelFunc
}

// up records the first (or a later) connection.
func (f *firstConnect) up() {
	f.mu.Lock()
	f.done = true
	f.mu.Unlock()
}

// failed records a failed attempt; before the first connection, a fatal
// one ends Dial's wait.
func (f *firstConnect) failed(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.done {
		return
	}
	f.last = err
	if fatal := permanent(err); fatal != nil && f.fatal == nil {
		f.fatal = fatal
		f.giveUp()
	}
}

// result returns the fatal failure and the last failure, if any.
func (f *firstConnect) result() (fatal, last error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fatal, f.last
}

// permanent returns err as an [ErrRefused] or [ErrUntrusted] error when
// retrying cannot fix it, else nil.
func permanent(err error) error {
	var ce *autopaho.ConnackError
	if errors.As(err, &ce) {
		if why := refusal(ce.ReasonCode); why != "" {
			if ce.Reason != "" && squash(ce.Reason) != squash(why) {
				why += " (the broker says: " + ce.Reason + ")"
			}
			return fmt.Errorf("%w: %s (CONNACK reason code 0x%02X)", ErrRefused, why, ce.ReasonCode)
		}
		return nil
	}
	var ve *tls.CertificateVerificationError
	if errors.As(err, &ve) {
		return fmt.Errorf("%w: %v", ErrUntrusted, ve.Err)
	}
	return nil
}

// refusal describes a CONNACK reason code (MQTT 5, 3.2.2.2) that retrying
// the same connection cannot change; it returns "" for the others.
func refusal(code byte) string {
	switch code {
	case 0x84:
		return "unsupported protocol version"
	case 0x85:
		return "client identifier not valid"
	case 0x86:
		return "bad user name or password"
	case 0x87:
		return "not authorized"
	case 0x8A:
		return "banned"
	case 0x8C:
		return "bad authentication method"
	}
	return ""
}

// squash lower-cases s without spaces, to compare reason strings.
func squash(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "")) }
