package experiment

import "testing"

// The workers a batch has beyond one per replication run copies.
func TestCopyWorkersShareTheSpareWorkers(t *testing.T) {
	for _, tc := range []struct{ workers, copyWorkers, replications, want int }{
		{2, 0, 1, 2}, // one replication: both run its copies
		{2, 0, 2, 1}, // a replication each
		{4, 0, 2, 2},
		{5, 0, 2, 2}, // the odd one idles
		{1, 0, 1, 1},
		{4, 3, 1, 3}, // set by the caller
	} {
		opt := BatchOptions{Workers: tc.workers}
		opt.CopyWorkers = tc.copyWorkers
		if got := opt.copyWorkers(tc.replications); got != tc.want {
			t.Errorf("%d workers (copy workers %d), %d replications at once: %d copy workers, want %d",
				tc.workers, tc.copyWorkers, tc.replications, got, tc.want)
		}
	}
}
