package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// bufferSize is the size of a File's write buffer.
const bufferSize = 256 << 10

// mode is the permission bits of every file written.
const mode = 0o644

// Write creates the file at path with what write puts into the writer it is
// given, as Create and Commit do. On any error, from write or from the file
// system, path is left as it was and no temporary file remains.
func Write(path string, write func(io.Writer) error) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	if err := write(f); err != nil {
		return err
	}
	return f.Commit()
}

// File is an output file that appears whole or not at all. Writes go through
// a buffer to a temporary file in the destination's directory; Commit puts it
// into place, Abort removes it. Until Commit the destination is untouched.
// A File is not safe for concurrent use.
type File struct {
	path  string
	tmp   *os.File
	w     *bufio.Writer
	sync  func(*os.File) error // (*os.File).Sync, or a test's stand-in
	state state
}

// state is where a File is in its life.
type state uint8

const (
	writing   state = iota // the temporary file is open
	finished               // flushed and synced, still open; not yet renamed
	committed              // renamed into place and closed
	aborted                // the temporary file is removed; nothing is at path
)

// Create starts writing the file at path. The error of a directory that is
// missing or not writable names path, not the temporary file. It also
// removes the temporary files that earlier writers of path left behind
// when they were killed (see the package comment).
func Create(path string) (*File, error) {
	return create(path, (*os.File).Sync)
}

// create is Create with the function that syncs files and directories.
func create(path string, sync func(*os.File) error) (*File, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	prefix := tempPrefix(base)
	tmp, err := os.CreateTemp(dir, prefix+"*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &fs.PathError{Op: "create", Path: path, Err: err}
	}
	lock(tmp)
	removeStale(dir, prefix)
	return &File{path: path, tmp: tmp, w: bufio.NewWriterSize(tmp, bufferSize), sync: sync}, nil
}

// Write writes p to the file. It fails once the file is committed or aborted.
func (f *File) Write(p []byte) (int, error) {
	if f.state != writing {
		return 0, f.errClosed()
	}
	return f.w.Write(p)
}

// WriteString writes s to the file. It fails once the file is committed or
// aborted.
func (f *File) WriteString(s string) (int, error) {
	if f.state != writing {
		return 0, f.errClosed()
	}
	return f.w.WriteString(s)
}

// Commit puts the file into place: it flushes the buffer, syncs the
// temporary file, renames it to the file's path and syncs the directory.
// On error nothing new is at the path and no temporary file remains; an
// older file at the path is left as it was, unless the error came from
// syncing the directory after the rename. Commit after Commit or Abort
// returns an error.
func (f *File) Commit() error { return CommitAll(f) }

// Abort removes the temporary file, unless the file was committed: then it
// does nothing. It may be called on a nil *File and more than once, so that
// it can be deferred as soon as the file is created.
func (f *File) Abort() {
	if f == nil {
		return
	}
	if f.state == writing || f.state == finished {
		f.tmp.Close()
		os.Remove(f.tmp.Name())
		f.state = aborted
	}
}

// CommitAll commits files (nil ones are skipped) so that either all appear
// or none does: first it finishes writing every file, which is where a full
// disk shows, then it renames them into place in order, then syncs their
// directories. If any step fails, the files not yet renamed are aborted and
// the ones already in place are removed again (an older file one of them
// replaced is not restored).
func CommitAll(files ...*File) error {
	for _, f := range files {
		if err := f.finish(); err != nil {
			abortAll(files)
			return err
		}
	}
	for i, f := range files {
		if err := f.rename(); err != nil {
			removeAll(files[:i])
			abortAll(files)
			return err
		}
	}
	synced := make(map[string]bool)
	for _, f := range files {
		if f == nil || synced[filepath.Dir(f.path)] {
			continue
		}
		dir := filepath.Dir(f.path)
		synced[dir] = true
		if err := syncDir(dir, f.sync); err != nil {
			removeAll(files)
			return fmt.Errorf("writing %s: sync directory: %w", f.path, err)
		}
	}
	return nil
}

// finish flushes the buffer, sets the mode and syncs the temporary file:
// everything that can fail before the rename. On error it removes the
// temporary file. A nil File has nothing to finish.
func (f *File) finish() error {
	if f == nil || f.state == finished {
		return nil
	}
	if f.state != writing {
		return f.errClosed()
	}
	if err := errors.Join(f.w.Flush(), f.tmp.Chmod(mode), f.sync(f.tmp)); err != nil {
		return f.fail(err)
	}
	f.state = finished
	return nil
}

// rename moves the finished temporary file into place, then closes it: it
// stays open, and so locked against the clean-up of other writers, until it
// has its final name. On error nothing new is at the path and the
// temporary file is removed.
func (f *File) rename() error {
	if f == nil {
		return nil
	}
	if err := os.Rename(f.tmp.Name(), f.path); err != nil {
		return f.fail(err)
	}
	f.state = committed
	if err := f.tmp.Close(); err != nil {
		os.Remove(f.path)
		f.state = aborted
		return fmt.Errorf("writing %s: %w", f.path, err)
	}
	return nil
}

// fail closes and removes the temporary file after err and returns err,
// which it makes name the file.
func (f *File) fail(err error) error {
	f.tmp.Close()
	os.Remove(f.tmp.Name())
	f.state = aborted
	return fmt.Errorf("writing %s: %w", f.path, err)
}

// errClosed is the error of using a file after Commit or Abort.
func (f *File) errClosed() error {
	return fmt.Errorf("writing %s: %w", f.path, os.ErrClosed)
}

// abortAll aborts every file that is not committed.
func abortAll(files []*File) {
	for _, f := range files {
		f.Abort()
	}
}

// removeAll removes the committed files of files from their paths.
func removeAll(files []*File) {
	for _, f := range files {
		if f != nil && f.state == committed {
			os.Remove(f.path)
			f.state = aborted
		}
	}
}

// SyncDir syncs the directory dir, so that the files created, renamed or
// removed in it are on disk. A file system that cannot sync a directory
// (the error is EINVAL or unsupported) counts as synced.
func SyncDir(dir string) error { return syncDir(dir, (*os.File).Sync) }

// syncDir is SyncDir with the function that syncs an open directory.
func syncDir(dir string, sync func(*os.File) error) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = sync(d)
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, errors.ErrUnsupported) {
		err = nil
	}
	return errors.Join(err, d.Close())
}
