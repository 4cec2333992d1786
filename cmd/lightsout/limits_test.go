package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// assertOneClearLine checks that r is a refusal of bad input: status 2,
// nothing on stdout, and on stderr exactly the lines wanted (where "…"
// stands for any text), with no Go runtime dump.
func assertOneClearLine(t *testing.T, r result, want ...string) {
	t.Helper()
	if r.code != exitBadInput || r.stdout != "" {
		t.Errorf("exit %d, stdout %q: want %d and nothing", r.code, r.stdout, exitBadInput)
	}
	if strings.Contains(r.stderr, "goroutine") || strings.Contains(r.stderr, "runtime:") || strings.Contains(r.stderr, "panic") {
		t.Fatalf("a runtime dump on stderr:\n%s", r.stderr)
	}
	got := lines(r.stderr)
	if len(got) != len(want) {
		t.Fatalf("stderr:\n%s\nwant %d line(s):\n%s", r.stderr, len(want), strings.Join(want, "\n"))
	}
	for i, w := range want {
		if !matches(got[i], w) {
			t.Errorf("stderr line %d:\n%s\nwant\n%s", i+1, got[i], w)
		}
	}
}

// matches reports whether s is pattern with any text for each "…".
func matches(s, pattern string) bool {
	parts := strings.Split(pattern, "…")
	if len(parts) == 1 {
		return s == pattern
	}
	first, last := parts[0], parts[len(parts)-1]
	if len(s) < len(first)+len(last) || !strings.HasPrefix(s, first) || !strings.HasSuffix(s, last) {
		return false
	}
	s = s[len(first) : len(s)-len(last)]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}

