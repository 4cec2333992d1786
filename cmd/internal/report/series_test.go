package report

import (
	"math"
	"testing"

	"gonum.org/v1/plot"
)

func TestThroughputBand(t *testing.T) {
	// 3 replications of 10 s in 4 s buckets: the last bucket is 2 s long.
	b := Batch{Replications: 3, DurationS: 10, BucketS: 4, GoodPerBucket: [][]float64{
		{4, 8, 2},
		{4, 4, 1},
		{8, 4, 3},
	}}
	unit := timeUnit{"s", 1}
	bd := throughputBand(b, unit)
	wantMean := []float64{16.0 / 3 / 4 * 3600, 16.0 / 3 / 4 * 3600, 2.0 / 2 * 3600}
	wantLo := []float64{3600, 3600, 0.5 * 3600}
	wantHi := []float64{7200, 7200, 1.5 * 3600}
	wantX := []float64{2, 6, 9}
	for j := range 3 {
		if !near(bd.mean[j], wantMean[j]) || !near(bd.lo[j], wantLo[j]) || !near(bd.hi[j], wantHi[j]) || !near(bd.x[j], wantX[j]) {
			t.Errorf("bucket %d: x %g mean %g band %g..%g, want x %g mean %g band %g..%g",
				j, bd.x[j], bd.mean[j], bd.lo[j], bd.hi[j], wantX[j], wantMean[j], wantLo[j], wantHi[j])
		}
	}
	if bd.bandName != "min–max" {
		t.Errorf("band %q with 3 replications, want min–max", bd.bandName)
	}
	// After 4 s: buckets 2 (4 s) and 3 (2 s), time-weighted.
	want := (wantMean[1]*4 + wantMean[2]*2) / 6
	if got := bd.meanAfter(4); !near(got, want) {
		t.Errorf("meanAfter(4) = %g, want %g", got, want)
	}
}

func TestSummariseMergesLongSeries(t *testing.T) {
	n := 3*maxTimePoints + 1
	row := make([]float64, n)
	for i := range row {
		row[i] = 1 // one good unit per 60 s bucket: 60 per hour
	}
	rows := make([][]float64, bandMinReplications)
	for r := range rows {
		rows[r] = row
	}
	b := Batch{Replications: len(rows), DurationS: float64(n) * 60, BucketS: 60, GoodPerBucket: rows, WIP: rows}
	bd := throughputBand(b, timeUnitFor(b.DurationS))
	if len(bd.x) > maxTimePoints {
		t.Fatalf("%d points, want at most %d", len(bd.x), maxTimePoints)
	}
	if bd.bandName != "P10–P90" {
		t.Errorf("band %q with %d replications, want P10–P90", bd.bandName, len(rows))
	}
	for j, m := range bd.mean {
		if !near(m, 60) {
			t.Fatalf("merged bucket %d: %g per hour, want 60", j, m)
		}
	}
	w := wipBand(b, timeUnitFor(b.DurationS))
	for j, m := range w.mean {
		if !near(m, 1) {
			t.Fatalf("merged WIP bucket %d: %g, want 1", j, m)
		}
	}
}

func TestQuantile(t *testing.T) {
	v := []float64{0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100}
	for _, c := range []struct{ q, want float64 }{{0, 0}, {0.1, 10}, {0.5, 50}, {0.9, 90}, {1, 100}, {0.25, 25}} {
		if got := quantile(v, c.q); !near(got, c.want) {
			t.Errorf("quantile(%g) = %g, want %g", c.q, got, c.want)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0, "0"}, {1, "1"}, {0.5, "0.5"}, {0.71234, "0.7123"}, {80.7049, "80.7"}, {742, "742"},
		{1234.6, "1,235"}, {-12500, "-12,500"}, {9999999, "9,999,999"}, {12_500_000, "12.5M"},
		{2.5e10, "25G"}, {math.NaN(), "–"},
	} {
		if got := formatNumber(c.v); got != c.want {
			t.Errorf("formatNumber(%g) = %q, want %q", c.v, got, c.want)
		}
	}
	for _, c := range []struct {
		s    float64
		want string
	}{{45, "45 s"}, {2400, "40 min"}, {8 * 3600, "8 h"}, {365 * 86400, "365 days"}} {
		if got := formatDuration(c.s); got != c.want {
			t.Errorf("formatDuration(%g) = %q, want %q", c.s, got, c.want)
		}
	}
}

func TestReadableTicks(t *testing.T) {
	for _, r := range [][2]float64{{0, 8}, {0, 175}, {0.23, 0.79}, {1, 10}, {0, 8760}, {-3, 3}, {0, 2.4e7}} {
		ticks := readableTicks{}.Ticks(r[0], r[1])
		var major []plot.Tick
		for i, tk := range ticks {
			if tk.Value < r[0]-1e-9 || tk.Value > r[1]+1e-9 {
				t.Errorf("%v: tick %g outside the range", r, tk.Value)
			}
			if i > 0 && tk.Value <= ticks[i-1].Value {
				t.Errorf("%v: ticks not ascending at %g", r, tk.Value)
			}
			if tk.Label != "" {
				major = append(major, tk)
			}
		}
		if len(major) < 4 || len(major) > 9 {
			t.Errorf("%v: %d labelled ticks %v, want 4..9", r, len(major), major)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
