package experiment

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/lightsout-sim/lightsout/twin"
)

// Manifest describes what a run or a shard of a sweep covered: the plan,
// the shard and the points it ran. It is manifest.json.
type Manifest struct {
	Format string `json:"format"`
	Plan
	// Shard is this shard's number out of Shards, from 1 (1 of 1 for a run
	// that was not sharded, or for merged shards).
	Shard int `json:"shard"`
	// Shards is the number of shards the sweep was split into.
	Shards int `json:"shards"`
	// Assigned are the indexes of the points run, ascending, from 0 in
	// Go; manifest.json numbers them from 1, as it does each point's index.
	Assigned []int `json:"assigned"`
}

// NewManifest describes the run of plan's points that s owns.
// Its Upkeep is set when plan's is or when the spec of one of its points
// has upkeep.
func NewManifest(plan *Plan, s Shard) *Manifest {
	m := &Manifest{Format: Format, Plan: *plan, Shard: s.Number(), Shards: max(s.Count, 1), Assigned: s.Points(len(plan.Points))}
	m.Upkeep = plan.Upkeep || plan.specsHaveUpkeep()
	return m
}

// shard returns the shard m describes.
func (m *Manifest) shard() Shard { return Shard{Index: m.Shard - 1, Count: m.Shards} }

// Complete reports whether the manifest covers every point of the sweep.
func (m *Manifest) Complete() bool { return len(m.Assigned) == len(m.Points) }

// File is one output file: its name in the output directory and what
// writes its content.
type File struct {
	Name  string
	Write func(io.Writer) error
}

// OutputNames returns the names of every file a sweep's output directory
// may hold: those of [Files] and [TimingFile].
func OutputNames() []string {
	return []string{"runs.csv", "summary.json", "manifest.json", "timing.json"}
}

// Files returns the output files of the runs m describes: runs.csv and
// manifest.json, and summary.json when m covers every point. A caller
// writes them as a set, into one directory that it puts in place whole.
func Files(m *Manifest, runs []RunResult) []File {
	files := []File{{"runs.csv", func(w io.Writer) error { return WriteRunsCSV(w, m, runs) }}}
	if m.Complete() {
		files = append(files, File{"summary.json", func(w io.Writer) error { return WriteSummaryJSON(w, Summarize(m, runs)) }})
	}
	return append(files, File{"manifest.json", func(w io.Writer) error { return WriteManifestJSON(w, m) }})
}

// TimingFile returns timing.json for the runs m describes: the shard ("i/N", i from 1)
// and how long they took. It is the one output file that differs between
// two runs of the same plan, so Merge ignores it.
func TimingFile(m *Manifest, t Timing) File {
	return File{"timing.json", func(w io.Writer) error {
		return writeJSON(w, struct {
			Shard  string `json:"shard"`
			Timing Timing `json:"timing"`
		}{m.shard().String(), t})
	}}
}

// csvHeader returns runs.csv's header: scenario, point, each parameter,
// replication, seed, each KPI (the upkeep ones only with upkeep),
// bottleneck.
func csvHeader(params []string, upkeep bool) []string {
	h := append([]string{"scenario", "point"}, params...)
	h = append(h, "replication", "seed")
	names := kpiNames()
	for _, k := range names[:kpiCount(upkeep)] {
		h = append(h, k)
	}
	return append(h, "bottleneck")
}

