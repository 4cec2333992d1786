package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
)

// result is what one in-process run of lightsout produced.
type result struct {
	code           int
	stdout, stderr string
}

// lightsout runs the command line in-process with buffers for streams.
func lightsout(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := execute(args, &out, &errb, "test-version")
	return result{code, out.String(), errb.String()}
}

// lines splits s into its non-empty lines.
func lines(s string) []string {
	var ls []string
	for _, l := range strings.Split(s, "\n") {
		if l != "" {
			ls = append(ls, l)
		}
	}
	return ls
}

// writeFile writes a file in a fresh temporary directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// mustSource returns the YAML of an embedded config.
func mustSource(t *testing.T, name string) string {
	t.Helper()
	src, err := configs.Source(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

// badYAML is a config with exactly two problems.
const badYAML = `name: bad
stations:
  - id: a
    cycle: 2s
    buffer: -2
  - id: b
    cycle: 3s
    bufer: 4
`

// TestBadInput checks that every kind of bad input exits with status 2,
// prints one line per problem naming what is wrong, writes nothing on
// stdout and creates no output file (nor a temporary one).
func TestBadInput(t *testing.T) {
	badConfig := writeFile(t, "bad.yaml", badYAML)
	tests := []struct {
		name string
		args []string
		want []string // one substring per expected stderr line
	}{
		{"json with csv", []string{"--json", "--csv"}, []string{"--json and --csv"}},
		{"bad duration", []string{"--duration", "abc"}, []string{`"--duration"`}},
		{"duration without unit", []string{"--duration", "5"}, []string{`"--duration"`}},
		{"zero duration", []string{"--duration", "0s"}, []string{"--duration 0s: must be positive"}},
		{"negative replications", []string{"--replications", "-3"}, []string{"--replications -3"}},
		{"zero replications", []string{"--replications", "0"}, []string{"--replications 0"}},
		{"bad replications", []string{"--replications", "many"}, []string{`"--replications"`}},
		{"negative seed", []string{"--seed", "-1"}, []string{`"--seed"`}},
		{"negative workers", []string{"--workers", "-2"}, []string{"--workers -2"}},
		{"warmup >= duration", []string{"--duration", "1h", "--warmup", "2h"}, []string{"--warmup 2h is not shorter than --duration 1h"}},
		{"warmup = config duration", []string{"--config", "two-machine", "--warmup", "100d"}, []string{"--warmup 100d is not shorter than run.duration 100d"}},
		{"two problems at once", []string{"--duration", "1h", "--warmup", "1h", "--replications", "0"},
			[]string{"--warmup", "--replications 0"}},
		{"unknown config", []string{"--config", "no-such-line"}, []string{"no-such-line"}},
		{"invalid config", []string{"--config", badConfig}, []string{
			badConfig + ": stations[0].buffer", badConfig + `: stations[1]: unknown key "bufer"`}},
		{"unknown flag", []string{"--bogus"}, []string{"--bogus"}},
		{"argument", []string{"extra"}, []string{"extra"}},
		{"bad log level", []string{"--log-level", "loud"}, []string{"--log-level"}},
		{"bad log format", []string{"--log-format", "xml"}, []string{"--log-format"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "report.json")
			args := append([]string{"batch", "--out", out}, tt.args...)
			r := lightsout(t, args...)
			if r.code != exitBadInput {
				t.Errorf("exit status %d, want %d; stderr:\n%s", r.code, exitBadInput, r.stderr)
			}
			got := lines(r.stderr)
			if len(got) != len(tt.want) {
				t.Fatalf("stderr has %d lines, want %d:\n%s", len(got), len(tt.want), r.stderr)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("stderr line %d = %q, want it to contain %q", i+1, got[i], w)
				}
			}
			if r.stdout != "" {
				t.Errorf("stdout not empty:\n%s", r.stdout)
			}
			assertEmptyDir(t, dir)
		})
	}
}

// assertEmptyDir fails if dir holds any file (an output or a temporary one).
func assertEmptyDir(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("%s left behind", e.Name())
	}
}

func TestFlagErrorsPointToHelp(t *testing.T) {
	r := lightsout(t, "batch", "--duration", "abc")
	if !strings.Contains(r.stderr, "lightsout batch --help") {
		t.Errorf("no hint to --help in %q", r.stderr)
	}
	if strings.Contains(r.stderr, "Usage:") {
		t.Errorf("usage dumped on a flag error:\n%s", r.stderr)
	}
}

