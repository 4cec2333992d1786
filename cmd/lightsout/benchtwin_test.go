package main

import (
	"bytes"
	"strings"
	"testing"
)

// Bad flags of 'bench twin' are reported all at once, with exit status 2.
func TestBenchTwinFlags(t *testing.T) {
	var out, errb bytes.Buffer
	code := execute([]string{"bench", "twin", "--lines", "0", "--duration", "1m", "--step", "2m", "--lag-for", "2h",
		"--speed", "0", "--tick", "0s", "--config", "no-such-config"}, &out, &errb, "test")
	if code != exitBadInput {
		t.Fatalf("exit %d, want %d; stderr %q", code, exitBadInput, errb.String())
	}
	for _, want := range []string{"--lines 0", "--duration 1m, --step 2m", "--lag-for 2h", "--speed 0", "--tick 0s", "no-such-config"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("stderr does not report %q:\n%s", want, errb.String())
		}
	}
	if out.Len() != 0 {
		t.Errorf("stdout %q", out.String())
	}
}
