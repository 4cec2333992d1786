package mqttflags

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"

	"github.com/spf13/pflag"
	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin/link"
)

// PasswordEnv is the environment variable the password is read from when
// --password is not given.
const PasswordEnv = "LIGHTSOUT_MQTT_PASSWORD"

// DefaultListen is the embedded broker's address when --broker-listen is
// not given.
const DefaultListen = "127.0.0.1:1883"

// Flags are the values of the MQTT flags. Register them on a flag set,
// parse it, then call [Flags.Options].
type Flags struct {
	// Broker is the broker URL, mqtt://host:port or tls://host:port; empty
	// when its flag is not given.
	Broker string
	// Listen is where [Flags.Start] runs the embedded broker when no broker
	// URL is given (see [Flags.RegisterListen]).
	Listen string
	// Username and Password are the credentials; CAFile, CertFile and
	// KeyFile the PEM files of the TLS roots and of the client certificate.
	Username, Password        string
	CAFile, CertFile, KeyFile string

	name     string // the broker URL's flag, without its dashes
	embedded bool   // RegisterListen was called
}

// Register adds the broker URL flag as --name, with usage, and --username,
// --password, --ca-file, --cert-file and --key-file to fs.
func (f *Flags) Register(fs *pflag.FlagSet, name, usage string) {
	f.name = name
	fs.StringVar(&f.Broker, name, "", usage)
	fs.StringVar(&f.Username, "username", "", "MQTT user name at the --"+name+" broker")
	fs.StringVar(&f.Password, "password", "", "MQTT password (visible in the process list; prefer "+PasswordEnv+")")
	fs.StringVar(&f.CAFile, "ca-file", "", "PEM file of the CA certificates that sign the broker's certificate (tls:// only; default: the system's)")
	fs.StringVar(&f.CertFile, "cert-file", "", "PEM client certificate for brokers that require mutual TLS (with --key-file; tls:// only)")
	fs.StringVar(&f.KeyFile, "key-file", "", "PEM private key of --cert-file")
}

// RegisterListen adds --broker-listen to fs: without a broker URL,
// [Flags.Start] runs an embedded broker there, which admits only
// --username with its password when one is given.
func (f *Flags) RegisterListen(fs *pflag.FlagSet) {
	f.embedded = true
	fs.StringVar(&f.Listen, "broker-listen", DefaultListen, "address of the embedded broker when --"+f.name+" is not given")
}

// Used returns the flags other than the broker URL that were given a
// value, as "--username".
func (f *Flags) Used() []string {
	var used []string
	for _, v := range []struct{ name, value string }{
		{"username", f.Username}, {"password", f.Password},
		{"ca-file", f.CAFile}, {"cert-file", f.CertFile}, {"key-file", f.KeyFile},
	} {
		if v.value != "" {
			used = append(used, "--"+v.name)
		}
	}
	return used
}

// Options checks every flag and returns the link options they describe:
// the broker URL, the credentials (the password from --password, else
// from $LIGHTSOUT_MQTT_PASSWORD) and, with any of the PEM files, a TLS
// configuration with those roots and that client certificate. It returns
// every problem, each naming its flag; the options are good only without
// any. Without a broker URL, what the embedded broker needs is checked
// (see [Flags.RegisterListen]).
func (f *Flags) Options() (link.Options, []string) {
	o := link.Options{Broker: f.Broker, Username: f.Username, Password: f.Password}
	if o.Password == "" {
		o.Password = os.Getenv(PasswordEnv)
	}
	var problems []string
	bad := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	scheme := ""
	if f.Broker != "" {
		u, err := link.ParseBrokerURL(f.Broker)
		if err != nil {
			bad("--%s: %v", f.name, err)
		} else {
			scheme = u.Scheme
		}
	} else if f.embedded {
		f.checkEmbedded(o, bad)
	}
	for _, fl := range []struct{ name, file string }{{"ca-file", f.CAFile}, {"cert-file", f.CertFile}} {
		switch {
		case fl.file == "" || scheme == "tls":
		case f.Broker == "":
			bad("--%s %s: needs a tls:// --%s (the embedded broker has no TLS)", fl.name, fl.file, f.name)
		case scheme != "":
			bad("--%s %s: --%s %s is not tls://", fl.name, fl.file, f.name, link.RedactURL(f.Broker))
		}
	}
	if f.CAFile != "" || f.CertFile != "" || f.KeyFile != "" {
		o.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	f.loadTLS(o.TLS, bad)
	return o, problems
}

// checkEmbedded checks the credentials the embedded broker will demand.
func (f *Flags) checkEmbedded(o link.Options, bad func(string, ...any)) {
	switch {
	case o.Username != "" && o.Password == "":
		bad("--username %s: the embedded broker needs a password too (--password or %s)", o.Username, PasswordEnv)
	case o.Username == "" && f.Password != "":
		bad("--password: the embedded broker needs a --username too")
	}
}

// loadTLS reads the PEM files into c (nil when none is given).
func (f *Flags) loadTLS(c *tls.Config, bad func(string, ...any)) {
	if f.CAFile != "" {
		pem, err := os.ReadFile(f.CAFile)
		pool := x509.NewCertPool()
		switch {
		case err != nil:
			bad("--ca-file: %v", err)
		case !pool.AppendCertsFromPEM(pem):
			bad("--ca-file %s: no PEM certificate found", f.CAFile)
		default:
			c.RootCAs = pool
		}
	}
	switch {
	case (f.CertFile == "") != (f.KeyFile == ""):
		bad("--cert-file and --key-file go together: give both or neither")
	case f.CertFile != "":
		cert, err := tls.LoadX509KeyPair(f.CertFile, f.KeyFile)
		if err != nil {
			bad("--cert-file %s, --key-file %s: %v", f.CertFile, f.KeyFile, err)
			return
		}
		c.Certificates = []tls.Certificate{cert}
	}
}

// Start runs the embedded broker on f.Listen when no broker URL is given,
// admitting only o's user name and password when o has a user name, and
// points o at it; the returned function stops it. With a broker URL it
// does nothing. Call it with the options of [Flags.Options].
func (f *Flags) Start(o *link.Options, log *zap.Logger) (stop func(), err error) {
	if f.Broker != "" {
		return func() {}, nil
	}
	bo := link.BrokerOptions{Log: log}
	if o.Username != "" {
		bo.Username, bo.Password = o.Username, o.Password
	}
	b, err := link.StartBrokerWith(f.Listen, bo)
	if err != nil {
		return nil, fmt.Errorf("--broker-listen %s: %w", f.Listen, err)
	}
	o.Broker = b.URL()
	return func() { _ = b.Close() }, nil
}
