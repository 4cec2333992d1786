package mqttflags_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/cmd/internal/mqttflags"
	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/link/linktest"
)

// parse registers the flags with the broker URL as --name (and
// --broker-listen with listen) and parses args.
func parse(t *testing.T, name string, listen bool, args ...string) *mqttflags.Flags {
	t.Helper()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	var f mqttflags.Flags
	f.Register(fs, name, "the broker")
	if listen {
		f.RegisterListen(fs)
	}
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return &f
}

func TestOptionsPlain(t *testing.T) {
	t.Setenv(mqttflags.PasswordEnv, "from-env")
	f := parse(t, "twin", false, "--twin", "mqtt://b", "--username", "view")
	o, problems := f.Options()
	if len(problems) > 0 || o.Broker != "mqtt://b" || o.Username != "view" || o.Password != "from-env" || o.TLS != nil {
		t.Errorf("options %+v, problems %q", o, problems)
	}
	f = parse(t, "twin", false, "--twin", "mqtt://b", "--username", "view", "--password", "flag")
	if o, _ := f.Options(); o.Password != "flag" {
		t.Errorf("--password %q, want the flag's over the environment's", o.Password)
	}
	if got := f.Used(); !slices.Equal(got, []string{"--username", "--password"}) {
		t.Errorf("used %q", got)
	}
}

// Every problem is reported at once, each naming its flag.
func TestOptionsReportsEveryProblem(t *testing.T) {
	notPEM := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--broker", "http://b", "--ca-file", "/no/such.pem", "--key-file", notPEM},
			[]string{"--broker: link: bad broker URL", "--ca-file: open /no/such.pem", "--cert-file and --key-file go together"}},
		{[]string{"--broker", "tls://b", "--ca-file", notPEM, "--cert-file", notPEM, "--key-file", notPEM},
			[]string{"--ca-file " + notPEM + ": no PEM certificate found", "--cert-file " + notPEM + ", --key-file " + notPEM + ":"}},
		{[]string{"--broker", "mqtt://b", "--ca-file", notPEM, "--cert-file", notPEM, "--key-file", notPEM},
			[]string{"--ca-file " + notPEM + ": --broker mqtt://b is not tls://", "--cert-file " + notPEM + ": --broker mqtt://b is not tls://",
				"no PEM certificate found", "--cert-file " + notPEM + ", --key-file"}},
		{[]string{"--ca-file", notPEM},
			[]string{"--ca-file " + notPEM + ": needs a tls:// --broker (the embedded broker has no TLS)", "no PEM certificate found"}},
		{[]string{"--username", "u"}, []string{"--username u: the embedded broker needs a password too"}},
		{[]string{"--password", "p"}, []string{"--password: the embedded broker needs a --username too"}},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			t.Setenv(mqttflags.PasswordEnv, "")
			_, problems := parse(t, "broker", true, c.args...).Options()
			if len(problems) != len(c.want) {
				t.Fatalf("problems %q, want %d", problems, len(c.want))
			}
			for i, w := range c.want {
				if !strings.Contains(problems[i], w) {
					t.Errorf("problem %d %q, want %q", i, problems[i], w)
				}
			}
		})
	}
}

// The PEM files make a mutual TLS connection to a broker that requires
// one.
func TestOptionsMutualTLS(t *testing.T) {
	pki := linktest.New(t)
	caFile, certFile, keyFile := pki.WriteFiles(t, t.TempDir())
	b, err := link.StartBrokerWith("127.0.0.1:0", link.BrokerOptions{TLS: pki.ServerTLS(true), Log: zaptest.NewLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	o, problems := parse(t, "broker", true, "--broker", b.URL(), "--ca-file", caFile, "--cert-file", certFile, "--key-file", keyFile).Options()
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if o.TLS == nil || o.TLS.RootCAs == nil || len(o.TLS.Certificates) != 1 {
		t.Fatalf("TLS %+v: want the CA and the client certificate", o.TLS)
	}
	// The broker requires and verifies a client certificate.
	o.ClientID = "mtls"
	c, err := link.Dial(ctx, o)
	if err != nil {
		t.Fatalf("mutual TLS: %v", err)
	}
	_ = c.Close(ctx)
}

// Without a broker URL, Start runs the embedded broker with the
// credentials given.
func TestStartEmbedded(t *testing.T) {
	t.Setenv(mqttflags.PasswordEnv, "secret")
	f := parse(t, "broker", true, "--broker-listen", "127.0.0.1:0", "--username", "edge")
	o, problems := f.Options()
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	stop, err := f.Start(&o, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if !strings.HasPrefix(o.Broker, "mqtt://127.0.0.1:") {
		t.Fatalf("broker %q", o.Broker)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	o.ClientID = "edge"
	c, err := link.Dial(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	_ = c.Close(ctx)
	o.Password = "wrong"
	if _, err := link.Dial(ctx, o); !errors.Is(err, link.ErrRefused) {
		t.Errorf("a wrong password: %v, want a refusal", err)
	}
	// An address in use is named by its flag.
	busy := parse(t, "broker", true, "--broker-listen", strings.TrimPrefix(o.Broker, "mqtt://"))
	bo, _ := busy.Options()
	if _, err := busy.Start(&bo, nil); err == nil || !strings.HasPrefix(err.Error(), "--broker-listen ") {
		t.Errorf("a busy address: %v", err)
	}
	// With a broker URL nothing starts.
	ext := parse(t, "broker", true, "--broker", "mqtt://example.invalid")
	eo, _ := ext.Options()
	if stop, err := ext.Start(&eo, nil); err != nil || eo.Broker != "mqtt://example.invalid" {
		t.Errorf("with --broker: %v, broker %q", err, eo.Broker)
	} else {
		stop()
	}
}
