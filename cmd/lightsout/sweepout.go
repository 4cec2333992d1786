package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lightsout-sim/lightsout/cmd/internal/atomicfile"
	"github.com/lightsout-sim/lightsout/twin/experiment"
)

// checkSweepOut checks --out DIR of sweep and merge before anything runs:
// DIR is replaced whole by the results, so it must be absent, or a
// directory holding nothing but the results of a sweep (and the report,
// when --report is inside it). Anything else there (a shards' directory,
// someone's files) is reported, never removed.
func checkSweepOut(dir, report string) []string {
	if dir == "" {
		return nil
	}
	rel, inside := reportInside(dir, report)
	if inside && rel == "." {
		return []string{fmt.Sprintf("--report %s: is --out's directory: give the report its own, e.g. %s", report, filepath.Join(dir, "report"))}
	}
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return []string{fmt.Sprintf("--out %s: %v", dir, err)}
	}
	if !fi.IsDir() {
		return []string{fmt.Sprintf("--out %s: is a file, not a directory", dir)}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return []string{fmt.Sprintf("--out %s: %v", dir, err)}
	}
	var foreign []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case slices.Contains(experiment.OutputNames(), name):
		case inside && name == strings.Split(rel, string(filepath.Separator))[0]:
		case strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp-"): // a killed writer's
		default:
			foreign = append(foreign, name)
		}
	}
	if len(foreign) == 0 {
		return nil
	}
	const most = 3
	more := ""
	if len(foreign) > most {
		more, foreign = fmt.Sprintf(" and %d more", len(foreign)-most), foreign[:most]
	}
	return []string{fmt.Sprintf("--out %s: holds entries a sweep does not write (%s%s); "+
		"each run replaces the directory whole: give a new or empty directory", dir, strings.Join(foreign, ", "), more)}
}

// reportInside returns the path of the report directory relative to the
// output directory dir, and whether it is inside dir (or dir itself).
func reportInside(dir, report string) (string, bool) {
	if dir == "" || report == "" {
		return "", false
	}
	rel, err := filepath.Rel(dir, report)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return rel, true
}

// A sweepOut is the output directory of a sweep or a merge while it is
// written: a temporary directory beside --out, put into place whole.
type sweepOut struct {
	dir, report string // --out, --report
	d           *atomicfile.Dir
}

// openSweepOut checks --out DIR (see checkSweepOut) and starts writing it,
// before the run, so that a directory that cannot be written shows at
// once. It returns nil when dir is empty. Abort the result (deferred) if
// it is not committed.
func openSweepOut(dir, report string) (*sweepOut, error) {
	if dir == "" {
		return nil, nil
	}
	if p := checkSweepOut(dir, report); len(p) > 0 {
		return nil, badInputs(p)
	}
	d, err := atomicfile.CreateDir(dir)
	if err != nil {
		return nil, fmt.Errorf("--out: %w", err)
	}
	return &sweepOut{dir: dir, report: report, d: d}, nil
}

// abort removes what o wrote, unless it was committed. A nil o has nothing
// to abort.
func (o *sweepOut) abort() {
	if o != nil {
		o.d.Abort()
	}
}

// commit writes the result files and, when the report goes inside the
// output directory, the report (writeReport, given its directory), then
// puts the directory into place as a whole. After an error or an interrupt
// (ctx done before the directory is put into place), the old directory is
// left as it was and no temporary one remains. It returns whether the
// report was written.
func (o *sweepOut) commit(ctx context.Context, files []experiment.File, writeReport func(dir string) error) (bool, error) {
	for _, f := range files {
		if err := atomicfile.Write(filepath.Join(o.d.Path(), f.Name), f.Write); err != nil {
			return false, fmt.Errorf("--out: %w", err)
		}
	}
	rel, inside := reportInside(o.dir, o.report)
	if inside {
		if err := writeReport(filepath.Join(o.d.Path(), rel)); err != nil {
			return false, err
		}
	}
	if ctx.Err() != nil {
		return false, interrupted("interrupted; no output written")
	}
	if p := checkSweepOut(o.dir, o.report); len(p) > 0 {
		return false, badInputs(p) // something appeared there during the run
	}
	if err := o.d.Commit(); err != nil {
		return false, fmt.Errorf("--out: %w", err)
	}
	return inside, nil
}