func TestUnknownCommand(t *testing.T) {
	r := lightsout(t, "bach")
	if r.code != exitBadInput || len(lines(r.stderr)) != 1 || !strings.Contains(r.stderr, "batch") {
		t.Errorf("status %d, stderr %q: want 2 and one line suggesting batch", r.code, r.stderr)
	}
}

func TestOutputDirectoryMissing(t *testing.T) {
	dir := t.TempDir()
	r := lightsout(t, "batch", "--config", "two-machine", "--out", filepath.Join(dir, "no", "such", "dir", "r.json"))
	if r.code != exitFailure {
		t.Errorf("exit status %d, want %d; stderr:\n%s", r.code, exitFailure, r.stderr)
	}
	if !strings.Contains(r.stderr, "--out") {
		t.Errorf("stderr %q does not name --out", r.stderr)
	}
	assertEmptyDir(t, dir)
}

func TestOutIsDirectory(t *testing.T) {
	dir := t.TempDir()
	r := lightsout(t, "batch", "--out", dir)
	if r.code != exitBadInput || !strings.Contains(r.stderr, "is a directory") {
		t.Errorf("status %d, stderr %q", r.code, r.stderr)
	}
	assertEmptyDir(t, dir)
}

func TestValidate(t *testing.T) {
	good := writeFile(t, "good.yaml", mustSource(t, "two-machine"))
	bad := writeFile(t, "bad.yaml", badYAML)

	r := lightsout(t, "validate", good, "demo-line")
	if r.code != exitOK || r.stdout != good+": ok\ndemo-line: ok\n" || r.stderr != "" {
		t.Errorf("good files: status %d\nstdout %q\nstderr %q", r.code, r.stdout, r.stderr)
	}

	r = lightsout(t, "validate", good, bad)
	if r.code != exitBadInput {
		t.Errorf("bad file: status %d, want 2", r.code)
	}
	if r.stdout != good+": ok\n" {
		t.Errorf("stdout %q: the good file should still be reported ok", r.stdout)
	}
	got := lines(r.stderr)
	if len(got) != 2 || !strings.HasPrefix(got[0], bad+": stations[0].buffer") || !strings.HasPrefix(got[1], bad+": stations[1]") {
		t.Errorf("stderr should have the two problems, one per line:\n%s", r.stderr)
	}

	if r := lightsout(t, "validate"); r.code != exitBadInput {
		t.Errorf("no file: status %d, want 2", r.code)
	}
}

func TestVersion(t *testing.T) {
	r := lightsout(t, "version")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "lightsout test-version\n") || !strings.Contains(r.stdout, "go1.") {
		t.Errorf("status %d, stdout:\n%s", r.code, r.stdout)
	}
	if r := lightsout(t, "--version"); !strings.Contains(r.stdout, "test-version") {
		t.Errorf("--version: %q", r.stdout)
	}
}

func TestConfigs(t *testing.T) {
	r := lightsout(t, "configs")
	if r.code != exitOK || !strings.Contains(r.stdout, "phone-factory") || !strings.Contains(r.stdout, "(default)") {
		t.Errorf("configs: status %d, stdout:\n%s", r.code, r.stdout)
	}
	r = lightsout(t, "configs", "show", "two-machine")
	if r.code != exitOK || r.stdout != mustSource(t, "two-machine") {
		t.Errorf("configs show: status %d, stdout:\n%s", r.code, r.stdout)
	}
	r = lightsout(t, "configs", "show", "nope")
	if r.code != exitBadInput || len(lines(r.stderr)) != 1 {
		t.Errorf("configs show nope: status %d, stderr %q", r.code, r.stderr)
	}
}

func TestHelpHasExamples(t *testing.T) {
	root := newRootCmd(&app{stdout: &bytes.Buffer{}, stderr: &console{w: &bytes.Buffer{}}})
	for _, c := range append(root.Commands(), root) {
		for _, cc := range append(c.Commands(), c) {
			if cc.Hidden || cc.Name() == "help" {
				continue
			}
			if cc.Short == "" || !strings.Contains(cc.Long, "Example") {
				t.Errorf("%s: needs Short and a Long with an example", cc.CommandPath())
			}
		}
	}
}
