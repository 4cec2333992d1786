package scene

import (
	"math"
	"testing"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

func TestNiceAxis(t *testing.T) {
	for _, tc := range []struct {
		v, max, step float64
	}{
		{0, 100, 25},
		{-3, 100, 25},
		{1, 1, 0.2},
		{7, 8, 2},
		{370 * 1.08, 400, 100},
		{1142 * 1.08, 1250, 250},
		{1500, 1500, 500},
		{1501, 2000, 500},
		{23456, 25000, 5000},
		{math.Inf(1), 100, 25},
	} {
		m, s := NiceAxis(tc.v)
		if math.Abs(m-tc.max) > 1e-9 || math.Abs(s-tc.step) > 1e-9 {
			t.Errorf("NiceAxis(%v) = %v, %v; want %v, %v", tc.v, m, s, tc.max, tc.step)
		}
		if tc.v > 0 && !math.IsInf(tc.v, 0) && (m < tc.v || m/s > 5+1e-9) {
			t.Errorf("NiceAxis(%v) = %v step %v: not above v in at most 5 steps", tc.v, m, s)
		}
	}
}

// history returns a chart history whose every bucket holds v.
func history(v float64) []float64 {
	h := make([]float64, twin.HistoryLen)
	for i := range h {
		h[i] = v
	}
	return h
}

func TestChartWindowFollowsTheRun(t *testing.T) {
	for _, tc := range []struct {
		now   sim.Time
		hours int
	}{
		{0, 1}, {30 * sim.Minute, 1}, {sim.Hour, 1}, {sim.Hour + sim.Second, 2},
		{3 * sim.Hour, 4}, {7 * sim.Hour, 8}, {11 * sim.Hour, 12}, {20 * sim.Hour, 24}, {9 * sim.Day, 24},
	} {
		m := NewChartModel(history(500), tc.now, 0, nil)
		if m.Hours != tc.hours || m.Buckets != tc.hours*12 || len(m.Values) != m.Buckets {
			t.Errorf("at %v: %d h, %d buckets, %d values; want %d h", tc.now, m.Hours, m.Buckets, len(m.Values), tc.hours)
		}
	}
}

func TestChartLeavesOutTimeBeforeTheStart(t *testing.T) {
	// 22 minutes in: buckets 0-3 are done, bucket 4 has run 2 minutes.
	m := NewChartModel(history(600), 22*sim.Minute, 0, nil)
	real := 0
	for _, v := range m.Values {
		if !math.IsNaN(v) {
			real++
		}
	}
	if real != 5 {
		t.Errorf("%d points shown 22 minutes in, want 5", real)
	}
	// 20.5 minutes in, the bucket in progress is too young to show.
	m = NewChartModel(history(600), 20*sim.Minute+30*sim.Second, 0, nil)
	if last := m.Values[len(m.Values)-1]; !math.IsNaN(last) {
		t.Errorf("a bucket 30 s old is shown (%v)", last)
	}
	if m.Last != 600 {
		t.Errorf("last complete value %v, want 600", m.Last)
	}
}

func TestChartScalesToValuesAndTarget(t *testing.T) {
	for _, tc := range []struct {
		value, target float64
	}{
		{400, 370}, {1150, 1142}, {300, 1142}, {2000, 0}, {0, 0},
	} {
		m := NewChartModel(history(tc.value), 5*sim.Hour, tc.target, nil)
		if m.AxisMax < tc.value || m.AxisMax < tc.target {
			t.Errorf("value %v target %v: axis ends at %v", tc.value, tc.target, m.AxisMax)
		}
		if tc.target > 0 {
			if got, want := m.Y(tc.target), tc.target/m.AxisMax; math.Abs(got-want) > 1e-12 || got <= 0 || got >= 1 {
				t.Errorf("target %v drawn at %v of the height, want %v (inside the chart)", tc.target, got, want)
			}
		}
		if m.Y(0) != 0 || m.Y(m.AxisMax) != 1 || m.Y(10*m.AxisMax) != 1 {
			t.Errorf("Y maps 0, max, 10 max to %v, %v, %v", m.Y(0), m.Y(m.AxisMax), m.Y(10*m.AxisMax))
		}
	}
}

func TestChartX(t *testing.T) {
	m := NewChartModel(history(1), 32*sim.Minute, 0, nil) // 12 buckets, 2 minutes into the last
	// Bucket 10 ended 2 minutes ago (0.4 of a bucket), bucket 0 10.4 buckets ago.
	if math.Abs(m.X(0)-1.6/12) > 1e-12 || math.Abs(m.X(10)-11.6/12) > 1e-12 || m.X(11) != 1 {
		t.Errorf("X(0)=%v X(10)=%v X(11)=%v", m.X(0), m.X(10), m.X(11))
	}
	for k := 1; k < m.Buckets; k++ {
		if m.X(k) <= m.X(k-1) {
			t.Errorf("X not increasing at %d", k)
		}
	}
}

func TestChartPlotInsidePanel(t *testing.T) {
	r := Rect{8, 618, 520, 174}
	if p := ChartPlot(r); !p.Inside(r) || p.W < r.W/2 || p.H < r.H/2 {
		t.Errorf("plot %v in panel %v", p, r)
	}
}
