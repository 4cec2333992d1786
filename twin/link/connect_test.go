package link_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"reflect"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/twin/link"
)

// A connectAnswer is how the scripted broker answers one CONNECT.
type connectAnswer int

const (
	// refuse closes the connection without a CONNACK: a failed attempt.
	refuse connectAnswer = iota
	// acceptThenDrop sends a successful CONNACK and closes the connection:
	// a lost connection, which the client retries.
	acceptThenDrop
	// accept sends a successful CONNACK and keeps the connection open.
	accept
)

// A connectPacket is what the scripted broker read from one CONNECT.
type connectPacket struct {
	clientID   string
	cleanStart bool
	will       bool
	// sessionExpiry is the Session Expiry Interval property; 0 when absent.
	sessionExpiry uint32
}

// scriptedBroker listens on a loopback port and answers the CONNECT of
// each connection in turn as script says, reporting each on connects. It is
// not an MQTT broker: it reads the CONNECT and nothing after it.
func scriptedBroker(t *testing.T, script ...connectAnswer) (url string, connects <-chan connectPacket) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan connectPacket, len(script))
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		open []net.Conn
	)
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for _, c := range open {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, answer := range script {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			pk, err := readConnect(bufio.NewReader(c))
			if err != nil {
				t.Errorf("scripted broker: %v", err)
				_ = c.Close()
				return
			}
			ch <- pk
			if answer != refuse {
				// CONNACK: no session present, reason Success, no properties.
				_, err = c.Write([]byte{0x20, 0x03, 0x00, 0x00, 0x00})
			}
			if answer != accept || err != nil {
				_ = c.Close()
				continue
			}
			mu.Lock()
			open = append(open, c)
			mu.Unlock()
		}
	}()
	return "mqtt://" + ln.Addr().String(), ch
}

// readConnect reads an MQTT 5 CONNECT packet up to its client id.
func readConnect(r *bufio.Reader) (connectPacket, error) {
	var pk connectPacket
	typ, err := r.ReadByte()
	if err != nil {
		return pk, err
	}
	if typ != 0x10 {
		return pk, fmt.Errorf("first packet type 0x%02X, want CONNECT", typ)
	}
	body, err := readPrefixed(r)
	if err != nil {
		return pk, err
	}
	// Protocol name "MQTT", level 5, flags, keep alive.
	if len(body) < 10 || string(body[2:6]) != "MQTT" || body[6] != 5 {
		return pk, fmt.Errorf("not an MQTT 5 CONNECT: % x", body)
	}
	flags := body[7]
	pk.cleanStart, pk.will = flags&0x02 != 0, flags&0x04 != 0
	br := bytes.NewReader(body[10:])
	props, err := readPrefixed(br)
	if err != nil {
		return pk, err
	}
	if pk.sessionExpiry, err = sessionExpiry(props); err != nil {
		return pk, err
	}
	idLen := make([]byte, 2)
	if _, err := io.ReadFull(br, idLen); err != nil {
		return pk, err
	}
	id := make([]byte, binary.BigEndian.Uint16(idLen))
	if _, err := io.ReadFull(br, id); err != nil {
		return pk, err
	}
	pk.clientID = string(id)
	return pk, nil
}

// readPrefixed reads a length as an MQTT variable byte integer, then that
// many bytes.
func readPrefixed(r interface {
	io.Reader
	io.ByteReader
}) ([]byte, error) {
	n, err := readVarint(r)
	if err != nil {
		return nil, err
	}
	b := make([]byte, n)
	_, err = io.ReadFull(r, b)
	return b, err
}

// readVarint reads an MQTT variable byte integer.
func readVarint(r io.ByteReader) (int, error) {
	v, shift := 0, 0
	for range 4 {
		b, err := r.ReadByte()
		if err != nil {
			return 0, err
		}
		v |= int(b&0x7F) << shift
		if b&0x80 == 0 {
			return v, nil
		}
		shift += 7
	}
	return 0, errors.New("variable byte integer longer than 4 bytes")
}

