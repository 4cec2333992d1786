package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// mustCreateDir is createDir with a test's exchange function, or the real
// one if swap is nil.
func mustCreateDir(t *testing.T, path string, swap func(a, b string) error) *Dir {
	t.Helper()
	if swap == nil {
		swap = exchange
	}
	d, err := createDir(path, (*os.File).Sync, swap)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// writeSet writes files named name=content into d's directory; the write
// of failAt (if not empty) fails half-way.
func writeSet(t *testing.T, d *Dir, failAt string, files ...string) error {
	t.Helper()
	for _, f := range files {
		name, text, _ := strings.Cut(f, "=")
		err := Write(filepath.Join(d.Path(), name), func(w io.Writer) error {
			if name == failAt {
				io.WriteString(w, text[:len(text)/2])
				return errors.New("no space left on device")
			}
			_, err := io.WriteString(w, text)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// assertSet fails unless dir holds exactly the files named name=content.
func assertSet(t *testing.T, dir string, files ...string) {
	t.Helper()
	var names []string
	for _, f := range files {
		name, text, _ := strings.Cut(f, "=")
		names = append(names, name)
		if got := content(t, filepath.Join(dir, name)); got != text {
			t.Errorf("%s holds %q, want %q", name, got, text)
		}
	}
	assertEntries(t, dir, names...)
}

func TestDirCommit(t *testing.T) {
	unsupported := func(a, b string) error { return errors.ErrUnsupported }
	for _, c := range []struct {
		name string
		swap func(a, b string) error
	}{{"exchange", nil}, {"aside", unsupported}} {
		t.Run(c.name, func(t *testing.T) {
			parent := t.TempDir()
			dest := filepath.Join(parent, "out")
			d := mustCreateDir(t, dest, c.swap)
			if err := writeSet(t, d, "", "a=1", "b=1"); err != nil {
				t.Fatal(err)
			}
			if got := content(t, dest); got != "<absent>" {
				t.Fatalf("before Commit the destination is %s", got)
			}
			if err := d.Commit(); err != nil {
				t.Fatal(err)
			}
			d.Abort() // after Commit: nothing happens
			assertSet(t, dest, "a=1", "b=1")
			// A second set replaces the first as a whole.
			d = mustCreateDir(t, dest, c.swap)
			if err := writeSet(t, d, "", "a=2", "c=2"); err != nil {
				t.Fatal(err)
			}
			if err := d.Commit(); err != nil {
				t.Fatal(err)
			}
			assertSet(t, dest, "a=2", "c=2")
			assertEntries(t, parent, "out")
			if fi, err := os.Stat(dest); err != nil || fi.Mode().Perm() != 0o755 {
				t.Errorf("mode %v, %v; want 0755", fi.Mode().Perm(), err)
			}
			if err := d.Commit(); err == nil {
				t.Error("a second Commit succeeded")
			}
		})
	}
}

// A failure while writing the set (a full disk on its last file) or while
// putting it into place leaves the old set whole and no temporary
// directory.
func TestDirFailureLeavesTheOldSet(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "out")
	d := mustCreateDir(t, dest, nil)
	if err := writeSet(t, d, "", "a=old", "b=old", "c=old"); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}

	d = mustCreateDir(t, dest, nil)
	if err := writeSet(t, d, "c", "a=new", "b=new", "c=new"); err == nil {
		t.Fatal("the write of c did not fail")
	}
	d.Abort()
	assertSet(t, dest, "a=old", "b=old", "c=old")
	assertEntries(t, parent, "out")

	boom := errors.New("boom")
	d = mustCreateDir(t, dest, func(a, b string) error { return boom })
	if err := writeSet(t, d, "", "a=new"); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); !errors.Is(err, boom) || !strings.Contains(err.Error(), dest) {
		t.Errorf("Commit: %v, want boom naming %s", err, dest)
	}
	assertSet(t, dest, "a=old", "b=old", "c=old")
	assertEntries(t, parent, "out")
}

func TestCreateDirOverAFile(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "out")
	if err := os.WriteFile(dest, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := CreateDir(dest); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("CreateDir over a file: %v", err)
	}
	assertEntries(t, parent, "out")
	var never *Dir
	never.Abort()
}
