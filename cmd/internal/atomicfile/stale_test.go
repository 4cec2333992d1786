package atomicfile

import (
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// age sets the modification time of path to d ago.
func age(t *testing.T, path string, d time.Duration) {
	t.Helper()
	old := time.Now().Add(-d)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
}

// abandoned makes what a writer of dest killed before it could commit
// leaves behind: a temporary file that nobody holds, d old.
func abandoned(t *testing.T, dest string, d time.Duration) string {
	t.Helper()
	f := mustCreate(t, dest, nil)
	f.WriteString("half")
	f.w.Flush()
	f.tmp.Close() // the lock goes with the process
	age(t, f.tmp.Name(), d)
	return filepath.Base(f.tmp.Name())
}

// A write removes the temporary files of its destination that killed
// writers left, and only those: not a live writer's, not a fresh one, not
// another destination's.
func TestWriteRemovesAbandonedTemporaries(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	abandoned(t, path, time.Hour)
	abandoned(t, path, 2*staleAge)
	fresh := abandoned(t, path, 0)
	other := abandoned(t, filepath.Join(dir, "other.json"), time.Hour)
	live := mustCreate(t, path, nil) // a writer still at work, for hours
	defer live.Abort()
	age(t, live.tmp.Name(), time.Hour)
	// A killed writer of a whole directory of that name.
	oldDir := filepath.Join(dir, tempPrefix("out.json")+"123")
	if err := os.MkdirAll(filepath.Join(oldDir, "inside"), 0o755); err != nil {
		t.Fatal(err)
	}
	age(t, oldDir, time.Hour)
	// Names that only look alike.
	for _, name := range []string{tempPrefix("out.json") + "12x", tempPrefix("out.json"), ".out.json.tmp"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		age(t, filepath.Join(dir, name), time.Hour)
	}

	if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "v1"); return err }); err != nil {
		t.Fatal(err)
	}
	assertEntries(t, dir, "out.json", fresh, other, filepath.Base(live.tmp.Name()),
		tempPrefix("out.json")+"12x", tempPrefix("out.json"), ".out.json.tmp")
	live.WriteString("live")
	if err := live.Commit(); err != nil {
		t.Fatalf("the live writer lost its temporary file: %v", err)
	}
}

// A directory written by a killed writer (a sweep killed while writing
// its results) is removed by the next CreateDir of that destination; a
// live one is kept.
func TestCreateDirRemovesAbandonedDirectories(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "results")
	killed := mustCreateDir(t, dest, nil)
	if err := os.WriteFile(filepath.Join(killed.Path(), "runs.csv"), []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	killed.lock.Close() // killed: the lock goes, the directory stays
	age(t, killed.Path(), time.Hour)
	live := mustCreateDir(t, dest, nil)
	defer live.Abort()
	age(t, live.Path(), time.Hour)

	d := mustCreateDir(t, dest, nil)
	defer d.Abort()
	assertEntries(t, parent, filepath.Base(live.Path()), filepath.Base(d.Path()))
}
