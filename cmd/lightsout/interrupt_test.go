package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin/mirror"
)

// asLightsout is the environment variable that makes the test binary run
// as lightsout (TestAsLightsout), for the tests that signal a process.
const asLightsout = "LIGHTSOUT_TEST_AS_MAIN"

// TestAsLightsout is lightsout itself when the test binary is started by
// startLightsout; otherwise it is skipped.
func TestAsLightsout(t *testing.T) {
	if os.Getenv(asLightsout) != "1" {
		t.Skip("runs as lightsout in a process started by startLightsout")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(execute(args, os.Stdout, os.Stderr, "test"))
}

// A process is lightsout running in a child process.
type process struct {
	cmd            *exec.Cmd
	stdout, stderr *lineWatch
}

// startLightsout starts lightsout with args in a child process.
func startLightsout(t *testing.T, args ...string) *process {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestAsLightsout$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), asLightsout+"=1", "LIGHTSOUT_MQTT_PASSWORD=")
	p := &process{cmd: cmd, stdout: newLineWatch(), stderr: newLineWatch()}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return p
}

// stop sends sig once the process has written a line holding ready on w,
// and returns its exit status.
func (p *process) stop(t *testing.T, w *lineWatch, ready string, sig os.Signal) int {
	t.Helper()
	exited := make(chan error, 1)
	go func() { exited <- p.cmd.Wait() }()
	select {
	case <-w.await(ready):
	case err := <-exited:
		t.Fatalf("exited (%v) before saying %q; stdout:\n%s\nstderr:\n%s", err, ready, p.stdout, p.stderr)
	case <-time.After(30 * time.Second):
		t.Fatalf("did not say %q in 30s; stderr:\n%s", ready, p.stderr)
	}
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("did not stop on %v; stderr:\n%s", sig, p.stderr)
	}
	return p.cmd.ProcessState.ExitCode()
}

// A lineWatch is a writer that keeps what is written and tells waiters
// when a text has been written.
type lineWatch struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	waiting map[string]chan struct{}
}

func newLineWatch() *lineWatch { return &lineWatch{waiting: map[string]chan struct{}{}} }

// await returns a channel closed once text has been written.
func (w *lineWatch) await(text string) <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	ch := make(chan struct{})
	if strings.Contains(w.buf.String(), text) {
		close(ch)
	} else {
		w.waiting[text] = ch
	}
	return ch
}

// Write keeps p and tells the waiters whose text is now written.
func (w *lineWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for text, ch := range w.waiting {
		if strings.Contains(w.buf.String(), text) {
			close(ch)
			delete(w.waiting, text)
		}
	}
	return len(p), nil
}

// String returns all that was written.
func (w *lineWatch) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// Each long-running command stops on SIGINT (Ctrl-C) or SIGTERM with exit
// status 130, as the README says, and says so on stderr.
func TestInterruptExits130(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	rec, replayed := filepath.Join(dir, "r.jsonl"), filepath.Join(dir, "replayed.jsonl")
	if err := os.WriteFile(replayed, []byte(`{"time":"2026-01-01T00:00:00Z","event":"online"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	listen := []string{"--broker-listen", "127.0.0.1:0", "--http", "127.0.0.1:0"}
	for _, c := range []struct {
		name   string
		args   []string
		ready  string
		stdout bool // ready is said on stdout, else stderr
		sig    os.Signal
	}{
		{"twin", append([]string{"twin", "--embedded", "--record", rec}, listen...), "twin online", false, os.Interrupt},
		{"twin SIGTERM", append([]string{"twin", "--embedded"}, listen...), "twin online", false, syscall.SIGTERM},
		{"edge", []string{"edge", "--config", "demo-line", "--broker-listen", "127.0.0.1:0"}, "edge running", false, os.Interrupt},
		{"demo-twin", append([]string{"demo-twin"}, listen...), "demo-twin: broker", true, os.Interrupt},
		{"replay --http", []string{"replay", "--log", replayed, "--http", "127.0.0.1:0"}, "serving the HTTP API until Ctrl-C", false, os.Interrupt},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := startLightsout(t, c.args...)
			w := p.stderr
			if c.stdout {
				w = p.stdout
			}
			if code := p.stop(t, w, c.ready, c.sig); code != exitInterrupted {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, exitInterrupted, p.stderr)
			}
			if errs := lines(p.stderr.String()); len(errs) == 0 || !strings.Contains(errs[len(errs)-1], "interrupted") {
				t.Errorf("stderr does not end saying it was interrupted:\n%s", p.stderr)
			}
			if slices.Contains(c.args, "--record") {
				b, err := os.ReadFile(rec)
				if _, cerr := mirror.CheckRecording(bytes.NewReader(b)); err != nil || cerr != nil || !bytes.Contains(b, []byte(`"event":"online"`)) {
					t.Errorf("the twin's recording (%v, %v):\n%s", err, cerr, b)
				}
			}
		})
	}
}
