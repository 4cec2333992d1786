package link

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/hooks/auth"
	"github.com/mochi-mqtt/server/v2/listeners"
	"go.uber.org/zap"
)

// BrokerOptions configure [StartBrokerWith]. The zero value is the open,
// plain-TCP broker of [StartBroker].
type BrokerOptions struct {
	// Username and Password, when Username is set, are the only credentials
	// the broker accepts: any other client is refused with CONNACK reason
	// 0x86 (bad user name or password). Password must then not be empty.
	// Without Username every client is accepted, so bind the broker to a
	// loopback address.
	Username, Password string
	// TLS, if set, makes the broker serve MQTT over TLS only; it must hold
	// at least one certificate. Clients then dial tls://.
	TLS *tls.Config
	// Log receives the broker's start and stop; nil discards them.
	Log *zap.Logger
}

// validate checks the options.
func (o *BrokerOptions) validate() error {
	switch {
	case o.Username == "" && o.Password != "":
		return errors.New("a password without a user name")
	case o.Username != "" && o.Password == "":
		return fmt.Errorf("user name %q without a password", o.Username)
	case o.TLS != nil && len(o.TLS.Certificates) == 0 && o.TLS.GetCertificate == nil:
		return errors.New("TLS without a server certificate")
	}
	return nil
}

// A Broker is an embedded MQTT broker (MQTT 3.1.1 and 5) listening on one
// TCP address, optionally with TLS and one user name and password (see
// [BrokerOptions]). Close stops it.
type Broker struct {
	srv  *mqtt.Server
	ln   net.Listener
	addr string
	tls  bool
	log  *zap.Logger

	once     sync.Once
	closeErr error
}

// StartBroker starts an embedded broker that accepts every client without
// authentication, on plain TCP at addr (host:port; port 0 picks a free
// one, e.g. "127.0.0.1:0"). It returns once the broker accepts
// connections; [Broker.Addr] is the bound address. log may be nil.
func StartBroker(addr string, log *zap.Logger) (*Broker, error) {
	return StartBrokerWith(addr, BrokerOptions{Log: log})
}

// StartBrokerWith starts an embedded broker at addr as [StartBroker] does,
// with credentials and TLS as o says.
func StartBrokerWith(addr string, o BrokerOptions) (*Broker, error) {
	if err := o.validate(); err != nil {
		return nil, fmt.Errorf("link: broker: %w", err)
	}
	log := o.Log
	if log == nil {
		log = zap.NewNop()
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("link: broker: %w", err)
	}
	if o.TLS != nil {
		ln = tls.NewListener(ln, o.TLS.Clone())
	}
	srv := mqtt.New(&mqtt.Options{
		InlineClient: false,
		Logger:       slog.New(slog.DiscardHandler),
	})
	if o.Username == "" {
		err = srv.AddHook(new(auth.AllowHook), nil)
	} else {
		err = srv.AddHook(new(auth.Hook), &auth.Options{Ledger: &auth.Ledger{
			Users: auth.Users{o.Username: {Username: auth.RString(o.Username), Password: auth.RString(o.Password)}},
		}})
	}
	if err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("link: broker: %w", err)
	}
	if err := srv.AddListener(listeners.NewNet("tcp", ln)); err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("link: broker: %w", err)
	}
	if err := srv.Serve(); err != nil {
		_ = srv.Close()
		return nil, fmt.Errorf("link: broker: %w", err)
	}
	b := &Broker{srv: srv, ln: ln, addr: ln.Addr().String(), tls: o.TLS != nil, log: log}
	log.Info("embedded MQTT broker listening", zap.String("url", b.URL()),
		zap.Bool("authentication", o.Username != ""))
	return b, nil
}

// Addr returns the address the broker listens on, as host:port.
func (b *Broker) Addr() string { return b.addr }

// URL returns the broker's address as a URL for [Options.Broker]:
// tls://host:port when it serves TLS, mqtt://host:port otherwise.
func (b *Broker) URL() string {
	if b.tls {
		return "tls://" + b.addr
	}
	return "mqtt://" + b.addr
}

// closeWait bounds how long Close waits for the MQTT server's own shutdown.
const closeWait = 5 * time.Second

// Close stops listening and disconnects every client. It may be called
// more than once; later calls return the first call's result.
//
// The port is freed first, so that no client attaches while the others
// are being closed. mochi-mqtt v2.7.9 can still deadlock in its shutdown
// (Clients.GetByListener takes its read lock twice, which blocks for good
// when a client is being attached or removed in between): Close waits at
// most closeWait for it, then logs and returns, leaving the stuck clients
// to the process's exit.
func (b *Broker) Close() error {
	b.once.Do(func() {
		_ = b.ln.Close() // mochi closes it again and reports nothing of it
		done := make(chan error, 1)
		go func() { done <- b.srv.Close() }()
		t := time.NewTimer(closeWait)
		defer t.Stop()
		select {
		case b.closeErr = <-done:
			b.log.Info("embedded MQTT broker stopped", zap.String("addr", b.addr))
		case <-t.C:
			b.log.Warn("embedded MQTT broker: the server's shutdown did not finish; leaving it",
				zap.String("addr", b.addr), zap.Float64("waited_s", closeWait.Seconds()))
		}
	})
	return b.closeErr
}