// TestHostileConfigs feeds validate and batch the configs that once
// passed validate and then crashed batch with the runtime's out-of-memory
// dump, ran forever, or were read as something else (NaN as zero), and the
// ids the edge refused: each is one line naming the field, status 2.
func TestHostileConfigs(t *testing.T) {
	const line = "stations:\n  - {id: a, cycle: 2s}\n"
	for _, tc := range []struct{ name, yaml, want string }{
		{"lines 1e9", line + "lines: 1000000000\n", "lines: 1000000000: at most 1000"},
		{"lines 1e9 as a float", line + "lines: 1e9\n", "lines: 1000000000: at most 1000"},
		{"servers 2e9", "stations:\n  - {id: a, cycle: 2s, servers: 2e9}\n", "stations[0].servers: 2000000000: at most 10000"},
		{"replications 1e9", line + "run: {replications: 1e9}\n", "run.replications: 1000000000: at most 100000"},
		{"buffer 1e9", "stations:\n  - {id: a, cycle: 2s, buffer: 1e9}\n",
			"stations[0].buffer: capacity 1000000000: at most 1000000 (write inf for an unbounded buffer)"},
		{"cycle of 999999999999999d", "stations:\n  - {id: a, cycle: 999999999999999d}\n",
			`stations[0].cycle: duration "999999999999999d" is longer than the limit of 100 years (36500d)`},
		{"duration of 99999999999999d", line + "run: {duration: 99999999999999d}\n",
			`run.duration: duration "99999999999999d" is longer than the limit of 100 years (36500d)`},
		{"target_per_hour .nan", line + "target_per_hour: .nan\n", "target_per_hour: .nan is not a finite number"},
		{"arm load .nan", "stations:\n  - {id: a, cycle: 2s, arm: {id: r, load: .nan, unload: 1}}\narms:\n  - {id: r, speed: 1, accel: 1}\n",
			"stations[0].arm.load: .nan is not a finite number"},
		{"arm speed .inf", "stations:\n  - {id: a, cycle: 2s, arm: {id: r, load: 1, unload: 1}}\narms:\n  - {id: r, speed: .inf, accel: 1}\n",
			"arms[0].speed: .inf is not a finite number"},
		{"station id with +", "stations:\n  - {id: a+b, cycle: 2s}\n",
			`stations[0].id: "a+b": station id contains '+' (it becomes a Sparkplug device id: no '/', '+', '#' or NUL)`},
		{"station id with #", "stations:\n  - {id: 'a#b', cycle: 2s}\n",
			`stations[0].id: "a#b": station id contains '#' (it becomes a Sparkplug device id: no '/', '+', '#' or NUL)`},
		{"station id with NUL", "stations:\n  - {id: \"a\\0b\", cycle: 2s}\n",
			`stations[0].id: "a\x00b": station id contains NUL (it becomes a Sparkplug device id: no '/', '+', '#' or NUL)`},
		{"name with +", "name: my+line\n" + line,
			`name: "my+line": name contains '+' (it prefixes the Sparkplug edge node ids: no '/', '+', '#' or NUL)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := writeFile(t, "line.yaml", tc.yaml)
			out := filepath.Join(t.TempDir(), "report.json")
			for _, args := range [][]string{{"validate", cfg}, {"batch", "--config", cfg, "--out", out}} {
				assertOneClearLine(t, lightsout(t, args...), cfg+": "+tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s written", out)
			}
		})
	}
}

// TestHostileFlags feeds batch and sweep the flags that once crashed batch
// with the runtime's out-of-memory dump or never ended: one line each, all
// at once, status 2.
func TestHostileFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"replications", []string{"batch", "--replications", "100000000"}, []string{"lightsout: --replications 100000000: at most 100000"}},
		{"pilots", []string{"batch", "--warmup", "auto", "--pilots", "100000000"}, []string{"lightsout: --pilots 100000000: at most 1000"}},
		{"max-replications", []string{"batch", "--precision", "1%", "--max-replications", "100000000"},
			[]string{"lightsout: --max-replications 100000000: at most 100000"}},
		{"all at once", []string{"batch", "--warmup", "auto", "--pilots", "100000000", "--replications", "100000000"},
			[]string{"lightsout: --replications 100000000: at most 100000", "lightsout: --pilots 100000000: at most 1000"}},
		{"duration", []string{"batch", "--duration", "99999999999999d"},
			[]string{`lightsout: invalid argument "99999999999999d" for "--duration" flag: duration "99999999999999d" is longer than the limit of 100 years (36500d) …`}},
		{"warmup", []string{"batch", "--warmup", "999999999999999d"},
			[]string{`lightsout: invalid argument "999999999999999d" for "--warmup" flag: duration "999999999999999d" is longer than the limit of 100 years (36500d) …`}},
		{"memory", []string{"batch", "--config", "two-machine", "--workers", "2", "--max-memory", "100kB"},
			[]string{"lightsout: the batch would need about … of memory, more than the 100 kB allowed: most of it for 2 runs at once (the limit is --max-memory 100kB; set --max-memory or $LIGHTSOUT_MAX_MEMORY to change it)"}},
		{"memory of the pilots", []string{"batch", "--config", "two-machine", "--warmup", "auto", "--pilots", "1000", "--replications", "1", "--max-memory", "10MB"},
			[]string{"lightsout: the warm-up pilots would need about … MB of memory, more than the 10 MB allowed: most of it for the results of 1,000 replications (the limit is --max-memory 10MB; set --max-memory or $LIGHTSOUT_MAX_MEMORY to change it)"}},
		{"bad max-memory", []string{"batch", "--max-memory", "lots", "--replications", "0"},
			[]string{"lightsout: --replications 0: need at least 1", "lightsout: --max-memory lots: want an amount of memory such as 8GB or 512MiB"}},
		{"sweep replications", []string{"sweep", "demo-buffer", "--replications", "100000000"}, []string{"lightsout: --replications 100000000: at most 100000"}},
		{"sweep memory", []string{"sweep", "demo-buffer", "--check", "--workers", "2", "--max-memory", "100kB"},
			[]string{"lightsout: the sweep would need about … of memory, more than the 100 kB allowed: most of it for …"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertOneClearLine(t, lightsout(t, tc.args...), tc.want...)
		})
	}
}

// TestMemoryBudgetFromTheEnvironment checks $LIGHTSOUT_MAX_MEMORY, and that
// the flag wins over it.
func TestMemoryBudgetFromTheEnvironment(t *testing.T) {
	t.Setenv("LIGHTSOUT_MAX_MEMORY", "1kB")
	assertOneClearLine(t, lightsout(t, "batch", "--config", "two-machine", "--workers", "1"),
		"lightsout: the batch would need about … of memory, more than the 1.0 kB allowed: most of it for … (the limit is $LIGHTSOUT_MAX_MEMORY 1kB; set --max-memory or $LIGHTSOUT_MAX_MEMORY to change it)")
	r := lightsout(t, "batch", "--config", "two-machine", "--duration", "1h", "--warmup", "0s", "--replications", "1", "--max-memory", "1GB")
	if r.code != exitOK {
		t.Errorf("with --max-memory 1GB: exit %d, stderr %s", r.code, r.stderr)
	}
}
