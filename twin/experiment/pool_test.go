package experiment

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// TestRunPoolOneWorker checks the order of the jobs and where the pool
// stops: at the first failure, or when the context is cancelled.
func TestRunPoolOneWorker(t *testing.T) {
	errFail := errors.New("fail")
	tests := []struct {
		name    string
		fail    int // job that fails, -1 for none
		cancel  int // job that cancels the context, -1 for none
		want    error
		wantRan []int
	}{
		{"all", -1, -1, nil, []int{0, 1, 2, 3, 4}},
		{"failure stops", 2, -1, errFail, []int{0, 1, 2}},
		{"cancel stops", -1, 1, context.Canceled, []int{0, 1}},
		{"cancel after the last job", -1, 4, nil, []int{0, 1, 2, 3, 4}},
		{"failure wins over cancel", 1, 1, errFail, []int{0, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var ran []int
			err := runPool(ctx, 5, 1, func(k int) error {
				ran = append(ran, k)
				if k == tc.cancel {
					cancel()
				}
				if k == tc.fail {
					return fmt.Errorf("job %d: %w", k, errFail)
				}
				return nil
			})
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Errorf("error %v, want %v", err, tc.want)
			}
			if !slices.Equal(ran, tc.wantRan) {
				t.Errorf("ran %v, want %v", ran, tc.wantRan)
			}
		})
	}
}

// TestRunPoolLowestError runs every job on its own worker, so that all
// start before any fails: the error returned is the lowest index's.
func TestRunPoolLowestError(t *testing.T) {
	const n = 6
	var started sync.WaitGroup
	started.Add(n)
	err := runPool(context.Background(), n, n, func(k int) error {
		started.Done()
		started.Wait() // every job is under way before one fails
		if k%2 == 1 {
			return fmt.Errorf("job %d", k)
		}
		return nil
	})
	if err == nil || err.Error() != "job 1" {
		t.Errorf("error %v, want job 1's", err)
	}
	if err := runPool(context.Background(), 0, 4, func(int) error { return errors.New("ran") }); err != nil {
		t.Errorf("no jobs: %v", err)
	}
}

// TestBatchProgress checks that progress reports never overlap, never
// decrease, and end at 1, with replications reporting from many goroutines.
func TestBatchProgress(t *testing.T) {
	const reps = 8
	var (
		inside atomic.Int32
		last   float64
		calls  int
	)
	report := func(f float64) {
		if inside.Add(1) != 1 {
			t.Error("overlapping progress calls")
		}
		if f < last {
			t.Errorf("progress went back from %v to %v", last, f)
		}
		last = f
		calls++
		inside.Add(-1)
	}
	p := newProgress(report, reps, sim.Hour)
	var wg sync.WaitGroup
	for i := range reps {
		wg.Go(func() {
			r := p.reporter(i)
			for k := 1; k <= 100; k++ {
				r(sim.Hour * sim.Time(k) / 100)
			}
			p.finish(i)
		})
	}
	wg.Wait()
	if last != 1 || calls < reps {
		t.Errorf("last report %v after %d calls, want 1 after at least %d", last, calls, reps)
	}
	if newProgress(nil, 1, sim.Hour).reporter(0) != nil {
		t.Error("no callback: reporter should be nil")
	}
}
