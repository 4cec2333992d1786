package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// atomicFile is an output file that appears whole or not at all: writes go
// through a buffer to a temporary file in the same directory, and commit
// renames it into place. Until then the destination is untouched; abort (or
// any failure) removes the temporary file. It is not safe for concurrent use.
type atomicFile struct {
	*bufio.Writer
	path string
	tmp  *os.File
	// state: open, then closed (flushed and synced), then committed.
	closed, committed bool
}

// createAtomic starts writing the file at path.
func createAtomic(path string) (*atomicFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, err
	}
	return &atomicFile{Writer: bufio.NewWriterSize(tmp, 256<<10), path: path, tmp: tmp}, nil
}

// close flushes the buffer and syncs and closes the temporary file; on
// error it removes it. The destination is still untouched.
func (f *atomicFile) close() error {
	if f.closed {
		return nil
	}
	f.closed = true
	err := errors.Join(f.Flush(), f.tmp.Chmod(0o644), f.tmp.Sync(), f.tmp.Close())
	if err != nil {
		os.Remove(f.tmp.Name())
		return fmt.Errorf("writing %s: %w", f.path, err)
	}
	return nil
}

// commit closes the file if need be and renames it into place.
func (f *atomicFile) commit() error {
	if err := f.close(); err != nil {
		return err
	}
	if err := os.Rename(f.tmp.Name(), f.path); err != nil {
		os.Remove(f.tmp.Name())
		return fmt.Errorf("writing %s: %w", f.path, err)
	}
	f.committed = true
	return nil
}

// abort removes the temporary file unless the file was committed. It is
// safe to call more than once, and after commit (then it does nothing), so
// it can be deferred.
func (f *atomicFile) abort() {
	if f == nil || f.committed {
		return
	}
	if !f.closed {
		f.closed = true
		f.tmp.Close()
	}
	os.Remove(f.tmp.Name())
}

// commitAll commits files in order; if one fails, the ones already in place
// are removed again, so that either all appear or none does.
func commitAll(files ...*atomicFile) error {
	for i, f := range files {
		if f == nil {
			continue
		}
		if err := f.commit(); err != nil {
			for _, done := range files[:i] {
				if done != nil {
					os.Remove(done.path)
				}
			}
			return err
		}
	}
	return nil
}
