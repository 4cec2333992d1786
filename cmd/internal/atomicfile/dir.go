package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// A Dir is an output directory that appears whole or not at all: its files
// are written into a temporary directory beside it ([Dir.Path]), which
// Commit puts into place as a whole, replacing the directory there, and
// Abort removes. Until Commit the destination is untouched. A Dir is not
// safe for concurrent use.
type Dir struct {
	path, tmp string
	lock      *os.File // the temporary directory, open and locked until Commit or Abort
	sync      func(*os.File) error
	exchange  func(a, b string) error // swaps two paths at once, or errors.ErrUnsupported
	state     state
}

// CreateDir starts writing the directory at path: it creates the missing
// parent directories and an empty temporary directory beside path, and
// removes the temporary directories that earlier writers of path left
// behind when they were killed. path must not be a file.
func CreateDir(path string) (*Dir, error) { return createDir(path, (*os.File).Sync, exchange) }

// createDir is CreateDir with the functions that sync and swap.
func createDir(path string, sync func(*os.File) error, swap func(a, b string) error) (*Dir, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	if fi, err := os.Stat(abs); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("writing %s: it exists and is not a directory", path)
	}
	parent, prefix := filepath.Dir(abs), tempPrefix(filepath.Base(abs))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	tmp, err := os.MkdirTemp(parent, prefix+"*")
	if err != nil {
		return nil, fmt.Errorf("writing %s: temporary directory: %w", path, err)
	}
	l, err := os.Open(tmp)
	if err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	lock(l)
	removeStale(parent, prefix)
	return &Dir{path: abs, tmp: tmp, lock: l, sync: sync, exchange: swap}, nil
}

// Path returns the temporary directory to write the files into, with
// [Write] or [Create] so that each is on disk before Commit.
func (d *Dir) Path() string { return d.tmp }

// Commit puts the directory into place: it syncs it, then renames it to
// the destination, which it replaces as a whole when there is one (on
// Linux in one step; elsewhere the old directory is first moved aside, so
// that for an instant nothing is there), then syncs the parent directory.
// On error the destination holds what it held before, and the temporary
// directory is removed. An old directory that cannot be removed is left
// beside the destination under a temporary name, for the next writer to
// remove. Commit after Commit or Abort returns an error.
func (d *Dir) Commit() error {
	if d.state != writing {
		return fmt.Errorf("writing %s: %w", d.path, os.ErrClosed)
	}
	defer d.lock.Close()
	err := os.Chmod(d.tmp, 0o755)
	if err == nil {
		err = syncDir(d.tmp, d.sync)
	}
	if err == nil {
		err = d.replace()
	}
	if err != nil {
		d.Abort()
		return fmt.Errorf("writing %s: %w", d.path, err)
	}
	d.state = committed
	if err := syncDir(filepath.Dir(d.path), d.sync); err != nil {
		return fmt.Errorf("writing %s: sync directory: %w", d.path, err)
	}
	return nil
}

// replace moves the temporary directory to the destination, and what was
// there out of the way and away.
func (d *Dir) replace() error {
	switch fi, err := os.Lstat(d.path); {
	case errors.Is(err, fs.ErrNotExist):
		return os.Rename(d.tmp, d.path)
	case err != nil:
		return err
	case !fi.IsDir():
		return errors.New("it exists and is not a directory")
	}
	err := d.exchange(d.tmp, d.path)
	if err == nil {
		os.RemoveAll(d.tmp) // the old directory now
		return nil
	}
	if !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	// Aside under a temporary name, so that a crash before the second
	// rename leaves it for the next writer to remove. (os.Rename will not
	// replace a directory, even an empty one: the name is picked by making
	// a directory and removing it.)
	aside, err := os.MkdirTemp(filepath.Dir(d.path), tempPrefix(filepath.Base(d.path))+"*")
	if err != nil {
		return err
	}
	os.Remove(aside)
	if err := os.Rename(d.path, aside); err != nil {
		return err
	}
	if err := os.Rename(d.tmp, d.path); err != nil {
		os.Rename(aside, d.path)
		return err
	}
	os.RemoveAll(aside)
	return nil
}

// Abort removes the temporary directory and what it holds, unless the
// directory was committed: then it does nothing. It may be called on a nil
// *Dir and more than once, so that it can be deferred as soon as the
// directory is created.
func (d *Dir) Abort() {
	if d == nil || d.state != writing {
		return
	}
	os.RemoveAll(d.tmp)
	d.lock.Close()
	d.state = aborted
}
