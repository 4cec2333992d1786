package bench

import (
	"context"
	"slices"
	"time"

	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// A driven run is what one run of the host measured.
type driven struct {
	messages, rebirths uint64
	wall, busy         time.Duration
	lags               []time.Duration // sorted, when measured
	mirrorBytes        int64
	heapInUse          uint64
}

// lag returns quantile q of the lags, in ms.
func (d *driven) lag(q float64) float64 {
	if len(d.lags) == 0 {
		return 0
	}
	i := min(int(q*float64(len(d.lags))), len(d.lags)-1)
	return float64(d.lags[i]) / float64(time.Millisecond)
}

// A consumer is the edge nodes' broker and the twin's MQTT client at
// once: every node publishes into its queue (an edge.Publisher), and its
// goroutine hands each message to the mirror, as twinwire does with what
// the broker delivers, and the rebirth requests back to the runner.
type consumer struct {
	m     *mirror.Mirror
	r     *edge.Runner
	queue chan published
	done  chan struct{}
	nodes map[string]int // edge node id -> copy
	lags  bool
	d     driven // the goroutine's until done is closed
}

// published is a message and when it was published.
type published struct {
	m  sparkplug.Message
	at time.Time
}

// newConsumer starts a consumer feeding m, answering r's nodes.
func newConsumer(m *mirror.Mirror, r *edge.Runner, lags bool) *consumer {
	c := &consumer{m: m, r: r, queue: make(chan published, 1024), done: make(chan struct{}), nodes: map[string]int{}, lags: lags}
	for k := range r.Nodes() {
		c.nodes[r.NodeID(k)] = k
	}
	go c.run()
	return c
}

// Publish implements edge.Publisher: it queues m, waiting while the
// queue is full (the host is behind).
func (c *consumer) Publish(ctx context.Context, m sparkplug.Message) error {
	select {
	case c.queue <- published{m: m, at: time.Now()}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// run applies every message queued, in order, timing each.
func (c *consumer) run() {
	defer close(c.done)
	for p := range c.queue {
		t0 := time.Now()
		req := c.m.Receive(p.m.Topic.String(), p.m.Payload)
		t1 := time.Now()
		c.d.messages++
		c.d.busy += t1.Sub(t0)
		if c.lags && (p.m.Topic.Type == sparkplug.NDATA || p.m.Topic.Type == sparkplug.DDATA) {
			c.d.lags = append(c.d.lags, t1.Sub(p.at))
		}
		if req != nil {
			c.d.rebirths++
			if k, ok := c.nodes[req.Topic.EdgeNode]; ok {
				// Not on this goroutine: the runner may be waiting
				// for the queue.
				go c.r.Command(k, req.Topic.String(), req.Payload)
			}
		}
	}
}

// close ends the queue once nothing more is published, waits for the
// messages in it and returns the measurements.
func (c *consumer) close() *driven {
	close(c.queue)
	<-c.done
	slices.Sort(c.d.lags)
	return &c.d
}
