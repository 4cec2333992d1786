package experiment

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// runPool calls job(0), job(1) ... job(n-1) on up to workers goroutines,
// starting them in index order. Once a job fails or ctx is done, no further
// job starts. runPool returns when the jobs under way have ended: the error
// of the failed job with the lowest index, or else ctx's error if a job
// was left unstarted, or else nil.
func runPool(ctx context.Context, n, workers int, job func(k int) error) error {
	errs := make([]error, n)
	var (
		next   atomic.Int64
		failed atomic.Bool
		wg     sync.WaitGroup
	)
	for range min(workers, n) {
		wg.Go(func() {
			for !failed.Load() && ctx.Err() == nil {
				k := int(next.Add(1) - 1)
				if k >= n {
					return
				}
				if err := job(k); err != nil {
					errs[k] = err
					failed.Store(true)
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	if next.Load() < int64(n) {
		return ctx.Err()
	}
	return nil
}

// progress adds up the simulated time reached by concurrent runs and
// passes the share done to the user's callback, one call at a time.
type progress struct {
	report func(float64)
	total  float64        // runs x duration, ns
	done   []atomic.Int64 // simulated time reached per run, ns
	mu     sync.Mutex     // serialises report
	dur    sim.Time
}

// newProgress follows runs runs of duration dur; report may be nil.
func newProgress(report func(float64), runs int, dur sim.Time) *progress {
	return &progress{report: report, total: float64(runs) * float64(dur), done: make([]atomic.Int64, runs), dur: dur}
}

// reporter returns the twin.Options.Progress callback of run i, nil when
// there is no callback.
func (p *progress) reporter(i int) func(sim.Time) {
	if p.report == nil {
		return nil
	}
	return func(now sim.Time) {
		p.done[i].Store(int64(min(max(now, 0), p.dur)))
		// Skip the report while another goroutine is reporting: the next
		// call will include this one's progress.
		if p.mu.TryLock() {
			p.send()
			p.mu.Unlock()
		}
	}
}

// finish marks run i complete and always reports.
func (p *progress) finish(i int) {
	if p.report == nil {
		return
	}
	p.done[i].Store(int64(p.dur))
	p.mu.Lock()
	p.send()
	p.mu.Unlock()
}

// send reports the current share; p.mu is held. Each run's time only
// grows and sums are taken under the lock, so reports never decrease.
func (p *progress) send() {
	var sum float64
	for i := range p.done {
		sum += float64(p.done[i].Load())
	}
	p.report(min(sum/p.total, 1))
}
