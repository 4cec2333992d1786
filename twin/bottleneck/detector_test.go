package bottleneck_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/bottleneck"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

const s = sim.Second

// step is one change of activity.
type step struct {
	at     sim.Time
	i      int
	active bool
}

func feed(d *bottleneck.Detector, steps []step) {
	for _, st := range steps {
		d.Set(st.at, st.i, st.active)
	}
}

func shares(d *bottleneck.Detector, now sim.Time, n int, total bool) (sole, shifting []float64, span float64) {
	sole, shifting = make([]float64, n), make([]float64, n)
	if total {
		span = d.TotalShares(now, sole, shifting)
	} else {
		span = d.WindowShares(now, sole, shifting)
	}
	return sole, shifting, span
}

// The example of the method worked by hand. A is active 0-10 s, B 4-16 s,
// C 12-20 s, then A 18-30 s. A is the sole bottleneck 0-4, shifting with
// B 4-10; B shifting 4-10 and 12-16, sole 10-12; C shifting 12-16, sole
// 16-18 (A's new period is shorter), shifting with A 18-20; A shifting
// 18-20, sole 20-30.
func TestActivePeriodsByHand(t *testing.T) {
	d := bottleneck.New(3, sim.Hour, 0)
	momentary := map[sim.Time]int{}
	for _, st := range []step{
		{0, 0, true}, {4 * s, 1, true}, {10 * s, 0, false}, {12 * s, 2, true},
		{16 * s, 1, false}, {18 * s, 0, true}, {20 * s, 2, false}, {30 * s, 0, false},
	} {
		d.Set(st.at, st.i, st.active)
		momentary[st.at] = d.Momentary()
	}
	for at, want := range map[sim.Time]int{0: 0, 4 * s: 0, 10 * s: 1, 12 * s: 1, 16 * s: 2, 18 * s: 2, 20 * s: 0, 30 * s: bottleneck.None} {
		if momentary[at] != want {
			t.Errorf("momentary bottleneck after the change at %v: %d, want %d", at, momentary[at], want)
		}
	}
	for _, total := range []bool{false, true} {
		sole, shifting, span := shares(d, 40*s, 3, total)
		wantSole := []float64{4 + 10, 2, 2}
		wantShift := []float64{6 + 2, 6 + 4, 4 + 2}
		for i := range 3 {
			if math.Abs(sole[i]-wantSole[i]) > 1e-9 || math.Abs(shifting[i]-wantShift[i]) > 1e-9 {
				t.Errorf("total %v: station %d sole %v shifting %v, want %v and %v", total, i, sole[i], shifting[i], wantSole[i], wantShift[i])
			}
		}
		if span != 40 {
			t.Errorf("total %v: span %v s, want 40", total, span)
		}
		if got := bottleneck.Average(sole, shifting); got != 0 {
			t.Errorf("total %v: average bottleneck %d, want 0 (A: 22 s of 40)", total, got)
		}
	}
}

// The window forgets: a station that was the bottleneck for hours is no
// longer the average bottleneck a window after another took over, while
// the total since the reset still names it.
func TestWindowFollowsAChange(t *testing.T) {
	d := bottleneck.New(2, sim.Hour, 0)
	d.Set(0, 0, true) // A is always active
	d.Set(0, 1, false)
	// For 5 h A is the bottleneck; then A idles half the time, B never.
	t0 := 5 * sim.Hour
	d.Set(t0, 1, true)
	for k := sim.Time(0); k < 120; k++ {
		at := t0 + k*sim.Minute
		d.Set(at, 0, k%2 == 1)
	}
	now := t0 + 2*sim.Hour
	sole, shifting, span := shares(d, now, 2, false)
	if math.Abs(span-3600) > 60 {
		t.Errorf("window span %v s, want about 3600", span)
	}
	if got := bottleneck.Average(sole, shifting); got != 1 {
		t.Errorf("window average %d (sole %v, shifting %v), want 1", got, sole, shifting)
	}
	sole, shifting, _ = shares(d, now, 2, true)
	if got := bottleneck.Average(sole, shifting); got != 0 {
		t.Errorf("total average %d (sole %v, shifting %v), want 0", got, sole, shifting)
	}
	if d.Momentary() != 1 {
		t.Errorf("momentary %d, want 1", d.Momentary())
	}
	// A reset forgets the shares, not the activity.
	d.Reset(now)
	d.Set(now+sim.Minute, 0, true)
	sole, shifting, span = shares(d, now+sim.Minute, 2, true)
	if span != 60 || sole[1] != 60 || sole[0] != 0 || shifting[0] != 0 {
		t.Errorf("a minute after a reset: span %v, sole %v, shifting %v; want 60, [0 60], [0 0]", span, sole, shifting)
	}
}

