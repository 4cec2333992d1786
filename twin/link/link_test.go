package link_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/twin/link"
)

func TestParseBrokerURL(t *testing.T) {
	for in, want := range map[string]string{
		"mqtt://127.0.0.1":     "mqtt://127.0.0.1:1883",
		"tcp://host:1884":      "mqtt://host:1884",
		"tls://broker.plant":   "tls://broker.plant:8883",
		"mqtts://broker:8884/": "tls://broker:8884",
		"mqtt://[::1]:1883":    "mqtt://[::1]:1883",
	} {
		u, err := link.ParseBrokerURL(in)
		if err != nil || u.String() != want {
			t.Errorf("ParseBrokerURL(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	for _, in := range []string{"", "localhost:1883", "http://x", "mqtt://", "mqtt://h:0", "mqtt://h:99999",
		"mqtt://h:x", "mqtt://u:p@h", "mqtt://h/topic", "mqtt://h?x=1", "::"} {
		if _, err := link.ParseBrokerURL(in); !errors.Is(err, link.ErrBadURL) {
			t.Errorf("ParseBrokerURL(%q) = %v, want ErrBadURL", in, err)
		}
		if _, err := link.Dial(context.Background(), link.Options{Broker: in, ClientID: "x"}); !errors.Is(err, link.ErrBadURL) {
			t.Errorf("Dial(%q) = %v, want ErrBadURL", in, err)
		}
	}
}

// receiver collects messages on a channel.
func receiver() (chan link.Message, func(string, []byte)) {
	ch := make(chan link.Message, 16)
	return ch, func(topic string, payload []byte) {
		ch <- link.Message{Topic: topic, Payload: append([]byte(nil), payload...)}
	}
}

func recv(t *testing.T, ctx context.Context, ch chan link.Message) link.Message {
	t.Helper()
	select {
	case m := <-ch:
		return m
	case <-ctx.Done():
		t.Fatal("timed out waiting for a message")
		return link.Message{}
	}
}

func TestPublishSubscribeAndWill(t *testing.T) {
	log := zaptest.NewLogger(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := link.StartBroker("127.0.0.1:0", log)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	ch, onMsg := receiver()
	sub, err := link.Dial(ctx, link.Options{Broker: b.URL(), ClientID: "sub", OnMessage: onMsg, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close(ctx)
	if err := sub.Subscribe(ctx, "t/#", 1); err != nil {
		t.Fatal(err)
	}

	var wills atomic.Int32
	dial := func(id string) *link.Conn {
		c, err := link.Dial(ctx, link.Options{Broker: b.URL(), ClientID: id, Log: log,
			Will: func() (*link.Message, error) {
				wills.Add(1)
				return &link.Message{Topic: "t/will/" + id, Payload: []byte("gone"), QoS: 1}, nil
			}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	pub := dial("clean")
	if err := pub.Publish(ctx, link.Message{Topic: "t/a", Payload: []byte("hello"), QoS: 1}); err != nil {
		t.Fatal(err)
	}
	if m := recv(t, ctx, ch); m.Topic != "t/a" || string(m.Payload) != "hello" {
		t.Fatalf("got %s %q", m.Topic, m.Payload)
	}
	// A clean Close discards the Will: the next message is the crash's.
	if err := pub.Close(ctx); err != nil {
		t.Fatal(err)
	}
	crash := dial("crash")
	crash.Abort()
	if m := recv(t, ctx, ch); m.Topic != "t/will/crash" || string(m.Payload) != "gone" {
		t.Fatalf("got %s %q, want the Will of crash", m.Topic, m.Payload)
	}
	_ = crash.Close(ctx)
	if n := wills.Load(); n != 2 {
		t.Errorf("Will built %d times, want once per connection (2)", n)
	}
}

func TestReconnectRebuildsWill(t *testing.T) {
	log := zaptest.NewLogger(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := link.StartBroker("127.0.0.1:0", log)
	if err != nil {
		t.Fatal(err)
	}
	addr := b.Addr()
	var wills atomic.Int32
	connects := make(chan struct{}, 4)
	c, err := link.Dial(ctx, link.Options{Broker: b.URL(), ClientID: "edge", Log: log, Retry: 20 * time.Millisecond,
		// A connection accepted by the closing broker may never be
		// answered: give up on it quickly.
		ConnectTimeout: 500 * time.Millisecond,
		Will: func() (*link.Message, error) {
			wills.Add(1)
			return &link.Message{Topic: "t/will", Payload: []byte("gone"), QoS: 1}, nil
		},
		OnConnect: func(*link.Conn) { connects <- struct{}{} },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	<-connects
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	b2, err := link.StartBroker(addr, log)
	if err != nil {
		t.Skipf("cannot listen on %s again: %v", addr, err)
	}
	defer b2.Close()
	select {
	case <-connects:
	case <-ctx.Done():
		t.Fatal("no reconnection")
	}
	if n := wills.Load(); n < 2 {
		t.Errorf("Will built %d times, want once per connection attempt (at least 2)", n)
	}
}
