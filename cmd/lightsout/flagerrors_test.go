package main

import (
	"strings"
	"testing"
)

// Every bad flag of a command line is reported at once, one line each, in
// the order given, with status 2 and nothing run: bad values before and
// after an unknown flag, and unknown flags after the first.
func TestEveryFlagErrorAtOnce(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"batch", "--duration", "abc", "--replications", "x", "--seed", "-3"},
			[]string{`"abc" for "--duration"`, `"x" for "--replications" flag: want a whole number`, `"-3" for "--seed" flag: want a whole number from 0`}},
		{[]string{"batch", "--warmup", "zz", "--nope", "3", "--duration=1q", "-x", "--also"},
			[]string{`"zz" for "--warmup"`, "unknown flag: --nope", `"1q" for "--duration"`, "unknown flag: -x", "unknown flag: --also"}},
		{[]string{"twin", "--shift", "soon", "--band-horizon", "2x"},
			[]string{`"soon" for "--shift"`, `"2x" for "--band-horizon"`}},
	} {
		r := lightsout(t, c.args...)
		got := lines(r.stderr)
		if r.code != exitBadInput || r.stdout != "" || len(got) != len(c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr:\n%s\nwant status 2 and %d lines", c.args, r.code, r.stdout, r.stderr, len(c.want))
			continue
		}
		for i, w := range c.want {
			if !strings.Contains(got[i], w) {
				t.Errorf("%v: line %d %q lacks %q", c.args, i+1, got[i], w)
			}
		}
		if !strings.Contains(got[len(got)-1], "--help") {
			t.Errorf("%v: the last line gives no hint: %q", c.args, got[len(got)-1])
		}
	}
	// A deprecated name still works, with a note.
	if r := lightsout(t, "whatif", "--reps", "x", "--repair-arm", "a"); r.code != exitBadInput || !strings.Contains(r.stderr, `"x" for "--reps"`) {
		t.Errorf("whatif --reps x: exit %d\n%s", r.code, r.stderr)
	}
}

// Collecting the errors leaves the help as pflag writes it: no default
// printed for a zero count or an empty list.
func TestFlagHelpUnchangedByCollecting(t *testing.T) {
	for _, c := range []string{"batch", "twin"} {
		r := lightsout(t, c, "--help")
		if strings.Contains(r.stdout, "(default 0)") || strings.Contains(r.stdout, "(default [])") || strings.Contains(r.stdout, "(default false)") {
			t.Errorf("%s --help prints zero defaults:\n%s", c, r.stdout)
		}
	}
}
