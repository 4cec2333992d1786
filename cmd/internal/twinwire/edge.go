package twinwire

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/link"
)

// An Edge is the MQTT side of an edge.Runner: one broker connection per
// edge node, whose Will is the node's NDEATH, which subscribes to the
// node's commands and asks the runner for its births after every
// (re)connection, and hands the runner the commands the broker delivers.
type Edge struct {
	r     *edge.Runner
	conns []*link.Conn
	log   *zap.Logger
}

// DialEdge connects every node of r to the broker with o as a template
// (each connection's ClientID is its node id; its Will, OnConnect and
// OnMessage are the edge's) and returns once all are connected, within
// ctx. Run r to publish; close the edge after Run has returned.
func DialEdge(ctx context.Context, r *edge.Runner, o link.Options) (*Edge, error) {
	e := &Edge{r: r, log: o.Log}
	if e.log == nil {
		e.log = zap.NewNop()
	}
	for k := range r.Nodes() {
		po := o
		po.ClientID = r.NodeID(k)
		po.Will = nodeWill(r, k)
		po.OnConnack = func() { r.Accepted(k) } // bdSeq counts accepted CONNECTs, not attempts
		po.OnConnect = func(c *link.Conn) { e.connected(k, c) }
		po.OnMessage = func(topic string, payload []byte) { r.Command(k, topic, payload) }
		c, err := link.Dial(ctx, po)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("edge node %s: %w", po.ClientID, err), e.disconnect(context.Background()))
		}
		e.conns = append(e.conns, c)
	}
	return e, nil
}

// nodeWill returns node k's Will callback: before every connection
// attempt, the node's next Sparkplug session, whose NDEATH is the Will (its
// bdSeq goes up only once the broker has accepted an attempt, see
// edge.Runner.Accepted).
func nodeWill(r *edge.Runner, k int) func() (*link.Message, error) {
	return func() (*link.Message, error) {
		m, err := r.Will(k)
		if err != nil {
			return nil, err
		}
		lm := ToLink(m)
		return &lm, nil
	}
}

// connected subscribes node k to its commands on c, then reports the
// connection to the runner, which publishes the births. It runs in its
// own goroutine per connection.
func (e *Edge) connected(k int, c *link.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, filter := range e.r.Filters(k) {
		if err := c.Subscribe(ctx, filter, 1); err != nil {
			e.log.Warn("edge: subscribe failed", zap.String("node", e.r.NodeID(k)), zap.Error(err))
		}
	}
	e.r.Connected(k, linkConn{c})
}

// Conn returns node k's connection.
func (e *Edge) Conn(k int) *link.Conn { return e.conns[k] }

// Close publishes every node's NDEATH (edge.Runner.Shutdown) and
// disconnects cleanly, so that the broker drops the Wills. Call it after
// the runner's Run has returned.
func (e *Edge) Close(ctx context.Context) error {
	return errors.Join(e.r.Shutdown(ctx), e.disconnect(ctx))
}

// disconnect closes every connection.
func (e *Edge) disconnect(ctx context.Context) error {
	var errs []error
	for k, c := range e.conns {
		if err := c.Close(ctx); err != nil && !errors.Is(err, context.Canceled) {
			errs = append(errs, fmt.Errorf("edge node %s: disconnect: %w", e.r.NodeID(k), err))
		}
	}
	return errors.Join(errs...)
}
