package link_test

import (
	"bufio"
	"context"
	"net"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin/link"
)

// silentBroker accepts one MQTT connection, answers its CONNECT and then
// never answers again; subscribed is told when a SUBSCRIBE arrives.
func silentBroker(t *testing.T) (url string, subscribed <-chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	sub := make(chan struct{}, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		r := bufio.NewReader(c)
		for {
			kind, err := r.ReadByte()
			if err != nil {
				return
			}
			n, shift := 0, 0 // the remaining length, a varint
			for {
				b, err := r.ReadByte()
				if err != nil {
					return
				}
				n |= int(b&0x7f) << shift
				if shift += 7; b < 0x80 {
					break
				}
			}
			if _, err := r.Discard(n); err != nil {
				return
			}
			switch kind >> 4 {
			case 1: // CONNECT: CONNACK (MQTT 5), success, no properties
				c.Write([]byte{0x20, 0x03, 0x00, 0x00, 0x00})
			case 8: // SUBSCRIBE: no SUBACK, ever
				sub <- struct{}{}
			}
		}
	}()
	return "mqtt://" + ln.Addr().String(), sub
}

// Close does not leave a Subscribe waiting for a SUBACK that will never
// come (an edge stopped right after connecting waited 10 s, paho's
// timeout, for it).
func TestCloseEndsSubscribesInFlight(t *testing.T) {
	url, subscribed := silentBroker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := link.Dial(ctx, link.Options{Broker: url, ClientID: "c"})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Subscribe(ctx, "a/#", 1) }()
	select {
	case <-subscribed:
	case <-ctx.Done():
		t.Fatal("no SUBSCRIBE")
	}
	closed := make(chan error, 1)
	go func() { closed <- c.Close(ctx) }()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Subscribe succeeded without a SUBACK")
		}
	case <-time.After(5 * time.Second): // paho's own timeout is 10 s
		t.Fatal("Subscribe still waits 5 s after Close")
	}
	<-closed
}
