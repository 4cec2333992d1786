package main

import (
	"context"
	"strings"
	"testing"
)

// A broker URL with a password is refused, and the password is never
// echoed: not in the error, not in a log.
func TestBrokerPasswordNeverEchoed(t *testing.T) {
	url := "mqtt://twin:s3cret@broker.plant:1883"
	for _, args := range [][]string{
		{"twin", "--broker", url, "--http", ""},
		{"edge", "--broker", url, "--config", "demo-line"},
		{"demo-twin", "--broker", url, "--http", ""},
		{"edge", "--broker", url, "--config", "demo-line", "--ca-file", "ca.pem"},
		{"twin", "--broker", "mqtt://twin:s3cret@broker:bad", "--http", ""},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, errs, code := runWithReplay(context.Background(), args...)
			if code != exitBadInput || strings.Contains(out+errs, "s3cret") || !strings.Contains(errs, "twin:xxxxx@broker") {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d and the URL without its password", code, out, errs, exitBadInput)
			}
		})
	}
}