// sessionExpiry returns the Session Expiry Interval among the CONNECT
// properties props, 0 when absent.
func sessionExpiry(props []byte) (uint32, error) {
	var expiry uint32
	for len(props) > 0 {
		id := props[0]
		props = props[1:]
		var size int
		switch id {
		case 0x11, 0x27: // Session Expiry Interval, Maximum Packet Size
			size = 4
		case 0x21, 0x22: // Receive Maximum, Topic Alias Maximum
			size = 2
		case 0x17, 0x19: // Request Problem / Response Information
			size = 1
		case 0x15, 0x16: // Authentication Method / Data
			if len(props) < 2 {
				return 0, errors.New("truncated CONNECT property")
			}
			size = 2 + int(binary.BigEndian.Uint16(props))
		case 0x26: // User Property: two strings
			if len(props) < 2 {
				return 0, errors.New("truncated CONNECT property")
			}
			k := 2 + int(binary.BigEndian.Uint16(props))
			if len(props) < k+2 {
				return 0, errors.New("truncated CONNECT property")
			}
			size = k + 2 + int(binary.BigEndian.Uint16(props[k:]))
		default:
			return 0, fmt.Errorf("unexpected CONNECT property 0x%02X", id)
		}
		if len(props) < size {
			return 0, errors.New("truncated CONNECT property")
		}
		if id == 0x11 {
			expiry = binary.BigEndian.Uint32(props)
		}
		props = props[size:]
	}
	return expiry, nil
}

// dialScripted dials the scripted broker at url with a Will, quick
// retries, and onWill and onConnack (either may be nil) called from Will and
// OnConnack, and waits for the first n connections. Close is left to the
// test's cleanup.
func dialScripted(t *testing.T, ctx context.Context, url string, n int, onWill, onConnack func()) {
	t.Helper()
	up := make(chan struct{}, n)
	c, err := link.Dial(ctx, link.Options{Broker: url, ClientID: "edge", Log: zaptest.NewLogger(t),
		Retry: 10 * time.Millisecond, ConnectTimeout: 5 * time.Second,
		Will: func() (*link.Message, error) {
			if onWill != nil {
				onWill()
			}
			return &link.Message{Topic: "t/will", Payload: []byte("gone"), QoS: 1}, nil
		},
		OnConnack: onConnack,
		OnConnect: func(*link.Conn) {
			select {
			case up <- struct{}{}:
			default:
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	for i := range n {
		select {
		case <-up:
		case <-ctx.Done():
			t.Fatalf("timed out waiting for connection %d", i+1)
		}
	}
}

// Options.Will is called before every connection attempt, OnConnack once
// per attempt the broker accepted, in between: what an edge node needs to
// move bdSeq once per accepted connection.
func TestConnackBetweenWills(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	url, connects := scriptedBroker(t, refuse, acceptThenDrop, refuse, refuse, accept)
	var (
		mu     sync.Mutex
		events []string
	)
	record := func(e string) func() {
		return func() {
			mu.Lock()
			events = append(events, e)
			mu.Unlock()
		}
	}
	dialScripted(t, ctx, url, 2, record("will"), record("connack"))
	mu.Lock()
	got := append([]string(nil), events...)
	mu.Unlock()
	want := []string{"will", "will", "connack", "will", "will", "will", "connack"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
	if n := len(connects); n != 5 {
		t.Errorf("%d CONNECTs, want 5", n)
	}
}

// Every CONNECT, reconnections included, sets Clean Start and no Session
// Expiry Interval, as Sparkplug requires of edge nodes and hosts
// (tck-id-principles-persistence-clean-session-50,
// tck-id-message-flow-phid-sparkplug-clean-session-50).
func TestEveryConnectIsCleanStart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	url, connects := scriptedBroker(t, acceptThenDrop, refuse, acceptThenDrop, accept)
	dialScripted(t, ctx, url, 3, nil, nil)
	for i := range 4 {
		pk := <-connects
		if !pk.cleanStart || pk.sessionExpiry != 0 || !pk.will || pk.clientID != "edge" {
			t.Errorf("CONNECT %d: %+v, want Clean Start, a Will, no session expiry", i+1, pk)
		}
	}
}
