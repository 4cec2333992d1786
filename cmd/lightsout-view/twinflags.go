package main

import (
	"crypto/tls"
	"crypto/x509"
	"os"

	"github.com/spf13/pflag"

	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// passwordEnv is the environment variable the MQTT password is read from
// when --password is not given.
const passwordEnv = "LIGHTSOUT_MQTT_PASSWORD"

// twinFlags are the command line's settings for twin mode.
type twinFlags struct {
	broker, group, node string
	username, password  string
	caFile              string
	certFile, keyFile   string
}

// twinSetup is what valid twin flags give: where to attach and as what.
type twinSetup struct {
	broker, group, prefix string
	// link holds the broker URL, credentials and TLS roots; the host sets
	// the client id, Will and callbacks.
	link link.Options
}

// register adds the twin flags to fl.
func (f *twinFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&f.broker, "twin", "", "attach to a twin over MQTT instead of running the line here: the broker URL, mqtt://host:port or tls://host:port")
	fl.StringVar(&f.group, "twin-group", "lightsout", "with --twin: the Sparkplug group of the edge nodes")
	fl.StringVar(&f.node, "twin-node", "", "with --twin: the edge node id prefix; copy k is <prefix>-L<k> (default: the config's name)")
	fl.StringVar(&f.username, "username", "", "with --twin: MQTT user name")
	fl.StringVar(&f.password, "password", "", "with --twin: MQTT password (visible in the process list; prefer "+passwordEnv+")")
	fl.StringVar(&f.caFile, "ca-file", "", "with --twin: PEM file of the CA certificates that sign the broker's certificate (tls:// only; default: the system's)")
	fl.StringVar(&f.certFile, "cert-file", "", "with --twin: PEM client certificate for brokers that require mutual TLS (with --key-file)")
	fl.StringVar(&f.keyFile, "key-file", "", "with --twin: PEM private key of --cert-file")
}

// check validates the twin flags, reporting each problem with add; it
// returns nil without --twin (or when a flag is bad). The node prefix is
// left empty when it defaults to the config's name.
func (f *twinFlags) check(add func(format string, a ...any)) *twinSetup {
	if f.broker == "" {
		if f.username != "" || f.password != "" || f.caFile != "" || f.certFile != "" || f.keyFile != "" || f.node != "" || f.group != "lightsout" {
			add("--twin-group, --twin-node, --username, --password, --ca-file, --cert-file and --key-file need --twin")
		}
		return nil
	}
	ok := true
	bad := func(format string, a ...any) {
		add(format, a...)
		ok = false
	}
	u, err := link.ParseBrokerURL(f.broker)
	if err != nil {
		bad("--twin: %v", err)
	}
	if err := sparkplug.ValidateID("--twin-group", f.group); err != nil {
		bad("%v", err)
	}
	if f.node != "" {
		if err := sparkplug.ValidateID("--twin-node", f.node); err != nil {
			bad("%v", err)
		}
	}
	s := &twinSetup{broker: f.broker, group: f.group, prefix: f.node,
		link: link.Options{Broker: f.broker, Username: f.username, Password: f.password}}
	if s.link.Password == "" {
		s.link.Password = os.Getenv(passwordEnv)
	}
	if f.caFile != "" {
		if u != nil && u.Scheme == "mqtt" {
			bad("--ca-file %s: the broker URL %s is not tls://", f.caFile, f.broker)
		}
		pem, err := os.ReadFile(f.caFile)
		switch {
		case err != nil:
			bad("--ca-file: %v", err)
		default:
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				bad("--ca-file %s: no PEM certificate found", f.caFile)
			}
			s.link.TLS = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
		}
	}
	switch {
	case (f.certFile == "") != (f.keyFile == ""):
		bad("--cert-file and --key-file go together: give both or neither")
	case f.certFile != "":
		if u != nil && u.Scheme == "mqtt" {
			bad("--cert-file %s: the broker URL %s is not tls://", f.certFile, f.broker)
		}
		cert, err := tls.LoadX509KeyPair(f.certFile, f.keyFile)
		if err != nil {
			bad("--cert-file %s, --key-file %s: %v", f.certFile, f.keyFile, err)
			break
		}
		if s.link.TLS == nil {
			s.link.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		s.link.TLS.Certificates = []tls.Certificate{cert}
	}
	if !ok {
		return nil
	}
	return s
}
