package twinwire

import (
	"context"
	"errors"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// linkConn publishes Sparkplug messages on an MQTT link connection.
type linkConn struct{ c *link.Conn }

// Publish implements publisher.
func (l linkConn) Publish(ctx context.Context, m sparkplug.Message) error {
	return l.c.Publish(ctx, ToLink(m))
}

// ToLink converts a Sparkplug message for the MQTT link.
func ToLink(m sparkplug.Message) link.Message {
	return link.Message{Topic: m.Topic.String(), Payload: m.Payload, QoS: m.QoS, Retain: m.Retain}
}

// Connect dials the broker with o (its ClientID defaults to the host id;
// its Will, OnConnect, OnDisconnect and OnMessage are the host's) and
// returns once connected, subscribed and online, within ctx. The host
// keeps the connection up until [Host.Close]; after each reconnection it
// publishes its STATE again, subscribes again and asks every node it
// knows for a rebirth; while the connection is down every node is stale.
func (h *Host) Connect(ctx context.Context, o link.Options) error {
	ready := make(chan error, 1)
	o.Will = func() (*link.Message, error) {
		m, err := h.Mirror.Will()
		if err != nil {
			return nil, err
		}
		lm := ToLink(m)
		return &lm, nil
	}
	o.OnConnect = func(c *link.Conn) {
		err := h.online(c)
		if err != nil {
			h.log.Warn("twin: going online failed", zap.Error(err))
		}
		select {
		case ready <- err:
		default:
		}
	}
	o.OnDisconnect = h.Mirror.ConnectionLost
	o.OnMessage = h.receive
	if o.ClientID == "" {
		o.ClientID = h.Mirror.Config().HostID
	}
	h.mu.Lock()
	if h.conn != nil || h.done {
		h.mu.Unlock()
		return errClosed
	}
	h.mu.Unlock()
	conn, err := link.Dial(ctx, o)
	if err != nil {
		return err
	}
	h.mu.Lock()
	h.conn = linkConn{conn}
	h.mu.Unlock()
	select {
	case err := <-ready:
		if err != nil {
			_ = conn.Close(context.Background())
			return err
		}
		return nil
	case <-ctx.Done():
		_ = conn.Close(context.Background())
		return ctx.Err()
	}
}

// receive applies one message and publishes the rebirth request the
// mirror asks for.
func (h *Host) receive(topic string, payload []byte) {
	req := h.Mirror.Receive(topic, payload)
	if req == nil {
		return
	}
	h.mu.Lock()
	conn := h.conn
	h.mu.Unlock()
	if conn != nil {
		h.sendRebirth(conn, *req)
	}
}

// online subscribes, publishes the online STATE and asks every known node
// that is not online for a rebirth.
func (h *Host) online(c *link.Conn) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn := linkConn{c}
	h.mu.Lock()
	if h.conn == nil && !h.done {
		h.conn = conn // the first connection, before Dial returns
	}
	h.mu.Unlock()
	for _, f := range h.Mirror.Filters() {
		if err := c.Subscribe(ctx, f, 1); err != nil {
			return err
		}
	}
	state, rebirths, err := h.Mirror.Online()
	if err != nil {
		return err
	}
	if err := conn.Publish(ctx, state); err != nil {
		return err
	}
	for _, r := range rebirths {
		h.sendRebirth(conn, r)
	}
	h.log.Info("twin online", zap.String("host", h.Mirror.Config().HostID), zap.Strings("filters", h.Mirror.Filters()))
	return nil
}

// sendRebirth publishes a rebirth request.
func (h *Host) sendRebirth(conn publisher, m sparkplug.Message) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := conn.Publish(ctx, m); err != nil {
		h.log.Warn("twin: rebirth request not sent", zap.String("topic", m.Topic.String()), zap.Error(err))
		return
	}
	h.log.Info("twin: asked for a rebirth", zap.String("topic", m.Topic.String()))
}

// Close publishes the offline STATE and disconnects. The mirror stays
// readable.
func (h *Host) Close(ctx context.Context) error {
	if h.Pilot != nil {
		h.Pilot.Close() // its last commands go out before the offline STATE
	}
	h.mu.Lock()
	conn := h.conn
	h.conn, h.done = nil, true
	h.mu.Unlock()
	lc, ok := conn.(linkConn)
	if !ok {
		return nil
	}
	m, err := h.Mirror.Offline()
	if err == nil {
		err = lc.Publish(ctx, m)
	}
	return errors.Join(err, lc.c.Close(ctx))
}
