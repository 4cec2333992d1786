package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/cmd/internal/mqttflags"
)

func TestCLITwinFlags(t *testing.T) {
	t.Setenv(mqttflags.PasswordEnv, "from-env")
	code, errs, s, _ := runCLI(t, "--twin", "mqtt://127.0.0.1:1999", "--config", "demo-line", "--username", "view")
	if code != 0 || s == nil || s.twin == nil {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	tw := s.twin
	if tw.broker != "mqtt://127.0.0.1:1999" || tw.group != "lightsout" || tw.prefix != "demo-line" ||
		tw.link.Username != "view" || tw.link.Password != "from-env" || tw.link.TLS != nil {
		t.Errorf("twin setup %+v", tw)
	}
	code, errs, s, _ = runCLI(t, "--twin", "mqtt://b:1883", "--twin-group", "plant1", "--twin-node", "smt", "--password", "flag")
	if code != 0 || s.twin.group != "plant1" || s.twin.prefix != "smt" || s.twin.link.Password != "flag" {
		t.Errorf("exit %d %q, %+v", code, errs, s.twin)
	}
	if code, _, s, _ := runCLI(t, "--config", "demo-line"); code != 0 || s.twin != nil {
		t.Errorf("without --twin: exit %d, twin %+v", code, s.twin)
	}
}

func TestCLITwinBadFlags(t *testing.T) {
	notPEM := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--twin", "http://b"}, "--twin: link: bad broker URL"},
		{[]string{"--twin", "mqtt://b", "--twin-group", "a/b"}, "--twin-group"},
		{[]string{"--twin", "mqtt://b", "--twin-node", "x+y"}, "--twin-node"},
		{[]string{"--twin", "tls://b", "--ca-file", "/no/such.pem"}, "--ca-file"},
		{[]string{"--twin", "tls://b", "--ca-file", notPEM}, "no PEM certificate"},
		{[]string{"--twin", "mqtt://b", "--ca-file", notPEM}, "is not tls://"},
		{[]string{"--twin", "mqtt://b", "--speed", "10"}, "--speed does not apply with --twin"},
		{[]string{"--twin", "mqtt://b", "--record", "x.json"}, "--record does not apply with --twin"},
		{[]string{"--username", "u"}, "--username needs --twin"},
		{[]string{"--username", "u", "--twin-node", "n"}, "--username, --twin-node need --twin"},
		{[]string{"--twin", "tls://b", "--cert-file", notPEM}, "go together"},
		{[]string{"--twin", "tls://b", "--cert-file", notPEM, "--key-file", notPEM}, "--cert-file"},
		{[]string{"--key-file", notPEM}, "--key-file needs --twin"},
	} {
		code, stderr, s, _ := runCLI(t, tc.args...)
		if code != exitBadInput || s != nil || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d (opened %v), stderr %q; want 2 and %q", tc.args, code, s != nil, stderr, tc.want)
		}
	}
}
