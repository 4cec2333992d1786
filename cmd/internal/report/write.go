package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/lightsout-sim/lightsout/cmd/internal/atomicfile"
)

// indexName is the page's file name inside the report directory.
const indexName = "index.html"

// WriteBatch writes a report of one batch into dir: index.html with the
// headline KPI table and one PNG per chart (throughput over time, station
// time shares, WIP over time, defects and scrap by station). Charts whose
// data is missing (no time series, no stations, no defects) are left out.
// dir is created if needed; files of an earlier report with the same names
// are replaced, others are left alone. On error, dir is unchanged, or at
// worst holds some new charts beside the previous index.html (or the whole
// new report, when only the final sync to disk failed).
func WriteBatch(dir string, b Batch) error {
	if err := b.Validate(); err != nil {
		return err
	}
	return writeReport(dir, func(tmp string, t *theme) (section, error) {
		page, err := batchSection(tmp, "", b, t)
		if err != nil {
			return section{}, err
		}
		page.Top = true
		if page.Title == "" {
			page.Title = "Batch report"
		}
		return page, nil
	})
}

// WriteSweep writes a report of a sweep into dir: index.html with a table of
// every scenario's KPIs (and one of its upkeep KPIs, if any), one chart per
// KPI against the varied parameter (with CI error bars), one chart per
// LineChart, and, for each of batches (which may be nil), a section with
// that batch's own charts, as WriteBatch draws them. batches are usually one
// per point, in the sweep's order. dir is handled as by WriteBatch.
func WriteSweep(dir string, s Sweep, batches []Batch) error {
	if err := s.Validate(); err != nil {
		return err
	}
	for _, b := range batches {
		if err := b.Validate(); err != nil {
			return err
		}
	}
	return writeReport(dir, func(tmp string, t *theme) (section, error) {
		names := sweepKPIs(s)
		page := section{Top: true, Title: s.Title, Table: sweepTable(s, names)}
		if t := upkeepTable(s); t != nil {
			page.Tables = append(page.Tables, t)
		}
		if page.Title == "" {
			page.Title = "Sweep report"
		}
		if s.Parameter != "" {
			page.Meta = append(page.Meta, keyValue{"Varied", s.Parameter})
		}
		page.Meta = append(page.Meta, keyValue{"Scenarios", fmt.Sprint(len(s.Points))})
		for i, name := range names {
			d, err := t.sweepChart(s, name)
			if err != nil {
				return section{}, err
			}
			file := fmt.Sprintf("sweep-%02d.png", i+1)
			f, err := render(tmp, file, d)
			if err != nil {
				return section{}, err
			}
			f.Title = d.plot.Title.Text
			f.Caption = sweepCaption(s, name)
			page.Figures = append(page.Figures, f)
		}
		for i, lc := range s.Lines {
			d, err := t.lineChart(lc, s.CILevel)
			if err != nil {
				return section{}, err
			}
			f, err := render(tmp, fmt.Sprintf("sweep-%02d.png", len(names)+i+1), d)
			if err != nil {
				return section{}, err
			}
			f.Title = d.plot.Title.Text
			f.Caption = lineCaption(lc, s.CILevel)
			page.Figures = append(page.Figures, f)
		}
		for i, b := range batches {
			sec, err := batchSection(tmp, fmt.Sprintf("s%02d-", i+1), b, t)
			if err != nil {
				return section{}, err
			}
			if sec.Title == "" {
				sec.Title = fmt.Sprintf("Scenario %d", i+1)
			}
			page.Sections = append(page.Sections, sec)
		}
		return page, nil
	})
}

func sweepCaption(s Sweep, name string) string {
	level := ciPercent(s.CILevel)
	if numericX(s) {
		return "Each point is the mean of " + name + " over the replications at that value of " +
			s.Parameter + "; the bars are its " + level + " confidence interval. A flattening line is a diminishing return."
	}
	return "One bar per scenario: the mean of " + name + " over its replications, with the " +
		level + " confidence interval as a whisker."
}

func lineCaption(lc LineChart, level float64) string {
	return "One line per value of " + lc.By + "; each point is the mean of " + lc.KPI + " over the replications at that value of " +
		lc.X + ", the bars its " + ciPercent(level) + " confidence interval (nudged sideways a little so that they do not hide each other)."
}

// render writes one chart and describes it for the page.
func render(dir, file string, d drawing) (figure, error) {
	w, h, err := writePNG(dir, file, d)
	if err != nil {
		return figure{}, err
	}
	return figure{File: file, Width: w, Height: h}, nil
}

// writeReport builds a report in a temporary directory beside dir, writes
// its index.html and moves it into place.
func writeReport(dir string, build func(tmp string, t *theme) (section, error)) error {
	dir = filepath.Clean(dir)
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return fmt.Errorf("report: %s exists and is not a directory", dir)
	}
	d, err := atomicfile.CreateDir(dir)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer d.Abort()
	t, err := newTheme()
	if err != nil {
		return err
	}
	page, err := build(d.Path(), t)
	if err != nil {
		return err
	}
	var html bytes.Buffer
	if err := writePage(&html, page); err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(d.Path(), indexName), func(w io.Writer) error {
		_, err := html.WriteTo(w)
		return err
	}); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return moveInto(d, dir)
}

// moveInto moves the finished report in d to dir: in one rename when dir
// does not exist, else file by file with index.html last. Each file in d
// is on disk already; the directories are synced after the renames, so
// that the report is on disk when moveInto returns.
func moveInto(d *atomicfile.Dir, dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := d.Commit(); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		return nil
	}
	tmp := d.Path()
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	for _, e := range entries {
		if e.Name() == indexName {
			continue
		}
		if err := os.Rename(filepath.Join(tmp, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("report: move chart into place: %w", err)
		}
	}
	if err := syncDir(dir); err != nil { // the charts before the page that shows them
		return err
	}
	if err := os.Rename(filepath.Join(tmp, indexName), filepath.Join(dir, indexName)); err != nil {
		return fmt.Errorf("report: move page into place: %w", err)
	}
	return syncDir(dir)
}

// syncDir is atomicfile.SyncDir with the package's error prefix.
func syncDir(dir string) error {
	if err := atomicfile.SyncDir(dir); err != nil {
		return fmt.Errorf("report: sync %s: %w", dir, err)
	}
	return nil
}
