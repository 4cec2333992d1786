package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// assertEntries fails unless dir holds exactly the entries named, in
// particular no temporary file.
func assertEntries(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s holds %q, want %q", dir, got, want)
	}
}

// content returns what the file at path holds, or "<absent>", or "<dir>".
func content(t *testing.T, path string) string {
	t.Helper()
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return "<dir>"
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "<absent>"
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// mustCreate is create with a test's sync function, or the real one if
// sync is nil.
func mustCreate(t *testing.T, path string, sync func(*os.File) error) *File {
	t.Helper()
	if sync == nil {
		sync = (*os.File).Sync
	}
	f, err := create(path, sync)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestWriteIsAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "v1"); return err }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(path, func(w io.Writer) error { io.WriteString(w, "half"); return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want boom", err)
	}
	if got := content(t, path); got != "v1" {
		t.Errorf("file holds %q after a failed write, want the old %q", got, "v1")
	}
	assertEntries(t, dir, "out.json")
}

func TestCreateMissingDirectory(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "missing", "x")
	_, err := Create(path)
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Path != path || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Create in a missing directory: %v, want a not-exist error naming %s", err, path)
	}
	if err := Write(path, func(io.Writer) error { return nil }); err == nil {
		t.Error("Write into a missing directory: no error")
	}
	assertEntries(t, dir)
}

func TestCommit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	f := mustCreate(t, path, nil)
	defer f.Abort()
	f.WriteString("hello ")
	f.Write([]byte("world\n"))
	if got := content(t, path); got != "<absent>" {
		t.Errorf("before Commit the destination holds %q", got)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	f.Abort() // after Commit: nothing happens
	if got := content(t, path); got != "hello world\n" {
		t.Errorf("content %q", got)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != mode {
		t.Errorf("mode %v, want %v", fi.Mode().Perm(), fs.FileMode(mode))
	}
	if _, err := f.WriteString("more"); !errors.Is(err, os.ErrClosed) {
		t.Errorf("WriteString after Commit: %v, want ErrClosed", err)
	}
	if err := f.Commit(); err == nil {
		t.Error("a second Commit succeeded")
	}
	assertEntries(t, dir, "out.txt")
}

func TestAbort(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := mustCreate(t, path, nil)
	f.WriteString("partial")
	f.Abort()
	f.Abort()
	if got := content(t, path); got != "old" {
		t.Errorf("Abort changed the destination: %q", got)
	}
	if err := f.Commit(); err == nil {
		t.Error("Commit after Abort succeeded")
	}
	if got := content(t, path); got != "old" {
		t.Errorf("Commit after Abort changed the destination: %q", got)
	}
	assertEntries(t, dir, "out.txt")
	var never *File
	never.Abort() // a deferred Abort of a file never created
}
