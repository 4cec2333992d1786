package atomicfile

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// staleAge is how old a temporary file or directory that no process holds
// must be before a writer of the same destination removes it. The age only
// covers the instant between creating a temporary name and locking it.
const staleAge = time.Minute

// tempPrefix is the start of the temporary names for the destination named
// base: ".base.tmp-", followed by the digits os.CreateTemp and os.MkdirTemp
// pick.
func tempPrefix(base string) string { return "." + base + ".tmp-" }

// isTemp reports whether name is a temporary name with prefix.
func isTemp(name, prefix string) bool {
	rest, ok := strings.CutPrefix(name, prefix)
	return ok && rest != "" && strings.Trim(rest, "0123456789") == ""
}

// removeStale removes from dir the temporary files and directories named
// with prefix that earlier writers left behind: those older than staleAge
// that no open File or Dir holds locked, so whose writer is gone (killed
// before it could commit or clean up). It is best effort: whatever cannot be
// read or removed is left.
func removeStale(dir, prefix string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !isTemp(e.Name(), prefix) {
			continue
		}
		fi, err := e.Info()
		if err != nil || time.Since(fi.ModTime()) < staleAge {
			continue
		}
		removeAbandoned(filepath.Join(dir, e.Name()), fi.ModTime())
	}
}
