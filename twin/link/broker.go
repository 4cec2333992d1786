package link

import (
	"fmt"
	"log/slog"
	"net"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/hooks/auth"
	"github.com/mochi-mqtt/server/v2/listeners"
	"go.uber.org/zap"
)

// A Broker is an embedded MQTT broker (MQTT 3.1.1 and 5) listening on one
// TCP address. It accepts every client without authentication, so bind it
// to a loopback address. Close stops it.
type Broker struct {
	srv  *mqtt.Server
	addr string
	log  *zap.Logger
}

// StartBroker starts an embedded broker listening on addr (host:port; port
// 0 picks a free one, e.g. "127.0.0.1:0"). It returns once the broker
// accepts connections; [Broker.Addr] is the bound address. log may be nil.
func StartBroker(addr string, log *zap.Logger) (*Broker, error) {
	if log == nil {
		log = zap.NewNop()
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("link: broker: %w", err)
	}
	srv := mqtt.New(&mqtt.Options{
		InlineClient: false,
		Logger:       slog.New(slog.DiscardHandler),
	})
	if err := srv.AddHook(new(auth.AllowHook), nil); err != nil {
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
	b := &Broker{srv: srv, addr: ln.Addr().String(), log: log}
	log.Info("embedded MQTT broker listening", zap.String("addr", b.addr))
	return b, nil
}

// Addr returns the address the broker listens on, as host:port.
func (b *Broker) Addr() string { return b.addr }

// URL returns the broker's address as an mqtt:// URL for [Options.Broker].
func (b *Broker) URL() string { return "mqtt://" + b.addr }

// Close disconnects every client and stops listening.
func (b *Broker) Close() error {
	err := b.srv.Close()
	b.log.Info("embedded MQTT broker stopped", zap.String("addr", b.addr))
	return err
}
