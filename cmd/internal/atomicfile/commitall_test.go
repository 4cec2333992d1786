package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommitAll(t *testing.T) {
	one, two := t.TempDir(), t.TempDir()
	paths := []string{filepath.Join(one, "a"), filepath.Join(two, "b"), filepath.Join(one, "c")}
	log := &syncLog{t: t}
	var files []*File
	for _, p := range paths {
		f := mustCreate(t, p, log.sync)
		f.WriteString(filepath.Base(p))
		files = append(files, f, nil) // nil files are skipped
	}
	if err := CommitAll(files...); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		if got := content(t, p); got != filepath.Base(p) {
			t.Errorf("%s holds %q", p, got)
		}
	}
	dirs := 0
	for _, c := range log.calls {
		if strings.HasPrefix(c, "dir ") {
			dirs++
		}
	}
	if dirs != 2 {
		t.Errorf("%d directory syncs for files in 2 directories: %q", dirs, log.calls)
	}
	assertEntries(t, one, "a", "c")
	assertEntries(t, two, "b")
}

// A failure in any file leaves none of the set in place and no temporary
// file; a write failure shows before any file is renamed.
func TestCommitAllIsAllOrNothing(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name  string
		log   syncLog
		setup func(t *testing.T, dir string, files []*File)
	}{
		{"the last file fails to sync", syncLog{fileErr: boom, failName: ".c."}, nil},
		{"a directory fails to sync", syncLog{dirErr: boom}, nil},
		{"the second rename fails", syncLog{}, func(t *testing.T, dir string, _ []*File) {
			if err := os.MkdirAll(filepath.Join(dir, "b", "inside"), 0o755); err != nil {
				t.Fatal(err)
			}
		}},
		{"a file was already committed", syncLog{}, func(t *testing.T, dir string, files []*File) {
			if err := files[1].Commit(); err != nil {
				t.Fatal(err)
			}
			os.Remove(filepath.Join(dir, "b"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			log := tt.log
			log.t = t
			var files []*File
			for _, name := range []string{"a", "b", "c"} {
				path := filepath.Join(dir, name)
				log.watch = append(log.watch, path)
				f := mustCreate(t, path, log.sync)
				f.WriteString("new " + name)
				files = append(files, f)
			}
			if tt.setup != nil {
				tt.setup(t, dir, files)
			}
			log.calls = nil
			if err := CommitAll(files...); err == nil {
				t.Fatal("CommitAll succeeded")
			}
			var left []string
			if tt.setup != nil && strings.Contains(tt.name, "rename") {
				left = []string{"b"} // the directory in the way, untouched
			}
			assertEntries(t, dir, left...)
			for _, c := range log.calls {
				_, seen, _ := strings.Cut(c, " [")
				if strings.HasPrefix(c, "file ") && strings.Contains(seen, "new") {
					t.Errorf("a file of the set was in place while another was being written: %s", c)
				}
			}
			for _, f := range files {
				f.Abort() // as deferred by a caller: nothing left to do
			}
			assertEntries(t, dir, left...)
		})
	}
}

func TestCommitAllOfNothing(t *testing.T) {
	if err := CommitAll(); err != nil {
		t.Errorf("CommitAll(): %v", err)
	}
	if err := CommitAll(nil, nil); err != nil {
		t.Errorf("CommitAll(nil, nil): %v", err)
	}
}