// formatFloat writes x so that it parses back to the same float64, in
// plain decimals.
func formatFloat(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// WriteRunsCSV writes runs.csv: a header, then one row per run in the order
// given (Execute's: by point, then replication). Points and replications
// count from 1 there, as everywhere a user sees them. Numbers are plain decimals
// that read back exactly. The upkeep KPIs (unplanned_down_h to
// autopilot_actions) have columns only when m.Upkeep is set.
func WriteRunsCSV(w io.Writer, m *Manifest, runs []RunResult) error {
	cw := csv.NewWriter(w)
	n := kpiCount(m.Upkeep)
	if err := cw.Write(csvHeader(m.Params, m.Upkeep)); err != nil {
		return err
	}
	for _, r := range runs {
		pt := m.Points[r.Point]
		row := []string{pt.Name, strconv.Itoa(r.Point + 1)}
		for _, v := range pt.Values {
			row = append(row, v.Text())
		}
		row = append(row, strconv.Itoa(r.Replication+1), strconv.FormatUint(r.Seed, 10))
		vals := r.values()
		for _, x := range vals[:n] {
			row = append(row, formatFloat(*x))
		}
		row = append(row, r.Bottleneck)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadRunsCSV reads a runs.csv written for m, checking its header and that
// each row's scenario and parameter values are those of its point. It
// reads points and replications numbered from 1 and returns them from 0.
func ReadRunsCSV(r io.Reader, m *Manifest) ([]RunResult, error) {
	cr := csv.NewReader(r)
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	want := csvHeader(m.Params, m.Upkeep)
	n := kpiCount(m.Upkeep)
	if len(rows) == 0 || !slices.Equal(rows[0], want) {
		return nil, fmt.Errorf("the header is not the sweep's (want %q)", want)
	}
	var out []RunResult
	for i, row := range rows[1:] {
		line := i + 2
		bad := func(format string, a ...any) error {
			return fmt.Errorf("line %d: %s", line, fmt.Sprintf(format, a...))
		}
		var rr RunResult
		if rr.Point, err = strconv.Atoi(row[1]); err != nil || rr.Point < 1 || rr.Point > len(m.Points) {
			return nil, bad("point %q is not one of the sweep's 1-%d (points count from 1)", row[1], len(m.Points))
		}
		rr.Point--
		pt := m.Points[rr.Point]
		if row[0] != pt.Name {
			return nil, bad("scenario %q, but point %d is %q", row[0], rr.Point+1, pt.Name)
		}
		for j, v := range pt.Values {
			if row[2+j] != v.Text() {
				return nil, bad("%s is %q, but point %d has %q", m.Params[j], row[2+j], rr.Point+1, v.Text())
			}
		}
		k := 2 + len(pt.Values)
		if rr.Replication, err = strconv.Atoi(row[k]); err != nil || rr.Replication < 1 || rr.Replication > m.Replications {
			return nil, bad("replication %q is not one of 1-%d (replications count from 1)", row[k], m.Replications)
		}
		rr.Replication--
		if rr.Seed, err = strconv.ParseUint(row[k+1], 10, 64); err != nil || rr.Seed != twin.ReplicationSeed(uint64(m.Seed), rr.Replication) {
			return nil, bad("seed %q is not replication %d's of base seed %d", row[k+1], rr.Replication+1, m.Seed)
		}
		vals := rr.values()
		for j, x := range vals[:n] {
			if *x, err = strconv.ParseFloat(row[k+2+j], 64); err != nil {
				return nil, bad("%s %q is not a number", kpiNames()[j], row[k+2+j])
			}
		}
		rr.Bottleneck = row[len(row)-1]
		out = append(out, rr)
	}
	return out, nil
}

// WriteManifestJSON writes m as indented JSON, numbering the points (each
// point's index and the assigned list) from 1.
func WriteManifestJSON(w io.Writer, m *Manifest) error {
	out := *m
	out.Points = slices.Clone(m.Points)
	for i := range out.Points {
		out.Points[i].Index++
	}
	out.Assigned = make([]int, len(m.Assigned))
	for i, p := range m.Assigned {
		out.Assigned[i] = p + 1
	}
	return writeJSON(w, &out)
}

// ReadManifestJSON reads a manifest.json strictly (unknown fields are errors).
func ReadManifestJSON(r io.Reader) (*Manifest, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m.Format != Format {
		return nil, fmt.Errorf("format %q, want %q (written by another version of lightsout?)", m.Format, Format)
	}
	n := len(m.Points)
	for i := range m.Points {
		if idx := m.Points[i].Index; idx != i+1 {
			return nil, fmt.Errorf("points[%d] has index %d, want %d (points count from 1)", i, idx, i+1)
		}
		m.Points[i].Index--
	}
	for i, p := range m.Assigned {
		if p < 1 || p > n {
			return nil, fmt.Errorf("assigned point %d is not one of the sweep's 1-%d (points count from 1)", p, n)
		}
		m.Assigned[i] = p - 1
	}
	return &m, nil
}

// writeJSON writes v as indented JSON with a final newline, keeping < and >
// as they are.
func writeJSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}
