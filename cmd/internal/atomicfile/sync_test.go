package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// syncLog stands in for (*os.File).Sync. It records each file and directory
// synced, with what the watched paths held at that moment, and fails the
// syncs of files or of directories when told to.
type syncLog struct {
	t       *testing.T
	watch   []string // paths whose content each record shows
	calls   []string
	fileErr error // returned for a regular file whose name contains failName
	dirErr  error // returned for every directory
	// failName selects the files that fail with fileErr; "" selects all.
	failName string
}

func (l *syncLog) sync(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		l.t.Fatal(err)
	}
	var seen []string
	for _, p := range l.watch {
		seen = append(seen, content(l.t, p))
	}
	if fi.IsDir() {
		l.calls = append(l.calls, fmt.Sprintf("dir %s %q", filepath.Base(f.Name()), seen))
		return l.dirErr
	}
	// A temporary file: what it holds must already be flushed.
	l.calls = append(l.calls, fmt.Sprintf("file %q %q", content(l.t, f.Name()), seen))
	if strings.Contains(filepath.Base(f.Name()), l.failName) {
		return l.fileErr
	}
	return nil
}

// The file is synced with all its content before the rename, and the
// directory after it.
func TestCommitSyncsFileThenDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "out")
	log := &syncLog{t: t, watch: []string{path}}
	f := mustCreate(t, path, log.sync)
	f.WriteString("data")
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	want := []string{`file "data" ["<absent>"]`, `dir d ["data"]`}
	if !slices.Equal(log.calls, want) {
		t.Errorf("syncs\n got %q\nwant %q", log.calls, want)
	}
}

func TestCommitFailureLeavesNoFile(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name    string
		log     syncLog
		nonFile bool   // the destination is a non-empty directory: the rename fails
		want    string // what the destination holds afterwards
	}{
		{"file sync fails", syncLog{fileErr: boom}, false, "old"},
		{"directory sync fails", syncLog{dirErr: boom}, false, "<absent>"},
		{"rename fails", syncLog{}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out")
			if tt.nonFile {
				if err := os.MkdirAll(filepath.Join(path, "inside"), 0o755); err != nil {
					t.Fatal(err)
				}
			} else if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			log := tt.log
			log.t = t
			f := mustCreate(t, path, log.sync)
			f.WriteString("new")
			if err := f.Commit(); err == nil || !strings.Contains(err.Error(), path) {
				t.Errorf("Commit: %v, want an error naming %s", err, path)
			}
			if tt.nonFile {
				assertEntries(t, path, "inside")
			} else if got := content(t, path); got != tt.want {
				t.Errorf("destination holds %q, want %q", got, tt.want)
			}
			if tt.want == "<absent>" {
				assertEntries(t, dir)
			} else {
				assertEntries(t, dir, "out")
			}
		})
	}
}

// Some file systems cannot sync a directory; that is not a failure.
func TestCommitWhereDirectoriesCannotSync(t *testing.T) {
	for _, errno := range []error{syscall.EINVAL, syscall.ENOTSUP} {
		path := filepath.Join(t.TempDir(), "out")
		log := &syncLog{t: t, dirErr: &os.PathError{Op: "sync", Path: "d", Err: errno}}
		f := mustCreate(t, path, log.sync)
		f.WriteString("x")
		if err := f.Commit(); err != nil {
			t.Errorf("directory sync failing with %v: %v", errno, err)
		}
		if got := content(t, path); got != "x" {
			t.Errorf("destination holds %q", got)
		}
	}
}

func TestSyncDir(t *testing.T) {
	dir := t.TempDir()
	if err := SyncDir(dir); err != nil {
		t.Errorf("SyncDir of a directory: %v", err)
	}
	if err := SyncDir(filepath.Join(dir, "missing")); err == nil {
		t.Error("SyncDir of a missing directory: no error")
	}
}
