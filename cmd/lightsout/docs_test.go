package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The docs test runs the command blocks of README.md and docs/*.md against
// the built binary, so that the docs cannot drift from the code.
//
// A fenced block runs unless the line before it is a marker:
//
//	<!-- docs-test: skip (why) -->           not run (a service, a display, the network, minutes of CPU)
//	<!-- docs-test: exit N -->               its commands end with status N, not 0
//	<!-- docs-test: output of COMMAND -->    an output block: COMMAND's output has each of its lines
//
// In a block that runs, every line is a lightsout command (a trailing #
// comment and \ continuations allowed); in a block of "$ " prompts, the
// lines after a command are its expected output (each must appear in it,
// "..." lines skipped), "$ cat FILE" followed by lines writes FILE and
// "$ echo $?" shows the status of the marker. A
// block with any other command must be marked. The commands of one page run
// in order in one directory, with my-line.yaml (demo-line) and
// my-sweep.yaml (a small sweep) in it, and may take docsTimeout each.

const docsTimeout = 60 * time.Second

var docsMarker = regexp.MustCompile(`^<!-- docs-test: (skip|exit (\d+)|output of (.+?)) ?(\(.*\))? -->$`)

// docBlock is one fenced block of a page.
type docBlock struct {
	page   string
	line   int    // of the opening fence, from 1
	marker string // skip, exit, output
	exit   int
	of     string // the command of an output block
	lines  []string
}

func (b docBlock) where() string { return b.page + ":" + strconv.Itoa(b.line) }

// docBlocks returns the fenced blocks of the page.
func docBlocks(t *testing.T, path, page string) []docBlock {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []docBlock
	var cur *docBlock
	prev := ""
	for i, l := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(l, "```") && cur == nil:
			cur = &docBlock{page: page, line: i + 1}
			if m := docsMarker.FindStringSubmatch(strings.TrimSpace(prev)); m != nil {
				switch {
				case m[1] == "skip":
					cur.marker = "skip"
				case m[2] != "":
					cur.marker, cur.exit = "exit", atoi(m[2])
				default:
					cur.marker, cur.of = "output", m[3]
				}
			} else if strings.Contains(prev, "docs-test") {
				t.Errorf("%s:%d: malformed marker %q", page, i, prev)
			}
		case strings.HasPrefix(l, "```"):
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.lines = append(cur.lines, l)
		}
		if strings.TrimSpace(l) != "" {
			prev = l
		}
	}
	return blocks
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// commandLine returns the command of a line of a block: a trailing
// comment removed.
func commandLine(l string) string {
	if i := strings.Index(l, " #"); i >= 0 {
		l = l[:i]
	}
	return strings.TrimSpace(l)
}

// joinContinuations joins lines ending in a backslash with the next.
func joinContinuations(lines []string) []string {
	var out []string
	acc := ""
	for _, l := range lines {
		if s, ok := strings.CutSuffix(strings.TrimRight(l, " "), `\`); ok {
			acc += s + " "
			continue
		}
		out = append(out, acc+l)
		acc = ""
	}
	return out
}

// docsRunner runs a page's commands in one directory.
type docsRunner struct {
	t   *testing.T
	dir string
	env []string
}

func (r *docsRunner) run(where, cmd string, wantExit int) string {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), docsTimeout)
	defer cancel()
	c := exec.CommandContext(ctx, "bash", "-c", cmd)
	c.Dir, c.Env = r.dir, r.env
	// On the timeout, kill the command's whole process group: a child
	// that keeps the output open would stop Wait.
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	c.Cancel = func() error { return syscall.Kill(-c.Process.Pid, syscall.SIGKILL) }
	c.WaitDelay = 5 * time.Second
	var out bytes.Buffer
	c.Stdout, c.Stderr = &out, &out
	start := time.Now()
	err := c.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		r.t.Errorf("%s: %s: %v", where, cmd, err)
	}
	if ctx.Err() != nil {
		r.t.Errorf("%s: %s: still running after %v: mark the block <!-- docs-test: skip (why) -->", where, cmd, docsTimeout)
	} else if code != wantExit {
		r.t.Errorf("%s: %s: exit status %d, want %d\n%s", where, cmd, code, wantExit, out.String())
	}
	r.t.Logf("%s: %s (%.1fs)", where, cmd, time.Since(start).Seconds())
	return out.String()
}

// hasLines fails t for every line of want ("..." and empty ones aside)
// that is not a line of got, spaces at either end aside.
func hasLines(t *testing.T, where, cmd string, got string, want []string) {
	t.Helper()
	have := map[string]bool{}
	for _, l := range strings.Split(got, "\n") {
		have[strings.TrimSpace(l)] = true
	}
	for _, w := range want {
		w = strings.TrimSpace(w)
		if w == "" || w == "..." {
			continue
		}
		if !have[w] {
			t.Errorf("%s: the output of %s has no line %q; it is:\n%s", where, cmd, w, got)
		}
	}
}

// unmarked are the programs whose blocks must run or be marked.
var unmarked = map[string]bool{"lightsout-view": true, "xvfb-run": true, "make": true, "go": true, "curl": true,
	"export": true, "kubectl": true, "docker": true, "sbatch": true, "bash": true}

func TestDocsCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the docs' commands: tens of seconds")
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "lightsout"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	env := append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "NO_COLOR=1")
	pages, _ := filepath.Glob("../../docs/*.md")
	pages = append([]string{"../../README.md"}, pages...)
	ran := 0
	for _, path := range pages {
		page := strings.TrimPrefix(path, "../../")
		r := &docsRunner{t: t, dir: t.TempDir(), env: env}
		for name, src := range map[string]string{"my-line.yaml": mustSource(t, "demo-line"), "my-sweep.yaml": smallSweep} {
			if err := os.WriteFile(filepath.Join(r.dir, name), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, b := range docBlocks(t, path, page) {
			switch b.marker {
			case "skip":
				continue
			case "output":
				hasLines(t, b.where(), b.of, r.run(b.where(), b.of, 0), b.lines)
				ran++
				continue
			}
			lines := joinContinuations(b.lines)
			prompted := len(lines) > 0 && strings.HasPrefix(lines[0], "$ ")
			if !prompted {
				first := strings.Fields(lines[0] + " x")[0]
				if unmarked[first] {
					t.Errorf("%s: a block of %s commands: run it or mark it <!-- docs-test: skip (why) -->", b.where(), first)
				}
				if first != "lightsout" {
					continue // not commands: output, YAML, a table
				}
				for _, l := range lines {
					cmd := commandLine(l)
					if cmd == "" {
						continue
					}
					if !strings.HasPrefix(cmd, "lightsout ") {
						t.Errorf("%s: %q is not a lightsout command: mark the block <!-- docs-test: skip (why) -->", b.where(), cmd)
						continue
					}
					r.run(b.where(), cmd, b.exit)
					ran++
				}
				continue
			}
			for i := 0; i < len(lines); {
				cmd := strings.TrimPrefix(lines[i], "$ ")
				j := i + 1
				for j < len(lines) && !strings.HasPrefix(lines[j], "$ ") {
					j++
				}
				out := lines[i+1 : j]
				if cmd == "echo $?" {
					if len(out) != 1 || strings.TrimSpace(out[0]) != strconv.Itoa(b.exit) {
						t.Errorf("%s: echo $? shows %q, but the block's marker says exit %d", b.where(), out, b.exit)
					}
				} else if file, ok := strings.CutPrefix(cmd, "cat "); ok {
					if err := os.WriteFile(filepath.Join(r.dir, file), []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
						t.Fatal(err)
					}
				} else if !strings.HasPrefix(cmd, "lightsout ") {
					t.Errorf("%s: %q is not a lightsout command: mark the block", b.where(), cmd)
				} else {
					hasLines(t, b.where(), cmd, r.run(b.where(), commandLine(cmd), b.exit), out)
					ran++
				}
				i = j
			}
		}
	}
	if ran < 8 {
		t.Errorf("ran %d commands of the docs, want them all", ran)
	}
}
