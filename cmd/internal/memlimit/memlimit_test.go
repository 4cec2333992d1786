package memlimit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	for in, want := range map[string]float64{
		"8GB": 8e9, "8gb": 8e9, "8G": 8e9, "512MiB": 512 << 20, "1.5 g": 1.5e9, "2e9": 2e9, "100": 100,
		"64kB": 64e3, "1TiB": 1 << 40, " 3 MB ": 3e6, "1b": 1,
	} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "lots", "8 furlongs", "NaN", "inf", "-1GB", "0", "0.5", "1e", "GB"} {
		if got, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) = %v, want an error", in, got)
		}
	}
}

// fakeRoot makes a directory with the given files, by path under it.
func fakeRoot(t *testing.T, files map[string]string) string {
	root := t.TempDir()
	for p, content := range files {
		p = filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestResolve(t *testing.T) {
	meminfo := "MemTotal:       16000000 kB\nMemFree:  100 kB\n"
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == Env {
				return v
			}
			return ""
		}
	}
	for _, tc := range []struct {
		name, flag, env string
		files           map[string]string
		bytes           float64
		source          string
	}{
		{"flag wins", "1GB", "2GB", map[string]string{"proc/meminfo": meminfo}, 1e9, "--max-memory 1GB"},
		{"then the environment", "", "2GB", map[string]string{"proc/meminfo": meminfo}, 2e9, "$LIGHTSOUT_MAX_MEMORY 2GB"},
		{"then half the machine", "", "", map[string]string{"proc/meminfo": meminfo}, 16000000 * 1024 / 2, "half of this machine's 16 GB"},
		{"or of its container", "", "", map[string]string{"proc/meminfo": meminfo, "sys/fs/cgroup/memory.max": "2000000000\n"}, 1e9, "half of this machine's 2.0 GB"},
		{"unlimited container", "", "", map[string]string{"proc/meminfo": meminfo, "sys/fs/cgroup/memory.max": "max\n"}, 16000000 * 1024 / 2, "half of this machine's 16 GB"},
		{"unknown machine", "", "", nil, Fallback, "4.0 GB, as this machine's memory is unknown"},
	} {
		b, err := Resolve(tc.flag, env(tc.env), fakeRoot(t, tc.files))
		if err != nil || b.Bytes != tc.bytes || b.Source != tc.source {
			t.Errorf("%s: Resolve = %+v, %v; want %v from %q", tc.name, b, err, tc.bytes, tc.source)
		}
	}
	for _, tc := range []struct{ flag, env, want string }{
		{"lots", "", "--max-memory lots: want an amount of memory such as 8GB or 512MiB"},
		{"", "0", "$LIGHTSOUT_MAX_MEMORY 0: want at least 1 byte"},
	} {
		if _, err := Resolve(tc.flag, env(tc.env), t.TempDir()); err == nil || err.Error() != tc.want {
			t.Errorf("Resolve(%q, env %q) = %v, want %q", tc.flag, tc.env, err, tc.want)
		}
	}
	if h := (Budget{Source: "--max-memory 1MB"}).Hint(); !strings.Contains(h, "--max-memory 1MB") || !strings.Contains(h, Env) {
		t.Errorf("Hint = %q", h)
	}
}

// TestPhysicalHere checks that this machine's memory is read where /proc
// exists.
func TestPhysicalHere(t *testing.T) {
	if _, err := os.Stat("/proc/meminfo"); err != nil {
		t.Skip("no /proc/meminfo")
	}
	if p := Physical("/"); p < 1e8 {
		t.Errorf("Physical = %v bytes", p)
	}
}
