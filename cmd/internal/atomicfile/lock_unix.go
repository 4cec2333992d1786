//go:build unix

package atomicfile

import (
	"os"
	"syscall"
	"time"
)

// lock takes an exclusive lock (flock) on f, a temporary file or directory,
// which it keeps until it is closed; the kernel drops it when the process
// dies. A file system without locks leaves f unlocked: then removeAbandoned
// cannot lock it either, and keeps it.
func lock(f *os.File) { _ = flock(f, syscall.LOCK_EX|syscall.LOCK_NB) }

// flock applies how to f's open file.
func flock(f *os.File, how int) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) { ferr = syscall.Flock(int(fd), how) }); err != nil {
		return err
	}
	return ferr
}

// removeAbandoned removes the temporary file or directory at path if no
// process holds it locked: its writer is gone.
func removeAbandoned(path string, _ time.Time) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	if flock(f, syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		return // held by a live writer, or no locks here: keep it
	}
	os.RemoveAll(path)
}
