//go:build !unix

package atomicfile

import (
	"os"
	"time"
)

// abandonedAge is the age at which a temporary file or directory counts as
// abandoned where files cannot be locked.
const abandonedAge = 24 * time.Hour

// lock does nothing where flock is missing.
func lock(*os.File) {}

// removeAbandoned removes the temporary file or directory at path once it
// is older than abandonedAge: without locks, age is the only sign that its
// writer is gone.
func removeAbandoned(path string, mod time.Time) {
	if time.Since(mod) > abandonedAge {
		os.RemoveAll(path)
	}
}
