package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestOneLine(t *testing.T) {
	got := oneLine("unknown command \"bach\" for \"lightsout\"\n\nDid you mean this?\n\tbatch\n")
	if strings.Contains(got, "\n") || !strings.Contains(got, "did you mean batch?") {
		t.Errorf("oneLine: %q", got)
	}
}

// A console made as a literal writes to its stream, as stderr.
func TestConsoleLiteral(t *testing.T) {
	var buf bytes.Buffer
	c := &console{w: &buf}
	if n, err := c.Write([]byte("log line\n")); n != 9 || err != nil || buf.String() != "log line\n" {
		t.Errorf("Write = %d, %v; stream %q", n, err, buf.String())
	}
	if c.shared() != c.shared() {
		t.Error("two consoles over one stream")
	}
}
