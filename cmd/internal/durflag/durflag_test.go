package durflag

import (
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func TestVarParsesDaysAndWeeksAndPrintsSpans(t *testing.T) {
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	var shift, tick, never time.Duration
	Var(fs, &shift, "shift", 8*time.Hour, "shift length")
	Var(fs, &tick, "tick", 100*time.Millisecond, "tick")
	Var(fs, &never, "for", 0, "for")
	usage := fs.FlagUsages()
	for _, want := range []string{`(default 8h)`, `(default 0.1s)`} {
		if !strings.Contains(usage, want) {
			t.Errorf("usage lacks %q:\n%s", want, usage)
		}
	}
	if strings.Contains(usage, "8h0m0s") || strings.Contains(usage, "(default 0)") {
		t.Errorf("usage prints Go's syntax or a zero default:\n%s", usage)
	}
	if err := fs.Parse([]string{"--shift", "1d", "--tick", "1w2d", "--for", "1.5h"}); err != nil {
		t.Fatal(err)
	}
	if shift != 24*time.Hour || tick != 9*24*time.Hour || never != 90*time.Minute {
		t.Errorf("parsed %v %v %v, want 24h 216h 1h30m", shift, tick, never)
	}
	err := fs.Parse([]string{"--shift", "soon"})
	if err == nil || !strings.Contains(err.Error(), `"soon"`) || !strings.Contains(err.Error(), "shift") {
		t.Errorf("bad value: error %v, want one naming the flag and the value", err)
	}
}
