package memlimit

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

// Env is the environment variable that sets the budget when the flag does
// not.
const Env = "LIGHTSOUT_MAX_MEMORY"

// Fallback is the budget when neither the flag nor Env sets it and the
// machine's memory cannot be read: 4 GB.
const Fallback = 4e9

// Budget is how much memory a run may plan to use, and where that figure
// comes from.
type Budget struct {
	Bytes float64
	// Source names it for messages: "--max-memory", "$LIGHTSOUT_MAX_MEMORY",
	// "half of this machine's 16 GB" or "the default when the machine's
	// memory is unknown".
	Source string
}

// Hint is the end of a message about an estimate over the budget: where
// the budget came from and how to change it.
func (b Budget) Hint() string {
	return fmt.Sprintf("(the limit is %s; set --max-memory or $%s to change it)", b.Source, Env)
}

// Resolve returns the budget: flag when it is not empty, else Env as
// getenv reads it, else half of Physical(root) ("/" in production). A
// value that is not a size is an error naming where it came from.
func Resolve(flag string, getenv func(string) string, root string) (Budget, error) {
	for _, src := range []struct{ name, value string }{{"--max-memory", flag}, {"$" + Env, getenv(Env)}} {
		if src.value == "" {
			continue
		}
		n, err := ParseSize(src.value)
		if err != nil {
			return Budget{}, fmt.Errorf("%s %s: %w", src.name, src.value, err)
		}
		return Budget{Bytes: n, Source: src.name + " " + src.value}, nil
	}
	if p := Physical(root); p > 0 {
		return Budget{Bytes: p / 2, Source: "half of this machine's " + textfmt.Bytes(p)}, nil
	}
	return Budget{Bytes: Fallback, Source: textfmt.Bytes(Fallback) + ", as this machine's memory is unknown"}, nil
}

// sizeUnits are the units of ParseSize, lower case.
var sizeUnits = map[string]float64{
	"": 1, "b": 1, "k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9, "t": 1e12, "tb": 1e12,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
}

// ParseSize parses an amount of memory: a number of bytes, or a number with
// a unit, decimal (kB, MB, GB, TB, or k, M, G, T) or binary (KiB, MiB, GiB,
// TiB), in any case: "8GB", "512MiB", "1.5 g", "2e9".
func ParseSize(s string) (float64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	i := strings.IndexFunc(t, func(r rune) bool { return r >= 'a' && r <= 'z' && r != 'e' })
	num, unit := t, ""
	if i >= 0 {
		num, unit = strings.TrimSpace(t[:i]), t[i:]
	}
	n, err := strconv.ParseFloat(num, 64)
	u, ok := sizeUnits[unit]
	if err != nil || !ok || math.IsNaN(n) || math.IsInf(n, 0) {
		return 0, fmt.Errorf("want an amount of memory such as 8GB or 512MiB")
	}
	if n*u < 1 {
		return 0, fmt.Errorf("want at least 1 byte")
	}
	return n * u, nil
}

// Physical returns the memory this process may use, in bytes: the
// machine's (MemTotal in root/proc/meminfo), or the cgroup v2 limit of its
// container (root/sys/fs/cgroup/memory.max) when lower; 0 when neither can
// be read.
func Physical(root string) float64 {
	var total float64
	if b, err := os.ReadFile(filepath.Join(root, "proc", "meminfo")); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				f := strings.Fields(rest)
				if len(f) == 2 && f[1] == "kB" {
					if kb, err := strconv.ParseFloat(f[0], 64); err == nil {
						total = kb * 1024
					}
				}
			}
		}
	}
	if b, err := os.ReadFile(filepath.Join(root, "sys", "fs", "cgroup", "memory.max")); err == nil {
		if limit, err := strconv.ParseFloat(strings.TrimSpace(string(b)), 64); err == nil && limit > 0 &&
			(total == 0 || limit < total) {
			total = limit
		}
	}
	return total
}
