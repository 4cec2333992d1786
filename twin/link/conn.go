package link

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eclipse/paho.golang/autopaho"
	"github.com/eclipse/paho.golang/paho"
	"go.uber.org/zap"
)

// ErrBadURL is matched by the errors [Dial] and [ParseBrokerURL] return for
// a broker URL they cannot use.
var ErrBadURL = errors.New("link: bad broker URL")

// ErrRefused is matched by the error [Dial] returns when the broker
// refuses the first connection for a reason that retrying cannot fix (bad
// user name or password, not authorised, client id rejected, banned).
var ErrRefused = errors.New("refused by the broker")

// ErrUntrusted is matched by the error [Dial] returns when the first
// tls:// connection fails because the broker's certificate does not verify
// (unknown authority, wrong host name, expired).
var ErrUntrusted = errors.New("broker certificate not trusted")

// A Message is one MQTT publication.
type Message struct {
	Topic   string
	Payload []byte
	QoS     byte
	Retain  bool
}

// Options configure [Dial].
type Options struct {
	// Broker is the broker's URL: mqtt://host:port (plain TCP, default port
	// 1883) or tls://host:port (also mqtts:// and ssl://; default port 8883).
	Broker string
	// ClientID is the MQTT client id; it must be unique on the broker.
	ClientID string
	// Username and Password are sent when Username is not empty.
	Username, Password string
	// TLS configures tls:// connections; nil uses the system roots.
	TLS *tls.Config
	// Will, if set, is called before every connection attempt and returns
	// the Will to register for that attempt (nil: none). Sparkplug needs
	// this: an edge node's NDEATH carries a bdSeq that changes with every
	// new session. It is called from the connection's goroutine, also for
	// attempts that fail before any CONNECT is sent (no broker listening):
	// OnConnack says which attempts the broker accepted.
	Will func() (*Message, error)
	// OnConnack, if set, is called each time the broker accepts a
	// connection attempt (a successful CONNACK), from the connection's
	// goroutine: after the Will call of that attempt, before the Will call
	// of the next one and before OnConnect. The Will last returned is then
	// the one the broker holds. It must return promptly.
	OnConnack func()
	// OnConnect, if set, is called after every successful (re)connection,
	// each time in a new goroutine, so it may publish and subscribe on c
	// (Dial may not have returned yet for the first connection).
	OnConnect func(c *Conn)
	// OnDisconnect, if set, is called when an established connection is
	// lost (not after Close). It must not block.
	OnDisconnect func()
	// OnMessage, if set, receives every message delivered by the broker,
	// one at a time, in the order received, on the connection's goroutine:
	// it must return promptly. It may publish QoS 0 messages. payload is
	// only valid during the call.
	OnMessage func(topic string, payload []byte)
	// Retry is the delay between connection attempts; 0 means 1 s.
	Retry time.Duration
	// ConnectTimeout bounds one connection attempt (TCP, TLS, CONNACK);
	// 0 means 10 s.
	ConnectTimeout time.Duration
	// Log receives connection events; nil discards them.
	Log *zap.Logger
}

// A Conn is a client connection to an MQTT broker that reconnects by
// itself until closed. Its methods are safe for concurrent use.
type Conn struct {
	cm     *autopaho.ConnectionManager
	first  firstConnect
	ready  chan struct{} // closed once cm is set
	log    *zap.Logger
	wg     sync.WaitGroup
	abort  atomic.Bool
	closed atomic.Bool
	// closing is cancelled when Close starts: a Subscribe in flight then
	// gives up, so that Close does not wait for an OnConnect that
	// subscribes.
	closing context.Context
	close   context.CancelFunc
}