// Long quiet spans and a window of few buckets roll correctly; every
// second observed is counted once.
func TestLongGapsAreCountedOnce(t *testing.T) {
	d := bottleneck.New(1, 2*sim.Minute, 0)
	d.Set(0, 0, true)
	d.Set(10*sim.Hour, 0, false)
	sole, _, span := shares(d, 10*sim.Hour+30*s, 1, true)
	if span != 36030 || sole[0] != 36000 {
		t.Errorf("total span %v, sole %v; want 36030, 36000", span, sole[0])
	}
	sole, _, span = shares(d, 10*sim.Hour+30*s, 1, false)
	if span < 118 || span > 120 || sole[0] != span-30 {
		t.Errorf("window span %v, sole %v; want about 120 and 30 s less", span, sole[0])
	}
}

// Over a run shorter than the window, the window's buckets add up to the
// totals exactly, whether the changes fall many to a bucket or skip
// buckets, and the time observed is the time elapsed.
func TestBucketsAddUpToTheTotals(t *testing.T) {
	const n = 4
	d := bottleneck.New(n, sim.Hour, 0) // buckets of a minute
	r := rand.New(rand.NewPCG(1, 2))
	at := sim.Time(0)
	for at < 55*sim.Minute {
		// Mostly a few seconds apart (many changes in a bucket), now and
		// then several minutes (buckets skipped), sometimes at once.
		switch u := r.Float64(); {
		case u < 0.05:
			at += sim.Time(r.Int64N(int64(5 * sim.Minute)))
		case u < 0.15:
		default:
			at += sim.Time(r.Int64N(int64(10 * s)))
		}
		i := r.IntN(n)
		d.Set(at, i, !d.Active(i))
	}
	now := at + 90*s
	wSole, wShift, wSpan := shares(d, now, n, false)
	tSole, tShift, tSpan := shares(d, now, n, true)
	if tSpan != now.Seconds() || wSpan != tSpan {
		t.Errorf("span: window %v s, total %v s; want both %v s", wSpan, tSpan, now.Seconds())
	}
	for i := range n {
		if math.Abs(wSole[i]-tSole[i]) > 1e-6 || math.Abs(wShift[i]-tShift[i]) > 1e-6 {
			t.Errorf("station %d: window sole %v shifting %v, total sole %v shifting %v", i, wSole[i], wShift[i], tSole[i], tShift[i])
		}
	}
}

// Set and the share queries do not allocate.
func TestNoAllocation(t *testing.T) {
	d := bottleneck.New(5, 0, 0)
	sole, shifting := make([]float64, 5), make([]float64, 5)
	at := sim.Time(0)
	allocs := testing.AllocsPerRun(1000, func() {
		at += 7 * s
		i := int(at/s) % 5
		d.Set(at, i, !d.Active(i))
		d.WindowShares(at, sole, shifting)
		d.TotalShares(at, sole, shifting)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per event", allocs)
	}
}

func BenchmarkSet(b *testing.B) {
	d := bottleneck.New(8, 0, 0)
	at := sim.Time(0)
	for b.Loop() {
		at += 3 * s
		i := int(at/s) % 8
		d.Set(at, i, !d.Active(i))
	}
}
