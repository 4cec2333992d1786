package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// twinArgs are the arguments of a twin on its own embedded broker, on a
// free port, without HTTP.
func twinArgs(more ...string) []string {
	return append([]string{"twin", "--embedded", "--broker-listen", "127.0.0.1:0", "--http", ""}, more...)
}

// --record never overwrites a file silently: an existing file is refused
// unless --append or --force says what to do with it.
func TestTwinRecordRefusesAnExistingFile(t *testing.T) {
	path := writeFile(t, "run.jsonl", "precious\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{twinArgs("--record", path), "lightsout: --record " + path + ": the file exists: --append adds to it, --force overwrites it"},
		{twinArgs("--record", path, "--append", "--force"), "lightsout: --append and --force cannot be used together"},
		{twinArgs("--append"), "lightsout: --append needs --record FILE"},
		{twinArgs("--force"), "lightsout: --force needs --record FILE"},
		{twinArgs("--record", path, "--append"), "lightsout: --record " + path + " --append: line 1: invalid character"},
	} {
		t.Run(strings.Join(c.args[6:], " "), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel() // a twin that starts is stopped, and fails the test
			out, errs, code := runWithReplay(ctx, c.args...)
			if code != exitBadInput || out != "" || len(lines(errs)) != 1 || !strings.HasPrefix(errs, c.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d and one line %q", code, out, errs, exitBadInput, c.want)
			}
			if b, _ := os.ReadFile(path); string(b) != "precious\n" {
				t.Errorf("the file now holds %q", b)
			}
		})
	}
}

// A twin whose recording cannot be written (a full disk) stops with exit
// status 1, naming the file and the error, instead of running on without
// its recording.
func TestTwinStopsWhenTheRecordingFails(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here:", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, errs, code := runWithReplay(ctx, twinArgs("--record", "/dev/full", "--force")...)
	want := "lightsout: --record /dev/full: writing the recording failed, so the twin stopped: write /dev/full: no space left on device"
	if ctx.Err() != nil || code != exitFailure || !strings.Contains(errs, want) {
		t.Errorf("exit %d (%v), stderr %q; want %d and %q", code, ctx.Err(), errs, exitFailure, want)
	}
}

// --append adds to a recording, cutting off the last line an earlier
// twin's crash cut short, and the whole replays; --force starts afresh.
func TestTwinRecordAppendAndForce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	line := `{"time":"2026-01-01T00:00:00Z","topic":"spBv1.0/g/NDATA/n","payload":""}` + "\n"
	for _, c := range []struct {
		flag, old, keep, warning string
	}{
		{"--append", line + line + line[:25], line + line, "line 3 is cut short (the recording ends mid-line): cut off before adding to it"},
		{"--force", "not a recording\n", "", ""},
	} {
		t.Run(c.flag, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "run.jsonl")
			if err := os.WriteFile(path, []byte(c.old), 0o644); err != nil {
				t.Fatal(err)
			}
			p := startLightsout(t, twinArgs("--record", path, c.flag)...)
			if code := p.stop(t, p.stderr, "twin online", os.Interrupt); code != exitInterrupted {
				t.Fatalf("exit %d; stderr:\n%s", code, p.stderr)
			}
			if !strings.Contains(p.stderr.String(), c.warning) {
				t.Errorf("stderr does not say %q:\n%s", c.warning, p.stderr)
			}
			b, _ := os.ReadFile(path)
			if !strings.HasPrefix(string(b), c.keep) || !strings.Contains(string(b[len(c.keep):]), `"event":"online"`) {
				t.Errorf("the recording holds:\n%s\nwant the lines kept, then the new twin's", b)
			}
			_, errs, code := runWithReplay(context.Background(), "replay", "--log", path)
			if code != exitOK || strings.Contains(errs, "WARN") {
				t.Errorf("replay of the recording: exit %d, stderr %q", code, errs)
			}
		})
	}
}