// ParseBrokerURL checks a broker URL and returns it with the default port
// filled in. A URL with credentials is refused: they go in Options. Its
// errors never hold the password (see [RedactURL]).
func ParseBrokerURL(s string) (*url.URL, error) {
	shown := RedactURL(s)
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) { // its message quotes the URL, password and all
			err = ue.Err
		}
		if shown != s { // and its reason may quote a piece of the password
			err = errors.New("not a URL")
		}
		return nil, fmt.Errorf("%w %q: %v", ErrBadURL, shown, err)
	}
	var port string
	switch u.Scheme {
	case "mqtt", "tcp":
		u.Scheme, port = "mqtt", "1883"
	case "tls", "mqtts", "ssl":
		u.Scheme, port = "tls", "8883"
	case "":
		return nil, fmt.Errorf("%w %q: want mqtt://host:port or tls://host:port", ErrBadURL, shown)
	default:
		return nil, fmt.Errorf("%w %q: scheme %q is not mqtt, tls, mqtts or ssl (want mqtt://host:port or tls://host:port)", ErrBadURL, shown, u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("%w %q: no host", ErrBadURL, shown)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return nil, fmt.Errorf("%w %q: want only scheme, host and port (give credentials as options)", ErrBadURL, shown)
	}
	if p := u.Port(); p == "" {
		u.Host = net.JoinHostPort(u.Hostname(), port)
	} else if n, err := strconv.Atoi(p); err != nil || n <= 0 || n > 65535 {
		return nil, fmt.Errorf("%w %q: bad port %q", ErrBadURL, shown, p)
	}
	u.Path = ""
	return u, nil
}

// RedactURL returns the broker URL s with the password it may hold
// replaced by "xxxxx", as url.URL.Redacted does, for errors and logs; also
// when s does not parse as a URL. Everything from the first ':' after the
// scheme's "//" (or from the start) to the last '@' counts as the
// password, so that one holding '/', '?' or '#' is hidden too.
func RedactURL(s string) string {
	prefix, rest := "", s
	if i := strings.Index(s, "://"); i >= 0 {
		prefix, rest = s[:i+3], s[i+3:]
	}
	at := strings.LastIndexByte(rest, '@')
	if at < 0 {
		return s
	}
	user, _, hasPassword := strings.Cut(rest[:at], ":")
	if !hasPassword {
		return s
	}
	return prefix + user + ":xxxxx" + rest[at:]
}

// Dial starts connecting to the broker and waits, until ctx is done, for
// the first connection. The connection is then kept up (reconnecting after
// losses) until [Conn.Close]. Options.OnConnect runs for the first
// connection too. A bad URL returns an error matching [ErrBadURL] at once.
//
// Failed attempts are retried every Options.Retry while ctx lasts, except
// when the broker refuses the credentials or the client (an error matching
// [ErrRefused], with the CONNACK reason) or its certificate does not
// verify (matching [ErrUntrusted]): Dial then gives up at once. When ctx
// ends first, the error names the last attempt's failure. Once connected,
// every failure is retried (and logged) until Close.
//
// Every CONNECT, reconnections included, sets Clean Start and no Session
// Expiry Interval, as Sparkplug requires: the broker keeps no session
// between two connections.
func Dial(ctx context.Context, o Options) (*Conn, error) {
	u, err := ParseBrokerURL(o.Broker)
	if err != nil {
		return nil, err
	}
	if o.ClientID == "" {
		return nil, errors.New("link: empty client id")
	}
	if o.Retry <= 0 {
		o.Retry = time.Second
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 10 * time.Second
	}
	log := o.Log
	if log == nil {
		log = zap.NewNop()
	}
	c := &Conn{ready: make(chan struct{}), log: log.With(zap.String("client", o.ClientID), zap.String("broker", u.Redacted()))}
	c.closing, c.close = context.WithCancel(context.Background())
	actx, giveUp := context.WithCancel(ctx)
	defer giveUp()
	c.first.giveUp = giveUp
	cfg := autopaho.ClientConfig{
		ServerUrls:                    []*url.URL{u},
		TlsCfg:                        o.TLS,
		KeepAlive:                     10,
		CleanStartOnInitialConnection: true,
		ReconnectBackoff:              autopaho.NewConstantBackoff(o.Retry),
		ConnectTimeout:                o.ConnectTimeout,
		ConnectUsername:               o.Username,
		ConnectPacketBuilder: func(cp *paho.Connect, _ *url.URL) (*paho.Connect, error) {
			// Sparkplug wants Clean Start on every CONNECT, not only the
			// first (tck-id-principles-persistence-clean-session-50 for
			// edge nodes, tck-id-message-flow-phid-sparkplug-clean-session-50
			// for hosts); autopaho sets it only on the initial connection.
			// The Session Expiry Interval is left out, which means 0.
			cp.CleanStart = true
			if o.Will == nil {
				return cp, nil
			}
			w, err := o.Will()
			if err != nil {
				return nil, err
			}
			if w != nil {
				cp.WillMessage = &paho.WillMessage{Topic: w.Topic, Payload: w.Payload, QoS: w.QoS, Retain: w.Retain}
			}
			return cp, nil
		},
		OnConnectionUp: func(*autopaho.ConnectionManager, *paho.Connack) {
			if o.OnConnack != nil {
				o.OnConnack()
			}
			c.first.up()
			c.log.Info("MQTT connected")
			if o.OnConnect != nil {
				c.wg.Add(1)
				go func() {
					defer c.wg.Done()
					<-c.ready
					o.OnConnect(c)
				}()
			}
		},
		OnConnectionDown: func() bool {
			if c.closed.Load() {
				return false
			}
			c.log.Warn("MQTT connection lost")
			if o.OnDisconnect != nil {
				o.OnDisconnect()
			}
			return !c.abort.Load()
		},
		OnConnectError: func(err error) {
			c.first.failed(err)
			c.log.Warn("MQTT connection attempt failed", zap.Error(err))
		},
		ClientConfig: paho.ClientConfig{
			ClientID: o.ClientID,
		},
	}
	if o.Password != "" {
		cfg.ConnectPassword = []byte(o.Password)
	}
	if o.OnMessage != nil {
		cfg.OnPublishReceived = []func(paho.PublishReceived) (bool, error){
			func(pr paho.PublishReceived) (bool, error) {
				o.OnMessage(pr.Packet.Topic, pr.Packet.Payload)
				return true, nil
			},
		}
	}
	cm, err := autopaho.NewConnection(context.Background(), cfg)
	if err != nil {
		return nil, fmt.Errorf("link: %w", err)
	}
	c.cm = cm
	close(c.ready)
	if err := cm.AwaitConnection(actx); err != nil {
		c.closed.Store(true)
		_ = cm.Disconnect(context.Background())
		c.wg.Wait()
		if fatal, last := c.first.result(); fatal != nil {
			err = fatal
		} else if last != nil {
			err = fmt.Errorf("%w (last attempt: %v)", err, last)
		}
		return nil, fmt.Errorf("link: connecting to %s: %w", u.Redacted(), err)
	}
	return c, nil
}

