package link_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/link"
)

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"mqtt://host:1883":                "mqtt://host:1883",
		"mqtt://user@host":                "mqtt://user@host",
		"mqtt://user:s3cret@host:1883":    "mqtt://user:xxxxx@host:1883",
		"tls://u:p@ss@host":               "tls://u:xxxxx@host",
		"mqtt://u:s3/cr?et#x@host":        "mqtt://u:xxxxx@host",
		"user:s3cret@host:1883":           "user:xxxxx@host:1883",
		"mqtt://u:s3%zzcret@host":         "mqtt://u:xxxxx@host",
		"":                                "",
		"mqtt://host:1883/path@somewhere": "mqtt://host:xxxxx@somewhere", // hidden too much rather than too little
	} {
		if got := link.RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// A broker URL with a password is refused (credentials go in options), and
// the error never shows the password, whatever else is wrong with the URL.
func TestParseBrokerURLHidesThePassword(t *testing.T) {
	for _, in := range []string{
		"mqtt://twin:s3cret@broker:1883",
		"mqtt://twin:s3cret@broker:bad",
		"mqtt://twin:s3%zzcret@broker",
		"mqtt://twin:s3cret@",
		"foo://twin:s3cret@broker",
		"twin:s3cret@broker:1883",
		"mqtt://twin:s3/cret@broker",
		"mqtt://twin:s3cret@broker/topic?x=1",
		"mqtt://twin:s3cret@bro ker",
	} {
		_, err := link.ParseBrokerURL(in)
		if !errors.Is(err, link.ErrBadURL) || strings.Contains(err.Error(), "s3") || !strings.Contains(err.Error(), "xxxxx") {
			t.Errorf("ParseBrokerURL(%q): %v; want ErrBadURL without the password", in, err)
		}
		_, err = link.Dial(context.Background(), link.Options{Broker: in, ClientID: "x"})
		if err == nil || strings.Contains(err.Error(), "s3") {
			t.Errorf("Dial(%q): %v; want an error without the password", in, err)
		}
	}
}
