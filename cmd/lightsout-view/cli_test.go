package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs the command line with a stub in place of the window and
// returns the exit status, stderr and the setup the window would get.
func runCLI(t *testing.T, args ...string) (int, string, *setup, *options) {
	t.Helper()
	var got *setup
	var opts *options
	var stderr strings.Builder
	code := execute(args, &stderr, func(o *options, s *setup) error {
		got, opts = s, o
		return nil
	})
	return code, stderr.String(), got, opts
}

func TestCLIGoodFlags(t *testing.T) {
	dir := t.TempDir()
	code, errs, s, o := runCLI(t, "--config", "demo-line", "--speed", "max", "--frames", "10",
		"--screenshot", filepath.Join(dir, "x.png"), "--width", "1024", "--height", "700", "--log-level", "warn")
	if code != 0 || s == nil {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if s.spec.Name != "demo-line" || !s.speed.IsMax() || s.seed != 1 || o.width != 1024 || o.frames != 10 {
		t.Errorf("setup %+v options %+v", s, o)
	}
	code, _, s, _ = runCLI(t, "--seed", "42")
	if code != 0 || s.spec.Name != "phone-factory" || s.seed != 42 || s.speed != 1 {
		t.Errorf("defaults: exit %d, %+v", code, s)
	}
}

func TestCLIBadInputExits2BeforeOpening(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: x\nstations:\n  - {id: a, buffer: -2}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args  []string
		lines []string // each must appear, one per line
	}{
		{[]string{"--speed", "fast"}, []string{`--speed "fast"`}},
		{[]string{"--speed", "0"}, []string{`--speed "0"`}},
		{[]string{"--width", "10"}, []string{"--width 10"}},
		{[]string{"--width", "wide"}, []string{`invalid argument "wide"`}},
		{[]string{"--frames", "-1"}, []string{"--frames -1"}},
		{[]string{"--screenshot", "a.png"}, []string{"--screenshot needs --frames"}},
		{[]string{"--frames", "5", "--screenshot", "a.jpg"}, []string{"must end in .png"}},
		{[]string{"--frames", "5", "--screenshot", "/no/such/dir/a.png"}, []string{"no directory"}},
		{[]string{"--log-format", "xml"}, []string{"--log-format"}},
		{[]string{"--log-level", "loud"}, []string{"--log-level"}},
		{[]string{"--config", "no-such-line"}, []string{"no-such-line: no such file"}},
		{[]string{"--config", bad}, []string{"bad.yaml: stations[0]"}},
		{[]string{"--nope"}, []string{"unknown flag: --nope"}},
		{[]string{"extra"}, []string{`unknown command "extra"`}},
		// Several problems: one line each.
		{[]string{"--speed", "x", "--width", "1", "--config", "no-such-line"}, []string{"--speed", "--width", "no-such-line"}},
	} {
		code, stderr, s, _ := runCLI(t, tc.args...)
		if code != exitBadInput || s != nil {
			t.Errorf("%v: exit %d (window opened: %v), want 2\n%s", tc.args, code, s != nil, stderr)
			continue
		}
		lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
		if tc.args[0] == "--speed" && len(tc.args) > 2 && len(lines) != 3 {
			t.Errorf("%v: %d lines, want one per problem:\n%s", tc.args, len(lines), stderr)
		}
		for _, want := range tc.lines {
			if !strings.Contains(stderr, want) {
				t.Errorf("%v: stderr lacks %q:\n%s", tc.args, want, stderr)
			}
		}
	}
}
