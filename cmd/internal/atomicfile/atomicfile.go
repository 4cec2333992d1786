// Package atomicfile writes a file so that readers see it complete or not
// at all: the content goes to a temporary file in the same directory, which
// is renamed into place only once it is complete.
package atomicfile

import (
	"io"
	"os"
	"path/filepath"
)

// Write creates path with what write puts into the writer it is given. On
// any error, from write or from the file system, path is left untouched and
// no temporary file remains. The file gets mode 0644.
func Write(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
