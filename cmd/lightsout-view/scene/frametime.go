package scene

import (
	"fmt"
	"io"
	"math"
	"slices"
	"time"
)

// FrameTimes records how long each Update and each Draw took, and each
// frame: a Draw plus the Updates run since the previous Draw. The zero
// value is ready to use.
type FrameTimes struct {
	Update, Draw, Frame []time.Duration
	pending             time.Duration // updates since the last draw
}

// maxSamples bounds the memory FrameTimes uses (about two hours at 60 Hz).
const maxSamples = 1 << 19

// AddUpdate records one Update.
func (f *FrameTimes) AddUpdate(d time.Duration) {
	f.pending += d
	if len(f.Update) < maxSamples {
		f.Update = append(f.Update, d)
	}
}

// AddDraw records one Draw, closing a frame.
func (f *FrameTimes) AddDraw(d time.Duration) {
	if len(f.Draw) < maxSamples {
		f.Draw = append(f.Draw, d)
		f.Frame = append(f.Frame, d+f.pending)
	}
	f.pending = 0
}

// Percentile returns the p-th percentile (0 to 100) of ds by the
// nearest-rank method: the smallest sample with at least p% of the samples
// at or below it. It returns 0 for no samples; ds is not modified.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	rank = min(max(rank, 1), len(s))
	return s[rank-1]
}

// Report writes the percentiles of update, draw and frame times as a table.
func (f *FrameTimes) Report(w io.Writer) error {
	_, err := fmt.Fprintf(w, "%-8s %7s %9s %9s %9s %9s\n", "", "samples", "p50", "p90", "p99", "max")
	if err != nil {
		return err
	}
	for _, row := range []struct {
		name string
		ds   []time.Duration
	}{{"update", f.Update}, {"draw", f.Draw}, {"frame", f.Frame}} {
		_, err := fmt.Fprintf(w, "%-8s %7d %9s %9s %9s %9s\n", row.name, len(row.ds),
			ms(Percentile(row.ds, 50)), ms(Percentile(row.ds, 90)),
			ms(Percentile(row.ds, 99)), ms(Percentile(row.ds, 100)))
		if err != nil {
			return err
		}
	}
	return nil
}

// ms writes a duration in milliseconds with two decimals: "3.25ms".
func ms(d time.Duration) string {
	return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
}
