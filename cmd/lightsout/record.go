package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"syscall"

	"github.com/spf13/pflag"
	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin/mirror"
)

// recordFlags are the twin's flags for its recording.
type recordFlags struct {
	path          string
	append, force bool
}

// register adds --record, --append and --force to fl.
func (f *recordFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&f.path, "record", "", "write every message received to this new file as JSON lines")
	fl.BoolVar(&f.append, "append", false, "with --record: add to the recording if the file exists")
	fl.BoolVar(&f.force, "force", false, "with --record: overwrite the file if it exists")
}

// check returns the problems of the flags together.
func (f *recordFlags) check() []string {
	var problems []string
	if f.append && f.force {
		problems = append(problems, "--append and --force cannot be used together: add to the recording, or overwrite it")
	}
	for _, fl := range []struct {
		name string
		set  bool
	}{{"--append", f.append}, {"--force", f.force}} {
		if fl.set && f.path == "" {
			problems = append(problems, fl.name+" needs --record FILE")
		}
	}
	return problems
}

// open opens the recording file (nil without --record): a new file, or
// with --append the existing one readied to add to (a bad last line, cut
// short when an earlier twin was killed, is cut off with a warning), or
// with --force the existing one emptied.
func (f *recordFlags) open(log *zap.Logger) (*recording, error) {
	switch {
	case f.path == "":
		return nil, nil
	case f.force:
		return createRecording(f.path, os.O_TRUNC)
	case !f.append:
		r, err := createRecording(f.path, os.O_EXCL)
		if errors.Is(err, fs.ErrExist) {
			return nil, badInput("--record %s: the file exists: --append adds to it, --force overwrites it", f.path)
		}
		return r, err
	}
	r, err := createRecording(f.path, os.O_APPEND)
	if err != nil {
		return nil, err
	}
	sum, err := mirror.ResumeRecording(r.f)
	var re *mirror.RecordingError
	switch {
	case errors.As(err, &re):
		r.f.Close()
		return nil, badInput("--record %s --append: %s: not a recording lightsout can add to (--force overwrites it)", f.path, badLine(re))
	case err != nil:
		r.f.Close()
		return nil, fmt.Errorf("--record %s: %w", f.path, err)
	case sum.Tail != nil:
		log.Warn(fmt.Sprintf("--record %s: %s: cut off before adding to it", f.path, badLine(sum.Tail)))
	}
	return r, nil
}

// createRecording opens path for writing, creating it, with flag's mode
// added (os.O_EXCL, os.O_TRUNC or os.O_APPEND, for which it is opened for
// reading too).
func createRecording(path string, flag int) (*recording, error) {
	mode := os.O_WRONLY
	if flag == os.O_APPEND {
		mode = os.O_RDWR
	}
	f, err := os.OpenFile(path, mode|os.O_CREATE|flag, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		return nil, badInput("--record: %v", err)
	}
	return &recording{path: path, f: f, failed: make(chan struct{})}, nil
}

// A recording is the twin's recording file. The first write that fails
// closes Failed, so that the twin stops: a twin that has lost its
// recording must not carry on as if it had one.
type recording struct {
	path   string
	f      *os.File
	once   sync.Once
	failed chan struct{}
	err    error // set before failed is closed
}

// Write writes p to the file.
func (r *recording) Write(p []byte) (int, error) {
	n, err := r.f.Write(p)
	if err != nil {
		r.once.Do(func() {
			r.err = err
			close(r.failed)
		})
	}
	return n, err
}

// Failed is closed when a write fails; it is nil (never ready) for a nil
// recording.
func (r *recording) Failed() <-chan struct{} {
	if r == nil {
		return nil
	}
	return r.failed
}

// close syncs and closes the file, and returns the error that stopped the
// recording, if any, naming the file (a failure, status 1).
func (r *recording) close() error {
	if r == nil {
		return nil
	}
	select {
	case <-r.failed:
		r.f.Close()
		return failure(fmt.Errorf("--record %s: writing the recording failed, so the twin stopped: %w", r.path, r.err))
	default:
	}
	err := r.f.Sync()
	if errors.Is(err, syscall.EINVAL) { // not a file that can sync (/dev/null)
		err = nil
	}
	if err := errors.Join(err, r.f.Close()); err != nil {
		return failure(fmt.Errorf("--record %s: %w", r.path, err))
	}
	return nil
}
