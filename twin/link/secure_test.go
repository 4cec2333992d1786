package link_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/link/linktest"
)

// pubSub checks that a client dialled with o receives its own message.
func pubSub(t *testing.T, ctx context.Context, o link.Options) {
	t.Helper()
	ch, onMsg := receiver()
	o.OnMessage = onMsg
	c, err := link.Dial(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if err := c.Subscribe(ctx, "t/#", 1); err != nil {
		t.Fatal(err)
	}
	if err := c.Publish(ctx, link.Message{Topic: "t/secure", Payload: []byte("hi"), QoS: 1}); err != nil {
		t.Fatal(err)
	}
	if m := recv(t, ctx, ch); m.Topic != "t/secure" || string(m.Payload) != "hi" {
		t.Fatalf("got %s %q", m.Topic, m.Payload)
	}
}

func TestBrokerAuth(t *testing.T) {
	log := zaptest.NewLogger(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := link.StartBrokerWith("127.0.0.1:0", link.BrokerOptions{Username: "line", Password: "s3cret", Log: log})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	for name, o := range map[string]link.Options{
		"wrong password": {Username: "line", Password: "guess"},
		"unknown user":   {Username: "other", Password: "s3cret"},
		"no credentials": {},
	} {
		t.Run(name, func(t *testing.T) {
			o.Broker, o.ClientID, o.Log, o.Retry = b.URL(), "c-"+strings.ReplaceAll(name, " ", "-"), log, 20*time.Millisecond
			c, err := link.Dial(ctx, o)
			if err == nil {
				_ = c.Close(ctx)
				t.Fatal("connected with bad credentials")
			}
			// Refused at once, not retried until ctx ends.
			if !errors.Is(err, link.ErrRefused) || errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want ErrRefused before the deadline", err)
			}
			t.Logf("Dial: %v", err)
			for _, want := range []string{b.URL(), "bad user name or password", "0x86"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
	t.Run("right password", func(t *testing.T) {
		pubSub(t, ctx, link.Options{Broker: b.URL(), ClientID: "good", Username: "line", Password: "s3cret", Log: log})
	})
}

func TestBrokerOptionsChecked(t *testing.T) {
	for name, o := range map[string]link.BrokerOptions{
		"password without user": {Password: "x"},
		"user without password": {Username: "u"},
		"TLS without a cert":    {TLS: &tls.Config{}},
	} {
		if b, err := link.StartBrokerWith("127.0.0.1:0", o); err == nil {
			_ = b.Close()
			t.Errorf("%s: started", name)
		}
	}
}

func TestDialTimeoutNamesLastFailure(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens there now
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err = link.Dial(ctx, link.Options{Broker: "mqtt://" + addr, ClientID: "x", Retry: 20 * time.Millisecond})
	t.Logf("Dial: %v", err)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "last attempt") {
		t.Fatalf("err = %v, want the deadline and the last attempt's failure", err)
	}
}

func TestBrokerTLS(t *testing.T) {
	log := zaptest.NewLogger(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	pki := linktest.New(t)
	srvTLS, roots := pki.ServerTLS(false), pki.Roots
	b, err := link.StartBrokerWith("127.0.0.1:0", link.BrokerOptions{TLS: srvTLS, Username: "line", Password: "s3cret", Log: log})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if !strings.HasPrefix(b.URL(), "tls://") {
		t.Fatalf("URL %s, want tls://", b.URL())
	}

	t.Run("trusted CA", func(t *testing.T) {
		pubSub(t, ctx, link.Options{Broker: b.URL(), ClientID: "tls-ok", Username: "line", Password: "s3cret",
			TLS: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}, Log: log})
	})
	t.Run("unknown CA", func(t *testing.T) {
		_, err := link.Dial(ctx, link.Options{Broker: b.URL(), ClientID: "tls-bad", Username: "line", Password: "s3cret",
			TLS: &tls.Config{RootCAs: x509.NewCertPool(), MinVersion: tls.VersionTLS12}, Log: log, Retry: 20 * time.Millisecond})
		t.Logf("Dial: %v", err)
		if !errors.Is(err, link.ErrUntrusted) || errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want ErrUntrusted before the deadline", err)
		}
	})
	t.Run("plain MQTT to a TLS broker", func(t *testing.T) {
		short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		_, err := link.Dial(short, link.Options{Broker: "mqtt://" + b.Addr(), ClientID: "plain", Log: log,
			Retry: 20 * time.Millisecond, ConnectTimeout: 100 * time.Millisecond})
		if err == nil {
			t.Fatal("a plain client connected to the TLS broker")
		}
	})
}

// Close frees the port at once and may be called twice.
func TestBrokerCloseTwice(t *testing.T) {
	b, err := link.StartBroker("127.0.0.1:0", zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	addr := b.Addr()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	b2, err := link.StartBroker(addr, zaptest.NewLogger(t))
	if err != nil {
		t.Fatalf("the port %s is still taken after Close: %v", addr, err)
	}
	_ = b2.Close()
}