// Publish sends one message. QoS 0 returns once written; QoS 1 and 2 wait
// for the broker's acknowledgement or ctx. It fails while disconnected.
func (c *Conn) Publish(ctx context.Context, m Message) error {
	_, err := c.cm.Publish(ctx, &paho.Publish{Topic: m.Topic, Payload: m.Payload, QoS: m.QoS, Retain: m.Retain})
	if err != nil {
		return fmt.Errorf("link: publish %s: %w", m.Topic, err)
	}
	return nil
}

// Subscribe subscribes to one topic filter for the current connection.
// Subscriptions do not survive a reconnection: subscribe again from
// Options.OnConnect.
func (c *Conn) Subscribe(ctx context.Context, filter string, qos byte) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(c.closing, cancel)()
	_, err := c.cm.Subscribe(ctx, &paho.Subscribe{Subscriptions: []paho.SubscribeOptions{{Topic: filter, QoS: qos}}})
	if err != nil {
		return fmt.Errorf("link: subscribe %s: %w", filter, err)
	}
	return nil
}

// AwaitConnection waits until the connection is up or ctx is done.
func (c *Conn) AwaitConnection(ctx context.Context) error {
	return c.cm.AwaitConnection(ctx)
}

// Close disconnects cleanly (an MQTT DISCONNECT, so the broker discards the
// Will) and stops reconnecting. It waits for running OnConnect calls.
func (c *Conn) Close(ctx context.Context) error {
	c.closed.Store(true)
	c.close()
	err := c.cm.Disconnect(ctx)
	c.wg.Wait()
	return err
}

// Abort drops the network connection without a DISCONNECT, as a crash or a
// cable pull would, so the broker publishes the Will; the Conn then stops
// reconnecting. Call Close afterwards to release it. For tests and fault
// drills.
func (c *Conn) Abort() {
	c.abort.Store(true)
	c.cm.TerminateConnectionForTest()
}
